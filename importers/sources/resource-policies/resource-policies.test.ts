/**
 * The resource-policy importer: one Resource per output with its policy decoded from the JSON string each CLI
 * prints, the ARN from the output or built from path + account, and the public access block as attributes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BundleFile } from '../../bundle/read-bundle.ts';
import { RESOURCE_POLICIES } from '../../bundle/layout.ts';
import { parseResourcePolicyFiles } from './parse.ts';
import { normalizeResourcePolicies } from './normalize.ts';

const REAL = path.resolve(import.meta.dirname, '../../../test/fixtures/resource-policies');
const real = (name: string) => readFileSync(path.join(REAL, name), 'utf8');
const file = (p: string, value: unknown): BundleFile => ({
  path: p,
  absolutePath: p,
  text: typeof value === 'string' ? value : JSON.stringify(value, null, 4),
});
const policy = (statement: Record<string, unknown>) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

function load(files: BundleFile[]) {
  const parsed = parseResourcePolicyFiles(files);
  const n = normalizeResourcePolicies(parsed.parsed, '123456789012', 'aws');
  return { resources: n.resources, diagnostics: [...parsed.diagnostics, ...n.diagnostics] };
}

describe('resource-policy importer', () => {
  it("reads AWS's own CLI examples: S3 (Principal *), SNS (default topic policy), Secrets Manager", () => {
    const { resources, diagnostics } = load([
      file(RESOURCE_POLICIES.s3BucketPolicy('my-bucket'), real('s3api-get-bucket-policy.output.json')),
      file(
        RESOURCE_POLICIES.snsTopicAttributes('us-west-2', 'my-topic'),
        real('sns-get-topic-attributes.output.json'),
      ),
      file(
        RESOURCE_POLICIES.secretsManagerPolicy('us-west-2', 'MyTestSecret'),
        real('secretsmanager-get-resource-policy.output.json'),
      ),
    ]);
    expect(diagnostics).toEqual([]);
    expect(resources.map((r) => [r.arn, r.service, r.type, r.name, r.accountId, r.region])).toEqual([
      ['arn:aws:s3:::my-bucket', 's3', 'bucket', 'my-bucket', '123456789012', undefined],
      [
        'arn:aws:sns:us-west-2:123456789012:my-topic',
        'sns',
        'topic',
        'my-topic',
        '123456789012',
        'us-west-2',
      ],
      [
        'arn:aws:secretsmanager:us-west-2:123456789012:secret:MyTestSecret-a1b2c3',
        'secretsmanager',
        'Secret',
        'MyTestSecret',
        '123456789012',
        'us-west-2',
      ],
    ]);
    expect(JSON.parse(resources[0]!.policy!).Statement[1]).toMatchObject({ Effect: 'Deny', Principal: '*' });
    expect(JSON.parse(resources[1]!.policy!).Statement[0].Action[0]).toBe('SNS:Subscribe');
    expect(JSON.parse(resources[2]!.policy!).Statement[0].Principal).toEqual({
      AWS: 'arn:aws:iam::123456789012:root',
    });
  });

  it('builds the ARNs of KMS keys, Lambda functions and ECR repositories from the path and the account', () => {
    const any = policy({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: '*',
      Resource: '*',
    });
    const { resources, diagnostics } = load([
      file(RESOURCE_POLICIES.kmsKeyPolicy('eu-central-1', '1234abcd-12ab-34cd-56ef-1234567890ab'), {
        Policy: any,
        PolicyName: 'default',
      }),
      file(RESOURCE_POLICIES.lambdaPolicy('eu-central-1', 'order-processor'), {
        Policy: any,
        RevisionId: 'r1',
      }),
      file(RESOURCE_POLICIES.ecrRepositoryPolicy('eu-central-1', 'team/app'), {
        registryId: '123456789012',
        repositoryName: 'team/app',
        policyText: any,
      }),
    ]);
    expect(diagnostics).toEqual([]);
    expect(resources.map((r) => [r.arn, r.type, r.name])).toEqual([
      [
        'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        'key',
        '1234abcd-12ab-34cd-56ef-1234567890ab',
      ],
      ['arn:aws:lambda:eu-central-1:123456789012:function:order-processor', 'function', 'order-processor'],
      ['arn:aws:ecr:eu-central-1:123456789012:repository/team/app', 'repository', 'team/app'],
    ]);
  });

  it('list-buckets makes buckets without a policy known; a public access block alone warns that the policy was not collected', () => {
    const pab = {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: false,
        RestrictPublicBuckets: false,
      },
    };
    const unlisted = load([file(RESOURCE_POLICIES.s3PublicAccessBlock('logs'), pab)]);
    expect(unlisted.resources).toEqual([
      {
        arn: 'arn:aws:s3:::logs',
        service: 's3',
        type: 'bucket',
        name: 'logs',
        accountId: '123456789012',
        tags: {},
        attributes: {
          policyCollected: false,
          blockPublicAcls: true,
          ignorePublicAcls: true,
          blockPublicPolicy: false,
          restrictPublicBuckets: false,
        },
      },
    ]);
    expect(unlisted.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ['warning', 'resource-policy.bucket-policy-not-collected'],
    ]);
    const listed = load([
      file(RESOURCE_POLICIES.s3PublicAccessBlock('logs'), pab),
      file(RESOURCE_POLICIES.s3ListBuckets, {
        Buckets: [{ Name: 'logs' }, { Name: 'data', BucketRegion: 'eu-west-1' }],
      }),
    ]);
    expect(listed.diagnostics).toEqual([]);
    expect(listed.resources.map((r) => [r.name, r.policy, r.region, r.attributes?.policyCollected])).toEqual([
      ['logs', undefined, undefined, undefined],
      ['data', undefined, 'eu-west-1', undefined],
    ]);
  });

  it('bad inputs: an undecodable policy, a policy without Principal, the same topic twice, wrong types', () => {
    const topic = (p: string | undefined) => ({
      Attributes: { TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t', ...(p ? { Policy: p } : {}) },
    });
    const { diagnostics, resources } = load([
      file(RESOURCE_POLICIES.s3BucketPolicy('a'), { Policy: '{"Version": "2012-10-17", "Statement": [' }),
      file(RESOURCE_POLICIES.s3BucketPolicy('b'), {
        Policy: policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' }),
      }),
      file(RESOURCE_POLICIES.snsTopicAttributes('eu-west-1', 't'), topic(undefined)),
      file(RESOURCE_POLICIES.snsTopicAttributes('eu-west-2', 't'), topic(undefined)),
      file(RESOURCE_POLICIES.kmsKeyPolicy('eu-west-1', 'k'), { Policy: { Version: '2012-10-17' } }),
      file('resource-policies/s3/notes.txt.json', {}),
    ]);
    expect(
      diagnostics.map((d) => [
        d.severity,
        d.code,
        d.file,
        d.jsonPath?.replace(/\.Statement.*/, '.Statement…'),
      ]),
    ).toEqual([
      [
        'error',
        'resource-policy.wrong-type',
        'resource-policies/kms/eu-west-1/k.get-key-policy.json',
        'Policy',
      ],
      ['warning', 'resource-policy.unknown-file', 'resource-policies/s3/notes.txt.json', undefined],
      [
        'error',
        'resource-policy.undecodable-document',
        'resource-policies/s3/a.get-bucket-policy.json',
        'Policy',
      ],
      [
        'error',
        'policy.missing-principal',
        'resource-policies/s3/b.get-bucket-policy.json',
        'Policy.Statement…',
      ],
      [
        'error',
        'resource-policy.duplicate-resource',
        'resource-policies/sns/eu-west-2/t.get-topic-attributes.json',
        'Attributes.TopicArn',
      ],
    ]);
    // A topic without a Policy attribute is known, without a policy.
    expect(resources.find((r) => r.service === 'sns')!.policy).toBeUndefined();
  });
});
