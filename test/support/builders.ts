/**
 * Small, readable AccountSnapshot builders for tests: `aUser({ name: 'alice', groups: [engineering.arn] })`.
 * Defaults are valid AWS shapes (ARNs, ids, paths) for account 111122223333; override what a test is about.
 */
import {
  SNAPSHOT_SCHEMA_VERSION,
  type AccessKey,
  type AccountSnapshot,
  type IamGroup,
  type IamRole,
  type IamUser,
  type ManagedPolicy,
  type Resource,
} from '../../schema/snapshot.ts';

export const ACCOUNT_ID = '111122223333';

const iamArn = (account: string, kind: string, path: string, name: string): string =>
  `arn:aws:iam::${account}:${kind}${path}${name}`;

/** A stable fake unique id (`AIDA…`/`AROA…`/`AGPA…`/`ANPA…`) derived from the name. */
function uniqueId(prefix: string, name: string): string {
  const base = Buffer.from(name)
    .toString('hex')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
  return (prefix + base + 'X'.repeat(17)).slice(0, 21);
}

export function allowDocument(action: string | string[], resource: string | string[] = '*'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
  });
}

type Partialish<T> = Partial<T> & { name: string };

export function aUser(u: Partialish<Omit<IamUser, 'kind'>> & { account?: string }): IamUser {
  const { account = ACCOUNT_ID, ...rest } = u;
  const path = rest.path ?? '/';
  return {
    kind: 'user',
    arn: iamArn(account, 'user', path, u.name),
    id: uniqueId('AIDA', u.name),
    path,
    inlinePolicies: [],
    attachedPolicies: [],
    tags: {},
    groups: [],
    ...rest,
  };
}

export function aGroup(g: Partialish<Omit<IamGroup, 'kind'>> & { account?: string }): IamGroup {
  const { account = ACCOUNT_ID, ...rest } = g;
  const path = rest.path ?? '/';
  return {
    kind: 'group',
    arn: iamArn(account, 'group', path, g.name),
    id: uniqueId('AGPA', g.name),
    path,
    inlinePolicies: [],
    attachedPolicies: [],
    ...rest,
  };
}

export function trustService(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
}

export function aRole(r: Partialish<Omit<IamRole, 'kind'>> & { account?: string }): IamRole {
  const { account = ACCOUNT_ID, ...rest } = r;
  const path = rest.path ?? '/';
  return {
    kind: 'role',
    arn: iamArn(account, 'role', path, r.name),
    id: uniqueId('AROA', r.name),
    path,
    inlinePolicies: [],
    attachedPolicies: [],
    tags: {},
    trustPolicy: trustService('lambda.amazonaws.com'),
    instanceProfiles: [],
    ...rest,
  };
}

/** A managed policy with one default version; `awsManaged: true` puts it under `arn:aws:iam::aws:policy/`. */
export function aPolicy(
  p: Partialish<Omit<ManagedPolicy, 'kind'>> & { account?: string; document?: string; awsManaged?: boolean },
): ManagedPolicy {
  const { account = ACCOUNT_ID, document = allowDocument('s3:GetObject'), awsManaged = false, ...rest } = p;
  const path = rest.path ?? '/';
  return {
    kind: awsManaged ? 'awsManaged' : 'customerManaged',
    arn: iamArn(awsManaged ? 'aws' : account, 'policy', path, p.name),
    id: uniqueId('ANPA', p.name),
    path,
    defaultVersionId: 'v1',
    versions: [{ versionId: 'v1', isDefault: true, document }],
    ...rest,
  };
}

export function aBucket(name: string, policy?: string): Resource {
  return {
    arn: `arn:aws:s3:::${name}`,
    service: 's3',
    type: 'bucket',
    name,
    ...(policy !== undefined ? { policy } : {}),
    tags: {},
  };
}

export function anAccessKey(k: Partial<AccessKey> = {}): AccessKey {
  return { slot: 1, active: true, ...k };
}

export function aSnapshot(s: Partial<AccountSnapshot> = {}): AccountSnapshot {
  const accountId = s.accountId ?? ACCOUNT_ID;
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    accountId,
    partition: 'aws',
    accounts: [{ id: accountId }],
    label: 'test',
    sourceFiles: [],
    users: [],
    groups: [],
    roles: [],
    policies: [],
    resources: [],
    warnings: [],
    ...s,
  };
}

/**
 * A deterministic synthetic account of the given size (users in groups, roles with boundaries, policies with
 * a few versions), for scale checks. Not realistic IAM — the bench generator is; this exercises the store.
 */
export function aBigSnapshot(n: {
  users: number;
  groups: number;
  roles: number;
  policies: number;
}): AccountSnapshot {
  const policies = Array.from({ length: n.policies }, (_, i) =>
    aPolicy({
      name: `policy-${i}`,
      document: allowDocument(
        [`s3:GetObject`, `sqs:SendMessage`, `ec2:Describe*`],
        [`arn:aws:s3:::bucket-${i}/*`, '*'],
      ),
      versions: [
        {
          versionId: 'v2',
          isDefault: true,
          document: allowDocument(['s3:*', `iam:Get*`], `arn:aws:s3:::bucket-${i}/*`),
        },
        { versionId: 'v1', isDefault: false, document: allowDocument('s3:GetObject') },
      ],
      defaultVersionId: 'v2',
    }),
  );
  const pick = (i: number): string => policies[i % Math.max(1, policies.length)]!.arn;
  const groups = Array.from({ length: n.groups }, (_, i) =>
    aGroup({ name: `group-${i}`, attachedPolicies: [pick(i), pick(i + 7)] }),
  );
  const users = Array.from({ length: n.users }, (_, i) =>
    aUser({
      name: `user-${i}`,
      path: `/team-${i % 10}/`,
      groups: groups.length
        ? [groups[i % groups.length]!.arn, groups[(i * 7) % groups.length]!.arn].filter(
            (g, j, a) => a.indexOf(g) === j,
          )
        : [],
      attachedPolicies: i % 5 === 0 ? [pick(i * 3)] : [],
      inlinePolicies:
        i % 4 === 0
          ? [
              {
                name: 'inline',
                document: allowDocument('sns:Publish', `arn:aws:sns:us-east-1:${ACCOUNT_ID}:t-${i}`),
              },
            ]
          : [],
      ...(i % 9 === 0 ? { permissionsBoundary: pick(i + 1) } : {}),
      tags: { team: `team-${i % 10}` },
      credentials: {
        passwordEnabled: i % 2 === 0,
        mfaActive: i % 3 === 0,
        accessKeys: i % 2 === 0 ? [anAccessKey({ id: `AKIA${String(i).padStart(16, '0')}` })] : [],
        certificates: [],
      },
    }),
  );
  const roles = Array.from({ length: n.roles }, (_, i) =>
    aRole({
      name: `role-${i}`,
      attachedPolicies: [pick(i * 11), pick(i * 13 + 1)],
      inlinePolicies: i % 3 === 0 ? [{ name: 'inline', document: allowDocument('dynamodb:GetItem') }] : [],
      ...(i % 6 === 0 ? { permissionsBoundary: pick(i) } : {}),
    }),
  );
  return aSnapshot({ label: 'big', users, groups, roles, policies });
}

/** The smallest `get-account-authorization-details` output: one user, alice, of ACCOUNT_ID. */
export const ONE_USER_GAAD = {
  UserDetailList: [
    {
      UserName: 'alice',
      UserId: 'AIDAALICE',
      Arn: `arn:aws:iam::${ACCOUNT_ID}:user/alice`,
      Path: '/',
      CreateDate: '2023-03-09T10:41:45Z',
      GroupList: [],
      AttachedManagedPolicies: [],
    },
  ],
  GroupDetailList: [],
  RoleDetailList: [],
  Policies: [],
};
