/**
 * The collector against recorded API responses (aws-sdk-client-mock stubs each client's `send`; no network),
 * then the written bundle through `importBundle`: a real round trip from SDK output to snapshot.
 */
import { mkdtemp, readdir, readFile, rm, mkdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  GenerateCredentialReportCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetAccountAuthorizationDetailsCommand,
  GetServiceLastAccessedDetailsCommand,
  GetAccountPasswordPolicyCommand,
  GetCredentialReportCommand,
  IAMClient,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  AccessDeniedException as OrgAccessDenied,
  AWSOrganizationsNotInUseException,
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { GetTopicAttributesCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetKeyPolicyCommand, KMSClient, KMSServiceException, ListKeysCommand } from '@aws-sdk/client-kms';
import {
  GetResourcePolicyCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  GetPolicyCommand,
  LambdaClient,
  ListFunctionsCommand,
  ResourceNotFoundException as LambdaNotFound,
} from '@aws-sdk/client-lambda';
import { DescribeRepositoriesCommand, ECRClient, GetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { importBundle } from '../../importers/index.ts';
import { createClients } from './aws-clients.ts';
import { collectBundle, CollectError } from './collect.ts';
import { DestinationExistsError } from './bundle-writer.ts';
import * as rec from '../../test/fixtures/collector/small-account.ts';
import { evaluate, resourcePolicyRequired } from '../engine/index.ts';

const mocks = {
  sts: mockClient(STSClient),
  iam: mockClient(IAMClient),
  org: mockClient(OrganizationsClient),
  s3: mockClient(S3Client),
  sns: mockClient(SNSClient),
  sqs: mockClient(SQSClient),
  kms: mockClient(KMSClient),
  secrets: mockClient(SecretsManagerClient),
  lambda: mockClient(LambdaClient),
  ecr: mockClient(ECRClient),
};

const s3Error = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });

/** The small account of test/fixtures/collector/small-account.ts, every call answered as recorded. */
function recordSmallAccount() {
  for (const m of Object.values(mocks)) m.reset();
  mocks.sts.on(GetCallerIdentityCommand).resolves(rec.callerIdentity);
  mocks.iam
    .on(GetAccountAuthorizationDetailsCommand)
    .resolves(rec.gaadPage1)
    .on(GetAccountAuthorizationDetailsCommand, { Marker: 'page-2-marker' })
    .resolves(rec.gaadPage2);
  mocks.iam
    .on(GenerateCredentialReportCommand)
    .resolvesOnce({ State: 'STARTED', Description: 'No report exists. Starting a new report generation.' })
    .resolvesOnce({ State: 'INPROGRESS' })
    .resolves({ State: 'COMPLETE' });
  mocks.iam.on(GetCredentialReportCommand).resolves(rec.credentialReport);
  mocks.iam.on(GetAccountPasswordPolicyCommand).resolves(rec.passwordPolicy);
  // Last-accessed jobs (collected with lastAccessed only): alice's takes two polls and two pages, the role's fails.
  for (const name of ['user/alice', 'user/ops/bob', 'group/readers', 'role/service-role/deploy'])
    mocks.iam
      .on(GenerateServiceLastAccessedDetailsCommand, { Arn: `arn:aws:iam::${rec.ACCOUNT}:${name}` })
      .resolves({ JobId: `job-${name.split('/').pop()}` });
  const job = {
    JobStatus: 'COMPLETED' as const,
    JobType: 'ACTION_LEVEL' as const,
    JobCreationDate: new Date('2024-05-04T00:00:01Z'),
    JobCompletionDate: new Date('2024-05-04T00:00:09.5Z'),
    IsTruncated: false,
  };
  const s3Used = {
    ServiceName: 'Amazon S3',
    ServiceNamespace: 's3',
    LastAuthenticated: new Date('2024-05-01T10:00:00Z'),
    LastAuthenticatedEntity: `arn:aws:iam::${rec.ACCOUNT}:user/alice`,
    LastAuthenticatedRegion: 'eu-west-1',
    TotalAuthenticatedEntities: 1,
    TrackedActionsLastAccessed: [
      { ActionName: 'ListAllMyBuckets', LastAccessedTime: new Date('2024-05-01T10:00:00Z') },
      { ActionName: 'PutBucketPolicy' },
    ],
  };
  const iamUnused = {
    ServiceName: 'AWS Identity and Access Management',
    ServiceNamespace: 'iam',
    TotalAuthenticatedEntities: 0,
  };
  mocks.iam
    .on(GetServiceLastAccessedDetailsCommand, { JobId: 'job-alice' })
    .resolvesOnce({
      ...job,
      JobStatus: 'IN_PROGRESS',
      JobCompletionDate: undefined,
      ServicesLastAccessed: [],
    })
    .resolvesOnce({
      ...job,
      JobStatus: 'IN_PROGRESS',
      JobCompletionDate: undefined,
      ServicesLastAccessed: [],
    })
    .resolves({ ...job, IsTruncated: true, Marker: 'alice-2', ServicesLastAccessed: [s3Used] })
    .on(GetServiceLastAccessedDetailsCommand, { JobId: 'job-alice', Marker: 'alice-2' })
    .resolves({ ...job, ServicesLastAccessed: [iamUnused] })
    .on(GetServiceLastAccessedDetailsCommand, { JobId: 'job-bob' })
    .resolves({ ...job, ServicesLastAccessed: [iamUnused] })
    .on(GetServiceLastAccessedDetailsCommand, { JobId: 'job-readers' })
    .resolves({ ...job, ServicesLastAccessed: [s3Used] })
    .on(GetServiceLastAccessedDetailsCommand, { JobId: 'job-deploy' })
    .resolves({
      ...job,
      JobStatus: 'FAILED',
      ServicesLastAccessed: [],
      Error: { Message: 'internal failure', Code: 'ServiceFailure' },
    });

  const o = rec.organization;
  mocks.org.on(DescribeOrganizationCommand).resolves(o.describeOrganization);
  mocks.org.on(ListRootsCommand).resolves({ Roots: o.roots });
  mocks.org
    .on(ListOrganizationalUnitsForParentCommand, { ParentId: rec.ROOT_ID })
    .resolves({ OrganizationalUnits: [o.ou] })
    .on(ListOrganizationalUnitsForParentCommand, { ParentId: rec.OU_ID })
    .resolves({ OrganizationalUnits: [] });
  mocks.org
    .on(ListAccountsForParentCommand, { ParentId: rec.ROOT_ID })
    .resolves({ Accounts: [o.managementAccount] })
    .on(ListAccountsForParentCommand, { ParentId: rec.OU_ID })
    .resolves({ Accounts: [o.memberAccount] });
  mocks.org
    .on(ListPoliciesCommand, { Filter: 'SERVICE_CONTROL_POLICY' })
    .resolves({ Policies: [o.scpSummary] })
    .on(ListPoliciesCommand, { Filter: 'RESOURCE_CONTROL_POLICY' })
    .resolves({ Policies: [] });
  mocks.org.on(DescribePolicyCommand, { PolicyId: rec.SCP_ID }).resolves({
    Policy: { PolicySummary: o.scpSummary, Content: JSON.stringify(rec.denyLeave) },
  });
  mocks.org.on(ListTargetsForPolicyCommand, { PolicyId: rec.SCP_ID }).resolves({
    Targets: [{ TargetId: rec.OU_ID, Arn: o.ou.Arn, Name: 'Prod', Type: 'ORGANIZATIONAL_UNIT' }],
  });

  mocks.s3.on(ListBucketsCommand).resolves({
    Buckets: [
      {
        Name: 'example-artifacts',
        CreationDate: new Date('2022-02-02T02:02:02Z'),
        BucketRegion: 'eu-west-1',
      },
      { Name: 'example-logs', CreationDate: new Date('2022-03-03T03:03:03Z'), BucketRegion: 'us-east-1' },
    ],
    Owner: { ID: 'c0ffee', DisplayName: 'example' },
  });
  mocks.s3
    .on(GetBucketPolicyCommand, { Bucket: 'example-artifacts' })
    .resolves({ Policy: JSON.stringify(rec.bucketPolicy) })
    .on(GetBucketPolicyCommand, { Bucket: 'example-logs' })
    .rejects(s3Error('NoSuchBucketPolicy', 404));
  mocks.s3
    .on(GetPublicAccessBlockCommand, { Bucket: 'example-artifacts' })
    .resolves({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    })
    .on(GetPublicAccessBlockCommand, { Bucket: 'example-logs' })
    .rejects(s3Error('NoSuchPublicAccessBlockConfiguration', 404));

  // Two pages of topics: the second holds the one with a policy.
  const topicArn = `arn:aws:sns:eu-west-1:${rec.ACCOUNT}:alerts`;
  const quietArn = `arn:aws:sns:eu-west-1:${rec.ACCOUNT}:quiet`;
  mocks.sns
    .on(ListTopicsCommand)
    .resolves({ Topics: [{ TopicArn: quietArn }], NextToken: 't2' })
    .on(ListTopicsCommand, { NextToken: 't2' })
    .resolves({ Topics: [{ TopicArn: topicArn }] });
  mocks.sns
    .on(GetTopicAttributesCommand, { TopicArn: topicArn })
    .resolves({
      Attributes: {
        TopicArn: topicArn,
        Owner: rec.ACCOUNT,
        Policy: JSON.stringify(rec.topicPolicy),
        DisplayName: 'alerts',
      },
    })
    .on(GetTopicAttributesCommand, { TopicArn: quietArn })
    .resolves({ Attributes: { TopicArn: quietArn, Owner: rec.ACCOUNT } });
  mocks.sqs.on(ListQueuesCommand).resolves({ QueueUrls: [rec.QUEUE_URL] });
  mocks.sqs.on(GetQueueAttributesCommand).resolves({
    Attributes: {
      QueueArn: `arn:aws:sqs:eu-west-1:${rec.ACCOUNT}:jobs`,
      Policy: JSON.stringify(rec.queuePolicy),
    },
  });
  mocks.kms.on(ListKeysCommand).resolves({
    Keys: [{ KeyId: rec.KEY_ID, KeyArn: `arn:aws:kms:eu-west-1:${rec.ACCOUNT}:key/${rec.KEY_ID}` }],
    Truncated: false,
  });
  mocks.kms
    .on(GetKeyPolicyCommand, { KeyId: rec.KEY_ID, PolicyName: 'default' })
    .resolves({ Policy: JSON.stringify(rec.keyPolicy), PolicyName: 'default' });
  mocks.secrets
    .on(ListSecretsCommand)
    .resolves({ SecretList: [{ ARN: rec.SECRET_ARN, Name: 'db/password' }] });
  mocks.secrets.on(GetResourcePolicyCommand, { SecretId: rec.SECRET_ARN }).resolves({
    ARN: rec.SECRET_ARN,
    Name: 'db/password',
    ResourcePolicy: JSON.stringify(rec.secretPolicy),
  });
  mocks.lambda.on(ListFunctionsCommand).resolves({
    Functions: [{ FunctionName: 'deploy-hook' }, { FunctionName: 'quiet-fn' }],
  });
  mocks.lambda
    .on(GetPolicyCommand, { FunctionName: 'deploy-hook' })
    .resolves({ Policy: JSON.stringify(rec.functionPolicy), RevisionId: 'rev-1' })
    .on(GetPolicyCommand, { FunctionName: 'quiet-fn' })
    // A function without a resource policy: Lambda answers 404 ResourceNotFoundException.
    .rejects(new LambdaNotFound({ message: 'The resource you requested does not exist.', $metadata: {} }));
  mocks.ecr.on(DescribeRepositoriesCommand).resolves({
    repositories: [{ repositoryName: 'team/app', registryId: rec.ACCOUNT }],
  });
  mocks.ecr.on(GetRepositoryPolicyCommand, { repositoryName: 'team/app' }).resolves({
    registryId: rec.ACCOUNT,
    repositoryName: 'team/app',
    policyText: JSON.stringify(rec.repositoryPolicy),
  });
}

let dir: string;
const credentials = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'not-a-secret' };
const clients = () => createClients('eu-west-1', { credentials });
const slept: number[] = [];
const collect = (out: string, lastAccessed = false) =>
  collectBundle({
    clients: clients(),
    regions: ['eu-west-1'],
    out,
    version: '0.0.0-test',
    sleep: async (ms) => {
      slept.push(ms);
    },
    now: () => new Date('2024-05-04T00:00:00Z'),
    ...(lastAccessed ? { lastAccessed } : {}),
  });

async function filesUnder(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await filesUnder(root, r)));
    else out.push(r);
  }
  return out.sort();
}
const readJson = async (...p: string[]) => JSON.parse(await readFile(path.join(...p), 'utf8'));

beforeEach(async () => {
  slept.length = 0;
  dir = await mkdtemp(path.join(tmpdir(), 'collect-'));
  recordSmallAccount();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('collectBundle on a small account', () => {
  it('writes exactly the layout.ts paths, one GAAD file per page, and nothing for resources without a policy', async () => {
    const { bundle } = await collect(path.join(dir, 'bundle'));
    expect(await filesUnder(bundle)).toEqual([
      'authorization-details-2.json',
      'authorization-details.json',
      'collection.json',
      'credential-report.json',
      'organization/accounts-for-parent/ou-ex12-prod0001.json',
      'organization/accounts-for-parent/r-ex12.json',
      'organization/describe-organization.json',
      'organization/list-policies/RESOURCE_CONTROL_POLICY.json',
      'organization/list-policies/SERVICE_CONTROL_POLICY.json',
      'organization/list-roots.json',
      'organization/ous-for-parent/ou-ex12-prod0001.json',
      'organization/ous-for-parent/r-ex12.json',
      'organization/policies/p-denyleave01.json',
      'organization/targets-for-policy/p-denyleave01.json',
      'password-policy.json',
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
    // No temp directory is left beside the bundle.
    expect(await readdir(dir)).toEqual(['bundle']);
  });

  it('writes GAAD pages in the CLI form: decoded documents, +00:00 dates, no $metadata', async () => {
    const { bundle } = await collect(path.join(dir, 'bundle'));
    const page1 = await readJson(bundle, 'authorization-details.json');
    expect(page1.$metadata).toBeUndefined();
    expect(page1.IsTruncated).toBe(true);
    expect(page1.UserDetailList[0].UserPolicyList[0].PolicyDocument).toEqual(rec.aliceInline);
    expect(page1.UserDetailList[0].CreateDate).toBe('2021-03-04T05:06:07+00:00');
    // Python's isoformat() prints microseconds when the instant has a fraction.
    expect(page1.UserDetailList[1].CreateDate).toBe('2022-11-12T13:14:15.250000+00:00');
    const page2 = await readJson(bundle, 'authorization-details-2.json');
    expect(page2.RoleDetailList[0].AssumeRolePolicyDocument).toEqual(rec.deployTrust);
    expect(page2.RoleDetailList[0].InstanceProfileList[0].Roles[0].AssumeRolePolicyDocument).toEqual(
      rec.deployTrust,
    );
    // The paginator asked for the largest page the API allows, then followed the Marker (it reuses one input
    // object, so only the last state of the input is recorded).
    const gaadCalls = mocks.iam.commandCalls(GetAccountAuthorizationDetailsCommand);
    expect(gaadCalls).toHaveLength(2);
    expect(gaadCalls[1]!.args[0].input).toEqual({ MaxItems: 1000, Marker: 'page-2-marker' });
    // Listings that only paginate when a page size is asked for.
    expect(mocks.s3.commandCalls(ListBucketsCommand)[0]!.args[0].input).toEqual({ MaxBuckets: 1000 });
    expect(mocks.sqs.commandCalls(ListQueuesCommand)[0]!.args[0].input).toEqual({ MaxResults: 1000 });
    // Bytes and JSON strings are kept as the CLI prints them.
    const report = await readJson(bundle, 'credential-report.json');
    expect(report).toEqual({
      Content: Buffer.from(rec.credentialReportCsv).toString('base64'),
      ReportFormat: 'text/csv',
      GeneratedTime: '2024-05-04T00:00:00+00:00',
    });
    expect(await readJson(bundle, 'resource-policies/s3/example-artifacts.get-bucket-policy.json')).toEqual({
      Policy: JSON.stringify(rec.bucketPolicy),
    });
    expect(
      (await readJson(bundle, 'organization/accounts-for-parent/ou-ex12-prod0001.json')).Accounts[0]
        .JoinedTimestamp,
    ).toBe('2020-02-03T04:05:06+00:00');
    expect(mocks.iam.commandCalls(GenerateCredentialReportCommand)).toHaveLength(3);
  });

  it('writes a bundle only its owner can read: directories 0700, files 0600', async () => {
    const { bundle } = await collect(path.join(dir, 'bundle'));
    expect((await stat(bundle)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(bundle, 'organization', 'policies'))).mode & 0o777).toBe(0o700);
    for (const f of await filesUnder(bundle))
      expect((await stat(path.join(bundle, f))).mode & 0o777).toBe(0o600);
  });

  it('records who collected what in collection.json', async () => {
    const { bundle, manifest } = await collect(path.join(dir, 'bundle'));
    expect(await readJson(bundle, 'collection.json')).toEqual(manifest);
    expect(manifest).toMatchObject({
      collector: { name: 'accessgraph collect', version: '0.0.0-test' },
      startedAt: '2024-05-04T00:00:00.000Z',
      caller: { account: rec.ACCOUNT, arn: `arn:aws:iam::${rec.ACCOUNT}:user/auditor` },
      partition: 'aws',
      regions: ['eu-west-1'],
      collected: {
        'authorization-details': 2,
        'credential-report': 1,
        'password-policy': 1,
        organization: 10,
        s3: 3,
        sns: 1,
        sqs: 1,
        kms: 1,
        secretsmanager: 1,
        lambda: 1,
        ecr: 1,
      },
      skipped: [],
    });
  });

  it('imports what it wrote: users, groups, roles, policies with decoded documents and UTC dates', async () => {
    const { bundle } = await collect(path.join(dir, 'bundle'));
    const { snapshot, diagnostics } = await importBundle([bundle]);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(snapshot!.accountId).toBe(rec.ACCOUNT);
    expect(snapshot!.users.map((u) => [u.name, u.path, u.createDate, u.groups])).toEqual([
      ['alice', '/', '2021-03-04T05:06:07Z', [`arn:aws:iam::${rec.ACCOUNT}:group/readers`]],
      ['bob', '/ops/', '2022-11-12T13:14:15.250Z', []],
    ]);
    const alice = snapshot!.users.find((u) => u.name === 'alice')!;
    expect(JSON.parse(alice.inlinePolicies[0]!.document)).toEqual(rec.aliceInline);
    expect(alice.tags).toEqual({ team: 'platform' });
    const role = snapshot!.roles[0]!;
    expect([role.name, JSON.parse(role.trustPolicy)]).toEqual(['deploy', rec.deployTrust]);
    const policy = snapshot!.policies.find((p) => p.arn.endsWith(':policy/ReadBuckets'))!;
    expect(policy).toBeDefined();
    expect(JSON.stringify(policy)).toContain('s3:ListBucket');
    expect(snapshot!.groups.map((g) => g.attachedPolicies)).toEqual([[policy.arn]]);
  });

  it('imports the rest too: credentials dated by the report, password policy, the org with its SCP, resources', async () => {
    const { bundle } = await collect(path.join(dir, 'bundle'));
    const { snapshot, diagnostics } = await importBundle([bundle]);
    // The JSON form of the credential report carries GeneratedTime: no lower-bound warning.
    expect(diagnostics).toEqual([]);
    expect(snapshot!.collectedAt).toBe('2024-05-04T00:00:00Z');
    const alice = snapshot!.users.find((u) => u.name === 'alice')!;
    expect(alice.credentials).toMatchObject({ passwordEnabled: true, mfaActive: false });
    expect(alice.credentials!.accessKeys[0]).toMatchObject({ slot: 1, active: true, lastUsedService: 's3' });
    expect(snapshot!.accounts[0]!.root?.mfaActive).toBe(true);
    expect(snapshot!.passwordPolicy).toMatchObject({ minimumPasswordLength: 14, requireSymbols: true });
    const org = snapshot!.organization!;
    expect([org.id, org.managementAccountId]).toEqual([rec.ORG_ID, rec.ACCOUNT]);
    expect(org.nodes.map((n) => [n.id, n.kind, n.parentId]).sort()).toEqual([
      ['123456789012', 'account', rec.ROOT_ID],
      ['210987654321', 'account', rec.OU_ID],
      [rec.OU_ID, 'organizationalUnit', rec.ROOT_ID],
      [rec.ROOT_ID, 'root', undefined],
    ]);
    expect(org.policies.map((p) => [p.id, JSON.parse(p.document)])).toEqual([[rec.SCP_ID, rec.denyLeave]]);
    expect(
      snapshot!.resources.map((r) => [r.arn, r.policy ? JSON.parse(r.policy) : undefined]).sort(),
    ).toEqual([
      [`arn:aws:ecr:eu-west-1:${rec.ACCOUNT}:repository/team/app`, rec.repositoryPolicy],
      [`arn:aws:kms:eu-west-1:${rec.ACCOUNT}:key/${rec.KEY_ID}`, rec.keyPolicy],
      [`arn:aws:lambda:eu-west-1:${rec.ACCOUNT}:function:deploy-hook`, rec.functionPolicy],
      ['arn:aws:s3:::example-artifacts', rec.bucketPolicy],
      ['arn:aws:s3:::example-logs', undefined],
      [rec.SECRET_ARN, rec.secretPolicy],
      [`arn:aws:sns:eu-west-1:${rec.ACCOUNT}:alerts`, rec.topicPolicy],
      [`arn:aws:sqs:eu-west-1:${rec.ACCOUNT}:jobs`, rec.queuePolicy],
    ]);
  });
});

/**
 * The IAM action each SDK command needs (Service Authorization Reference): `<prefix>:<Operation>` except
 * where the action is named differently. sts:GetCallerIdentity needs no permission (API reference).
 */
const PREFIX: Record<string, string> = {
  STSClient: 'sts',
  IAMClient: 'iam',
  OrganizationsClient: 'organizations',
  S3Client: 's3',
  SNSClient: 'sns',
  SQSClient: 'sqs',
  KMSClient: 'kms',
  SecretsManagerClient: 'secretsmanager',
  LambdaClient: 'lambda',
  ECRClient: 'ecr',
};
const RENAMED: Record<string, string | null> = {
  's3:ListBuckets': 's3:ListAllMyBuckets',
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  'sts:GetCallerIdentity': null,
};

describe('docs/collector-policy.json', () => {
  it('allows every call the collector made on the small account (last-accessed jobs included)', async () => {
    await collect(path.join(dir, 'bundle'), true);
    const policy = await readFile(new URL('../../docs/collector-policy.json', import.meta.url), 'utf8');
    const needed = new Set<string>();
    for (const [clientName, prefix] of Object.entries(PREFIX)) {
      const mock = Object.values(mocks).find((m) => m.send.thisValues[0]?.constructor.name === clientName);
      for (const call of mock?.calls() ?? []) {
        const op = (call.args[0] as object).constructor.name.replace(/Command$/, '');
        const action =
          RENAMED[`${prefix}:${op}`] === undefined ? `${prefix}:${op}` : RENAMED[`${prefix}:${op}`];
        if (action) needed.add(action);
      }
    }
    expect(needed.size).toBeGreaterThan(20);
    // Every call must be allowed. A KMS call on a key also needs the key policy to let IAM policies count
    // (kms/latest/developerguide/key-policies): the recorded key has the default key policy, which does. Calls
    // without a key (kms:ListKeys) are authorized by the identity policy alone.
    const keyArn = `arn:aws:kms:eu-west-1:${rec.ACCOUNT}:key/${rec.KEY_ID}`;
    const denied = [...needed].filter((action) => {
      const onKey = action.startsWith('kms:') && resourcePolicyRequired(action);
      const r = evaluate(
        { principal: `arn:aws:iam::${rec.ACCOUNT}:user/auditor`, action, resource: onKey ? keyArn : '*' },
        {
          identity: [{ id: 'collector-policy', document: policy }],
          ...(onKey ? { resource: { id: keyArn, document: rec.keyPolicy } } : {}),
        },
      );
      return r.decision !== 'ALLOWED';
    });
    expect(denied).toEqual([]);
  });
});

describe('collectBundle --last-accessed', () => {
  it('one job per user, group and role, polled with backoff, pages joined; a failed job is a note naming it', async () => {
    const out = path.join(dir, 'bundle');
    const { manifest } = await collect(out, true);
    const files = (await filesUnder(out)).filter((f) => f.startsWith('last-accessed/'));
    expect(files).toEqual([
      'last-accessed/groups/readers.json',
      'last-accessed/users/alice.json',
      'last-accessed/users/bob.json',
    ]);
    // Two IN_PROGRESS answers: waits of 1 s then 2 s (the credential report's polls wait 2 s each).
    expect(slept.filter((ms) => ms !== 2000)).toEqual([1000]);
    expect(slept.filter((ms) => ms === 2000).length).toBeGreaterThanOrEqual(2);
    const alice = await readJson(out, 'last-accessed/users/alice.json');
    expect(alice).toMatchObject({
      JobStatus: 'COMPLETED',
      JobCompletionDate: '2024-05-04T00:00:09.500000+00:00',
      IsTruncated: false,
    });
    expect(alice.ServicesLastAccessed.map((x: { ServiceNamespace: string }) => x.ServiceNamespace)).toEqual([
      's3',
      'iam',
    ]);
    expect(alice.Marker).toBeUndefined();
    expect(manifest.collected['last-accessed']).toBe(3);
    expect(manifest.skipped).toContainEqual({
      severity: 'warning',
      section: 'last-accessed',
      message: 'last-accessed evidence skipped (job FAILED: internal failure): their usage stays unknown',
      resources: ['role/deploy'],
      count: 1,
    });
    // The bundle imports: the evidence is there, the role's is missing (a completeness warning).
    const r = await importBundle([out]);
    expect(r.snapshot!.lastAccess!.map((x) => x.entityArn)).toEqual([
      `arn:aws:iam::${rec.ACCOUNT}:group/readers`,
      `arn:aws:iam::${rec.ACCOUNT}:user/alice`,
      `arn:aws:iam::${rec.ACCOUNT}:user/ops/bob`,
    ]);
    expect(r.diagnostics.map((d) => d.code)).toContain('last-accessed.missing');
  });

  it('without --last-accessed no job is started', async () => {
    await collect(path.join(dir, 'bundle'));
    expect(mocks.iam.commandCalls(GenerateServiceLastAccessedDetailsCommand)).toEqual([]);
  });
});

describe('collectBundle when AWS says no', () => {
  it('notes a denied service and a member account without org access, and still writes the bundle', async () => {
    mocks.kms.on(ListKeysCommand).rejects(
      // KMS does not model AccessDeniedException: it arrives as the service exception with that name.
      new KMSServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'not authorized to perform: kms:ListKeys',
      }),
    );
    mocks.org
      .on(ListRootsCommand)
      .rejects(new OrgAccessDenied({ message: 'not the management account', $metadata: {} }));
    const { bundle, manifest } = await collect(path.join(dir, 'bundle'));
    const files = await filesUnder(bundle);
    expect(files.some((f) => f.startsWith('organization/'))).toBe(false);
    expect(files.some((f) => f.includes('/kms/'))).toBe(false);
    expect(manifest.skipped).toEqual([
      expect.objectContaining({
        severity: 'warning',
        section: 'organization',
        code: 'AccessDeniedException',
        message: expect.stringContaining(`management account (${rec.ACCOUNT})`),
      }),
      expect.objectContaining({
        severity: 'warning',
        section: 'kms',
        region: 'eu-west-1',
        code: 'AccessDeniedException',
      }),
    ]);
    expect(manifest.collected.kms).toBeUndefined();
  });

  it('an account outside any organization and without a password policy: info notes, no files', async () => {
    mocks.org
      .on(DescribeOrganizationCommand)
      .rejects(new AWSOrganizationsNotInUseException({ message: 'not in use', $metadata: {} }));
    mocks.iam
      .on(GetAccountPasswordPolicyCommand)
      .rejects(new NoSuchEntityException({ message: 'no policy', $metadata: {} }));
    const { bundle, manifest } = await collect(path.join(dir, 'bundle'));
    expect(manifest.skipped.map((n) => [n.severity, n.section, n.code])).toEqual([
      ['info', 'password-policy', 'NoSuchEntity'],
      ['info', 'organization', 'AWSOrganizationsNotInUseException'],
    ]);
    const files = await filesUnder(bundle);
    expect(files).not.toContain('password-policy.json');
    expect(files.some((f) => f.startsWith('organization/'))).toBe(false);
  });

  it('a denied bucket policy is a warning naming the bucket', async () => {
    mocks.s3
      .on(GetBucketPolicyCommand, { Bucket: 'example-artifacts' })
      .rejects(s3Error('AccessDenied', 403));
    const { bundle, manifest } = await collect(path.join(dir, 'bundle'));
    expect(manifest.skipped).toEqual([
      expect.objectContaining({
        section: 's3',
        code: 'AccessDenied',
        resources: ['example-artifacts'],
        count: 1,
      }),
    ]);
    expect(await filesUnder(bundle)).toContain('resource-policies/s3/list-buckets.json');
  });

  it('a failure past the retries leaves nothing behind and names the call', async () => {
    const failure = Object.assign(new Error('We encountered an internal error'), {
      name: 'ServiceFailure',
      $metadata: { httpStatusCode: 500 },
    });
    mocks.iam.on(GetAccountAuthorizationDetailsCommand, { Marker: 'page-2-marker' }).rejects(failure);
    const err = await collect(path.join(dir, 'bundle')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CollectError);
    expect((err as CollectError).message).toBe(
      'iam get-account-authorization-details: ServiceFailure: We encountered an internal error',
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('never writes over an existing bundle', async () => {
    await mkdir(path.join(dir, 'bundle'));
    await writeFile(path.join(dir, 'bundle', 'authorization-details.json'), '{}');
    await expect(collect(path.join(dir, 'bundle'))).rejects.toBeInstanceOf(DestinationExistsError);
    expect(await readdir(path.join(dir, 'bundle'))).toEqual(['authorization-details.json']);
    // Refused before any call to AWS.
    expect(mocks.sts.calls()).toHaveLength(0);
  });

  it('bad credentials fail before anything is created', async () => {
    mocks.sts.on(GetCallerIdentityCommand).rejects(
      Object.assign(new Error('The security token included in the request is invalid.'), {
        name: 'InvalidClientTokenId',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    await expect(collect(path.join(dir, 'bundle'))).rejects.toThrow(
      /^sts get-caller-identity: InvalidClientTokenId/,
    );
    expect(await readdir(dir)).toEqual([]);
  });
});
