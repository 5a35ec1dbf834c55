/** who-can with includeIndirect: principals reaching a permission by assuming roles (role trust as resource policy). */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountSnapshot, IamRole, IamUser } from '../../schema/snapshot.ts';
import { SNAPSHOT_SCHEMA_VERSION } from '../../schema/snapshot.ts';
import { demo, importDemo } from '../../test/api/demo-fixture.ts';
import { whoCan, type WhoCanEntry } from './who-can.ts';
import { SnapshotAnalysis } from './snapshot-analysis.ts';

const ACCOUNT = '111122223333';
const PLATFORM_ADMIN = `arn:aws:iam::${ACCOUNT}:role/platform-admin`;
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const byName = (entries: WhoCanEntry[], name: string) => entries.filter((e) => e.principal.name === name);

describe('sts:AssumeRole on a role is decided by its trust policy', () => {
  let snapshot: AccountSnapshot;
  beforeAll(async () => {
    snapshot = await importDemo();
  }, 60_000);

  it('platform-admin trusts this account with MFA: grace (AdministratorAccess) is CONDITIONAL on MFA', async () => {
    const a = await whoCan(SnapshotAnalysis.of(snapshot), {
      action: 'sts:AssumeRole',
      resource: PLATFORM_ADMIN,
    });
    expect(a.resourcePolicyId).toBe(`${PLATFORM_ADMIN}#trust-policy`);
    const grace = byName(a.entries, 'grace')[0]!;
    expect(grace.decision).toBe('CONDITIONAL');
    expect(grace.conditions).toBe('aws:MultiFactorAuthPresent = true');
    // Engineering has only S3: no identity Allow for sts:AssumeRole, and the trust policy names the account only.
    expect(byName(a.entries, 'alice')).toEqual([]);
  });

  it('with MFA in a complete context grace is ALLOWED; without it, nobody', async () => {
    const mfa = await whoCan(SnapshotAnalysis.of(snapshot), {
      action: 'sts:AssumeRole',
      resource: PLATFORM_ADMIN,
      context: { 'aws:MultiFactorAuthPresent': 'true' },
      strictContext: true,
    });
    expect(byName(mfa.entries, 'grace')[0]!.decision).toBe('ALLOWED');
    const none = await whoCan(SnapshotAnalysis.of(snapshot), {
      action: 'sts:AssumeRole',
      resource: PLATFORM_ADMIN,
      context: { 'aws:MultiFactorAuthPresent': 'false' },
      strictContext: true,
    });
    expect(none.entries).toEqual([]);
  });
});

describe('includeIndirect on the demo', () => {
  let snapshot: AccountSnapshot;
  beforeAll(async () => {
    const s = await importDemo();
    // dave (QA) may call sts:AssumeRole on platform-admin: through it he reaches everything, under MFA.
    snapshot = {
      ...s,
      users: s.users.map((u) =>
        u.arn === demo.dave
          ? {
              ...u,
              inlinePolicies: [
                ...u.inlinePolicies,
                {
                  name: 'assume-admin',
                  document: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: PLATFORM_ADMIN }),
                },
              ],
            }
          : u,
      ),
    };
  }, 60_000);

  it('dave reaches iam:CreateUser through platform-admin, CONDITIONAL on MFA, flagged indirect with the path', async () => {
    const a = await whoCan(SnapshotAnalysis.of(snapshot), {
      action: 'iam:CreateUser',
      resource: '*',
      includeIndirect: true,
    });
    const dave = byName(a.entries, 'dave');
    expect(dave).toHaveLength(1);
    expect(dave[0]).toMatchObject({
      indirect: true,
      decision: 'CONDITIONAL',
      conditions: 'aws:MultiFactorAuthPresent = true',
      path: [demo.dave, PLATFORM_ADMIN],
    });
    // The direct holders are listed once, not again as indirect (grace can also assume platform-admin).
    expect(byName(a.entries, 'grace').map((e) => e.indirect ?? false)).toEqual([false]);
    expect(byName(a.entries, 'platform-admin').map((e) => e.indirect ?? false)).toEqual([false]);
  });

  it('without includeIndirect dave is not listed', async () => {
    const a = await whoCan(SnapshotAnalysis.of(snapshot), { action: 'iam:CreateUser', resource: '*' });
    expect(byName(a.entries, 'dave')).toEqual([]);
  });

  it('dave is not listed for what he already has directly (s3:GetObject through QA)', async () => {
    const a = await whoCan(SnapshotAnalysis.of(snapshot), {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::example-corp-engineering/x',
      includeIndirect: true,
    });
    expect(byName(a.entries, 'dave').map((e) => e.indirect ?? false)).toEqual([false]);
  });
});

describe('includeIndirect on a hand-built chain', () => {
  // u → (assume) hop → (assume) holder, which alone can read the bucket; holder and hop trust each other (a cycle).
  const arn = (kind: string, name: string) => `arn:aws:iam::${ACCOUNT}:${kind}/${name}`;
  const assume = (target: string) => doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: target });
  const trusts = (principal: string, condition?: object) =>
    doc({
      Effect: 'Allow',
      Principal: { AWS: principal },
      Action: 'sts:AssumeRole',
      ...(condition ? { Condition: condition } : {}),
    });
  const role = (name: string, trust: string, inline: string[]): IamRole => ({
    kind: 'role',
    arn: arn('role', name),
    name,
    id: `AROA${name.toUpperCase()}`,
    path: '/',
    inlinePolicies: inline.map((document, i) => ({ name: `p${i}`, document })),
    attachedPolicies: [],
    tags: {},
    trustPolicy: trust,
    instanceProfiles: [],
  });
  const user: IamUser = {
    kind: 'user',
    arn: arn('user', 'u'),
    name: 'u',
    id: 'AIDAU',
    path: '/',
    inlinePolicies: [{ name: 'p', document: assume(arn('role', 'hop')) }],
    attachedPolicies: [],
    groups: [],
    tags: {},
  };
  const snapshot: AccountSnapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    accountId: ACCOUNT,
    partition: 'aws',
    accounts: [{ id: ACCOUNT }],
    label: 'chain',
    sourceFiles: [],
    users: [user],
    groups: [],
    roles: [
      role(
        'hop',
        doc(
          { Effect: 'Allow', Principal: { AWS: arn('user', 'u') }, Action: 'sts:AssumeRole' },
          { Effect: 'Allow', Principal: { AWS: arn('role', 'holder') }, Action: 'sts:AssumeRole' },
        ),
        [assume(arn('role', 'holder'))],
      ),
      role('holder', trusts(arn('role', 'hop'), { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }), [
        doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' }),
        assume(arn('role', 'hop')),
      ]),
    ],
    policies: [],
    resources: [],
    warnings: [],
  };
  const q = { action: 's3:GetObject', resource: 'arn:aws:s3:::data/x', includeIndirect: true };

  it('follows two hops; the hop conditions combine; the cycle back to holder is not followed', async () => {
    const a = await whoCan(SnapshotAnalysis.of(snapshot), q);
    expect(a.entries.map((e) => [e.principal.name, e.indirect ?? false, e.path ?? []])).toEqual([
      ['holder', false, []],
      ['hop', true, [arn('role', 'hop'), arn('role', 'holder')]],
      ['u', true, [arn('user', 'u'), arn('role', 'hop'), arn('role', 'holder')]],
    ]);
    const u = byName(a.entries, 'u')[0]!;
    // hop → holder needs aws:RequestedRegion; u → hop is unconditional: u is CONDITIONAL on the region.
    expect(u.decision).toBe('CONDITIONAL');
    expect(u.conditions).toContain('aws:RequestedRegion');
    expect(a.notes.some((n) => n.includes('role chaining'))).toBe(true);
  });

  it('maxDepth 1 stops after one hop', async () => {
    const a = await whoCan(SnapshotAnalysis.of(snapshot), { ...q, maxDepth: 1 });
    expect(a.entries.map((e) => e.principal.name)).toEqual(['holder', 'hop']);
  });
});
