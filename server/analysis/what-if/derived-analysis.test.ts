/**
 * A what-if's "after" is a value derived from "before" (`SnapshotAnalysis.derive`): its answers equal those of a
 * fresh analysis of the same snapshot (nothing leaks from the base's caches: candidate index, lookups, compiled
 * resource policies), and deriving nothing changes nothing (the access diff of an empty change set is empty, as is
 * the drift between a snapshot and a copy of it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAccount, writeAccount } from '../../../bench/generate/generate-account.ts';
import { importBundle } from '../../../importers/index.ts';
import { loadCatalog } from '../../engine/index.ts';
import { access } from '../access.ts';
import { SnapshotAnalysis } from '../snapshot-analysis.ts';
import { whoCan } from '../who-can.ts';
import { parseChanges, type ChangeInput } from './changes.ts';
import { diffOverlay, type DiffOptions } from './diff.ts';
import { createGrantSource } from './grants.ts';
import { diffAccount, diffOptionsWith } from './what-if.ts';
import { deriveAnalysis } from './derive.ts';
import { candidateIndex } from '../who-can.ts';

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

let dir: string;
let before: SnapshotAnalysis;
let options: () => DiffOptions;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accessgraph-derived-analysis-'));
  await writeAccount(
    await generateAccount({
      users: 16,
      groups: 4,
      roles: 10,
      managedPolicies: 8,
      buckets: 2,
      seed: 'derived',
    }),
    dir,
  );
  before = SnapshotAnalysis.of((await importBundle([dir])).snapshot!);
  const catalog = await loadCatalog();
  options = () => diffOptionsWith(createGrantSource(catalog), { escalation: false });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SnapshotAnalysis.derive', () => {
  it('an empty change set derives a snapshot with nothing to diff', async () => {
    const derived = deriveAnalysis(before, []);
    expect(derived.diagnostics).toEqual([]);
    const overlay = derived.after!.derivation!.overlay;
    expect(overlay.affected.size).toBe(0);
    const diff = await diffOverlay(overlay, options());
    expect(diff.principals).toEqual([]);
    expect(diff.summary.principalsChanged).toBe(0);
    const copy = SnapshotAnalysis.of(structuredClone(before.snapshot));
    const drift = await diffAccount(before, copy, options());
    expect(drift.principals).toEqual([]);
    expect(drift.summary.principalsCompared).toBe(
      before.snapshot.users.length + before.snapshot.roles.length,
    );
  }, 60_000);

  it("after's access and who-can equal a fresh analysis of the changed snapshot, for random change sets", async () => {
    const s = before.snapshot;
    const users = s.users.slice(0, 5).map((u) => u.arn);
    const groups = s.groups.map((g) => g.arn);
    const roles = s.roles.slice(0, 4).map((r) => r.arn);
    const buckets = s.resources.filter((r) => r.service === 's3').map((r) => r.arn);
    const document = fc
      .subarray(['s3:GetObject', 's3:PutObject', 'sts:AssumeRole', 'iam:PassRole', 's3:*'], { minLength: 1 })
      .map((Action) => policy({ Effect: 'Allow', Action, Resource: '*' }));
    const change: fc.Arbitrary<ChangeInput> = fc.oneof(
      fc.record({
        op: fc.constant('attachPolicy' as const),
        policy: fc.constantFrom(
          'AdministratorAccess',
          'AmazonS3ReadOnlyAccess',
          ...s.policies.slice(0, 3).map((p) => p.arn),
        ),
        target: fc.constantFrom(...users, ...groups, ...roles),
      }),
      fc.record({
        op: fc.constant('putInlinePolicy' as const),
        target: fc.constantFrom(...users, ...groups, ...roles),
        name: fc.constant('what-if'),
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
        policy: fc.constant('AmazonS3ReadOnlyAccess'),
      }),
    );
    // Build the base's index first, so the derived analysis derives its index from it.
    expect(candidateIndex(before).principals.length).toBeGreaterThan(0);
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 3 }), async (input) => {
        const { after } = deriveAnalysis(before, parseChanges(input).changes!);
        if (!after) return;
        const fresh = SnapshotAnalysis.of(structuredClone(after.snapshot));
        for (const arn of [...after.derivation!.overlay.affected].slice(0, 4)) {
          expect(await access(after, arn)).toEqual(await access(fresh, arn));
          compared++;
        }
        for (const resource of [`${buckets[0]}/key`, roles[0]!]) {
          const q = {
            action: resource.startsWith('arn:aws:s3') ? 's3:GetObject' : 'sts:AssumeRole',
            resource,
          };
          const [a, b] = [await whoCan(after, q), await whoCan(fresh, q)];
          expect(a.entries).toEqual(b.entries);
          expect(a.notes).toEqual(b.notes);
        }
      }),
      { numRuns: 8, seed: 16 },
    );
    expect(compared).toBeGreaterThan(6);
  }, 120_000);
});
