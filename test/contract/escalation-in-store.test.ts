/**
 * A generated account big enough that drawing its fan-out one edge per target would take ~370,000 edges, imported
 * through the app's import path into the embedded store: blast radius and paths answered from what the store
 * reads back must equal the answers from the graph built afresh. Ties between equally cheap paths may break
 * differently (the store sorts its rows), so answers are compared by what they say: who is reached, in how many
 * hops, with or without conditions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAccount, writeAccount } from '../../bench/generate/generate-account.ts';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import { blastRadius } from '../../server/analysis/escalation/blast-radius.ts';
import { ADMIN, buildEscalationGraph, type EscalationGraph } from '../../server/analysis/escalation/index.ts';
import { chokePoints } from '../../server/analysis/escalation/choke-points.ts';
import { paths } from '../../server/analysis/escalation/paths.ts';
import { MAX_DEPTH_LIMIT } from '../../server/analysis/escalation/traversal.ts';
import { SnapshotAnalysis } from '../../server/analysis/snapshot-analysis.ts';
import { importBundles } from '../../server/app/import-bundles.ts';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import type { GraphStore } from '../../server/graph/store.ts';
import { escalationGraph } from '../../server/analysis/escalation/analysis-graph.ts';

const SIZE = { users: 1000, groups: 63, roles: 1000, managedPolicies: 400, buckets: 100 };

let dir: string;
let store: GraphStore;
let snapshot: AccountSnapshot;
let built: EscalationGraph;
let stored: EscalationGraph;
let warnings: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accessgraph-fan-out-'));
  await writeAccount(await generateAccount({ ...SIZE, seed: 1 }), dir);
  store = createMemoryStore();
  const [outcome] = await importBundles(store, [dir]);
  const info = outcome!.snapshot!;
  warnings = info.warnings.map((w) => w.code);
  const analysis = (await SnapshotAnalysis.open(store, info.id))!;
  snapshot = analysis.snapshot;
  stored = await escalationGraph(analysis);
  built = await buildEscalationGraph(snapshot);
}, 60_000);

afterAll(async () => {
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Every nth of a list, about n of them. */
function spread<T>(all: readonly T[], n: number): T[] {
  return all.filter((_, i) => i % Math.ceil(all.length / n) === 0);
}

/** Principals across the account, and sources of fan-out entries (most principals reach nobody). */
function sample(n: number): string[] {
  const principals = [...snapshot.users, ...snapshot.roles].map((p) => p.arn);
  const sources = [...new Set(built.fanOut!.map((f) => f.from))];
  return [...new Set([...spread(principals, n / 2), ...spread(sources, n / 2)])];
}

describe('fan-out through the store on a generated account of 1,000 users and 1,000 roles', () => {
  it('is big enough that one edge per target would pass 200,000 rows, and is stored whole', () => {
    const expanded = (built.fanOut ?? []).reduce((n, f) => n + f.targets.length, 0);
    expect(expanded).toBeGreaterThan(200_000);
    expect(stored.fanOut).toHaveLength(built.fanOut!.length);
    expect(stored.edges).toHaveLength(built.edges.length);
    expect(warnings).not.toContain('escalation.fan-out-not-stored');
  });

  it('answers blast radius from the stored graph as from the built one', () => {
    const reached = (g: EscalationGraph, arn: string): unknown => {
      const r = blastRadius(g, snapshot, arn);
      if (r.kind !== 'ok') throw new Error(`${arn}: ${r.kind}`);
      const { principals, admin } = r.answer;
      return {
        admin: [admin.reachable, admin.conditional],
        principals: principals.map((p) => `${p.arn} ${p.hops} ${p.conditional}`).sort(),
      };
    };
    let nonTrivial = 0;
    for (const arn of sample(40)) {
      const want = reached(built, arn) as { principals: string[] };
      expect(reached(stored, arn), arn).toEqual(want);
      if (want.principals.length > 1) nonTrivial++;
    }
    // The sample must exercise fan-out, not only principals that reach nobody.
    expect(nonTrivial).toBeGreaterThan(10);
  });

  it('answers paths, to admin and between principals, from the stored graph as from the built one', () => {
    const ranks = (g: EscalationGraph, from: string, to: string): string[] =>
      paths(g, { from, to, k: 3 }).map((p) => `${p.hops} ${p.conditional}`);
    // From sources of fan-out entries to admin, to a member of their class, and to a member of another's.
    const entries = spread(built.fanOut!, 15);
    let found = 0;
    for (const [i, f] of entries.entries()) {
      const other = entries[(i + 7) % entries.length]!;
      for (const to of [ADMIN, f.targets.at(-1)!, other.targets[0]!]) {
        const want = ranks(built, f.from, to);
        expect(ranks(stored, f.from, to), `${f.from} → ${to}`).toEqual(want);
        if (to !== ADMIN) found += want.length;
      }
    }
    expect(found).toBeGreaterThan(10);
  });

  // Blast radius, paths and choke points walk the same graph three ways (forward with and without a target,
  // backwards from admin); on this account most principals reach admin only through a fan-out class member, which
  // paths and choke points once skipped (3,125 principals reach admin on the large account, 124 without fan-out).
  it('paths to admin, choke points and blast radius agree on who reaches admin', () => {
    const admins = new Set(built.admins.keys());
    const principals = [...snapshot.users, ...snapshot.roles].map((p) => p.arn).filter((a) => !admins.has(a));
    const withPath = principals.filter(
      (from) => paths(built, { from, to: ADMIN, k: 1, maxDepth: MAX_DEPTH_LIMIT }).length > 0,
    );
    expect(chokePoints(built).paths).toBe(withPath.length);
    const viaFanOut = new Set(built.fanOut!.map((f) => f.from));
    expect(withPath.filter((a) => viaFanOut.has(a)).length).toBeGreaterThan(10);
    for (const arn of sample(20)) {
      const r = blastRadius(built, snapshot, arn, { maxDepth: MAX_DEPTH_LIMIT });
      if (r.kind !== 'ok') throw new Error(`${arn}: ${r.kind}`);
      expect(r.answer.admin.reachable, arn).toBe(admins.has(arn) || withPath.includes(arn));
      expect(r.answer.admin.paths.length > 0, arn).toBe(r.answer.admin.reachable);
    }
  });
});
