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
import type { z } from 'zod';
import type { Diagnostic } from '../../../server/engine/diagnostics.ts';
import type { BundleFile } from '../../bundle/read-bundle.ts';
import { accountDir, GAAD, RESOURCE_POLICIES } from '../../bundle/layout.ts';
import { readIamCollectFile } from './read-file.ts';
import { convertOrganization, organizationDirs, type BundleOutput } from './organization.ts';
import {
  arnListShape,
  documentShape,
  groupMetadataShape,
  inlinePoliciesShape,
  metadataShape,
  policyMetadataShape,
  publicAccessBlockShape,
  roleMetadataShape,
  tagsShape,
  userMetadataShape,
} from './iam-collect.shape.ts';

/** A file only iam-collect writes: an IAM entity's metadata under `accounts/<12 digits>/iam/`. */
const MARKER = /(?:^|\/)accounts\/\d{12}\/iam\/(?:aws\/)?(?:user|group|role|policy)\/[^/]+\/metadata\.json$/;

/** `<…>/accounts/<account>/<resource dir>/<field>.json` */
const RESOURCE_FILE = /^((?:.*\/)?accounts\/(\d{12}))\/(.+)\/([^/]+)\.json$/;

export function isIamCollectTree(files: readonly { path: string }[]): boolean {
  return files.some((f) => MARKER.test(f.path));
}

interface ResourceDir {
  account: string;
  accountPath: string;
  dir: string;
  fields: Map<string, BundleFile>;
}

interface AccountOut {
  accountPath: string;
  users: Record<string, unknown>[];
  groups: Record<string, unknown>[];
  roles: Record<string, unknown>[];
  policies: Record<string, unknown>[];
  buckets: { Name: string; BucketRegion?: string }[];
  outputs: { path: string; doc: unknown; from: BundleFile }[];
}

const lastSegment = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
const dropUndefined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));

export function convertIamCollect(
  files: readonly BundleFile[],
  root: string,
): { files: BundleFile[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];

  const read = <T>(file: BundleFile | undefined, shape: z.ZodType<T>) =>
    readIamCollectFile(file, shape, diagnostics);

  // Group the files by resource directory.
  const dirs = new Map<string, ResourceDir>();
  for (const f of files) {
    const m = RESOURCE_FILE.exec(f.path);
    if (!m) continue;
    const [, accountPath, account, rest, field] = m;
    const dir = `${accountPath}/${rest}`;
    let d = dirs.get(dir);
    if (!d) dirs.set(dir, (d = { account: account!, accountPath: accountPath!, dir, fields: new Map() }));
    d.fields.set(field!, f);
  }

  const accounts = new Map<string, AccountOut>();
  const accountOf = (d: ResourceDir) => {
    let a = accounts.get(d.account);
    if (!a) {
      a = {
        accountPath: d.accountPath,
        users: [],
        groups: [],
        roles: [],
        policies: [],
        buckets: [],
        outputs: [],
      };
      accounts.set(d.account, a);
    }
    return a;
  };

  for (const d of [...dirs.values()].sort((a, b) => (a.dir < b.dir ? -1 : 1))) {
    const metaFile = d.fields.get('metadata');
    if (!metaFile) {
      if (d.fields.has('policy'))
        diagnostics.push({
          severity: 'warning',
          code: 'iam-collect.no-metadata',
          message: `\`${d.dir}\` has a policy but no \`metadata.json\`: the resource's ARN is unknown, its policy is skipped`,
          file: d.fields.get('policy')!.path,
        });
      continue;
    }
    const meta = read(metaFile, metadataShape);
    if (!meta) continue;
    const [, , service, region, , ...resourceParts] = meta.arn.split(':');
    const resource = resourceParts.join(':');
    const out = accountOf(d);
    const field = <T>(name: string, shape: z.ZodType<T>) => read(d.fields.get(name), shape);
    const policyText = () => {
      const doc = field('policy', documentShape);
      return doc ? JSON.stringify(doc) : undefined;
    };
    const policyFile = d.fields.get('policy')!;

    if (service === 'iam') {
      const type = resource.slice(0, resource.indexOf('/'));
      const attached = () =>
        (field('managed-policies', arnListShape) ?? []).map((arn) => ({
          PolicyName: lastSegment(arn),
          PolicyArn: arn,
        }));
      const tags = () => {
        const t = field('tags', tagsShape);
        return t ? Object.entries(t).map(([Key, Value]) => ({ Key, Value })) : undefined;
      };
      const boundary = (arn: string | null | undefined) =>
        arn
          ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn }
          : undefined;
      if (type === 'user') {
        const u = read(metaFile, userMetadataShape);
        if (!u) continue;
        out.users.push(
          dropUndefined({
            Path: u.path,
            UserName: u.name,
            UserId: u.id,
            Arn: u.arn,
            CreateDate: u.created,
            UserPolicyList: field('inline-policies', inlinePoliciesShape) ?? [],
            GroupList: (field('groups', arnListShape) ?? []).map(lastSegment),
            AttachedManagedPolicies: attached(),
            PermissionsBoundary: boundary(u.permissionBoundary),
            Tags: tags(),
          }),
        );
      } else if (type === 'group') {
        const g = read(metaFile, groupMetadataShape);
        if (!g) continue;
        out.groups.push(
          dropUndefined({
            Path: g.path,
            GroupName: g.name,
            GroupId: g.id,
            Arn: g.arn,
            CreateDate: g.created,
            GroupPolicyList: field('inline-policies', inlinePoliciesShape) ?? [],
            AttachedManagedPolicies: attached(),
          }),
        );
      } else if (type === 'role') {
        const r = read(metaFile, roleMetadataShape);
        if (!r) continue;
        const trust = field('trust-policy', documentShape);
        if (!trust) {
          if (!d.fields.has('trust-policy'))
            diagnostics.push(missingFile(d, 'trust-policy.json', 'a role without its trust policy'));
          continue;
        }
        out.roles.push(
          dropUndefined({
            Path: r.path,
            RoleName: r.name,
            RoleId: r.id,
            Arn: r.arn,
            CreateDate: r.created,
            AssumeRolePolicyDocument: trust,
            InstanceProfileList: (field('instance-profiles', arnListShape) ?? []).map((arn) => ({
              InstanceProfileName: lastSegment(arn),
              Arn: arn,
            })),
            RolePolicyList: field('inline-policies', inlinePoliciesShape) ?? [],
            AttachedManagedPolicies: attached(),
            PermissionsBoundary: boundary(r.permissionBoundary),
            Tags: tags(),
          }),
        );
      } else if (type === 'policy') {
        const p = read(metaFile, policyMetadataShape);
        if (!p) continue;
        const document = field('current-policy', documentShape);
        if (!document) {
          if (!d.fields.has('current-policy'))
            diagnostics.push(missingFile(d, 'current-policy.json', 'a managed policy without its document'));
          continue;
        }
        out.policies.push(
          dropUndefined({
            PolicyName: p.name,
            PolicyId: p.id,
            Arn: p.arn,
            Path: p.path,
            DefaultVersionId: p.defaultVersionId,
            PermissionsBoundaryUsageCount: p.permissionsBoundaryUsageCount,
            IsAttachable: p.isAttachable,
            Description: p.description,
            CreateDate: p.createDate,
            UpdateDate: p.updateDate,
            PolicyVersionList: [
              dropUndefined({
                Document: document,
                VersionId: p.defaultVersionId,
                IsDefaultVersion: true,
                CreateDate: p.updateDate ?? p.createDate,
              }),
            ],
          }),
        );
      }
      continue;
    }

    // Resource policies: the CLI output each get-*-policy command prints, policy as a JSON string.
    if (service === 's3' && !region && !resource.includes('/')) {
      const bucket = resource;
      out.buckets.push({
        Name: bucket,
        ...(typeof meta.region === 'string' ? { BucketRegion: meta.region } : {}),
      });
      const policy = policyText();
      if (policy)
        out.outputs.push({
          path: RESOURCE_POLICIES.s3BucketPolicy(bucket),
          doc: { Policy: policy },
          from: policyFile,
        });
      const bpa = field('bpa', publicAccessBlockShape);
      if (bpa)
        out.outputs.push({
          path: RESOURCE_POLICIES.s3PublicAccessBlock(bucket),
          doc: { PublicAccessBlockConfiguration: bpa },
          from: d.fields.get('bpa')!,
        });
      continue;
    }
    if (!d.fields.has('policy')) continue;
    const policy = policyText();
    if (!policy) continue;
    const at = (path: string, doc: unknown) => out.outputs.push({ path, doc, from: policyFile });
    if (service === 'sns' && region)
      at(RESOURCE_POLICIES.snsTopicAttributes(region, resource), {
        Attributes: { TopicArn: meta.arn, Policy: policy },
      });
    else if (service === 'sqs' && region)
      at(RESOURCE_POLICIES.sqsQueueAttributes(region, resource), {
        Attributes: { QueueArn: meta.arn, Policy: policy },
      });
    else if (service === 'kms' && region && resource.startsWith('key/'))
      at(RESOURCE_POLICIES.kmsKeyPolicy(region, resource.slice(4)), {
        Policy: policy,
        PolicyName: 'default',
      });
    else if (service === 'secretsmanager' && region && resource.startsWith('secret:')) {
      const name =
        typeof meta.name === 'string' ? meta.name : resource.slice(7).replace(/-[A-Za-z0-9]{6}$/, '');
      at(RESOURCE_POLICIES.secretsManagerPolicy(region, name), {
        ARN: meta.arn,
        Name: name,
        ResourcePolicy: policy,
      });
    } else if (service === 'lambda' && region && resource.startsWith('function:'))
      at(RESOURCE_POLICIES.lambdaPolicy(region, resource.slice(9).split(':')[0]!), { Policy: policy });
    else if (service === 'ecr' && region && resource.startsWith('repository/')) {
      const repositoryName = resource.slice(11);
      at(RESOURCE_POLICIES.ecrRepositoryPolicy(region, repositoryName), {
        registryId: meta.arn.split(':')[4],
        repositoryName,
        policyText: policy,
      });
    }
    // Other services iam-collect reads (DynamoDB, Glue, …) are not in our model yet: left out.
  }

  const orgs = organizationDirs(files);
  let orgOutputs: BundleOutput[] = [];
  if (orgs.size > 1)
    diagnostics.push({
      severity: 'warning',
      code: 'iam-collect.several-organizations',
      message: `the tree holds ${orgs.size} organizations: only \`${[...orgs.keys()].sort()[0]}\` is read`,
    });
  const [orgDir, orgFiles] = [...orgs].sort()[0] ?? [];
  if (orgDir && orgFiles) orgOutputs = convertOrganization(orgDir, orgFiles, diagnostics);
  if ([...accounts.values()].some((a) => a.policies.length > 0))
    diagnostics.push({
      severity: 'warning',
      code: 'iam-collect.default-version-only',
      message:
        'iam-collect keeps only the default version of each managed policy: older versions are unknown',
      hint: 'escalation through iam:SetDefaultPolicyVersion cannot be checked on this input',
    });

  const byArn = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    String(a.Arn) < String(b.Arn) ? -1 : 1;
  const outFiles: BundleFile[] = [];
  const several = accounts.size > 1;
  for (const [account, a] of [...accounts].sort()) {
    const prefix = several ? `${accountDir(account)}/` : '';
    const emit = (rel: string, doc: unknown, absolutePath: string) =>
      outFiles.push({ path: prefix + rel, absolutePath, text: JSON.stringify(doc, null, 4) + '\n' });
    emit(
      GAAD,
      {
        UserDetailList: a.users.sort(byArn),
        GroupDetailList: a.groups.sort(byArn),
        RoleDetailList: a.roles.sort(byArn),
        Policies: a.policies.sort(byArn),
        IsTruncated: false,
      },
      `${root}/${a.accountPath}/iam`,
    );
    if (a.buckets.length > 0)
      emit(RESOURCE_POLICIES.s3ListBuckets, { Buckets: a.buckets }, `${root}/${a.accountPath}/s3`);
    for (const o of a.outputs) emit(o.path, o.doc, o.from.absolutePath);
  }
  for (const o of orgOutputs)
    outFiles.push({
      path: o.path,
      absolutePath: o.from.absolutePath,
      text: JSON.stringify(o.doc, null, 4) + '\n',
    });
  // Sorted by path, as readBundle lists a directory.
  outFiles.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: outFiles, diagnostics };
}

function missingFile(d: ResourceDir, name: string, what: string): Diagnostic {
  return {
    severity: 'error',
    code: 'iam-collect.missing-file',
    message: `\`${d.dir}\` has no \`${name}\`: ${what}`,
    file: d.fields.get('metadata')!.path,
    hint: 'was the iam-collect run interrupted? run it again for this account',
  };
}
