/**
 * The importers' public surface: bundle paths → an AccountSnapshot plus every diagnostic.
 * Pure except for reading the bundle files; knows nothing of graph stores.
 */
import type { Diagnostic } from '../server/engine/diagnostics.ts';
import { hasErrors } from '../server/engine/diagnostics.ts';
import { SNAPSHOT_SCHEMA_VERSION, type AccountSnapshot, type Resource } from './snapshot/model.ts';
import { readBundle, type Bundle } from './bundle/read-bundle.ts';
import { parseGaad } from './sources/gaad/parse.ts';
import { normalizeGaad, type GaadInput } from './sources/gaad/normalize.ts';
import { placeLines } from './shared/place-lines.ts';
import { importAccountFiles } from './sources/account-files.ts';
import { splitBundle, type AccountGroup } from './bundle/account-groups.ts';
import { RESOURCE_POLICIES } from './bundle/layout.ts';
import { parseOrganizationFiles } from './sources/organizations/parse.ts';
import { normalizeOrganization } from './sources/organizations/normalize.ts';
import { organizationCompleteness } from './sources/organizations/completeness.ts';
import { parseResourcePolicyFiles } from './sources/resource-policies/parse.ts';
import { normalizeResourcePolicies } from './sources/resource-policies/normalize.ts';
import { mergeAccounts } from './snapshot/merge.ts';
import { importLastAccessed } from './sources/last-accessed/normalize.ts';
import { DEFAULT_LIMITS, type Limits } from './limits.ts';
import type { GaadFragment } from './sources/gaad/normalize.ts';

interface ImportedAccount {
  accountId: string;
  group: AccountGroup;
  fragment: GaadFragment;
}

export type { BundleFile, Bundle } from './bundle/read-bundle.ts';
export { readBundle } from './bundle/read-bundle.ts';
export { DEFAULT_LIMITS, parseLimitsFlag, type Limits } from './limits.ts';

export interface ImportResult {
  /** Present only when no diagnostic has severity `error`: bad input loads nothing. */
  snapshot?: AccountSnapshot;
  /** Errors and warnings, in input order; the warnings are also in `snapshot.warnings`. */
  diagnostics: Diagnostic[];
}

export interface ImportOptions {
  /** The snapshot's label; default: the (first) bundle's directory name. */
  label?: string;
  /** Called as stages progress: `read` (bundles), `parse` (files), `normalize` (1 step). */
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Limits on what is read (importers/limits.ts); unset ones keep their defaults. */
  limits?: Partial<Limits>;
}

/**
 * Import one account from one or more bundle paths (directories, or GAAD files given directly; several paths
 * are several pages/bundles of the same account), or an organization's accounts from a multi-account bundle
 * (`accounts/<id>/` sub-bundles plus `organization/`): all their principals in one snapshot, keyed by ARN (each
 * ARN names its account). Never throws on bad input.
 */
export async function importBundle(paths: string[], options: ImportOptions = {}): Promise<ImportResult> {
  const progress = options.onProgress ?? (() => {});
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const diagnostics: Diagnostic[] = [];
  if (paths.length === 0) {
    return { diagnostics: [{ severity: 'error', code: 'bundle.no-input', message: 'no bundle path given' }] };
  }
  const bundles: Bundle[] = [];
  for (const [i, p] of paths.entries()) {
    const { bundle, diagnostics: ds } = await readBundle(p, limits);
    diagnostics.push(...ds);
    if (bundle) bundles.push(bundle);
    progress('read', i + 1, paths.length);
  }
  if (hasErrors(diagnostics)) return { diagnostics };

  // With several bundle directories, file names could repeat: prefix them with the directory name to keep
  // them apart. A file named directly is shown by its own name.
  const display = (b: Bundle, rel: string) =>
    bundles.length > 1 && b.kind !== 'file' ? `${b.name}/${rel}` : rel;
  const split = bundles.map((b) => splitBundle(b, (rel) => display(b, rel)));
  // Several paths are pages of the same account(s): groups with the same directory (the top level, or the
  // same `accounts/<id>/`) are one.
  const groups: AccountGroup[] = [];
  for (const g of split.flatMap((s) => s.groups)) {
    const same = groups.find((x) => x.declaredAccountId === g.declaredAccountId);
    if (same) {
      same.files.push(...g.files);
      same.gaad.push(...g.gaad);
    } else groups.push({ ...g, files: [...g.files], gaad: [...g.gaad] });
  }
  const orgFiles = split.flatMap((s) => s.organization);
  const allFiles = [...groups.flatMap((g) => g.files), ...orgFiles];
  /** Gives every diagnostic that has a JSON path the line it points at, so editors can jump there. */
  const placed = (ds: Diagnostic[]): Diagnostic[] => {
    placeLines(ds, allFiles);
    return ds;
  };
  for (const s of split)
    for (const f of s.strays)
      diagnostics.push({
        severity: 'warning',
        code: 'bundle.unknown-file',
        message: `\`${f.path}\` is not under \`accounts/<12-digit account id>/\`: ignored`,
        file: f.path,
      });

  const gaadCount = groups.reduce((n, g) => n + g.gaad.length, 0);
  let parsedCount = 0;
  const pagesOf = new Map<AccountGroup, GaadInput[]>();
  for (const g of groups) {
    if (g.gaad.length === 0)
      diagnostics.push({
        severity: 'error',
        code: 'bundle.no-gaad',
        message: `no \`*authorization-details*.json\` in \`${g.where}\``,
        file: g.where,
        hint: "each account directory is a single-account bundle: run `aws iam get-account-authorization-details` with that account's credentials",
      });
    const inputs: GaadInput[] = [];
    for (const f of g.gaad) {
      const parsed = parseGaad(f.text, f.path, limits);
      diagnostics.push(...parsed.diagnostics);
      if (parsed.page) inputs.push({ file: f.path, page: parsed.page });
      progress('parse', ++parsedCount, gaadCount);
    }
    pagesOf.set(g, inputs);
  }
  const org = orgFiles.length > 0 ? parseOrganizationFiles(orgFiles, limits) : undefined;
  if (org) diagnostics.push(...org.diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics: placed(diagnostics) };

  const imported: ImportedAccount[] = [];
  for (const g of groups) {
    const { fragment, diagnostics: normalizeDiagnostics } = normalizeGaad(pagesOf.get(g)!, limits);
    diagnostics.push(...normalizeDiagnostics);
    const ids = [...fragment.accountIds.entries()].sort((a, b) => b[1] - a[1]);
    if (ids.length === 0) {
      diagnostics.push({
        severity: 'error',
        code: 'bundle.no-account-id',
        message: 'no user, group, role or customer managed policy ARN names an account',
        file: g.gaad[0]?.path,
        hint: 'an account with no IAM entities at all has nothing to analyse',
      });
    } else if (ids.length > 1) {
      diagnostics.push({
        severity: 'error',
        code: 'bundle.multiple-accounts',
        message: `the input holds several accounts: ${ids.map(([id]) => `\`${id}\``).join(', ')}`,
        file: g.gaad[0]?.path,
        hint: 'put each account in its own `accounts/<account-id>/` directory, with the organization data in `organization/` (see the README)',
      });
    } else if (g.declaredAccountId !== undefined && ids[0]![0] !== g.declaredAccountId) {
      diagnostics.push({
        severity: 'error',
        code: 'bundle.account-mismatch',
        message: `\`${g.where}\` holds the IAM data of account \`${ids[0]![0]}\``,
        file: g.gaad[0]?.path,
        hint: 'move it to the directory named after its account',
      });
    } else imported.push({ accountId: ids[0]![0], group: g, fragment });
  }
  progress('normalize', 1, 1);
  placed(diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };

  const distinct = [...new Set(imported.map((a) => a.accountId))];
  if (distinct.length < imported.length) {
    const twice = imported.find((a, i) => imported.findIndex((b) => b.accountId === a.accountId) !== i)!;
    diagnostics.push({
      severity: 'error',
      code: 'bundle.duplicate-account',
      message: `account \`${twice.accountId}\` is in the input twice`,
      file: twice.group.where,
    });
  } else if (distinct.length > 1 && !org) {
    diagnostics.push({
      severity: 'error',
      code: 'bundle.multiple-accounts',
      message: `the input holds several accounts (${distinct.map((id) => `\`${id}\``).join(', ')}) but no organization data`,
      file: imported[1]!.group.where,
      hint: 'add the `organization/` outputs of the management account (see the README), or import one account at a time',
    });
  }
  if (hasErrors(diagnostics)) return { diagnostics };

  const organization = org ? normalizeOrganization(org.files) : undefined;
  if (organization) diagnostics.push(...organization.diagnostics);
  const perAccount = imported.map((a) => {
    // The credential report, the password policy and the resource policies, at each account's root.
    const files = a.group.files;
    const accountFiles = importAccountFiles(files, a.fragment.users, a.accountId, limits);
    const rp = parseResourcePolicyFiles(
      files
        .filter((f) => f.relative.startsWith(`${RESOURCE_POLICIES.dir}/`))
        .map((f) => ({ ...f, path: f.relative })),
      limits,
    );
    // Resource-policy files are parsed by their path inside the account; diagnostics show the bundle path.
    const shownPath = new Map(files.map((f) => [f.relative, f.path]));
    const shown = (ds: Diagnostic[]) =>
      ds.map((d) => (d.file !== undefined ? { ...d, file: shownPath.get(d.file) ?? d.file } : d));
    const resources = normalizeResourcePolicies(rp.parsed, a.accountId, a.fragment.partition ?? 'aws');
    const lastAccessed = importLastAccessed(
      files,
      { users: accountFiles.users, groups: a.fragment.groups, roles: a.fragment.roles },
      limits,
    );
    diagnostics.push(
      ...accountFiles.diagnostics,
      ...shown(rp.diagnostics),
      ...shown(resources.diagnostics),
      ...lastAccessed.diagnostics,
    );
    return {
      ...a,
      accountFiles,
      lastAccessed,
      resources: resources.resources,
      resourceFiles: rp.parsed.map((p) => shownPath.get(p.file) ?? p.file),
    };
  });
  placed(diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };
  diagnostics.push(
    ...organizationCompleteness(
      organization?.organization,
      perAccount.map((a) => ({
        accountId: a.accountId,
        roles: a.fragment.roles,
        ...(a.group.declaredAccountId ? { where: a.group.where } : {}),
      })),
    ),
  );

  const merged = mergeAccounts(perAccount.map((a) => ({ ...a.fragment, users: a.accountFiles.users })));
  diagnostics.push(...merged.diagnostics);
  const management = organization?.organization?.managementAccountId;
  // The snapshot's account: the management account when its data is here (it sees the whole organization),
  // else the first account in the input.
  const primary = perAccount.find((a) => a.accountId === management) ?? perAccount[0]!;
  // The snapshot's own account first (its AccountInfo is the one single-account readers take), then the others
  // in the organization's tree order.
  const orgAccounts = [...(organization?.accounts ?? [])].sort(
    (a, b) => Number(b.id === primary.accountId) - Number(a.id === primary.accountId),
  );
  const accountInfos = [
    ...orgAccounts,
    ...perAccount
      .filter((a) => !orgAccounts.some((o) => o.id === a.accountId))
      .map((a) => ({ id: a.accountId })),
  ].map((info) => {
    const root = perAccount.find((a) => a.accountId === info.id)?.accountFiles.root;
    return root ? { ...info, root } : info;
  });
  const resources = uniqueResources(perAccount, diagnostics);
  const lastAccess = perAccount.flatMap((a) => a.lastAccessed.reports);
  const snapshot: AccountSnapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    accountId: primary.accountId,
    partition: primary.fragment.partition ?? 'aws',
    accounts: accountInfos,
    ...(primary.accountFiles.collectedAt ? { collectedAt: primary.accountFiles.collectedAt } : {}),
    label: options.label ?? bundles[0]!.name,
    sourceFiles: [
      ...perAccount.flatMap((a) => [
        ...a.group.gaad.map((f) => f.path),
        ...a.accountFiles.sourceFiles,
        ...a.resourceFiles,
        ...a.lastAccessed.sourceFiles,
      ]),
      ...(organization?.organization ? orgFiles.map((f) => f.path) : []),
    ],
    users: merged.users,
    groups: merged.groups,
    roles: merged.roles,
    policies: merged.policies,
    resources,
    ...(organization?.organization ? { organization: organization.organization } : {}),
    // The model holds one password policy: the primary account's.
    ...(primary.accountFiles.passwordPolicy ? { passwordPolicy: primary.accountFiles.passwordPolicy } : {}),
    ...(lastAccess.length > 0 ? { lastAccess } : {}),
    warnings: diagnostics.filter((d) => d.severity === 'warning'),
  };
  return { snapshot, diagnostics };
}

/**
 * Every account's resources, each ARN once. An ARN has one owner (S3 bucket names are global, other ARNs name
 * their account), so one listed by two accounts is stale or mixed-up input: the first listing is kept, with a
 * warning naming both accounts.
 */
function uniqueResources(
  perAccount: readonly { accountId: string; resources: readonly Resource[] }[],
  diagnostics: Diagnostic[],
): Resource[] {
  const owner = new Map<string, string>();
  const kept: Resource[] = [];
  for (const a of perAccount)
    for (const r of a.resources) {
      const first = owner.get(r.arn);
      if (first === undefined) {
        owner.set(r.arn, a.accountId);
        kept.push(r);
        continue;
      }
      diagnostics.push({
        severity: 'warning',
        code: 'bundle.duplicate-resource',
        message: `\`${r.arn}\` is listed by account ${first} and again by account ${a.accountId}; the first listing is kept`,
        hint: "a resource has one owner: check which account's resource-policies/ files are stale",
      });
    }
  return kept;
}
