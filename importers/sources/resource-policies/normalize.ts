/**
 * Validated resource-policy outputs of one account → the snapshot's Resources, each with its policy (decoded to
 * canonical JSON and checked by the engine's grammar as a resource policy). ARNs come from the output when it
 * names one (SNS, SQS, Secrets Manager), else are built from the path and the account (S3, KMS, Lambda, ECR:
 * reference_arns and each service's Service Authorization Reference page).
 *
 * Buckets: `list-buckets` makes every bucket known (one without a policy file has none); without it, a bucket
 * seen only through its public access block has `policyCollected: false` and a warning.
 */
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import type { Resource } from '../../../schema/snapshot.ts';
import { checkedPolicyDocument } from '../../shared/policy-document.ts';
import type { ResourcePolicyFile } from './parse.ts';

export function normalizeResourcePolicies(
  files: readonly ResourcePolicyFile[],
  accountId: string,
  partition: string,
): { resources: Resource[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const byArn = new Map<string, { resource: Resource; file: string }>();
  const add = (resource: Resource, file: string, jsonPath: string) => {
    const seen = byArn.get(resource.arn);
    if (seen) {
      diagnostics.push({
        severity: 'error',
        code: 'resource-policy.duplicate-resource',
        message: `\`${resource.arn}\` comes from two files: \`${seen.file}\` and \`${file}\``,
        file,
        jsonPath,
        hint: 'keep one output per resource',
      });
      return;
    }
    byArn.set(resource.arn, { resource, file });
  };
  /** Decodes and checks a policy string; undefined (with diagnostics) when it is not a valid resource policy. */
  const policyOf = (raw: string | null | undefined, file: string, jsonPath: string): string | undefined => {
    if (raw === undefined || raw === null || raw === '') return undefined;
    const checked = checkedPolicyDocument(raw, 'resource', 'resource-policy', file, jsonPath);
    diagnostics.push(...checked.diagnostics);
    return checked.json;
  };
  const regional = (service: string, region: string, resource: string) =>
    `arn:${partition}:${service}:${region}:${accountId}:${resource}`;

  const publicAccessBlocks = new Map<string, Record<string, boolean>>();
  const listedBuckets = new Map<string, string | undefined>();
  let bucketsListed = false;
  for (const f of files) {
    switch (f.kind) {
      case 's3-list-buckets':
        bucketsListed = true;
        for (const b of f.value.Buckets) listedBuckets.set(b.Name, b.BucketRegion ?? undefined);
        break;
      case 's3-public-access-block': {
        const c = f.value.PublicAccessBlockConfiguration;
        const attrs: Record<string, boolean> = {};
        if (typeof c.BlockPublicAcls === 'boolean') attrs.blockPublicAcls = c.BlockPublicAcls;
        if (typeof c.IgnorePublicAcls === 'boolean') attrs.ignorePublicAcls = c.IgnorePublicAcls;
        if (typeof c.BlockPublicPolicy === 'boolean') attrs.blockPublicPolicy = c.BlockPublicPolicy;
        if (typeof c.RestrictPublicBuckets === 'boolean')
          attrs.restrictPublicBuckets = c.RestrictPublicBuckets;
        publicAccessBlocks.set(f.name!, attrs);
        break;
      }
      case 's3-policy': {
        const policy = policyOf(f.value.Policy, f.file, 'Policy');
        const r = bucket(f.name!, policy);
        diagnostics.push(...otherResources(policy, r.arn, f.file, 'Policy'));
        add(r, f.file, 'Policy');
        break;
      }
      case 'sns': {
        const arn = f.value.Attributes.TopicArn;
        const policy = policyOf(f.value.Attributes.Policy, f.file, 'Attributes.Policy');
        diagnostics.push(...otherResources(policy, arn, f.file, 'Attributes.Policy'));
        add(fromArn(arn, 'sns', 'topic', policy), f.file, 'Attributes.TopicArn');
        break;
      }
      case 'sqs': {
        const arn = f.value.Attributes.QueueArn;
        const policy = policyOf(f.value.Attributes.Policy, f.file, 'Attributes.Policy');
        diagnostics.push(...otherResources(policy, arn, f.file, 'Attributes.Policy'));
        add(fromArn(arn, 'sqs', 'queue', policy), f.file, 'Attributes.QueueArn');
        break;
      }
      case 'secretsmanager': {
        const policy = policyOf(f.value.ResourcePolicy, f.file, 'ResourcePolicy');
        add(
          { ...fromArn(f.value.ARN, 'secretsmanager', 'Secret', policy), name: f.value.Name },
          f.file,
          'ARN',
        );
        break;
      }
      case 'kms': {
        const policy = policyOf(f.value.Policy, f.file, 'Policy');
        const arn = regional('kms', f.region!, `key/${f.name!}`);
        add(withPolicy({ ...base(arn, 'kms', 'key', f.name!), region: f.region! }, policy), f.file, 'Policy');
        break;
      }
      case 'lambda': {
        const policy = policyOf(f.value.Policy, f.file, 'Policy');
        const arn = regional('lambda', f.region!, `function:${f.name!}`);
        add(
          withPolicy({ ...base(arn, 'lambda', 'function', f.name!), region: f.region! }, policy),
          f.file,
          'Policy',
        );
        break;
      }
      case 'ecr': {
        const policy = policyOf(f.value.policyText, f.file, 'policyText');
        const name = f.value.repositoryName;
        const arn = `arn:${partition}:ecr:${f.region!}:${f.value.registryId}:repository/${name}`;
        add(
          withPolicy(
            { ...base(arn, 'ecr', 'repository', name), accountId: f.value.registryId, region: f.region! },
            policy,
          ),
          f.file,
          'policyText',
        );
        break;
      }
    }
  }

  // Buckets known without a policy file: listed (no policy), or seen through their public access block only.
  for (const name of new Set([...listedBuckets.keys(), ...publicAccessBlocks.keys()])) {
    const arn = `arn:${partition}:s3:::${name}`;
    if (!byArn.has(arn)) {
      const r = bucket(name, undefined);
      if (!bucketsListed) {
        r.attributes = { policyCollected: false };
        diagnostics.push({
          severity: 'warning',
          code: 'resource-policy.bucket-policy-not-collected',
          message: `bucket \`${name}\` is known (public access block) but its policy was not collected: who-can may miss principals it grants`,
          file: `resource-policies/s3/${name}.get-public-access-block.json`,
          hint: `run \`aws s3api get-bucket-policy --bucket ${name}\`, or add \`aws s3api list-buckets\` output to say it has none`,
        });
      }
      byArn.set(arn, { resource: r, file: '' });
    }
  }
  for (const [name, attrs] of publicAccessBlocks) {
    const entry = byArn.get(`arn:${partition}:s3:::${name}`)!;
    entry.resource.attributes = { ...entry.resource.attributes, ...attrs };
  }
  for (const [name, region] of listedBuckets) {
    const entry = byArn.get(`arn:${partition}:s3:::${name}`)!;
    if (region) entry.resource.region = region;
  }

  function bucket(name: string, policy: string | undefined): Resource {
    return withPolicy(base(`arn:${partition}:s3:::${name}`, 's3', 'bucket', name), policy);
  }
  function base(arn: string, service: string, type: string, name: string): Resource {
    return { arn, service, type, name, accountId, tags: {} };
  }
  function fromArn(arn: string, service: string, type: string, policy: string | undefined): Resource {
    // arn:partition:service:region:account:name — the name is everything after the fifth colon.
    const parts = arn.split(':');
    const name = parts.slice(5).join(':');
    const r: Resource = {
      ...base(arn, service, type, name.replace(/^secret:/, '')),
      ...(parts[3] ? { region: parts[3] } : {}),
    };
    if (/^\d{12}$/.test(parts[4] ?? '')) r.accountId = parts[4]!;
    return withPolicy(r, policy);
  }
  return { resources: [...byArn.values()].map((e) => e.resource), diagnostics };
}

function withPolicy(r: Resource, policy: string | undefined): Resource {
  return policy === undefined ? r : { ...r, policy };
}

/**
 * A bucket, topic or queue policy whose statements name only resources other than its own (or, for a bucket,
 * its objects), even through their wildcards: AWS refuses such a policy ("Policy has invalid resource"), so the file was
 * edited or belongs to another resource. A warning at each such `Resource`; the policy is kept as it is.
 */
export function otherResources(
  policy: string | undefined,
  arn: string,
  file: string,
  jsonPath: string,
): Diagnostic[] {
  if (policy === undefined) return [];
  const doc = JSON.parse(policy) as { Statement?: unknown };
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const out: Diagnostic[] = [];
  statements.forEach((st, i) => {
    const resource = (st as { Resource?: unknown } | null)?.Resource;
    const at = Array.isArray(doc.Statement)
      ? `${jsonPath}.Statement[${i}].Resource`
      : `${jsonPath}.Statement.Resource`;
    const values = Array.isArray(resource) ? resource : [resource];
    values.forEach((v, k) => {
      if (typeof v !== 'string' || !v.startsWith('arn:') || mayName(v, arn)) return;
      out.push({
        severity: 'warning',
        code: 'resource-policy.other-resource',
        message: `the policy of \`${arn}\` names \`${v}\``,
        file,
        jsonPath: Array.isArray(resource) ? `${at}[${k}]` : at,
        hint: 'AWS only stores policies naming their own resource: is this file the output for another one?',
      });
    });
  });
  return out;
}

/** Whether a Resource value can match `arn` or an object under it: its text before any wildcard fits. */
function mayName(value: string, arn: string): boolean {
  const fixed = value.split(/[*?]/)[0]!;
  if (fixed === value) return value === arn || value.startsWith(`${arn}/`);
  return `${arn}/`.startsWith(fixed) || fixed.startsWith(`${arn}/`);
}
