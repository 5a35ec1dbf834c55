/**
 * An iam-collect tree (test/fixtures/bundles/iam-collect, laid out as iam-collect's docs/Storage.md and its
 * syncs write it) read as a bundle: converted to the GAAD and the resource-policy outputs, then imported.
 */
import { cp, mkdtemp, rm, writeFile, mkdir, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importBundle } from '../../index.ts';
import { openBundle } from '../registry.ts';

const FIXTURE = new URL('../../../test/fixtures/bundles/iam-collect', import.meta.url).pathname;
const A = '123456789012';
const ACCT = `aws/aws/accounts/${A}`;

describe('an iam-collect tree', () => {
  it('converts to the GAAD and the resource-policy outputs at the layout.ts paths', async () => {
    const { bundle, diagnostics } = await openBundle(FIXTURE);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(bundle!.files.map((f) => f.path)).toEqual([
      'authorization-details.json',
      'organization/accounts-for-parent/ou-ex12-prod0001.json',
      'organization/accounts-for-parent/r-ex12.json',
      'organization/describe-organization.json',
      'organization/list-policies/RESOURCE_CONTROL_POLICY.json',
      'organization/list-policies/SERVICE_CONTROL_POLICY.json',
      'organization/list-roots.json',
      'organization/ous-for-parent/ou-ex12-prod0001.json',
      'organization/ous-for-parent/r-ex12.json',
      'organization/policies/p-FullAWSAccess.json',
      'organization/policies/p-denyleave01.json',
      'organization/targets-for-policy/p-FullAWSAccess.json',
      'organization/targets-for-policy/p-denyleave01.json',
      'resource-policies/ecr/eu-west-1/team%2Fapp.get-repository-policy.json',
      'resource-policies/kms/eu-west-1/1234abcd-12ab-34cd-56ef-1234567890ab.get-key-policy.json',
      'resource-policies/lambda/eu-west-1/deploy-hook.get-policy.json',
      'resource-policies/s3/example-artifacts.get-bucket-policy.json',
      'resource-policies/s3/example-artifacts.get-public-access-block.json',
      'resource-policies/s3/list-buckets.json',
      'resource-policies/secretsmanager/eu-west-1/db%2Fpassword.get-resource-policy.json',
      'resource-policies/sns/eu-west-1/alerts.get-topic-attributes.json',
      'resource-policies/sqs/eu-west-1/jobs.get-queue-attributes.json',
    ]);
    const text = (p: string) => JSON.parse(bundle!.files.find((f) => f.path === p)!.text);
    const bucketPolicy = JSON.parse(
      text('resource-policies/s3/example-artifacts.get-bucket-policy.json').Policy,
    );
    expect(bucketPolicy.Statement[0].Sid).toBe('DeployReads');
    expect(text('resource-policies/s3/list-buckets.json').Buckets).toEqual([
      { Name: 'example-artifacts', BucketRegion: 'eu-west-1' },
      { Name: 'example-logs', BucketRegion: 'us-east-1' },
    ]);
    expect(text('resource-policies/sns/eu-west-1/alerts.get-topic-attributes.json').Attributes.TopicArn).toBe(
      `arn:aws:sns:eu-west-1:${A}:alerts`,
    );
  });

  it('imports: users with groups, boundary and tags, the role and its trust, both kinds of managed policy', async () => {
    const { snapshot, diagnostics } = await importBundle([FIXTURE]);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(snapshot!.accountId).toBe(A);
    expect(
      snapshot!.users.map((u) => [
        u.arn,
        u.path,
        u.createDate,
        u.groups,
        u.attachedPolicies,
        u.permissionsBoundary,
      ]),
    ).toEqual([
      [
        `arn:aws:iam::${A}:user/alice`,
        '/',
        '2021-03-04T05:06:07Z',
        [`arn:aws:iam::${A}:group/readers`],
        [],
        undefined,
      ],
      [
        `arn:aws:iam::${A}:user/ops/bob`,
        '/ops/',
        '2022-11-12T13:14:15.250Z',
        [],
        [`arn:aws:iam::${A}:policy/ReadBuckets`, 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
        'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      ],
    ]);
    const alice = snapshot!.users[0]!;
    expect(alice.tags).toEqual({ team: 'platform' });
    expect(JSON.parse(alice.inlinePolicies[0]!.document).Statement.Action).toBe('sns:Publish');
    const role = snapshot!.roles[0]!;
    expect([role.arn, role.tags, JSON.parse(role.trustPolicy).Statement[0].Principal]).toEqual([
      `arn:aws:iam::${A}:role/service-role/deploy`,
      { owner: 'ci' },
      { Service: 'codebuild.amazonaws.com' },
    ]);
    expect(snapshot!.policies.map((p) => p.arn).sort()).toEqual([
      `arn:aws:iam::${A}:policy/ReadBuckets`,
      'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
    ]);
    const readBuckets = snapshot!.policies.find((p) => p.name === 'ReadBuckets')!;
    expect(JSON.stringify(readBuckets)).toContain('s3:ListBucket');
    // The tree keeps one version per managed policy: the import says so, and that is all it says.
    expect(diagnostics.map((d) => d.code)).toEqual(['iam-collect.default-version-only']);
    expect(snapshot!.resources.map((r) => r.arn).sort()).toEqual([
      `arn:aws:ecr:eu-west-1:${A}:repository/team/app`,
      `arn:aws:kms:eu-west-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      `arn:aws:lambda:eu-west-1:${A}:function:deploy-hook`,
      'arn:aws:s3:::example-artifacts',
      'arn:aws:s3:::example-logs',
      `arn:aws:secretsmanager:eu-west-1:${A}:secret:db/password-AbCdEf`,
      `arn:aws:sns:eu-west-1:${A}:alerts`,
      `arn:aws:sqs:eu-west-1:${A}:jobs`,
    ]);
    expect(snapshot!.resources.filter((r) => r.policy).length).toBe(7);
  });

  it('one account directory of the tree, named directly, imports that account (without the organization)', async () => {
    const { snapshot, diagnostics } = await importBundle([path.join(FIXTURE, ACCT)]);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(snapshot!.accountId).toBe(A);
    expect(snapshot!.users.map((u) => u.name)).toEqual(['alice', 'bob']);
    expect(snapshot!.resources).toHaveLength(8);
    expect(snapshot!.organization).toBeUndefined();
  });

  it('imports the organization: the OU tree, SCPs with their ids from the ARNs and targets inverted', async () => {
    const { snapshot } = await importBundle([FIXTURE]);
    const org = snapshot!.organization!;
    expect([org.id, org.managementAccountId, org.enabledPolicyTypes]).toEqual([
      'o-exampleorgid',
      A,
      ['SERVICE_CONTROL_POLICY'],
    ]);
    expect(org.nodes.map((n) => [n.id, n.kind, n.name, n.parentId]).sort()).toEqual([
      [A, 'account', A, 'r-ex12'],
      ['210987654321', 'account', '210987654321', 'ou-ex12-prod0001'],
      ['ou-ex12-prod0001', 'organizationalUnit', 'Prod', 'r-ex12'],
      ['r-ex12', 'root', 'Root', undefined],
    ]);
    // The path is lower-cased (scps/p-fullawsaccess); the id keeps its case from the ARN.
    expect(org.policies.map((p) => [p.id, p.awsManaged, p.targets.sort()])).toEqual([
      ['p-denyleave01', false, ['ou-ex12-prod0001']],
      ['p-FullAWSAccess', true, [A, '210987654321', 'ou-ex12-prod0001', 'r-ex12']],
    ]);
  });
});

describe('a broken iam-collect tree', () => {
  let dir: string;
  beforeEach(async () => {
    dir = path.join(await mkdtemp(path.join(tmpdir(), 'iam-collect-')), 'tree');
    await cp(FIXTURE, dir, { recursive: true });
  });
  afterEach(async () => {
    await rm(path.dirname(dir), { recursive: true, force: true });
  });
  const put = async (rel: string, text: string) => {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  };
  const errors = async () =>
    (await importBundle([dir])).diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => ({ code: d.code, file: d.file, jsonPath: d.jsonPath, line: d.line }));

  it('a truncated metadata.json: invalid JSON with file and line', async () => {
    await put(
      `${ACCT}/iam/user/alice/metadata.json`,
      '{\n  "arn": "arn:aws:iam::123456789012:user/alice",\n',
    );
    expect(await errors()).toEqual([
      {
        code: 'iam-collect.truncated-json',
        file: `${ACCT}/iam/user/alice/metadata.json`,
        jsonPath: undefined,
        line: 3,
      },
    ]);
  });

  it('a user without its id: the missing field, its path and line', async () => {
    await put(
      `${ACCT}/iam/user/alice/metadata.json`,
      JSON.stringify({ arn: `arn:aws:iam::${A}:user/alice`, path: '/', name: 'alice' }, null, 2),
    );
    expect(await errors()).toEqual([
      {
        code: 'iam-collect.missing-field',
        file: `${ACCT}/iam/user/alice/metadata.json`,
        jsonPath: 'id',
        line: 1,
      },
    ]);
  });

  it('inline policies as an object instead of a list: wrong type', async () => {
    await put(`${ACCT}/iam/user/alice/inline-policies.json`, '{"PolicyName": "x", "PolicyDocument": {}}');
    expect(await errors()).toEqual([
      {
        code: 'iam-collect.wrong-type',
        file: `${ACCT}/iam/user/alice/inline-policies.json`,
        jsonPath: '$',
        line: 1,
      },
    ]);
  });

  it('a role without trust-policy.json (an interrupted run): missing file, nothing imported', async () => {
    await unlink(path.join(dir, `${ACCT}/iam/role/service-role%2fdeploy/trust-policy.json`));
    const result = await importBundle([dir]);
    expect(result.snapshot).toBeUndefined();
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.file])).toEqual([
      ['iam-collect.missing-file', `${ACCT}/iam/role/service-role%2fdeploy/metadata.json`],
    ]);
  });

  it('a policy without metadata, an organization without metadata.json: warnings, the rest imported', async () => {
    await put(`${ACCT}/sqs/eu-west-1/orphan/policy.json`, '{"Version": "2012-10-17", "Statement": []}');
    await unlink(path.join(dir, 'aws/aws/organizations/o-exampleorgid/metadata.json'));
    const { snapshot, diagnostics } = await importBundle([dir]);
    expect(snapshot).toBeDefined();
    expect(snapshot!.organization).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).toEqual(
      expect.arrayContaining(['iam-collect.no-metadata', 'iam-collect.organization-not-read']),
    );
  });

  it('an SCP without its policy.json: missing file, nothing imported', async () => {
    await unlink(path.join(dir, 'aws/aws/organizations/o-exampleorgid/scps/p-denyleave01/policy.json'));
    expect(await errors()).toEqual([
      {
        code: 'iam-collect.missing-file',
        file: 'aws/aws/organizations/o-exampleorgid/scps/p-denyleave01/metadata.json',
        jsonPath: undefined,
        line: undefined,
      },
    ]);
  });

  it('two accounts and their organization: one bundle per account under accounts/<id>/, imported together', async () => {
    const B = '210987654321';
    await put(
      `aws/aws/accounts/${B}/iam/user/carol/metadata.json`,
      JSON.stringify({
        arn: `arn:aws:iam::${B}:user/carol`,
        path: '/',
        id: 'AIDAEXAMPLECAROL001',
        name: 'carol',
      }),
    );
    const { pages } = await openBundle(dir);
    expect(pages.map((f) => f.path)).toEqual([
      `accounts/${A}/authorization-details.json`,
      `accounts/${B}/authorization-details.json`,
    ]);
    const { snapshot, diagnostics } = await importBundle([dir]);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(snapshot!.users.map((u) => u.arn).sort()).toEqual([
      `arn:aws:iam::${A}:user/alice`,
      `arn:aws:iam::${A}:user/ops/bob`,
      `arn:aws:iam::${B}:user/carol`,
    ]);
  });
});
