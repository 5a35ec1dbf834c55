import { describe, expect, it } from 'vitest';
import type { AccountSnapshot, UserCredentials } from '../../../schema/snapshot.ts';
import {
  aGroup,
  allowDocument,
  aPolicy,
  aRole,
  aSnapshot,
  aUser,
  anAccessKey,
} from '../../../test/support/builders.ts';
import { adminEquivalence } from '../admin-equivalent.ts';
import { FINDING_KINDS, findings, type Finding, type FindingKind } from './index.ts';

const A = (s: string) => `arn:aws:iam::111122223333:${s}`;
const AS_OF = '2024-06-01T00:00:00Z';
/** `n` days before AS_OF. */
const daysAgo = (n: number) =>
  new Date(Date.parse(AS_OF) - n * 86_400_000).toISOString().replace('.000Z', 'Z');
const creds = (c: Partial<UserCredentials> = {}): UserCredentials => ({
  passwordEnabled: false,
  mfaActive: false,
  accessKeys: [],
  certificates: [],
  ...c,
});
const snap = (s: Partial<AccountSnapshot>) => aSnapshot({ collectedAt: AS_OF, passwordPolicy: STRONG, ...s });
const STRONG = {
  minimumPasswordLength: 14,
  passwordReusePrevention: 24,
  requireUppercaseCharacters: true,
  requireLowercaseCharacters: true,
  requireNumbers: true,
  requireSymbols: true,
};
const trust = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
const admin = aPolicy({ name: 'AdministratorAccess', awsManaged: true, document: allowDocument('*') });
const powerUser = aPolicy({
  name: 'PowerUserAccess',
  awsManaged: true,
  document: JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }],
  }),
});
const iamFull = aPolicy({ name: 'IAMFullAccess', awsManaged: true, document: allowDocument('iam:*') });

/** [case name, snapshot, expected (severity, subject) of `kind` only]. */
type Case = [string, AccountSnapshot, [Finding['severity'], string][]];

const CASES: Record<Exclude<FindingKind, 'credential-report-missing' | 'password-policy-missing'>, Case[]> = {
  'root-access-key': [
    [
      'root with an inactive key',
      snap({
        users: [aUser({ name: 'x', credentials: creds() })],
        accounts: [
          {
            id: '111122223333',
            root: { mfaActive: true, accessKeys: [anAccessKey({ active: false })], certificates: [] },
          },
        ],
      }),
      [['critical', A('root')]],
    ],
    [
      'root without keys',
      snap({
        accounts: [{ id: '111122223333', root: { mfaActive: true, accessKeys: [], certificates: [] } }],
      }),
      [],
    ],
  ],
  'console-without-mfa': [
    [
      'password without MFA, password with MFA, no password',
      snap({
        users: [
          aUser({ name: 'a', credentials: creds({ passwordEnabled: true }) }),
          aUser({ name: 'b', credentials: creds({ passwordEnabled: true, mfaActive: true }) }),
          aUser({ name: 'c', credentials: creds() }),
          aUser({ name: 'unknown' }),
        ],
      }),
      [['high', A('user/a')]],
    ],
  ],
  'admin-equivalent': [
    [
      'Admin via group, IAMFullAccess, PowerUser (NotAction iam:*), Admin capped by a PowerUser boundary, admin role with MFA condition',
      snap({
        policies: [admin, powerUser, iamFull],
        groups: [aGroup({ name: 'Admins', attachedPolicies: [admin.arn] })],
        users: [
          aUser({ name: 'grace', groups: [A('group/Admins')] }),
          aUser({ name: 'iam-admin', attachedPolicies: [iamFull.arn] }),
          aUser({ name: 'power', attachedPolicies: [powerUser.arn] }),
          aUser({ name: 'capped', attachedPolicies: [admin.arn], permissionsBoundary: powerUser.arn }),
        ],
        roles: [
          aRole({
            name: 'mfa-admin',
            inlinePolicies: [
              {
                name: 'admin-with-mfa',
                document: JSON.stringify({
                  Version: '2012-10-17',
                  Statement: [
                    {
                      Effect: 'Allow',
                      Action: '*',
                      Resource: '*',
                      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
                    },
                  ],
                }),
              },
            ],
          }),
          aRole({ name: 'platform-admin', attachedPolicies: [admin.arn] }),
        ],
      }),
      [
        ['high', A('user/grace')],
        ['high', A('user/iam-admin')],
        ['medium', A('role/mfa-admin')],
        ['medium', A('role/platform-admin')],
      ],
    ],
  ],
  'cross-account-trust-without-external-id': [
    [
      'foreign account bare, with ExternalId, with MFA, same account, any principal, a service',
      snap({
        roles: [
          aRole({
            name: 'bare',
            trustPolicy: trust({
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::444455556666:root' },
              Action: 'sts:AssumeRole',
            }),
          }),
          aRole({
            name: 'with-external-id',
            trustPolicy: trust({
              Effect: 'Allow',
              Principal: { AWS: '444455556666' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'sts:ExternalId': 'x-123' } },
            }),
          }),
          aRole({
            name: 'with-mfa',
            trustPolicy: trust({
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::444455556666:user/bob' },
              Action: 'sts:AssumeRole',
              Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
            }),
          }),
          aRole({
            name: 'own-account',
            trustPolicy: trust({ Effect: 'Allow', Principal: { AWS: A('root') }, Action: 'sts:AssumeRole' }),
          }),
          aRole({
            name: 'anyone',
            trustPolicy: trust({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:*' }),
          }),
          aRole({ name: 'lambda' }),
        ],
      }),
      [
        ['critical', A('role/anyone')],
        ['high', A('role/bare')],
      ],
    ],
  ],
  'access-key-not-rotated': [
    [
      'active key 91 days old, active key 90 days old, inactive key 400 days old',
      snap({
        users: [
          aUser({
            name: 'old',
            credentials: creds({ accessKeys: [anAccessKey({ lastRotated: daysAgo(91) })] }),
          }),
          aUser({
            name: 'edge',
            credentials: creds({ accessKeys: [anAccessKey({ lastRotated: daysAgo(90) })] }),
          }),
          aUser({
            name: 'inactive',
            credentials: creds({ accessKeys: [anAccessKey({ active: false, lastRotated: daysAgo(400) })] }),
          }),
        ],
      }),
      [['medium', A('user/old')]],
    ],
  ],
  'two-active-access-keys': [
    [
      'two active, one active and one inactive',
      snap({
        users: [
          aUser({
            name: 'two',
            credentials: creds({ accessKeys: [anAccessKey(), anAccessKey({ slot: 2 })] }),
          }),
          aUser({
            name: 'one',
            credentials: creds({ accessKeys: [anAccessKey(), anAccessKey({ slot: 2, active: false })] }),
          }),
        ],
      }),
      [['low', A('user/two')]],
    ],
  ],
  'unused-credentials': [
    [
      'password unused 100 days, key never used in 120 days, key used yesterday, password used recently',
      snap({
        users: [
          aUser({
            name: 'idle-password',
            credentials: creds({ passwordEnabled: true, passwordLastUsed: daysAgo(100) }),
          }),
          aUser({
            name: 'idle-key',
            credentials: creds({ accessKeys: [anAccessKey({ lastRotated: daysAgo(120) })] }),
          }),
          aUser({
            name: 'busy-key',
            credentials: creds({
              accessKeys: [anAccessKey({ lastRotated: daysAgo(120), lastUsedDate: daysAgo(1) })],
            }),
          }),
          aUser({
            name: 'busy-password',
            credentials: creds({ passwordEnabled: true, passwordLastUsed: daysAgo(3) }),
          }),
        ],
      }),
      [
        ['medium', A('user/idle-key')],
        ['medium', A('user/idle-password')],
      ],
    ],
  ],
  'technical-user-broad-rights': [
    [
      'no console + s3:*, no console + one sns:Publish, console user with s3:*, unknown credentials with s3:*',
      snap({
        users: [
          aUser({
            name: 'svc-broad',
            credentials: creds(),
            inlinePolicies: [{ name: 'p', document: allowDocument('s3:*') }],
          }),
          aUser({
            name: 'svc-narrow',
            credentials: creds(),
            inlinePolicies: [{ name: 'p', document: allowDocument('sns:Publish', A('sns:topic')) }],
          }),
          aUser({
            name: 'person',
            credentials: creds({ passwordEnabled: true }),
            inlinePolicies: [{ name: 'p', document: allowDocument('s3:*') }],
          }),
          aUser({ name: 'unknown', inlinePolicies: [{ name: 'p', document: allowDocument('s3:*') }] }),
        ],
      }),
      [['medium', A('user/svc-broad')]],
    ],
    [
      'many services, IAM write',
      snap({
        users: [
          aUser({
            name: 'svc-many',
            credentials: creds(),
            inlinePolicies: [
              {
                name: 'p',
                document: allowDocument([
                  's3:GetObject',
                  'sqs:SendMessage',
                  'sns:Publish',
                  'ec2:DescribeInstances',
                ]),
              },
            ],
          }),
          aUser({
            name: 'svc-iam',
            credentials: creds(),
            inlinePolicies: [{ name: 'p', document: allowDocument(['iam:CreateAccessKey']) }],
          }),
          aUser({
            name: 'svc-iam-read',
            credentials: creds(),
            inlinePolicies: [{ name: 'p', document: allowDocument(['iam:GetUser']) }],
          }),
        ],
      }),
      [
        ['medium', A('user/svc-iam')],
        ['medium', A('user/svc-many')],
      ],
    ],
  ],
  'weak-password-policy': [
    ['CIS-strong', snap({}), []],
    ['length 8 only', snap({ passwordPolicy: { minimumPasswordLength: 8 } }), [['medium', A('root')]]],
    [
      'length 14 without reuse prevention',
      snap({ passwordPolicy: { ...STRONG, passwordReusePrevention: undefined } }),
      [['medium', A('root')]],
    ],
  ],
  'user-with-direct-policies': [
    [
      'attached directly, only through a group, inline only',
      snap({
        policies: [admin],
        groups: [aGroup({ name: 'G', attachedPolicies: [admin.arn] })],
        users: [
          aUser({ name: 'direct', attachedPolicies: [admin.arn] }),
          aUser({ name: 'grouped', groups: [A('group/G')] }),
          aUser({ name: 'inline', inlinePolicies: [{ name: 'p', document: allowDocument('s3:GetObject') }] }),
        ],
      }),
      [['low', A('user/direct')]],
    ],
  ],
  'inline-policy': [
    [
      'inline on a user, a group and a role; attached only',
      snap({
        policies: [admin],
        users: [
          aUser({ name: 'u', inlinePolicies: [{ name: 'p', document: allowDocument('s3:GetObject') }] }),
          aUser({ name: 'attached', attachedPolicies: [admin.arn] }),
        ],
        groups: [
          aGroup({ name: 'g', inlinePolicies: [{ name: 'p', document: allowDocument('s3:GetObject') }] }),
        ],
        roles: [
          aRole({ name: 'r', inlinePolicies: [{ name: 'p', document: allowDocument('s3:GetObject') }] }),
        ],
      }),
      [
        ['low', A('group/g')],
        ['low', A('role/r')],
        ['low', A('user/u')],
      ],
    ],
  ],
  'empty-group': [
    [
      'a group with a member, one without',
      snap({
        groups: [
          aGroup({ name: 'Used', attachedPolicies: [admin.arn] }),
          aGroup({ name: 'Empty', attachedPolicies: [admin.arn] }),
        ],
        users: [aUser({ name: 'u', groups: [A('group/Used')] })],
      }),
      [['low', A('group/Empty')]],
    ],
  ],
  'group-without-policies': [
    [
      'no policies, an inline policy, an attached policy',
      snap({
        groups: [
          aGroup({ name: 'Bare' }),
          aGroup({
            name: 'Inline',
            inlinePolicies: [{ name: 'p', document: allowDocument('s3:GetObject') }],
          }),
          aGroup({ name: 'Attached', attachedPolicies: [admin.arn] }),
        ],
      }),
      [['low', A('group/Bare')]],
    ],
  ],
};

describe('findings, one table per kind (positive and negative cases)', () => {
  for (const [kind, cases] of Object.entries(CASES))
    describe(kind, () => {
      for (const [name, snapshot, expected] of cases)
        it(name, () => {
          const got = findings(snapshot, { kind: kind as FindingKind });
          expect(got.map((f) => [f.severity, f.entities[0]])).toEqual(expected);
          for (const f of got) {
            expect(f.kind).toBe(kind);
            expect(f.message).not.toMatch(/\n/);
            expect(f.fix.length).toBeGreaterThan(10);
          }
        });
    });

  it('covers every kind but the completeness ones here; those are tested below', () => {
    expect(new Set([...Object.keys(CASES), 'credential-report-missing', 'password-policy-missing'])).toEqual(
      new Set(FINDING_KINDS),
    );
  });
});

describe('findings: details that matter to the reader', () => {
  it('ages are measured from collectedAt, not the clock: the same key is fresh in an early snapshot', () => {
    const users = [
      aUser({
        name: 'k',
        credentials: creds({ accessKeys: [anAccessKey({ lastRotated: '2024-01-01T00:00:00Z' })] }),
      }),
    ];
    expect(
      findings(snap({ users, collectedAt: '2024-03-01T00:00:00Z' }), { kind: 'access-key-not-rotated' }),
    ).toEqual([]);
    expect(
      findings(snap({ users, collectedAt: '2024-06-01T00:00:00Z' }), { kind: 'access-key-not-rotated' })[0]!
        .message,
    ).toBe("`k`'s access key #1 is 152 days old (created 2024-01-01)");
  });

  it('admin-equivalence names the granting policies and the condition', () => {
    const s = snap({
      policies: [admin],
      groups: [aGroup({ name: 'Admins', attachedPolicies: [admin.arn] })],
      users: [aUser({ name: 'grace', groups: [A('group/Admins')] })],
    });
    expect(adminEquivalence(s, s.users[0]!)).toEqual({
      decision: 'ALLOWED',
      conditions: [],
      grantedBy: [admin.arn],
    });
    const [f] = findings(s, { kind: 'admin-equivalent' });
    expect(f!.entities).toEqual([A('user/grace'), admin.arn]);
  });

  it('a weak password policy lists every gap against CIS', () => {
    const [f] = findings(snap({ passwordPolicy: { minimumPasswordLength: 8, requireSymbols: true } }), {
      kind: 'weak-password-policy',
    });
    expect(f!.message).toBe(
      'the password policy is weaker than CIS: minimum length 8 < 14, no reuse prevention, no upper-case letter required, no lower-case letter required, no number required',
    );
  });

  it('without a credential report or a password policy, warning findings say what was not checked', () => {
    const bare = aSnapshot({ users: [aUser({ name: 'a' })] });
    expect(
      findings(bare, { severity: 'warning' })
        .filter((f) => f.severity === 'warning')
        .map((f) => f.kind),
    ).toEqual(['credential-report-missing', 'password-policy-missing']);
    const full = snap({ users: [aUser({ name: 'a', credentials: creds() })] });
    expect(findings(full).filter((f) => f.severity === 'warning')).toEqual([]);
  });

  it('severity filter keeps that severity and the more severe ones, most severe first', () => {
    const s = snap({
      users: [
        aUser({ name: 'a', credentials: creds({ passwordEnabled: true, passwordLastUsed: daysAgo(1) }) }),
        aUser({ name: 'b', credentials: creds({ accessKeys: [anAccessKey(), anAccessKey({ slot: 2 })] }) }),
      ],
      accounts: [
        { id: '111122223333', root: { mfaActive: true, accessKeys: [anAccessKey()], certificates: [] } },
      ],
    });
    expect(findings(s).map((f) => f.kind)).toEqual([
      'root-access-key',
      'console-without-mfa',
      'two-active-access-keys',
    ]);
    expect(findings(s, { severity: 'high' }).map((f) => f.kind)).toEqual([
      'root-access-key',
      'console-without-mfa',
    ]);
  });
});
