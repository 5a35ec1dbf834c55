/**
 * Blast radius and paths on Neo4j read only what a walk from the start can take (`readReachableRows`, one
 * Cypher query per hop), not the whole escalation graph. Their answers over that part must be those over the whole
 * graph as the memory store reads it back, tie-breaks included: on the demo and on a generated account whose
 * techniques reach principal classes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAccount, writeAccount } from '../../bench/generate/generate-account.ts';
import { blastRadiusOf, escalationGraph, pathsOf } from '../../server/analysis/escalation/analysis-graph.ts';
import { paths } from '../../server/analysis/escalation/paths.ts';
import { fromDerivedEdges } from '../../server/analysis/escalation/stored.ts';
import { blastRadius } from '../../server/analysis/escalation/blast-radius.ts';
import { ADMIN, buildEscalationGraph } from '../../server/analysis/escalation/index.ts';
import { SnapshotAnalysis } from '../../server/analysis/snapshot-analysis.ts';
import { importBundles } from '../../server/app/import-bundles.ts';
import { compareDerivedEdges } from '../../server/graph/graph-rows.ts';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import { createNeo4jStore } from '../../server/graph/neo4j/neo4j-store.ts';
import type { GraphStore } from '../../server/graph/store.ts';
import { freshAccountId } from '../contract/graph-store.contract.ts';
import { DEMO_DIR } from '../api/demo-fixture.ts';
import { testNeo4jConnection } from '../support/neo4j.ts';

interface Loaded {
  dir: string;
  memory: SnapshotAnalysis;
  neo: SnapshotAnalysis;
  neoId: string;
  principals: string[];
}

let memoryStore: GraphStore;
let neo: GraphStore;
let generatedDir: string;
const loaded: Record<'demo' | 'generated', Loaded | undefined> = { demo: undefined, generated: undefined };

async function load(dir: string): Promise<Loaded> {
  const [m] = await importBundles(memoryStore, [dir]);
  const [n] = await importBundles(neo, [dir]);
  const memory = (await SnapshotAnalysis.open(memoryStore, m!.snapshot!.id))!;
  const neoAnalysis = (await SnapshotAnalysis.open(neo, n!.snapshot!.id))!;
  const all = [...memory.snapshot.users, ...memory.snapshot.roles].map((p) => p.arn).sort();
  // Every principal of the demo; about 40 spread over the generated account.
  const step = Math.max(1, Math.ceil(all.length / 40));
  return {
    dir,
    memory,
    neo: neoAnalysis,
    neoId: n!.snapshot!.id,
    principals: all.filter((_, i) => i % step === 0),
  };
}

beforeAll(async () => {
  memoryStore = createMemoryStore();
  neo = await createNeo4jStore(testNeo4jConnection());
  generatedDir = await mkdtemp(join(tmpdir(), 'accessgraph-reach-'));
  // 150 + 150 principals: 11 principal classes (every user, roles trusting a service, …), 3 to 144 members.
  const size = { users: 150, groups: 12, roles: 150, managedPolicies: 60, buckets: 10 };
  await writeAccount(await generateAccount({ ...size, seed: 1, accountId: freshAccountId() }), generatedDir);
  loaded.demo = await load(DEMO_DIR);
  loaded.generated = await load(generatedDir);
}, 300_000);

afterAll(async () => {
  for (const l of Object.values(loaded)) if (l) await neo.deleteSnapshot(l.neoId);
  await neo?.close();
  await memoryStore?.close();
  if (generatedDir) await rm(generatedDir, { recursive: true, force: true });
});

describe.each(['demo', 'generated'] as const)('%s: per-principal reads from Neo4j', (name) => {
  it('has principal classes to step into (generated) and principals reaching admin', async () => {
    const l = loaded[name]!;
    const classes = await neo.readPrincipalClasses(l.neoId);
    if (name === 'generated') expect(classes.length).toBeGreaterThan(5);
    const reachAdmin = await Promise.all(
      l.principals.map(async (arn) => (await pathsOf(l.memory, { from: arn, to: ADMIN, k: 1 })).length > 0),
    );
    expect(reachAdmin).toContain(true);
    expect(reachAdmin).toContain(false);
  });

  it('reads a subset of the stored rows, in their order, smaller than the whole for some principal', async () => {
    const l = loaded[name]!;
    const whole = await neo.readDerivedEdges(l.neoId);
    const key = (e: (typeof whole)[number]): string => JSON.stringify(e);
    const stored = new Set(whole.map(key));
    let smaller = 0;
    for (const arn of l.principals) {
      const part = (await neo.readReachableRows!(l.neoId, arn, 6, 1))!;
      for (const e of part.edges) expect(stored.has(key(e))).toBe(true);
      expect([...part.edges].sort(compareDerivedEdges)).toEqual(part.edges);
      if (part.edges.length < whole.length) smaller++;
    }
    expect(smaller).toBeGreaterThan(0);
  });

  it('reads nothing for a principal whose part passes the share asked for', async () => {
    const l = loaded[name]!;
    const reaching = [];
    for (const arn of l.principals)
      if ((await neo.readReachableRows!(l.neoId, arn, 6, 1))!.edges.length > 0) reaching.push(arn);
    expect(reaching.length).toBeGreaterThan(0);
    for (const arn of reaching) expect(await neo.readReachableRows!(l.neoId, arn, 6, 1e-9)).toBeUndefined();
  });

  it("answers blast radius over a principal's part as over the whole graph, at depth 6 and 1", async () => {
    const l = loaded[name]!;
    const whole = await escalationGraph(l.memory);
    for (const arn of l.principals)
      for (const maxDepth of [6, 1]) {
        const rows = (await neo.readReachableRows!(l.neoId, arn, maxDepth, 1))!;
        const part = fromDerivedEdges(rows.edges, rows.classes);
        expect(blastRadius(part, l.neo.snapshot, arn, { maxDepth }), `${arn} depth ${maxDepth}`).toEqual(
          blastRadius(whole, l.memory.snapshot, arn, { maxDepth }),
        );
      }
  });

  it('answers paths to admin and to another principal over its part as over the whole graph', async () => {
    const l = loaded[name]!;
    const whole = await escalationGraph(l.memory);
    const targets = l.principals.slice(-3);
    for (const from of l.principals)
      for (const maxDepth of [6, 2]) {
        const rows = (await neo.readReachableRows!(l.neoId, from, maxDepth, 1))!;
        const part = fromDerivedEdges(rows.edges, rows.classes);
        for (const to of [ADMIN, ...targets]) {
          if (to === from) continue;
          const query = { from, to, k: 4, maxDepth };
          expect(paths(part, query), `${from} → ${to} depth ${maxDepth}`).toEqual(paths(whole, query));
        }
      }
  });

  it("answers the API's blast radius and paths, per principal or whole, as the memory store", async () => {
    const l = loaded[name]!;
    for (const arn of l.principals.slice(0, 8)) {
      expect(await blastRadiusOf(l.neo, arn), arn).toEqual(await blastRadiusOf(l.memory, arn));
      const query = { from: arn, to: ADMIN, k: 3 };
      expect(await pathsOf(l.neo, query), arn).toEqual(await pathsOf(l.memory, query));
    }
  });
});

describe('a snapshot loaded without derived rows', () => {
  it('reads none per principal, and blast radius builds the graph as before', async () => {
    const demo = loaded.demo!;
    const info = await neo.load(demo.memory.snapshot);
    try {
      const arn = demo.principals[0]!;
      expect(await neo.readReachableRows!(info.id, arn, 6, 1)).toBeUndefined();
      const bare = (await SnapshotAnalysis.open(neo, info.id))!;
      const built = await buildEscalationGraph(bare.snapshot);
      expect(await blastRadiusOf(bare, arn)).toEqual(blastRadius(built, bare.snapshot, arn));
    } finally {
      await neo.deleteSnapshot(info.id);
    }
  });
});
