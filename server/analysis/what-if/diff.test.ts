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
import { loadCatalog, type ActionCatalog } from '../../engine/catalog.ts';
import { parseChanges, type ChangeInput } from './changes.ts';
import { compareEscalation, diffOverlay, diffSnapshots, type AccessDiff } from './diff.ts';
import { createGrantSource } from './grants.ts';
import { compilePolicySet, evaluateCompiled, parsePolicy, renderCondition } from '../../engine/index.ts';
import { requestPrincipalOf } from '../candidate-index.ts';
import { principalPolicySet } from '../policy-set.ts';
import { patternFitsAction } from '../arn-patterns.ts';
import { createAccessSource } from './access-source.ts';
import { buildEscalationGraph } from '../escalation/build.ts';
import { updateEscalationGraph } from '../escalation/incremental.ts';
import { arn, testGraph, testGraphWithFanOut } from '../escalation/test-graph.ts';
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

  // "Some AWS services do not allow you to specify actions for individual resources … you use the wildcard
  // character (*) in the Resource element" —
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
  it('a grant on a bucket’s objects lists no action that takes only `*` there', async () => {
    const objects = 'arn:aws:s3:::example-corp-reports/*';
    const d = await whatIf(snapshot, [
      {
        op: 'putInlinePolicy',
        target: 'user/dave',
        name: 'reports-objects',
        document: policy({ Effect: 'Allow', Action: 's3:*', Resource: objects }),
      },
    ]);
    const onObjects = new Set(
      d.principals[0]!.granted.filter((g) => g.resource === objects).map((g) => g.action),
    );
    expect(onObjects.has('s3:GetObject')).toBe(true);
    // An action without resource types takes `*` only.
    expect(onObjects.has('s3:ListAllMyBuckets')).toBe(false);
    expect(onObjects.has('s3:CreateStorageLensGroup')).toBe(false);
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

  it('a new version of a policy held through a group and directly: the incremental diff equals the from-scratch one', async () => {
    // QAServiceAccountKeys is attached to QA (dave); ReportsReadOnly to carol. Widen one, narrow the other.
    const r = applyChanges(
      snapshot,
      parseChanges([
        {
          op: 'updatePolicy',
          policy: 'QAServiceAccountKeys',
          document: policy({ Effect: 'Allow', Action: 'iam:*AccessKey*', Resource: '*' }),
        },
        {
          op: 'updatePolicy',
          policy: 'arn:aws:iam::111122223333:policy/ReportsReadOnly',
          document: policy({
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: 'arn:aws:s3:::example-corp-reports',
          }),
        },
      ]).changes!,
    ).overlay!;
    const source = createGrantSource(catalog);
    const incremental = await diffOverlay(r, { source });
    const scratch = await diffSnapshots(snapshot, structuredClone(r.after), { source });
    expect(incremental.principals.map((p) => p.name)).toEqual(['carol', 'dave']);
    expect(incremental.principals).toEqual(scratch.principals);
    expect(incremental.principals[0]!.revoked.map((g) => g.action)).toEqual(['s3:GetObject']);
    expect(incremental.principals[1]!.granted.map((g) => `${g.action} ${g.resource}`)).toContain(
      'iam:CreateAccessKey *',
    );
  });

  it('with access() as the source, the incremental diff equals the from-scratch one too', async () => {
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
    // carol passes any lambda-* role the service trusts: one fan-out entry, whose class holds lambda-admin.
    const entry = d.escalation!.fanOutAdded.find(
      (f) => f.from === demo.carol && f.technique === 'lambda-001',
    );
    expect(d.escalation!.classes.find((c) => c.id === entry?.classId)?.members).toContain(lambdaAdmin);
    expect(entry).toMatchObject({ kind: 'escalate', conditional: false });
    expect([...d.escalation!.added, ...d.escalation!.fanOutAdded].every((e) => e.from === demo.carol)).toBe(
      true,
    );
    expect(d.escalation!.removed).toEqual([]);
    expect(d.escalation!.pathsToAdminGained).toEqual([demo.carol]);
    expect(d.summary).toMatchObject({ edgesRemoved: 0, pathsToAdminGained: 1, adminsGained: 0 });
  });
});

describe('compareEscalation on hand-built graphs (escalation/test-graph.ts)', () => {
  it('a fan-out entry into a class holding bob (who reaches admin) gives frank a path to admin through it', () => {
    const d = compareEscalation(testGraph(), testGraphWithFanOut([arn.bob, arn.frank]));
    expect(d.added).toEqual([]);
    expect(d.fanOutAdded.map((f) => [f.from, f.technique, f.targetClass, f.targetCount])).toEqual([
      [arn.frank, 'iam:CreateAccessKey', 'every user of account 111122223333', 2],
      [arn.audit, 'iam:CreateAccessKey', 'every user of account 111122223333', 2],
    ]);
    expect(d.classes).toEqual([
      {
        id: d.fanOutAdded[0]!.classId,
        description: 'every user of account 111122223333',
        members: [arn.bob, arn.frank],
      },
    ]);
    expect(d.fanOutAdded[1]!.classId).toBe(d.classes[0]!.id);
    // Audit is admin-equivalent already; frank had no edge at all.
    expect(d.pathsToAdminGained).toEqual([arn.frank]);
    expect(compareEscalation(testGraphWithFanOut([arn.bob, arn.frank]), testGraph())).toMatchObject({
      fanOutAdded: [],
      fanOutRemoved: [{ from: arn.frank }, { from: arn.audit }],
      pathsToAdminLost: [arn.frank],
    });
  });

  it('the same class built apart, members and conditions in another order, is no change; another class is', () => {
    const a = testGraphWithFanOut([arn.bob, arn.frank]);
    const b = testGraphWithFanOut([arn.frank, arn.bob]);
    b.fanOut = b.fanOut!.map((f) => ({ ...f, conditions: [...f.conditions].reverse() }));
    expect(compareEscalation(a, b)).toMatchObject({ fanOutAdded: [], fanOutRemoved: [], classes: [] });
    const c = testGraphWithFanOut([arn.bob, arn.frank, arn.erin]);
    const d = compareEscalation(a, c);
    expect(d.fanOutAdded.map((f) => [f.from, f.targetCount])).toEqual([
      [arn.frank, 3],
      [arn.audit, 3],
    ]);
    expect(d.fanOutRemoved.map((f) => [f.from, f.targetCount])).toEqual([
      [arn.frank, 2],
      [arn.audit, 2],
    ]);
    expect(d.classes).toHaveLength(2);
  });
});

describe('escalation fan-out in the what-if and the snapshot diff', () => {
  const iam = (rest: string) => `arn:aws:iam::111122223333:${rest}`;
  const lambdaA = iam('role/lambda-a');
  const lambdaB = iam('role/lambda-b');
  const lambdaClass = [demo.lambdaRole, lambdaA, lambdaB].sort();
  let base: AccountSnapshot;
  let joined: ReturnType<typeof applyChanges>;
  beforeAll(async () => {
    const trust = policy({
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: 'sts:AssumeRole',
    });
    // Two more roles trusting Lambda, with the demo's lambda-order-processor a class of three. lambda-b is not
    // admin-equivalent (it may attach policies to itself only), so the builder keeps no plain edge to it: the
    // class's fan-out entry is the only way to it.
    base = applyChanges(
      deepFreeze(await importDemo()),
      parseChanges([
        { op: 'createRole', name: 'lambda-a', document: trust },
        { op: 'createRole', name: 'lambda-b', document: trust },
        {
          op: 'putInlinePolicy',
          target: 'role/lambda-b',
          name: 'self-attach',
          document: policy({ Effect: 'Allow', Action: 'iam:AttachRolePolicy', Resource: lambdaB }),
        },
        { op: 'createGroup', name: 'LambdaDeployers' },
        {
          op: 'putInlinePolicy',
          target: 'group/LambdaDeployers',
          name: 'deploy',
          document: policy({
            Effect: 'Allow',
            Action: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'],
            Resource: '*',
          }),
        },
      ]).changes!,
    ).overlay!.after;
    joined = applyChanges(
      base,
      parseChanges([{ op: 'addUserToGroup', user: 'carol', group: 'LambdaDeployers' }]).changes!,
    );
  });
  const options = () => ({
    source: createGrantSource(catalog),
    escalation: (s: AccountSnapshot) => buildEscalationGraph(s),
    updateEscalation: updateEscalationGraph,
  });
  const carolsEntry = (d: AccessDiff, side: 'fanOutAdded' | 'fanOutRemoved') =>
    d.escalation![side].filter((f) => f.from === demo.carol && f.technique === 'lambda-001');

  it('adding carol to a group with iam:PassRole on * lists her new fan-out entry once, with its class and size', async () => {
    const d = await diffOverlay(joined.overlay!, options());
    const [entry, ...more] = carolsEntry(d, 'fanOutAdded');
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      kind: 'escalate',
      conditional: false,
      targetClass: 'every role trusting lambda.amazonaws.com',
      targetCount: 3,
    });
    const cls = d.escalation!.classes.find((c) => c.id === entry!.classId)!;
    expect([...cls.members].sort()).toEqual(lambdaClass);
    expect(cls.description).toBe('every role trusting lambda.amazonaws.com');
    // Only carol's entries are new; each class is listed once.
    expect(d.escalation!.fanOutAdded.every((f) => f.from === demo.carol)).toBe(true);
    expect(new Set(d.escalation!.classes.map((c) => c.id)).size).toBe(d.escalation!.classes.length);
    expect(d.escalation!.fanOutRemoved).toEqual([]);
    expect(d.summary.fanOutAdded).toBe(d.escalation!.fanOutAdded.length);
  });

  it('carol reaches admin only through a class member (lambda-b) and gains a path to admin', async () => {
    const d = await diffOverlay(joined.overlay!, options());
    // No plain edge from carol reaches a principal that reaches admin: the path is carol → lambda-b → ADMIN.
    expect(d.escalation!.added.filter((e) => e.to === lambdaB)).toEqual([]);
    expect(d.escalation!.pathsToAdminGained).toEqual([demo.carol]);
    expect(d.escalation!.pathsToAdminLost).toEqual([]);
  });

  it('the snapshot diff lists the same entry and path, and the reverse diff their loss', async () => {
    const what = await diffOverlay(joined.overlay!, options());
    const later = await diffSnapshots(base, joined.overlay!.after, options());
    expect(carolsEntry(later, 'fanOutAdded')).toEqual(carolsEntry(what, 'fanOutAdded'));
    expect(later.escalation!.pathsToAdminGained).toEqual([demo.carol]);
    const earlier = await diffSnapshots(joined.overlay!.after, base, options());
    expect(carolsEntry(earlier, 'fanOutRemoved')).toEqual(carolsEntry(what, 'fanOutAdded'));
    expect(earlier.escalation!.fanOutAdded).toEqual([]);
    expect(earlier.escalation!.pathsToAdminLost).toEqual([demo.carol]);
  });

  it('an entry whose class gains a member is the old one removed and the new one added', async () => {
    // lambda-c joins the class: every entry into it is a different entry (the same technique, more targets).
    const r = applyChanges(
      joined.overlay!.after,
      parseChanges([
        {
          op: 'createRole',
          name: 'lambda-c',
          document: policy({
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: 'sts:AssumeRole',
          }),
        },
      ]).changes!,
    );
    const d = await diffOverlay(r.overlay!, options());
    const [removed] = carolsEntry(d, 'fanOutRemoved');
    const [added] = carolsEntry(d, 'fanOutAdded');
    expect(removed!.targetCount).toBe(3);
    expect(added!.targetCount).toBe(4);
    expect(added!.classId).not.toBe(removed!.classId);
  });
});

describe('grants shared between principals (grants.ts per-resource keys)', () => {
  // Two buckets open to anyone in the organization, and principals whose statements about them differ in the ways
  // the per-resource key ignores (statements about other buckets, Sids, Allows under an unconditional Allow) or
  // keeps (variables that can name the bucket, Denies, boundaries, the principal's kind).
  const bucketPolicy = (b: string) =>
    policy(
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${b}/*`,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-example' } },
      },
      {
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 's3:ListBucket',
        Resource: `arn:aws:s3:::${b}`,
        // aws:PrincipalType is derived from the caller's kind: roles may list, users may not.
        Condition: { StringEquals: { 'aws:PrincipalType': 'AssumedRole' } },
      },
    );
  const mfaDeny = (Sid: string) => ({
    Sid,
    Effect: 'Deny',
    Action: 's3:GetObject',
    Resource: '*',
    Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
  });
  const s3All = { Effect: 'Allow', Action: 's3:*', Resource: '*' };
  const inline: Record<string, object[]> = {
    // Nothing about the buckets; only about another one.
    nobody: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }],
    'other-bucket': [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::elsewhere/*' }],
    // A per-user prefix never equals the request `open/*`: ignored, though it reads the principal.
    'home-prefix': [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::open/${aws:username}/*' }],
    // `${aws:username}-b` is the bucket `open-b` for one of these two users only: neither answer is shared.
    open: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::${aws:username}-b/*' }],
    shut: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::${aws:username}-b/*' }],
    // Under an unconditional s3:*, a conditional Allow changes nothing; a Deny does, whatever its Sid.
    'all-only': [s3All],
    'all-and-conditional': [s3All, { ...mfaDeny('x'), Effect: 'Allow', Action: 's3:Get*' }],
    'all-deny-1': [s3All, mfaDeny('One')],
    'all-deny-2': [mfaDeny('Two'), s3All],
    'deny-only': [mfaDeny('Three')],
    // Not unconditional: the Allow on open-b still counts.
    'all-if-mfa': [{ ...mfaDeny('c'), Effect: 'Allow', Action: 's3:*' }],
    'all-if-mfa-and-b': [
      { ...mfaDeny('c'), Effect: 'Allow', Action: 's3:*' },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::open-b/*' },
    ],
    // Covers the objects, not the bucket: the ListBucket Allow still counts.
    'objects-and-list': [
      { ...s3All, Resource: 'arn:aws:s3:::open-b/*' },
      { ...s3All, Action: 's3:ListBucket', Resource: 'arn:aws:s3:::open-b' },
    ],
    objects: [{ ...s3All, Resource: 'arn:aws:s3:::open-b/*' }],
    // The same statement but for its effect.
    'get-b': [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::open-b/*' }],
    'no-get-b': [{ Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::open-b/*' }],
    // Case matters in Resource: `Open-B` is not the bucket `open-b`.
    'wrong-case': [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::Open-B/*' }],
    bounded: [s3All],
    'bounded-elsewhere': [s3All],
  };
  let snapshot: AccountSnapshot;
  beforeAll(async () => {
    const base = await importDemo();
    const changes: ChangeInput[] = [
      { op: 'createPolicy', name: 'list-only', document: policy({ ...s3All, Action: 's3:ListBucket' }) },
      { op: 'createPolicy', name: 'ec2-only', document: policy({ ...s3All, Action: 'ec2:*' }) },
      {
        op: 'createRole',
        name: 'all-only',
        document: policy({ Effect: 'Allow', Principal: { AWS: demo.alice }, Action: 'sts:AssumeRole' }),
      },
      { op: 'putInlinePolicy', target: 'role/all-only', name: 'p', document: policy(s3All) },
      { op: 'setPermissionsBoundary', target: 'role/all-only', policy: 'list-only' },
      {
        op: 'createRole',
        name: 'nobody',
        document: policy({ Effect: 'Allow', Principal: { AWS: demo.alice }, Action: 'sts:AssumeRole' }),
      },
      { op: 'putInlinePolicy', target: 'role/nobody', name: 'p', document: policy(...inline.nobody!) },
    ];
    for (const [name, statements] of Object.entries(inline))
      changes.push(
        { op: 'createUser', name },
        { op: 'putInlinePolicy', target: `user/${name}`, name: 'p', document: policy(...statements) },
      );
    changes.push(
      { op: 'setPermissionsBoundary', target: 'user/bounded', policy: 'list-only' },
      { op: 'setPermissionsBoundary', target: 'user/bounded-elsewhere', policy: 'ec2-only' },
    );
    const parsed = parseChanges(changes);
    expect(parsed.diagnostics).toEqual([]);
    const after = applyChanges(base, parsed.changes!).overlay!.after;
    const bucket = (name: string) => ({
      arn: `arn:aws:s3:::${name}`,
      service: 's3',
      type: 'bucket',
      name,
      policy: bucketPolicy(name),
      tags: {},
    });
    snapshot = deepFreeze({ ...after, resources: [...after.resources, bucket('open-b'), bucket('open')] });
  });

  it('equal each principal computed alone, for every filter', () => {
    const shared = createGrantSource(catalog);
    const filters = [undefined, new Set(catalog.expandAction('s3:*').map((a) => a.toLowerCase()))];
    let alone = 0;
    for (const f of filters)
      for (const p of [...snapshot.users, ...snapshot.roles]) {
        const fresh = createGrantSource(catalog);
        expect(shared.grants(snapshot, p.arn, f), `${p.name}`).toEqual(fresh.grants(snapshot, p.arn, f));
        alone += fresh.computed;
      }
    // …and answers were shared.
    expect(shared.computed).toBeLessThan(alone * 0.8);
  });

  it('every scope grant is the engine’s answer for that action alone, and none the engine allows is missing', () => {
    // grants.ts evaluates one action per group of actions the same statements name: held here to the engine asked
    // action by action (identity policies and boundary, as grants.ts reads them).
    const source = createGrantSource(catalog);
    const s3 = new Set(catalog.expandAction('s3:*').map((a) => a.toLowerCase()));
    let checked = 0;
    for (const p of [...snapshot.users, ...snapshot.roles]) {
      const set = principalPolicySet(snapshot, p.arn)!;
      const compiled = compilePolicySet({
        identity: set.identity,
        ...(set.boundary ? { boundary: set.boundary } : {}),
      });
      const engine = (action: string, resource: string) => {
        const r = evaluateCompiled(
          {
            principal: requestPrincipalOf(p),
            action,
            resource,
            ...(p.kind === 'role' ? { context: { 'aws:PrincipalArn': p.arn } } : {}),
          },
          compiled,
        );
        return r.decision === 'DENIED'
          ? 'DENIED'
          : `${r.decision} ${r.conditions ? renderCondition(r.conditions) : ''}`;
      };
      for (const filter of [undefined, s3]) {
        const scopes = source.grants(snapshot, p.arn, filter).filter((g) => !g.known);
        const got = new Map(
          scopes.map((g) => [`${g.action} ${g.resource}`, `${g.decision} ${g.conditions ?? ''}`]),
        );
        expect(got.size, `${p.name}: one grant per action and scope`).toBe(scopes.length);
        for (const [request, answer] of got) {
          const [action, resource] = request.split(' ') as [string, string];
          expect(answer, `${p.name} ${request}`).toBe(engine(action, resource));
          checked++;
        }
        if (!filter) continue;
        // Completeness within the S3 filter: every action an Allow names, on every Resource it names that fits the
        // action's resource types. An action with none takes only `*`: "any actions that you list … apply to all
        // resources … you use the wildcard character (*) in the Resource element" —
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
        const fits = (action: string, pattern: string) =>
          patternFitsAction(
            pattern,
            catalog.resourceTypes(action).flatMap((t) => (t.arn ? [t.arn] : [])),
          );
        for (const input of set.identity)
          for (const st of parsePolicy(input.document).policy!.statements) {
            if (st.effect !== 'Allow') continue;
            const named = new Set(st.action ? st.action.flatMap((a) => catalog.expandAction(a)) : []);
            const actions = st.action
              ? [...named]
              : catalog
                  .expandAction('s3:*')
                  .filter((a) => !(st.notAction ?? []).some((n) => catalog.expandAction(n).includes(a)));
            const resources = st.notResource
              ? ['*']
              : (st.resource ?? ['*']).map((r) =>
                  p.kind === 'user' ? r.replaceAll('${aws:username}', p.name) : r,
                );
            for (const action of actions.filter((a) => filter.has(a.toLowerCase())))
              for (const resource of resources)
                if (fits(action, resource) && engine(action, resource) !== 'DENIED')
                  expect(got.has(`${action} ${resource}`), `${p.name} ${action} ${resource}`).toBe(true);
          }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('tell apart what the per-resource key keeps', () => {
    const source = createGrantSource(catalog);
    const onBucket = (name: string, bucket: string) =>
      source
        .grants(snapshot, `arn:aws:iam::111122223333:${name}`, undefined)
        .filter((g) => g.known && g.resource.startsWith(`arn:aws:s3:::${bucket}`))
        .map((g) => `${g.action} ${g.resource} ${g.decision} ${g.conditions ?? ''}`)
        .sort();
    const get = (decision: string, conditions = '') =>
      `s3:GetObject arn:aws:s3:::open-b/* ${decision} ${conditions}`;
    // The bucket policy alone: conditional on the organization.
    const orgOnly = onBucket('user/nobody', 'open-b');
    expect(orgOnly).toContain(get('CONDITIONAL', 'aws:PrincipalOrgID = o-example'));
    for (const same of ['user/other-bucket', 'user/home-prefix', 'user/shut', 'user/wrong-case'])
      expect(onBucket(same, 'open-b'), same).toEqual(orgOnly);
    // `open`'s variable names open-b: allowed outright; `shut`'s does not.
    expect(onBucket('user/open', 'open-b')).toContain(get('ALLOWED'));
    expect(onBucket('user/all-and-conditional', 'open-b')).toEqual(onBucket('user/all-only', 'open-b'));
    expect(onBucket('user/all-only', 'open-b')).toContain(get('ALLOWED'));
    const denied = onBucket('user/all-deny-1', 'open-b');
    expect(denied).toEqual(onBucket('user/all-deny-2', 'open-b'));
    expect(denied.find((g) => g.startsWith('s3:GetObject'))).toMatch(/CONDITIONAL .*MultiFactorAuthPresent/);
    // A boundary allowing only ListBucket removes GetObject's identity Allow (the bucket's `*` grant remains);
    // one about EC2 only leaves the bucket's grants alone too, but not the user's s3:* (scopes, not shown here).
    expect(onBucket('user/bounded', 'open-b')).not.toEqual(onBucket('user/all-only', 'open-b'));
    expect(onBucket('role/nobody', 'open-b')).not.toEqual(orgOnly);
    expect(onBucket('user/all-if-mfa-and-b', 'open-b')).not.toEqual(onBucket('user/all-if-mfa', 'open-b'));
    expect(onBucket('user/objects-and-list', 'open-b')).not.toEqual(onBucket('user/objects', 'open-b'));
    expect(onBucket('user/no-get-b', 'open-b')).not.toEqual(onBucket('user/get-b', 'open-b'));
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
      propertyRuns(12, 7),
    );
    expect(applied).toBeGreaterThan(6);
  }, 120_000);
});
