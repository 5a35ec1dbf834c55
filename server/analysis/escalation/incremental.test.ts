/**
 * The incremental escalation graph equals a full build of the changed snapshot, for random change sets on a
 * generated account (edges, fan-out entries and admin verdicts compared as sorted canonical sets).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { propertyRuns } from '../../../test/support/property.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAccount, writeAccount } from '../../../bench/generate/generate-account.ts';
import { importBundle } from '../../../importers/index.ts';
import type { AccountSnapshot } from '../../../schema/snapshot.ts';
import { demo, importDemo } from '../../../test/api/demo-fixture.ts';
import { parseChanges, type ChangeInput } from '../what-if/changes.ts';
import { applyChanges } from '../what-if/overlay.ts';
import { buildEscalationGraphWith } from './build.ts';
import type { EscalationGraph } from './graph.ts';
import { updateEscalationGraphWith } from './incremental.ts';
import { sameEscalation } from '../what-if/escalation-keys.ts';
import { loadTechniques } from './techniques/load.ts';
import type { TechniqueRule } from './techniques/rules.ts';

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

function canonical(g: EscalationGraph) {
  return {
    edges: g.edges.map((e) => JSON.stringify(e)).sort(),
    fanOut: (g.fanOut ?? [])
      .map((f) =>
        JSON.stringify({
          ...f,
          targets: [...f.targets].sort(),
          memberConditions: f.memberConditions && [...f.memberConditions].sort(),
        }),
      )
      .sort(),
    admins: [...g.admins].map(([a, v]) => JSON.stringify([a, v])).sort(),
  };
}

let techniques: TechniqueRule[];
beforeAll(async () => {
  techniques = await loadTechniques();
});

/** The (from, to, technique) steps of the edges and fan-out entries of `g` that `before` does not hold. */
function stepsAdded(g: EscalationGraph, before: EscalationGraph): string[][] {
  const out = g.edges.filter((e) => !before.edges.includes(e)).map((e) => [e.from, e.to, e.technique]);
  for (const f of g.fanOut ?? [])
    if (!before.fanOut?.includes(f)) for (const t of f.targets) out.push([f.from, t, f.technique]);
  return out;
}

function update(base: AccountSnapshot, before: EscalationGraph, input: ChangeInput[]) {
  const parsed = parseChanges(input);
  expect(parsed.diagnostics).toEqual([]);
  const r = applyChanges(base, parsed.changes!);
  if (!r.overlay) return undefined;
  const incremental = updateEscalationGraphWith(before, r.overlay, techniques);
  const scratch = buildEscalationGraphWith(structuredClone(r.overlay.after), techniques);
  return { incremental, scratch };
}

describe('updateEscalationGraph across accounts', () => {
  it("a cross-account role's trust changed, or a role created, re-evaluates its class: equal to a full build", async () => {
    const { aRole, aSnapshot, aUser, allowDocument } = await import('../../../test/support/builders.ts');
    const [A, B] = ['111122223333', '444455556666'];
    const trust = (external?: string, account = B) =>
      policy({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'sts:AssumeRole',
        ...(external ? { Condition: { StringEquals: { 'sts:ExternalId': external } } } : {}),
      });
    const roles = ['p0', 'p1', 'p2'].map((name) => aRole({ name, trustPolicy: trust(`ext-${name}`) }));
    const callers = ['c0', 'c1'].map((name) =>
      aUser({
        name,
        account: B,
        inlinePolicies: [{ name: 'sts', document: allowDocument('sts:AssumeRole') }],
      }),
    );
    const base = aSnapshot({ users: callers, roles, accounts: [{ id: A }, { id: B }] });
    const before = buildEscalationGraphWith(base, techniques);
    expect(before.fanOut?.[0]?.memberConditions?.size).toBe(3);
    for (const input of [
      [{ op: 'updateTrustPolicy', target: roles[1]!.arn, document: trust('changed') }],
      [{ op: 'updateTrustPolicy', target: roles[1]!.arn, document: trust(undefined, A) }],
      [{ op: 'createRole', name: 'p3', document: trust('ext-p3') }],
      [{ op: 'deletePrincipal', target: roles[0]!.arn }],
    ] as ChangeInput[][]) {
      const r = update(base, before, input)!;
      expect(canonical(r.incremental)).toEqual(canonical(r.scratch));
    }
  });
});

describe('updateEscalationGraph on the demo', () => {
  it('adding carol to a group with PassRole + lambda:CreateFunction adds her edges, and only hers', async () => {
    const trust = policy({
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: 'sts:AssumeRole',
    });
    const base = applyChanges(
      await importDemo(),
      parseChanges([
        { op: 'createRole', name: 'lambda-admin', document: trust },
        { op: 'attachPolicy', policy: 'AdministratorAccess', target: 'role/lambda-admin' },
        { op: 'createGroup', name: 'LambdaDeployers' },
        {
          op: 'putInlinePolicy',
          target: 'group/LambdaDeployers',
          name: 'deploy',
          document: policy(
            { Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' },
            { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/lambda-*' },
          ),
        },
      ]).changes!,
    ).overlay!.after;
    const before = buildEscalationGraphWith(base, techniques);
    const r = update(base, before, [{ op: 'addUserToGroup', user: 'carol', group: 'LambdaDeployers' }])!;
    expect(canonical(r.incremental)).toEqual(canonical(r.scratch));
    const added = stepsAdded(r.incremental, before);
    expect(added).toContainEqual([demo.carol, 'arn:aws:iam::111122223333:role/lambda-admin', 'lambda-001']);
    // Everyone else's edges are the before graph's own objects (shared, not recomputed).
    expect(added.every(([from]) => from === demo.carol)).toBe(true);
  });
});

describe('updateEscalationGraph re-evaluates a source only for the techniques its change can touch', () => {
  const trust = policy({
    Effect: 'Allow',
    Principal: { Service: 'lambda.amazonaws.com' },
    Action: 'sts:AssumeRole',
  });
  /**
   * The demo with an admin role lambda trusts, and carol allowed PassRole and InvokeFunction (not CreateFunction)
   * and CreateAccessKey (edges of her own before any change).
   */
  async function halfway() {
    const base = applyChanges(
      await importDemo(),
      parseChanges([
        { op: 'createRole', name: 'lambda-admin', document: trust },
        { op: 'attachPolicy', policy: 'AdministratorAccess', target: 'role/lambda-admin' },
        {
          op: 'putInlinePolicy',
          target: 'user/carol',
          name: 'half',
          document: policy(
            { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: '*' },
            { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/lambda-*' },
            { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: '*' },
          ),
        },
      ]).changes!,
    ).overlay!.after;
    return { base, before: buildEscalationGraphWith(base, techniques) };
  }

  it("a policy naming only lambda:CreateFunction (no PassRole, no IAM) completes carol's lambda-001 edge", async () => {
    const { base, before } = await halfway();
    const r = update(base, before, [
      {
        op: 'putInlinePolicy',
        target: 'user/carol',
        name: 'create',
        document: policy({ Effect: 'Allow', Action: 'lambda:CreateFunction', Resource: '*' }),
      },
    ])!;
    expect(canonical(r.incremental)).toEqual(canonical(r.scratch));
    expect(stepsAdded(r.incremental, before)).toContainEqual([
      demo.carol,
      'arn:aws:iam::111122223333:role/lambda-admin',
      'lambda-001',
    ]);
  });

  it("a policy naming only S3 actions re-evaluates nothing: every edge is the before graph's own", async () => {
    const { base, before } = await halfway();
    const r = update(base, before, [
      { op: 'attachPolicy', policy: 'AmazonS3FullAccess', target: 'user/carol' },
    ])!;
    expect(canonical(r.incremental)).toEqual(canonical(r.scratch));
    const carols = (g: EscalationGraph) =>
      [...g.edges, ...(g.fanOut ?? [])].filter((e) => e.from === demo.carol);
    expect(carols(before).length).toBeGreaterThan(0);
    expect(carols(r.incremental)).toEqual(carols(before));
    expect(carols(r.incremental).every((e) => carols(before).includes(e))).toBe(true);
  });
});

describe('updateEscalationGraph and AddUserToGroup (iam-013: a group whose policies make the source admin)', () => {
  /** The demo with carol allowed iam:AddUserToGroup on `groups` (an iam-013 edge if one of them is admin). */
  async function carolMayAddTo(groups: string) {
    const base = applyChanges(
      await importDemo(),
      parseChanges([
        {
          op: 'putInlinePolicy',
          target: 'user/carol',
          name: 'groups',
          document: policy({ Effect: 'Allow', Action: 'iam:AddUserToGroup', Resource: groups }),
        },
      ]).changes!,
    ).overlay!.after;
    return { base, before: buildEscalationGraphWith(base, techniques) };
  }
  const iam013 = (g: EscalationGraph) => g.edges.filter((e) => e.technique === 'iam-013').map((e) => e.from);

  it('a group gaining a statement the admin verdict reads is evaluated again: QA made admin gives carol an edge', async () => {
    const { base, before } = await carolMayAddTo('arn:aws:iam::111122223333:group/QA');
    expect(iam013(before)).not.toContain(demo.carol);
    const r = update(base, before, [
      { op: 'attachPolicy', policy: 'AdministratorAccess', target: 'group/QA' },
    ])!;
    expect(canonical(r.incremental)).toEqual(canonical(r.scratch));
    expect(iam013(r.incremental)).toContain(demo.carol);
  });

  it('answers evaluated again that come out the same keep their objects in place', async () => {
    // The demo's Admins group has AdministratorAccess: carol's edge exists before any change.
    const { base, before } = await carolMayAddTo('*');
    const i = before.edges.findIndex((e) => e.technique === 'iam-013');
    // Not the last edge: a re-evaluated answer appended at the end would move it.
    expect(i).toBeGreaterThanOrEqual(0);
    expect(i).toBeLessThan(before.edges.length - 1);
    // A statement on QA naming a probe action: every source's AddUserToGroup answer is evaluated again, and none
    // changes (it denies on a group that does not exist).
    const r = update(base, before, [
      {
        op: 'putInlinePolicy',
        target: 'group/QA',
        name: 'deny',
        document: policy({
          Effect: 'Deny',
          Action: 'iam:PutGroupPolicy',
          Resource: 'arn:aws:iam::111122223333:group/none',
        }),
      },
    ])!;
    expect(canonical(r.incremental)).toEqual(canonical(r.scratch));
    expect(r.incremental.edges.length).toBe(before.edges.length);
    expect(r.incremental.edges.every((e, k) => e === before.edges[k])).toBe(true);
    // So the diff knows the graph unchanged without keying it (what-if/escalation-keys.ts).
    expect(sameEscalation(before, r.incremental)).toBe(true);
  });
});

describe('property: the incremental escalation graph equals a full build of the changed snapshot', () => {
  let dir: string;
  let base: AccountSnapshot;
  let before: EscalationGraph;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accessgraph-escalation-update-'));
    await writeAccount(
      await generateAccount({
        users: 30,
        groups: 5,
        roles: 20,
        managedPolicies: 12,
        buckets: 2,
        seed: 'inc',
      }),
      dir,
    );
    base = (await importBundle([dir])).snapshot!;
    before = buildEscalationGraphWith(base, techniques);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('for random change sets (policies, groups, boundaries, trust, created and deleted principals)', async () => {
    const users = base.users.slice(0, 8).map((u) => `user/${u.name}`);
    const groups = base.groups.map((g) => `group/${g.name}`);
    const roles = base.roles.slice(0, 8).map((r) => `role/${r.name}`);
    const targets = [...users, ...groups, ...roles, 'user/new-user', 'role/new-role'];
    const policies = [
      ...base.policies.slice(0, 6).map((p) => p.arn),
      'IAMFullAccess',
      'AdministratorAccess',
      'AWSLambda_FullAccess',
      'ReadOnlyAccess',
      'AmazonS3FullAccess',
    ];
    // Escalation-relevant permissions, alone and together.
    const actions = [
      'iam:PassRole',
      'lambda:CreateFunction',
      'lambda:InvokeFunction',
      'iam:CreateAccessKey',
      'iam:AttachUserPolicy',
      'iam:AttachRolePolicy',
      'iam:AddUserToGroup',
      'iam:UpdateAssumeRolePolicy',
      'iam:CreatePolicyVersion',
      'sts:AssumeRole',
      'ec2:RunInstances',
      '*',
      // Actions no technique evaluates: a change naming only these re-evaluates nothing for its sources.
      's3:GetObject',
      's3:*',
    ];
    const document = fc
      .array(
        fc.record({
          Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
          Action: fc.subarray(actions, { minLength: 1, maxLength: 3 }),
          // Whole classes, a named target, and the source itself (parts and self-references in the builder).
          Resource: fc.constantFrom(
            '*',
            'arn:aws:iam::*:role/*',
            `${base.roles[0]!.arn}`,
            `${base.users[1]!.arn}`,
            'arn:aws:iam::*:user/${aws:username}',
          ),
        }),
        { minLength: 1, maxLength: 2 },
      )
      .map((st) => policy(...st));
    const trustDocs = [
      policy({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
      policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }),
      policy({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${base.accountId}:root` },
        Action: 'sts:AssumeRole',
      }),
      policy({ Effect: 'Allow', Principal: { AWS: base.users[0]!.arn }, Action: 'sts:AssumeRole' }),
      base.roles[1]!.trustPolicy,
    ];
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
        user: fc.constantFrom(...users, 'user/new-user'),
        group: fc.constantFrom(...groups),
      }),
      fc.record({
        op: fc.constant('setPermissionsBoundary' as const),
        target: fc.constantFrom(...users, ...roles),
        policy: fc.constantFrom(...policies),
      }),
      fc.record({
        op: fc.constant('updateTrustPolicy' as const),
        target: fc.constantFrom(...roles, 'role/new-role'),
        document: fc.constantFrom(...trustDocs),
      }),
      fc.record({ op: fc.constant('deletePrincipal' as const), target: fc.constantFrom(...targets) }),
      fc.constant<ChangeInput>({ op: 'createUser', name: 'new-user' }),
      fc.record({ op: fc.constant('createGroup' as const), name: fc.constant('new-group') }),
      fc.record({
        op: fc.constant('addUserToGroup' as const),
        user: fc.constantFrom(...users),
        group: fc.constant('group/new-group'),
      }),
      // Changes that need something present: drawn from the base account, so most apply.
      ...base.users
        .slice(0, 8)
        .flatMap((u) => [
          ...u.groups.map((g) =>
            fc.constant<ChangeInput>({ op: 'removeUserFromGroup', user: u.arn, group: g }),
          ),
          ...(u.permissionsBoundary
            ? [fc.constant<ChangeInput>({ op: 'removePermissionsBoundary', target: u.arn })]
            : []),
        ]),
      ...[...base.groups, ...base.roles.slice(0, 8)].flatMap((e) =>
        e.attachedPolicies.map((p) =>
          fc.constant<ChangeInput>({ op: 'detachPolicy', policy: p, target: e.arn }),
        ),
      ),
      ...base.policies
        .filter((p) => p.kind === 'customerManaged')
        .slice(0, 4)
        .map((p) => fc.constant<ChangeInput>({ op: 'deletePolicy', policy: p.arn })),
      fc.record({
        op: fc.constant('createRole' as const),
        name: fc.constant('new-role'),
        document: fc.constantFrom(...trustDocs),
      }),
    );
    let applied = 0;
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 4 }), (input) => {
        const r = update(base, before, input);
        if (!r) return;
        applied++;
        expect(canonical(r.incremental)).toEqual(canonical(r.scratch));
      }),
      propertyRuns(60, 11),
    );
    expect(applied).toBeGreaterThan(25);
  }, 300_000);
});
