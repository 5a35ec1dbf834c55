/**
 * The bundle's `resource-policies/` files → validated outputs, each with what its path says (service, region,
 * name). Paths follow importers/bundle/layout.ts (RESOURCE_POLICIES); any other file there is reported.
 */
import type { z } from 'zod';
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import type { BundleFile } from '../../bundle/read-bundle.ts';
import { RESOURCE_POLICIES } from '../../bundle/layout.ts';
import { parseShaped } from '../../shared/parse-shaped.ts';
import type { JsonLimits } from '../../shared/json-text.ts';
import {
  ecrRepositoryPolicyShape,
  kmsKeyPolicyShape,
  lambdaPolicyShape,
  s3BucketPolicyShape,
  s3ListBucketsShape,
  s3PublicAccessBlockShape,
  secretsManagerPolicyShape,
  snsTopicAttributesShape,
  sqsQueueAttributesShape,
} from './resource-policies.shape.ts';

interface Source<K extends string, S extends z.ZodType> {
  kind: K;
  re: RegExp;
  shape: S;
  command: string;
}

const dir = RESOURCE_POLICIES.dir;
const src = <K extends string, S extends z.ZodType>(
  kind: K,
  re: string,
  shape: S,
  command: string,
): Source<K, S> => ({
  kind,
  re: new RegExp(`^${dir}/${re}$`),
  shape,
  command,
});

/** `<name>` (and `<region>`) captured from the path; names had `/` written as `%2F`. */
const SOURCES = [
  src('s3-list-buckets', 's3/list-buckets\\.json', s3ListBucketsShape, 'aws s3api list-buckets'),
  src('s3-policy', 's3/(.+)\\.get-bucket-policy\\.json', s3BucketPolicyShape, 'aws s3api get-bucket-policy'),
  src(
    's3-public-access-block',
    's3/(.+)\\.get-public-access-block\\.json',
    s3PublicAccessBlockShape,
    'aws s3api get-public-access-block',
  ),
  src(
    'sns',
    'sns/([^/]+)/(.+)\\.get-topic-attributes\\.json',
    snsTopicAttributesShape,
    'aws sns get-topic-attributes',
  ),
  src(
    'sqs',
    'sqs/([^/]+)/(.+)\\.get-queue-attributes\\.json',
    sqsQueueAttributesShape,
    'aws sqs get-queue-attributes --attribute-names QueueArn Policy',
  ),
  src('kms', 'kms/([^/]+)/(.+)\\.get-key-policy\\.json', kmsKeyPolicyShape, 'aws kms get-key-policy'),
  src(
    'secretsmanager',
    'secretsmanager/([^/]+)/(.+)\\.get-resource-policy\\.json',
    secretsManagerPolicyShape,
    'aws secretsmanager get-resource-policy',
  ),
  src('lambda', 'lambda/([^/]+)/(.+)\\.get-policy\\.json', lambdaPolicyShape, 'aws lambda get-policy'),
  src(
    'ecr',
    'ecr/([^/]+)/(.+)\\.get-repository-policy\\.json',
    ecrRepositoryPolicyShape,
    'aws ecr get-repository-policy',
  ),
] as const;

type Kind = (typeof SOURCES)[number]['kind'];
type ValueOf<K extends Kind> = z.infer<Extract<(typeof SOURCES)[number], { kind: K }>['shape']>;

export type ResourcePolicyFile = {
  [K in Kind]: {
    kind: K;
    file: string;
    /** From the path (services whose output names no region), and the name, decoded. */
    region?: string;
    name?: string;
    value: ValueOf<K>;
  };
}[Kind];

export function parseResourcePolicyFiles(
  files: readonly BundleFile[],
  limits?: JsonLimits,
): {
  parsed: ResourcePolicyFile[];
  diagnostics: Diagnostic[];
} {
  const parsed: ResourcePolicyFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const f of files) {
    let matched = false;
    for (const s of SOURCES) {
      const m = s.re.exec(f.path);
      if (!m) continue;
      matched = true;
      const r = parseShaped(f.text, f.path, s.shape as z.ZodType, 'resource-policy', s.command, limits);
      diagnostics.push(...r.diagnostics);
      if (r.value === undefined) break;
      const [region, name] = m.length === 3 ? [m[1], m[2]] : [undefined, m[1]];
      parsed.push({
        kind: s.kind,
        file: f.path,
        ...(region !== undefined ? { region } : {}),
        ...(name !== undefined ? { name: safeDecode(name) } : {}),
        value: r.value,
      } as ResourcePolicyFile);
      break;
    }
    if (!matched)
      diagnostics.push({
        severity: 'warning',
        code: 'resource-policy.unknown-file',
        message: `\`${f.path}\` is not one of the resource-policy outputs accessgraph reads: ignored`,
        file: f.path,
        hint: 'see the bundle layout in the README (resource-policies/…)',
      });
  }
  return { parsed, diagnostics };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
