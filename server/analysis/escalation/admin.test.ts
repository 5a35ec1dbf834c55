import { describe, expect, it } from 'vitest';
import {
  aPolicy,
  aRole,
  aSnapshot,
  aUser,
  allowDocument,
  ACCOUNT_ID,
} from '../../../test/support/builders.ts';
import type { AccountSnapshot } from '../../../schema/snapshot.ts';
import { adminEquivalence } from './admin.ts';

const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const adminAccess = aPolicy({ name: 'AdministratorAccess', awsManaged: true, document: allowDocument('*') });
const iamFull = aPolicy({ name: 'IAMFullAccess', awsManaged: true, document: allowDocument('iam:*') });
const powerUser = aPolicy({
  name: 'PowerUserAccess',
  awsManaged: true,
  document: doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }),
});
const s3Only = aPolicy({ name: 'S3Only', document: allowDocument('s3:*') });

function snap(users: Parameters<typeof aUser>[0][], extra: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return aSnapshot({
    users: users.map(aUser),
    policies: [adminAccess, iamFull, powerUser, s3Only],
    ...extra,
  });
}
const arn = (name: string) => `arn:aws:iam::${ACCOUNT_ID}:user/${name}`;

describe('adminEquivalence: full control of IAM on *, boundary and SCPs applied', () => {
  it('AdministratorAccess and IAMFullAccess are admin-equivalent, with the granting statement as evidence', () => {
    const s = snap([
      { name: 'root-ish', attachedPolicies: [adminAccess.arn] },
      { name: 'iam-admin', attachedPolicies: [iamFull.arn] },
    ]);
    const v = adminEquivalence(s, arn('root-ish'))!;
    expect(v.decision).toBe('ALLOWED');
    expect(v.evidence.map((e) => e.path)).toEqual(['user root-ish → AdministratorAccess → Statement[0]']);
    expect(adminEquivalence(s, arn('iam-admin'))?.decision).toBe('ALLOWED');
  });

  it('PowerUserAccess (NotAction iam:*) is not, nor IAM actions on some ARNs only', () => {
    const scoped = doc({ Effect: 'Allow', Action: 'iam:*', Resource: `arn:aws:iam::${ACCOUNT_ID}:user/x` });
    const s = snap([
      { name: 'power', attachedPolicies: [powerUser.arn] },
      { name: 'scoped', inlinePolicies: [{ name: 'i', document: scoped }] },
    ]);
    expect(adminEquivalence(s, arn('power'))).toBeUndefined();
    expect(adminEquivalence(s, arn('scoped'))).toBeUndefined();
  });

  it('an explicit Deny of one probe in another policy removes it', () => {
    const deny = doc({ Effect: 'Deny', Action: 'iam:PutUserPolicy', Resource: '*' });
    const s = snap([
      { name: 'a', attachedPolicies: [adminAccess.arn], inlinePolicies: [{ name: 'd', document: deny }] },
    ]);
    expect(adminEquivalence(s, arn('a'))).toBeUndefined();
  });

  it('a boundary caps it, unless the principal may delete its own boundary', () => {
    const s = snap([
      { name: 'capped', attachedPolicies: [adminAccess.arn], permissionsBoundary: s3Only.arn },
      { name: 'iam-bound', attachedPolicies: [adminAccess.arn], permissionsBoundary: iamFull.arn },
    ]);
    expect(adminEquivalence(s, arn('capped'))).toBeUndefined();
    // The IAMFullAccess boundary allows the probes and iam:DeleteUserPermissionsBoundary on itself.
    expect(adminEquivalence(s, arn('iam-bound'))?.decision).toBe('ALLOWED');
  });

  it('an SCP denying IAM writes in the account removes it (PMapper ignored SCPs for admin)', () => {
    const scp = (id: string, document: string) => ({
      arn: id,
      id,
      name: id,
      type: 'SERVICE_CONTROL_POLICY' as const,
      awsManaged: false,
      document,
      targets: [] as string[],
    });
    const full = { ...scp('p-full', allowDocument('*')), targets: ['r-root', ACCOUNT_ID] };
    const noIam = {
      ...scp('p-noiam', doc({ Effect: 'Deny', Action: 'iam:Attach*', Resource: '*' })),
      targets: [ACCOUNT_ID],
    };
    const organization = {
      id: 'o-example',
      managementAccountId: '999999999999',
      nodes: [
        { id: 'r-root', kind: 'root' as const, name: 'Root' },
        { id: ACCOUNT_ID, kind: 'account' as const, name: 'member', parentId: 'r-root' },
      ],
      policies: [full, noIam],
    };
    const users = [{ name: 'a', attachedPolicies: [adminAccess.arn] }];
    expect(adminEquivalence(snap(users), arn('a'))?.decision).toBe('ALLOWED');
    expect(adminEquivalence(snap(users, { organization }), arn('a'))).toBeUndefined();
  });

  it('an MFA condition makes it CONDITIONAL with the residual; roles are evaluated as sessions', () => {
    const mfa = doc({
      Effect: 'Allow',
      Action: '*',
      Resource: '*',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    });
    const s = aSnapshot({
      roles: [aRole({ name: 'ops', inlinePolicies: [{ name: 'mfa', document: mfa }] })],
    });
    const v = adminEquivalence(s, `arn:aws:iam::${ACCOUNT_ID}:role/ops`)!;
    expect(v.decision).toBe('CONDITIONAL');
    expect(v.conditions).toEqual(['aws:MultiFactorAuthPresent = true']);
  });
});
