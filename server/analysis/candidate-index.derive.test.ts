/**
 * A what-if's after analysis derives its candidate index from the before analysis's (`deriveCandidateIndex`,
 * used by `SnapshotAnalysis.derive`): for random change sets it equals an index
 * built from scratch — the same principals in the same order, the same policy layers each, the same failures and
 * the same candidates per service in the same order — and the principals the change did not touch keep their
 * entries (nothing recompiled for them).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { propertyRuns } from '../../test/support/property.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAccount, writeAccount } from '../../bench/generate/generate-account.ts';
import { importBundle } from '../../importers/index.ts';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import { buildCandidateIndex, deriveCandidateIndex, type CandidateIndex } from './candidate-index.ts';
import { principalPolicySet } from './policy-set.ts';
import { parseChanges, type ChangeInput } from './what-if/changes.ts';
import { applyChanges } from './what-if/overlay.ts';
import { SnapshotAnalysis } from './snapshot-analysis.ts';
import { deriveAnalysis } from './what-if/derive.ts';
import { candidateIndex } from './who-can.ts';

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const SERVICES = ['iam', 'IAM', 's3', 'sts', 'lambda', 'ec2', 'kms', 'dynamodb', 'no-such-service'];

function canonical(index: CandidateIndex) {
  const layer = (c: { source: { id: string; attachedVia?: string[] }; policy: unknown }) => ({
    id: c.source.id,
    via: c.source.attachedVia,
    policy: c.policy,
  });
  return {
    principals: index.principals.map((p) => ({
      arn: p.principal.arn,
      principal: p.principal,
      request: p.requestPrincipal,
      identity: p.compiled.identity.map(layer),
      boundary: p.compiled.boundary && layer(p.compiled.boundary),
      scps: p.compiled.scps?.map((l) => l.map(layer)),
    })),
    byArn: [...index.byArn.keys()].sort(),
    failures: index.failures,
    candidates: SERVICES.map((s) => index.candidatesFor(s).map((c) => c.principal.arn)),
  };
}

let dir: string;
let base: AccountSnapshot;
let baseIndex: CandidateIndex;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accessgraph-derive-index-'));
  await writeAccount(
    await generateAccount({
      users: 30,
      groups: 5,
      roles: 20,
      managedPolicies: 12,
      buckets: 2,
      seed: 'derive',
    }),
    dir,
  );
  const imported = (await importBundle([dir])).snapshot!;
  // One principal whose inline policy does not compile: the index lists it in `failures`, derived or not.
  const [broken, ...users] = imported.users;
  base = {
    ...imported,
    users: [{ ...broken!, inlinePolicies: [{ name: 'broken', document: '{"Statement": 7}' }] }, ...users],
  };
  baseIndex = buildCandidateIndex(base, principalPolicySet);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('deriveCandidateIndex', () => {
  it('equals a fresh build, for random change sets', () => {
    expect(baseIndex.failures.map((f) => f.arn)).toEqual([base.users[0]!.arn]);
    const users = base.users.slice(0, 6).map((u) => u.arn);
    const groups = base.groups.map((g) => g.arn);
    const roles = base.roles.slice(0, 6).map((r) => r.arn);
    const targets = [...users, ...groups, ...roles, 'user/new-user', 'role/new-role'];
    const policies = [
      ...base.policies.slice(0, 5).map((p) => p.arn),
      'AdministratorAccess',
      'AmazonS3FullAccess',
    ];
    const document = fc
      .subarray(['s3:GetObject', 'kms:Decrypt', 'sts:AssumeRole', 'iam:PassRole', '*', 'lambda:*'], {
        minLength: 1,
      })
      .map((Action) => policy({ Effect: 'Allow', Action, Resource: '*' }));
    const trust = policy({
      Effect: 'Allow',
      Principal: { Service: 'ec2.amazonaws.com' },
      Action: 'sts:AssumeRole',
    });
    const change: fc.Arbitrary<ChangeInput> = fc.oneof(
      fc.record({
        op: fc.constant('attachPolicy' as const),
        policy: fc.constantFrom(...policies),
        target: fc.constantFrom(...targets),
      }),
      fc.record({
        op: fc.constant('putInlinePolicy' as const),
        target: fc.constantFrom(...targets),
        name: fc.constantFrom('a', 'broken'),
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
        target: fc.constantFrom(...roles),
        document: fc.constant(trust),
      }),
      fc.record({ op: fc.constant('deletePrincipal' as const), target: fc.constantFrom(...targets) }),
      fc.constant<ChangeInput>({ op: 'createUser', name: 'new-user' }),
      fc.constant<ChangeInput>({ op: 'createRole', name: 'new-role', document: trust }),
    );
    let applied = 0;
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 4 }), (input) => {
        const r = applyChanges(base, parseChanges(input).changes!);
        if (!r.overlay) return;
        applied++;
        const { after, affected } = r.overlay;
        const derived = deriveCandidateIndex(baseIndex, after, affected, principalPolicySet);
        const built = buildCandidateIndex(after, principalPolicySet);
        expect(canonical(derived)).toEqual(canonical(built));
        // Untouched principals keep the base's compiled sets: only the changed ones were compiled again.
        for (const p of derived.principals)
          if (!affected.has(p.principal.arn) && baseIndex.byArn.has(p.principal.arn))
            expect(p.compiled).toBe(baseIndex.byArn.get(p.principal.arn)!.compiled);
      }),
      propertyRuns(80, 7),
    );
    expect(applied).toBeGreaterThan(40);
  }, 120_000);

  it('is the index of an analysis derived by a what-if once the before index is built', () => {
    const before = SnapshotAnalysis.of(structuredClone(base));
    const b = candidateIndex(before);
    const derived = deriveAnalysis(
      before,
      parseChanges([{ op: 'attachPolicy', policy: 'AdministratorAccess', target: base.groups[0]!.arn }])
        .changes!,
    ).after!;
    const a = candidateIndex(derived);
    expect(canonical(a)).toEqual(canonical(buildCandidateIndex(derived.snapshot, principalPolicySet)));
    const untouched = base.roles[0]!.arn;
    expect(a.byArn.get(untouched)).toBe(b.byArn.get(untouched));
  });
});
