/**
 * A bundle's files split by account (bundle/layout.ts): `accounts/<account-id>/…` are the member sub-bundles,
 * `organization/…` the organization's files (top level only), everything else the top-level account. Paths
 * inside a group are relative to the group's root (`relative`), as the layout names them; `path` is how
 * diagnostics show the file (from the bundle root). Which files are GAAD pages is the caller's `isPage`; a file
 * named directly is a page whatever its name.
 */
import type { Bundle, BundleFile } from './read-bundle.ts';
import { ORGANIZATION } from './layout.ts';

export type GroupFile = BundleFile & { relative: string };

export interface AccountGroup {
  /** The directory's account id for `accounts/<id>/`; undefined for the top level (known from its ARNs). */
  declaredAccountId?: string;
  /** Shown in diagnostics: `accounts/<id>` or the bundle name. */
  where: string;
  files: GroupFile[];
  gaad: GroupFile[];
}

const MEMBER = /^accounts\/(\d{12})\/(.+)$/;

export function splitBundle(
  bundle: Bundle,
  display: (rel: string) => string,
  isPage: (relative: string) => boolean,
): { groups: AccountGroup[]; organization: BundleFile[]; strays: BundleFile[] } {
  const top: AccountGroup = { where: bundle.name, files: [], gaad: [] };
  const members = new Map<string, AccountGroup>();
  const organization: BundleFile[] = [];
  const strays: BundleFile[] = [];
  for (const f of bundle.files) {
    const shown = { ...f, path: display(f.path) };
    const m = MEMBER.exec(f.path);
    if (m) {
      const id = m[1]!;
      let g = members.get(id);
      if (!g)
        members.set(
          id,
          (g = { declaredAccountId: id, where: display(`accounts/${id}`), files: [], gaad: [] }),
        );
      const file = { ...shown, relative: m[2]! };
      g.files.push(file);
      if (isPage(m[2]!)) g.gaad.push(file);
    } else if (f.path.startsWith(`${ORGANIZATION.dir}/`)) {
      // organization/ keeps its bundle-relative path: the organization importer matches on it.
      organization.push({ ...f, path: f.path });
    } else if (f.path.startsWith('accounts/')) {
      strays.push(shown);
    } else {
      const file = { ...shown, relative: f.path };
      top.files.push(file);
      if (bundle.kind === 'file' || isPage(f.path)) top.gaad.push(file);
    }
  }
  // Top-level files beside member directories without a top-level GAAD (the collector's manifest) are no
  // account of their own.
  const groups = [
    ...(top.gaad.length > 0 || members.size === 0 ? [top] : []),
    ...[...members.keys()].sort().map((k) => members.get(k)!),
  ];
  return { groups, organization, strays };
}
