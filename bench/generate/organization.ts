/**
 * The organization around a generated account, as the `aws organizations` commands print it (bundle layout
 * ORGANIZATION): Root → Security (log archive, audit), Workloads → Prod (this account and a sibling), Sandbox.
 * SCPs: FullAWSAccess everywhere (AWS attaches it to every root, OU and account), one Deny at the root, one on
 * Workloads; RCPs: RCPFullAWSAccess everywhere (attached by AWS and not detachable) and one Deny on Prod
 * (orgs_manage_policies_scps_evaluation, orgs_manage_policies_rcps). The Denies name actions the bench never
 * asks about and conditions known at evaluation (aws:PrincipalArn), so they add real SCP/RCP levels to every
 * evaluation without turning answers conditional.
 *
 * A separate random stream (`accessgraph-org:<seed>`): adding these files changes no byte of the others.
 */
import { ORGANIZATION } from '../../importers/bundle/layout.ts';
import { Rng } from './prng.ts';
import { cliJson, type BundleFile } from './cli-json.ts';
import type { PolicyDocument } from './documents.ts';

export interface OrganizationInput {
  seed: string | number;
  accountId: string;
  /** The id bucket policies already use in aws:PrincipalOrgID conditions. */
  orgId: string;
  /** The management account first, then the other members (partner accounts of the generated policies). */
  otherAccounts: readonly string[];
  /** Role name exempt from the Denies (a break-glass role). */
  breakGlassRole: string;
  /** More member accounts (a generated organization's), placed under Prod and Sandbox in turn. */
  members?: readonly string[];
}

export interface OrganizationSummary {
  id: string;
  managementAccountId: string;
  rootId: string;
  organizationalUnits: number;
  accounts: number;
  /** Customer SCPs and RCPs (the AWS managed FullAWSAccess and RCPFullAWSAccess come on top). */
  scps: number;
  rcps: number;
}

type NodeType = 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';
interface Node {
  id: string;
  name: string;
  arn: string;
  type: NodeType;
}

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const VERSION = '2012-10-17';

export function organizationFiles(input: OrganizationInput): {
  files: BundleFile[];
  summary: OrganizationSummary;
} {
  const rng = new Rng(`accessgraph-org:${input.seed}`);
  const [management, logArchive, audit, sibling, sandbox] = input.otherAccounts;
  // INVARIANT: the generator passes five distinct accounts other than this one.
  if (!management || !logArchive || !audit || !sibling || !sandbox)
    throw new Error('organizationFiles needs five other accounts');
  const orgArn = (kind: string, id: string) =>
    `arn:aws:organizations::${management}:${kind}/${input.orgId}/${id}`;
  const rootSuffix = rng.chars(LOWER_ALNUM, 4);
  const root: Node = { id: `r-${rootSuffix}`, name: 'Root', type: 'ROOT', arn: '' };
  root.arn = orgArn('root', root.id);
  const ou = (name: string): Node => {
    const id = `ou-${rootSuffix}-${rng.chars(LOWER_ALNUM, 8)}`;
    return { id, name, type: 'ORGANIZATIONAL_UNIT', arn: orgArn('ou', id) };
  };
  const security = ou('Security');
  const workloads = ou('Workloads');
  const prod = ou('Prod');
  const sandboxOu = ou('Sandbox');
  const account = (id: string, name: string): Node => ({
    id,
    name,
    type: 'ACCOUNT',
    arn: orgArn('account', id),
  });
  const accounts = {
    management: account(management, 'acme-management'),
    logArchive: account(logArchive, 'acme-log-archive'),
    audit: account(audit, 'acme-audit'),
    self: account(input.accountId, 'acme-prod'),
    sibling: account(sibling, 'acme-prod-data'),
    sandbox: account(sandbox, 'acme-sandbox'),
  };
  const ousUnder = new Map<string, Node[]>([
    [root.id, [security, workloads]],
    [security.id, []],
    [workloads.id, [prod, sandboxOu]],
    [prod.id, []],
    [sandboxOu.id, []],
  ]);
  const more = (input.members ?? []).map((id, i) => account(id, `acme-workload-${i + 1}`));
  const accountsUnder = new Map<string, Node[]>([
    [root.id, [accounts.management]],
    [security.id, [accounts.logArchive, accounts.audit]],
    [workloads.id, []],
    [prod.id, [accounts.self, accounts.sibling, ...more.filter((_, i) => i % 2 === 0)]],
    [sandboxOu.id, [accounts.sandbox, ...more.filter((_, i) => i % 2 === 1)]],
  ]);
  const everyNode = [root, ...[...ousUnder.values()].flat(), ...[...accountsUnder.values()].flat()];

  const files: BundleFile[] = [];
  const add = (path: string, value: unknown) => files.push({ path, text: cliJson(value) });
  add(ORGANIZATION.describeOrganization, {
    Organization: {
      Id: input.orgId,
      Arn: `arn:aws:organizations::${management}:organization/${input.orgId}`,
      FeatureSet: 'ALL',
      MasterAccountArn: accounts.management.arn,
      MasterAccountId: management,
      MasterAccountEmail: 'aws-management@acme.example',
    },
  });
  add(ORGANIZATION.listRoots, {
    Roots: [
      {
        Id: root.id,
        Arn: root.arn,
        Name: root.name,
        PolicyTypes: [
          { Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' },
          { Type: 'RESOURCE_CONTROL_POLICY', Status: 'ENABLED' },
        ],
      },
    ],
  });
  const joined = () =>
    new Date(Date.UTC(2019, 0, 1) + rng.int(0, 1500) * 86_400_000)
      .toISOString()
      .replace(/\.\d{3}Z$/, '+00:00');
  for (const [parent, ous] of ousUnder)
    add(ORGANIZATION.ousForParent(parent), {
      OrganizationalUnits: ous.map((o) => ({ Id: o.id, Arn: o.arn, Name: o.name })),
    });
  for (const [parent, accs] of accountsUnder)
    add(ORGANIZATION.accountsForParent(parent), {
      Accounts: accs.map((a) => ({
        Id: a.id,
        Arn: a.arn,
        Email: `${a.name}@acme.example`,
        Name: a.name,
        Status: 'ACTIVE',
        JoinedMethod: a === accounts.management ? 'INVITED' : 'CREATED',
        JoinedTimestamp: joined(),
      })),
    });

  const exempt = `arn:aws:iam::*:role/${input.breakGlassRole}`;
  type PolicyType = 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';
  interface OrgPolicy {
    id: string;
    arn: string;
    name: string;
    description: string;
    type: PolicyType;
    awsManaged: boolean;
    document: PolicyDocument;
    targets: Node[];
  }
  const custom = (
    type: PolicyType,
    name: string,
    description: string,
    document: PolicyDocument,
    targets: Node[],
  ): OrgPolicy => {
    const id = `p-${rng.chars(LOWER_ALNUM, 8)}`;
    const kind = type === 'SERVICE_CONTROL_POLICY' ? 'service_control_policy' : 'resource_control_policy';
    return {
      id,
      arn: `arn:aws:organizations::${management}:policy/${input.orgId}/${kind}/${id}`,
      name,
      description,
      type,
      awsManaged: false,
      document,
      targets,
    };
  };
  const policies: OrgPolicy[] = [
    {
      id: 'p-FullAWSAccess',
      arn: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess',
      name: 'FullAWSAccess',
      description: 'Allows access to every operation',
      type: 'SERVICE_CONTROL_POLICY',
      awsManaged: true,
      document: { Version: VERSION, Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
      targets: everyNode,
    },
    custom(
      'SERVICE_CONTROL_POLICY',
      'ProtectAuditTrail',
      'Member accounts cannot leave the organization or stop the audit trail',
      {
        Version: VERSION,
        Statement: [
          {
            Sid: 'StayInTheOrganization',
            Effect: 'Deny',
            Action: 'organizations:LeaveOrganization',
            Resource: '*',
          },
          {
            Sid: 'KeepTheAuditTrail',
            Effect: 'Deny',
            Action: ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail'],
            Resource: '*',
            Condition: { ArnNotLike: { 'aws:PrincipalArn': exempt } },
          },
        ],
      },
      [root],
    ),
    custom(
      'SERVICE_CONTROL_POLICY',
      'ProtectSecurityServices',
      'Workloads cannot switch off GuardDuty, Security Hub or Config',
      {
        Version: VERSION,
        Statement: [
          {
            Sid: 'KeepDetectiveControls',
            Effect: 'Deny',
            Action: [
              'guardduty:DeleteDetector',
              'guardduty:DisassociateFromMasterAccount',
              'securityhub:DisableSecurityHub',
              'config:DeleteConfigurationRecorder',
              'config:StopConfigurationRecorder',
            ],
            Resource: '*',
            Condition: { ArnNotLike: { 'aws:PrincipalArn': exempt } },
          },
        ],
      },
      [workloads],
    ),
    {
      id: 'p-RCPFullAWSAccess',
      arn: 'arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess',
      name: 'RCPFullAWSAccess',
      description: 'Allows access to every operation',
      type: 'RESOURCE_CONTROL_POLICY',
      awsManaged: true,
      document: {
        Version: VERSION,
        Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
      },
      targets: everyNode,
    },
    custom(
      'RESOURCE_CONTROL_POLICY',
      'FreezeResourcePolicies',
      'Resource policies in Prod change only through the break-glass role',
      {
        Version: VERSION,
        Statement: [
          {
            Sid: 'NoResourcePolicyChanges',
            Effect: 'Deny',
            Principal: '*',
            Action: [
              's3:PutBucketPolicy',
              's3:DeleteBucketPolicy',
              'sqs:SetQueueAttributes',
              'kms:PutKeyPolicy',
              'secretsmanager:PutResourcePolicy',
              'secretsmanager:DeleteResourcePolicy',
            ],
            Resource: '*',
            Condition: { ArnNotLike: { 'aws:PrincipalArn': exempt } },
          },
        ],
      },
      [prod],
    ),
  ];

  for (const type of ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] as const) {
    const ofType = policies.filter((p) => p.type === type);
    add(ORGANIZATION.listPolicies(type), { Policies: ofType.map(summaryOf) });
  }
  for (const p of policies) {
    // describe-policy returns the document as stored: a JSON string, as the console writes it (2-space indent).
    add(ORGANIZATION.describePolicy(p.id), {
      Policy: { PolicySummary: summaryOf(p), Content: JSON.stringify(p.document, null, 2) },
    });
    add(ORGANIZATION.targetsForPolicy(p.id), {
      Targets: p.targets.map((t) => ({ TargetId: t.id, Arn: t.arn, Name: t.name, Type: t.type })),
    });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    files,
    summary: {
      id: input.orgId,
      managementAccountId: management,
      rootId: root.id,
      organizationalUnits: everyNode.filter((n) => n.type === 'ORGANIZATIONAL_UNIT').length,
      accounts: everyNode.filter((n) => n.type === 'ACCOUNT').length,
      scps: policies.filter((p) => p.type === 'SERVICE_CONTROL_POLICY' && !p.awsManaged).length,
      rcps: policies.filter((p) => p.type === 'RESOURCE_CONTROL_POLICY' && !p.awsManaged).length,
    },
  };

  function summaryOf(p: OrgPolicy) {
    return {
      Id: p.id,
      Arn: p.arn,
      Name: p.name,
      Description: p.description,
      Type: p.type,
      AwsManaged: p.awsManaged,
    };
  }
}
