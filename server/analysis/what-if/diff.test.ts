import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAccount, writeAccount } from '../../../bench/generate/generate-account.ts';
import { importBundle } from '../../../importers/index.ts';
import type { AccountSnapshot } from '../../../importers/snapshot/model.ts';
import { demo, importDemo } from '../../../test/api/demo-fixture.ts';
import { loadCatalog, type ActionCatalog } from '../../engine/catalog.ts';
import { parseChanges, type ChangeInput } from './changes.ts';
import { diffOverlay, diffSnapshots, type AccessDiff } from './diff.ts';
import { createGrantSource } from './grants.ts';
import { createAccessSource } from './access-source.ts';
import { buildEscalationGraph } from '../escalation/build.ts';
import { adminEquivalence } from '../admin-equivalent.ts';
import { applyChanges } from './overlay.ts';

let catalog: ActionCatalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

async function whatIf(snapshot: AccountSnapshot, input: ChangeInput[]): Promise<AccessDiff> {
  const parsed = parseChanges(input);
  expect(parsed.diagnostics).toEqual([]);
  const r = applyChanges(snapshot, parsed.changes!);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return diffOverlay(r.overlay!, { source: createGrantSource(catalog), adminOf: adminEquivalence });
}

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('what-if diff on the demo account', () => {
  let snapshot: AccountSnapshot;
  beforeAll(async () => {
    snapshot = deepFreeze(await importDemo());
  });

  it('attaching AmazonS3FullAccess to QA grants s3 write to exactly QA’s members (dave), revoking nothing', async () => {
    const d = await whatIf(snapshot, [
      { op: 'attachPolicy', policy: 'AmazonS3FullAccess', target: 'group/QA' },
    ]);
    expect(d.principals.map((p) => p.arn)).toEqual([demo.dave]);
    const dave = d.principals[0]!;
    expect(dave.revoked).toEqual([]);
    const s3Write = dave.byService.find((r) => r.service === 's3' && r.level === 'Write')!;
    expect(s3Write.granted).toBeGreaterThan(20);
    expect(dave.granted).toContainEqual({
      action: 's3:PutObject',
      service: 's3',
      level: 'Write',
      resource: '*',
      known: false,
      after: { decision: 'ALLOWED' },
    });
    // dave could already read through AmazonS3ReadOnlyAccess: reads are not new.
    expect(dave.granted.some((g) => g.action === 's3:GetObject')).toBe(false);
    expect(d.summary).toMatchObject({ principalsCompared: 1, principalsChanged: 1, revoked: 0 });
  });

  it('a Deny added to a group revokes from each member exactly what it denies', async () => {
    const d = await whatIf(snapshot, [
      {
        op: 'putInlinePolicy',
        target: 'group/Engineering',
        name: 'no-deletes',
        document: policy({ Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }),
      },
    ]);
    expect(d.principals.map((p) => p.arn).sort()).toEqual([demo.alice, demo.bob, demo.elena].sort());
    for (const p of d.principals) {
      expect(p.granted).toEqual([]);
      expect(p.revoked.map((r) => [r.action, r.resource])).toEqual([['s3:DeleteObject', '*']]);
    }
  });

  it('a permissions boundary removes what it does not allow, and grants nothing', async () => {
    const d = await whatIf(snapshot, [
      { op: 'setPermissionsBoundary', target: 'user/alice', policy: 'AmazonS3ReadOnlyAccess' },
    ]);
    const alice = d.principals.find((p) => p.arn === demo.alice)!;
    expect(alice.granted).toEqual([]);
    expect(alice.revoked.map((r) => r.action)).toContain('s3:PutObject');
    expect(alice.revoked.some((r) => r.action === 's3:GetObject')).toBe(false);
  });

  it('a condition added to a grant shows as a conditional change, not a grant or a revocation', async () => {
    const d = await whatIf(snapshot, [
      {
        op: 'putInlinePolicy',
        target: 'user/svc-notifier',
        name: 'mfa-only',
        document: policy({
          Effect: 'Deny',
          Action: 'sns:Publish',
          Resource: '*',
          Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
        }),
      },
    ]);
    const svc = d.principals[0]!;
    expect([svc.granted, svc.revoked]).toEqual([[], []]);
    expect(svc.conditional).toMatchObject([
      { action: 'sns:Publish', before: { decision: 'ALLOWED' }, after: { decision: 'CONDITIONAL' } },
    ]);
  });

  it('a deleted user loses everything, a created one gains what its group gives', async () => {
    const d = await whatIf(snapshot, [
      { op: 'deletePrincipal', target: 'user/svc-notifier' },
      { op: 'createUser', name: 'frank' },
      { op: 'addUserToGroup', user: 'frank', group: 'QA' },
    ]);
    expect(d.principals.map((p) => [p.name, p.change, p.granted.length > 0, p.revoked.length > 0])).toEqual([
      ['frank', 'created', true, false],
      ['svc-notifier', 'deleted', false, true],
    ]);
  });

  it('attaching IAMFullAccess makes dave admin-equivalent; deleting grace ends hers', async () => {
    const d = await whatIf(snapshot, [
      { op: 'attachPolicy', policy: 'IAMFullAccess', target: 'user/dave' },
      { op: 'deletePrincipal', target: 'user/grace' },
    ]);
    expect(d.admins).toEqual({
      gained: [{ arn: demo.dave, after: 'ALLOWED' }],
      lost: [{ arn: 'arn:aws:iam::111122223333:user/grace', before: 'ALLOWED' }],
    });
  });

  it('with access() (issue 4) as the source, the incremental diff equals the from-scratch one too', async () => {
    const r = applyChanges(
      snapshot,
      parseChanges([
        { op: 'attachPolicy', policy: 'AmazonS3FullAccess', target: 'group/QA' },
        { op: 'setPermissionsBoundary', target: 'user/bob', policy: 'AmazonS3ReadOnlyAccess' },
      ]).changes!,
    ).overlay!;
    const incremental = await diffOverlay(r, { source: createAccessSource(catalog) });
    const scratch = await diffSnapshots(snapshot, structuredClone(r.after), {
      source: createAccessSource(catalog),
    });
    expect(incremental.principals.map((p) => p.name)).toEqual(['bob', 'dave']);
    expect(incremental.principals).toEqual(scratch.principals);
    // access() also lists what each principal can do on the known buckets.
    expect(incremental.principals[1]!.granted.some((g) => g.known)).toBe(true);
  });

  it('adding a user to a group with iam:PassRole + lambda:CreateFunction creates a new path to admin', async () => {
    // Before: a Lambda role with AdministratorAccess, and a deployers group that may pass it to a new function.
    const trust = policy({
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: 'sts:AssumeRole',
    });
    const deployers = policy(
      { Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' },
      { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/lambda-*' },
    );
    const base = applyChanges(
      snapshot,
      parseChanges([
        { op: 'createRole', name: 'lambda-admin', document: trust },
        { op: 'attachPolicy', policy: 'AdministratorAccess', target: 'role/lambda-admin' },
        { op: 'createGroup', name: 'LambdaDeployers' },
        { op: 'putInlinePolicy', target: 'group/LambdaDeployers', name: 'deploy', document: deployers },
      ]).changes!,
    ).overlay!.after;
    // carol (finance) has no path to admin in the demo.
    const r = applyChanges(
      base,
      parseChanges([{ op: 'addUserToGroup', user: 'carol', group: 'LambdaDeployers' }]).changes!,
    );
    const d = await diffOverlay(r.overlay!, {
      source: createGrantSource(catalog),
      escalation: (s) => buildEscalationGraph(s),
    });
    const lambdaAdmin = 'arn:aws:iam::111122223333:role/lambda-admin';
    expect(d.escalation!.added).toContainEqual(
      expect.objectContaining({
        from: demo.carol,
        to: lambdaAdmin,
        kind: 'escalate',
        technique: 'lambda-001',
      }),
    );
    expect(d.escalation!.added.every((e) => e.from === demo.carol)).toBe(true);
    expect(d.escalation!.removed).toEqual([]);
    expect(d.escalation!.pathsToAdminGained).toEqual([demo.carol]);
    expect(d.summary).toMatchObject({ edgesRemoved: 0, pathsToAdminGained: 1, adminsGained: 0 });
  });
});

describe('property: the incremental what-if diff equals applying the change and recomputing from scratch', () => {
  let dir: string;
  let base: AccountSnapshot;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accessgraph-what-if-'));
    // A small account from the bench generator: every principal kind, groups, boundaries, bucket policies.
    await writeAccount(
      await generateAccount({
        users: 10,
        groups: 4,
        roles: 6,
        managedPolicies: 8,
        buckets: 3,
        seed: 'what-if',
      }),
      dir,
    );
    const r = await importBundle([dir]);
    base = deepFreeze(r.snapshot!);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers shared between principals with the same deciding statements equal each principal computed alone', () => {
    const shared = createGrantSource(catalog);
    const filter = new Set(catalog.expandAction('s3:*').map((a) => a.toLowerCase()));
    for (const p of [...base.users, ...base.roles])
      for (const f of [undefined, filter])
        expect(shared.grants(base, p.arn, f)).toEqual(createGrantSource(catalog).grants(base, p.arn, f));
    // …and sharing happened: fewer computations than principals × filters × (scopes + resources).
    expect(shared.computed).toBeLessThan(
      (base.users.length + base.roles.length) * 2 * (1 + base.resources.length),
    );
  }, 60_000);

  it('for random change sets, on affected principals and every other one', async () => {
    const users = base.users.map((u) => `user/${u.name}`);
    const groups = base.groups.map((g) => `group/${g.name}`);
    const roles = base.roles.map((r) => `role/${r.name}`);
    const targets = [...users, ...groups, ...roles];
    const policies = [
      ...base.policies.map((p) => p.arn),
      'AmazonS3FullAccess',
      'IAMFullAccess',
      'ReadOnlyAccess',
    ];
    const actions = [
      's3:GetObject',
      's3:PutObject',
      's3:*',
      'iam:PassRole',
      'lambda:*',
      'ec2:Describe*',
      '*',
    ];
    const bucket = base.resources[0]?.arn ?? 'arn:aws:s3:::none';
    const document = fc
      .array(
        fc.record({
          Effect: fc.constantFrom('Allow', 'Deny'),
          Action: fc.subarray(actions, { minLength: 1, maxLength: 2 }),
          Resource: fc.constantFrom('*', bucket, `${bucket}/*`),
        }),
        { minLength: 1, maxLength: 2 },
      )
      .map((st) => policy(...st));
    const change: fc.Arbitrary<ChangeInput> = fc.oneof(
      fc.record({
        op: fc.constant('attachPolicy' as const),
        policy: fc.constantFrom(...policies),
        target: fc.constantFrom(...targets),
      }),
      fc.record({
        op: fc.constant('putInlinePolicy' as const),
        target: fc.constantFrom(...targets),
        name: fc.constantFrom('a', 'b'),
        document,
      }),
      fc.record({
        op: fc.constant('addUserToGroup' as const),
        user: fc.constantFrom(...users),
        group: fc.constantFrom(...groups),
      }),
      fc.record({
        op: fc.constant('setPermissionsBoundary' as const),
        target: fc.constantFrom(...users, ...roles),
        policy: fc.constantFrom(...policies),
      }),
      fc.record({ op: fc.constant('deletePrincipal' as const), target: fc.constantFrom(...targets) }),
      // Changes that need something present: drawn from the base account, so most apply.
      ...base.users.flatMap((u) => [
        ...u.groups.map((g) =>
          fc.constant<ChangeInput>({ op: 'removeUserFromGroup', user: u.arn, group: g }),
        ),
        ...(u.permissionsBoundary
          ? [fc.constant<ChangeInput>({ op: 'removePermissionsBoundary', target: u.arn })]
          : []),
      ]),
      ...[...base.users, ...base.groups, ...base.roles].flatMap((e) =>
        e.attachedPolicies.map((p) =>
          fc.constant<ChangeInput>({ op: 'detachPolicy', policy: p, target: e.arn }),
        ),
      ),
    );
    let applied = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 3 }), async (input) => {
        const parsed = parseChanges(input);
        expect(parsed.diagnostics).toEqual([]);
        const r = applyChanges(base, parsed.changes!);
        if (!r.overlay) return; // e.g. detaching twice: refused with a diagnostic, nothing to compare
        applied++;
        const adminOf = adminEquivalence;
        const incremental = await diffOverlay(r.overlay, { source: createGrantSource(catalog), adminOf });
        const scratch = await diffSnapshots(base, structuredClone(r.overlay.after), {
          source: createGrantSource(catalog),
          adminOf,
        });
        expect(incremental.principals).toEqual(scratch.principals);
        expect(incremental.admins).toEqual(scratch.admins);
        expect({ ...incremental.summary, principalsCompared: 0 }).toEqual({
          ...scratch.summary,
          principalsCompared: 0,
        });
      }),
      { numRuns: 12, seed: 7 },
    );
    expect(applied).toBeGreaterThan(6);
  }, 120_000);
});
