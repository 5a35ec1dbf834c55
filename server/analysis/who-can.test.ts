import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import { demo, importDemo } from '../../test/api/demo-fixture.ts';
import { createMemoryStore } from '../graph/memory/memory-store.ts';
import { buildCandidateIndex, requestPrincipalOf } from './candidate-index.ts';
import { principalPolicySet } from './policy-set.ts';
import { candidateIndex, whoCan, type WhoCanEntry } from './who-can.ts';
import { allowedServices, parsePolicy } from '../engine/index.ts';
import { SnapshotAnalysis } from './snapshot-analysis.ts';
import * as builders from '../../test/support/builders.ts';

const OBJECT = 'arn:aws:s3:::example-corp-engineering/x';
const names = (entries: WhoCanEntry[]) => [...new Set(entries.map((e) => e.principal.name))].sort();

describe('whoCan on the demo account (examples/demo/README.md "Questions it answers")', () => {
  let snapshot: AccountSnapshot;
  beforeAll(async () => {
    snapshot = await importDemo();
  });

  it('s3:GetObject on the engineering bucket: Engineering, QA, the admins; not svc-notifier, carol, partner-auditor, the lambda role', async () => {
    // The demo without its bucket policy (GAAD only): ec2-build-agent has no way in, its read comes only from
    // the bucket policy; and nothing is CONDITIONAL on the policy's TLS Deny.
    const answer = await whoCan(SnapshotAnalysis.of({ ...snapshot, resources: [] }), {
      action: 's3:GetObject',
      resource: OBJECT,
    });
    expect(answer.actions).toEqual(['s3:GetObject']);
    expect(names(answer.entries)).toEqual(['alice', 'bob', 'dave', 'elena', 'grace', 'platform-admin']);
    expect(answer.entries.every((e) => e.decision === 'ALLOWED')).toBe(true);
    // The index evaluated fewer principals than the account has (svc-notifier only has sns:Publish).
    expect(answer.evaluated).toBeLessThan(answer.principals);
  });

  it('explains the attachment path: user → group → managed policy → statement', async () => {
    const answer = await whoCan(SnapshotAnalysis.of(snapshot), { action: 's3:GetObject', resource: OBJECT });
    const alice = answer.entries.find((e) => e.principal.arn === demo.alice)!;
    const allow = alice.matched.filter((m) => m.layer === 'identity' && m.effect === 'Allow');
    expect(allow.map((m) => m.path)).toEqual([
      'user alice → group Engineering → AmazonS3FullAccess → Statement[0]',
    ]);
    expect(allow[0]!.attachedVia).toEqual([demo.alice, demo.engineering]);
    const dave = answer.entries.find((e) => e.principal.arn === demo.dave)!;
    expect(dave.matched.map((m) => m.path)).toContain(
      'user dave → group QA → AmazonS3ReadOnlyAccess → Statement[0]',
    );
    // elena's boundary is a layer of its own, and it allows S3.
    const elena = answer.entries.find((e) => e.principal.arn === demo.elena)!;
    expect(elena.matched.some((m) => m.layer === 'boundary' && m.policyId === demo.powerUser)).toBe(true);
  });

  it('evaluates roles as a session of the role', async () => {
    const answer = await whoCan(SnapshotAnalysis.of(snapshot), { action: 's3:GetObject', resource: OBJECT });
    const admin = answer.entries.find((e) => e.principal.name === 'platform-admin')!;
    expect(admin.principal.kind).toBe('role');
    expect(admin.evaluatedAs).toBe('arn:aws:sts::111122223333:assumed-role/platform-admin/accessgraph');
  });

  it('includeDenied explains why the others cannot', async () => {
    const answer = await whoCan(SnapshotAnalysis.of(snapshot), {
      action: 's3:GetObject',
      resource: OBJECT,
      includeDenied: true,
    });
    const svc = answer.entries.find((e) => e.principal.arn === demo.svcNotifier)!;
    expect(svc.decision).toBe('DENIED');
    expect(svc.deniedBy).toEqual({ kind: 'implicit', layer: 'identity' });
    expect(answer.evaluated).toBe(answer.principals);
  });

  it('with the demo bucket policy (imported from resource-policies/s3/): ec2-build-agent is added, and everyone is CONDITIONAL on TLS', async () => {
    const answer = await whoCan(SnapshotAnalysis.of(snapshot), { action: 's3:GetObject', resource: OBJECT });
    expect(answer.resourcePolicyId).toBe('arn:aws:s3:::example-corp-engineering');
    expect(names(answer.entries)).toEqual(
      ['alice', 'bob', 'dave', 'ec2-build-agent', 'elena', 'grace', 'platform-admin'].sort(),
    );
    // The bucket policy denies `aws:SecureTransport = false`; unknown transport leaves that as the residual.
    for (const e of answer.entries) {
      expect(e.decision).toBe('CONDITIONAL');
      expect(e.conditions).toMatch(/aws:SecureTransport/);
    }
    const agent = answer.entries.find((e) => e.principal.name === 'ec2-build-agent')!;
    expect(agent.matched.find((m) => m.layer === 'resource' && m.effect === 'Allow')?.path).toMatch(
      /^resource policy arn:aws:s3:::example-corp-engineering → Statement\[0\]/,
    );
    // Pinning the context resolves it: over TLS allowed, over plain HTTP nobody.
    const tls = await whoCan(SnapshotAnalysis.of(snapshot), {
      action: 's3:GetObject',
      resource: OBJECT,
      context: { 'aws:SecureTransport': 'true' },
    });
    expect(tls.entries.every((e) => e.decision === 'ALLOWED')).toBe(true);
    const http = await whoCan(SnapshotAnalysis.of(snapshot), {
      action: 's3:GetObject',
      resource: OBJECT,
      context: { 'aws:SecureTransport': 'false' },
    });
    expect(http.entries).toEqual([]);
  });

  it('answers a wildcard action per catalog action', async () => {
    const answer = await whoCan(SnapshotAnalysis.of(snapshot), { action: 's3:PutObject*', resource: OBJECT });
    expect(answer.actions).toEqual(
      expect.arrayContaining(['s3:PutObject', 's3:PutObjectAcl', 's3:PutObjectTagging']),
    );
    expect(answer.actions.every((a) => a.startsWith('s3:PutObject'))).toBe(true);
    const perAction = new Set(answer.entries.map((e) => e.action));
    expect(perAction).toEqual(new Set(answer.actions));
    // QA's read-only policy grants no Put*.
    expect(answer.entries.some((e) => e.principal.arn === demo.dave)).toBe(false);
    expect(
      (await whoCan(SnapshotAnalysis.of(snapshot), { action: 's3:NoSuch*', resource: OBJECT })).notes,
    ).toEqual(['no action in the catalog matches `s3:NoSuch*`']);
  });

  it('answers from a stored snapshot opened for analysis', async () => {
    const store = createMemoryStore();
    const info = await store.load(snapshot);
    const analysis = (await SnapshotAnalysis.open(store, info.id))!;
    const a = await whoCan(analysis, { action: 's3:GetObject', resource: OBJECT });
    expect(names(a!.entries)).toEqual([
      'alice',
      'bob',
      'dave',
      'ec2-build-agent',
      'elena',
      'grace',
      'platform-admin',
    ]);
    // The index is the analysis's, built once.
    expect(candidateIndex(analysis)).toBe(candidateIndex(analysis));
    expect(await SnapshotAnalysis.open(store, 'no-such-snapshot')).toBeUndefined();
    await store.close();
  });
});

describe('candidate index', () => {
  it('maps Allow statements to service prefixes; NotAction and service wildcards are any service', () => {
    const p = (doc: object) => parsePolicy(doc).policy!;
    const st = (s: object) => ({ Version: '2012-10-17', Statement: [s] });
    expect(
      allowedServices(p(st({ Effect: 'Allow', Action: ['S3:Get*', 'sns:Publish'], Resource: '*' }))),
    ).toEqual(new Set(['s3', 'sns']));
    expect(allowedServices(p(st({ Effect: 'Deny', Action: '*', Resource: '*' })))).toEqual(new Set());
    expect(allowedServices(p(st({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })))).toBe('any');
    expect(allowedServices(p(st({ Effect: 'Allow', Action: 's*:Get*', Resource: '*' })))).toBe('any');
    expect(allowedServices(p(st({ Effect: 'Allow', Action: '*', Resource: '*' })))).toBe('any');
  });

  it('shares compiled policies between ids: one inline document on users of two accounts compiles once', async () => {
    const { aRole, aSnapshot, aUser } = builders;
    const doc = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
    });
    const [a, b, c] = [
      aUser({ name: 'a', account: '111122223333', inlinePolicies: [{ name: 'assume', document: doc }] }),
      aUser({ name: 'b', account: '444455556666', inlinePolicies: [{ name: 'assume', document: doc }] }),
      aUser({
        name: 'c',
        account: '444455556666',
        inlinePolicies: [{ name: 'other', document: doc.replace('*', 'arn:aws:iam::*:role/x') }],
      }),
    ];
    const x = aRole({
      name: 'x',
      account: '444455556666',
      trustPolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 'sts:AssumeRole' }],
      }),
    });
    const s = aSnapshot({
      users: [a!, b!, c!],
      roles: [x],
      accounts: [{ id: '111122223333' }, { id: '444455556666' }],
    });
    const index = buildCandidateIndex(s, principalPolicySet);
    const own = (arn: string) => index.byArn.get(arn)!.compiled.identity[0]!;
    // Same document, two ids: one compilation, each copy naming its own policy (evidence reads the source).
    expect(own(a!.arn).statements).toBe(own(b!.arn).statements);
    expect(own(a!.arn).source.id).toBe(`${a!.arn}#inline/assume`);
    expect(own(b!.arn).source.id).toBe(`${b!.arn}#inline/assume`);
    expect(own(c!.arn).statements).not.toBe(own(a!.arn).statements);
    expect(index.distinctPolicies).toBe(2);
    // Answers name each principal's own policy.
    const answer = await whoCan(SnapshotAnalysis.of(s), {
      action: 'sts:AssumeRole',
      resource: 'arn:aws:iam::444455556666:role/x',
    });
    expect(
      answer.entries.map((e) => [
        e.principal.name,
        e.matched.filter((m) => m.layer === 'identity').map((m) => m.policyId),
      ]),
    ).toEqual([
      ['b', [`${b!.arn}#inline/assume`]],
      ['c', [`${c!.arn}#inline/other`]],
    ]);
  });

  it('shares compiled policies: each distinct document is compiled once', async () => {
    const s = await importDemo();
    const index = buildCandidateIndex(s, principalPolicySet);
    expect(index.failures).toEqual([]);
    expect(index.principals).toHaveLength(s.users.length + s.roles.length);
    // Fewer compilations than attachments: AmazonS3FullAccess serves alice, bob and elena once.
    const attachments = index.principals.reduce(
      (n, p) => n + p.compiled.identity.length + (p.compiled.boundary ? 1 : 0),
      0,
    );
    expect(index.distinctPolicies).toBeLessThan(attachments);
    const alice = index.byArn.get(demo.alice)!;
    const bob = index.byArn.get(demo.bob)!;
    const full = (x: typeof alice) => x.compiled.identity.find((c) => c.source.id === demo.s3Full)!;
    expect(full(alice).statements).toBe(full(bob).statements);
    expect(full(alice).source.attachedVia).toEqual([demo.alice, demo.engineering]);
    expect(full(bob).source.attachedVia).toEqual([demo.bob, demo.engineering]);
    expect(index.candidatesFor('sns').map((p) => p.principal.name)).toContain('svc-notifier');
    expect(index.candidatesFor('S3').map((p) => p.principal.name)).not.toContain('svc-notifier');
    expect(requestPrincipalOf(s.roles[0]!)).toMatch(
      /^arn:aws:sts::111122223333:assumed-role\/[^/]+\/accessgraph$/,
    );
  });
});
