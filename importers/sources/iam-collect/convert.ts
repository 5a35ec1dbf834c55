/**
 * An iam-collect tree → the bundle files our importers read: per account one GAAD page
 * (`authorization-details.json`) rebuilt from the IAM resource directories, and the resource policies as the
 * `aws` CLI outputs of bundle/layout.ts. One account: the files at the bundle root; several: under
 * `accounts/<id>/` (layout.ts, multi-account bundles). Every iam-collect file is validated first, so a problem
 * names the iam-collect file, JSON path and line rather than the rebuilt GAAD.
 *
 * The organization (`organizations/<org-id>/`) becomes the `organization/` outputs (organization.ts).
 * What the tree cannot give: non-default managed policy versions (iam-collect keeps only the current one;
 * a warning says so).
 */
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import type { BundleFile } from '../../bundle/read-bundle.ts';
import type { BundleFormat } from '../source.ts';
import { accountDir, GAAD, RESOURCE_POLICIES } from '../../bundle/layout.ts';
import { readIamCollectFile } from './read-file.ts';
import { convertOrganization, organizationDirs } from './organization.ts';
import { accountOfRoot, fieldReader, groupResourceDirs, type Resource } from './resource-dir.ts';
import { iamEntity } from './iam-entities.ts';
import { resourceOutputs, type Output } from './resource-outputs.ts';
import { metadataShape } from './iam-collect.shape.ts';

/** A file only iam-collect writes: an IAM entity's metadata under `accounts/<12 digits>/iam/`. */
const MARKER = /(?:^|\/)accounts\/\d{12}\/iam\/(?:aws\/)?(?:user|group|role|policy)\/[^/]+\/metadata\.json$/;

/** The same, in a tree rooted at one account's directory (`…/accounts/<id>`). */
const MARKER_IN_ACCOUNT = /^iam\/(?:aws\/)?(?:user|group|role|policy)\/[^/]+\/metadata\.json$/;

/** An iam-collect storage tree, or (with its `root`) one account's directory of one. */
export function isIamCollectTree(files: readonly { path: string }[], root = ''): boolean {
  return (
    files.some((f) => MARKER.test(f.path)) ||
    (accountOfRoot(root) !== undefined && files.some((f) => MARKER_IN_ACCOUNT.test(f.path)))
  );
}

interface AccountOut {
  accountPath: string;
  gaad: Record<
    'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies',
    Record<string, unknown>[]
  >;
  buckets: { Name: string; BucketRegion?: string }[];
  outputs: Output[];
}

export function convertIamCollect(
  files: readonly BundleFile[],
  root: string,
): { files: BundleFile[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const accounts = new Map<string, AccountOut>();

  // Named one account's directory: its files carry no `accounts/<id>/` (and the tree's organization is
  // outside it).
  const rootAccount = files.some((f) => MARKER.test(f.path)) ? undefined : accountOfRoot(root);
  for (const dir of groupResourceDirs(files, rootAccount)) {
    const metadataFile = dir.fields.get('metadata');
    if (!metadataFile) {
      if (dir.fields.has('policy'))
        diagnostics.push({
          severity: 'warning',
          code: 'iam-collect.no-metadata',
          message: `\`${dir.dir}\` has a policy but no \`metadata.json\`: the resource's ARN is unknown, its policy is skipped`,
          file: dir.fields.get('policy')!.path,
        });
      continue;
    }
    const metadata = readIamCollectFile(metadataFile, metadataShape, diagnostics);
    if (!metadata) continue;
    const [, , service = '', region = '', , ...rest] = metadata.arn.split(':');
    const r: Resource = {
      dir,
      metadataFile,
      metadata,
      service,
      region,
      resource: rest.join(':'),
      field: fieldReader(dir, diagnostics),
      diagnostics,
    };
    let out = accounts.get(dir.account);
    if (!out) {
      out = {
        accountPath: dir.accountPath,
        gaad: { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] },
        buckets: [],
        outputs: [],
      };
      accounts.set(dir.account, out);
    }
    if (service === 'iam') {
      const e = iamEntity(r);
      if (e) out.gaad[e.list].push(e.entry);
    } else {
      const { bucket, outputs } = resourceOutputs(r);
      if (bucket) out.buckets.push(bucket);
      out.outputs.push(...outputs);
    }
  }

  const orgs = organizationDirs(files);
  if (orgs.size > 1)
    diagnostics.push({
      severity: 'warning',
      code: 'iam-collect.several-organizations',
      message: `the tree holds ${orgs.size} organizations: only \`${[...orgs.keys()].sort()[0]}\` is read`,
    });
  const [orgDir, orgFiles] = [...orgs].sort()[0] ?? [];
  const orgOutputs = orgDir && orgFiles ? convertOrganization(orgDir, orgFiles, diagnostics) : [];
  if ([...accounts.values()].some((a) => a.gaad.Policies.length > 0))
    diagnostics.push({
      severity: 'warning',
      code: 'iam-collect.default-version-only',
      message:
        'iam-collect keeps only the default version of each managed policy: older versions are unknown',
      hint: 'escalation through iam:SetDefaultPolicyVersion cannot be checked on this input',
    });

  const outFiles: BundleFile[] = [];
  const emit = (path: string, doc: unknown, absolutePath: string) =>
    outFiles.push({ path, absolutePath, text: JSON.stringify(doc, null, 4) + '\n' });
  const byArn = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    String(a.Arn) < String(b.Arn) ? -1 : 1;
  for (const [account, a] of [...accounts].sort()) {
    const prefix = accounts.size > 1 ? `${accountDir(account)}/` : '';
    const gaad = Object.fromEntries(Object.entries(a.gaad).map(([k, list]) => [k, list.sort(byArn)]));
    const under = (sub: string) => [root, a.accountPath, sub].filter(Boolean).join('/');
    emit(prefix + GAAD, { ...gaad, IsTruncated: false }, under('iam'));
    if (a.buckets.length > 0)
      emit(prefix + RESOURCE_POLICIES.s3ListBuckets, { Buckets: a.buckets }, under('s3'));
    for (const o of a.outputs) emit(prefix + o.path, o.doc, o.from.absolutePath);
  }
  for (const o of orgOutputs) emit(o.path, o.doc, o.from.absolutePath);
  // Sorted by path, as readBundle lists a directory.
  outFiles.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: outFiles, diagnostics };
}

export const iamCollectFormat: BundleFormat = {
  name: 'iam-collect',
  recognize: isIamCollectTree,
  convert: convertIamCollect,
};
