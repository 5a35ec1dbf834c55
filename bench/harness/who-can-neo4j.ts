/**
 * who-can on Neo4j (target: p50 ≤ 300 ms warm), measured inside the neo4j section on the snapshot it has just
 * loaded, with the same 50 queries as the embedded figure. The first query reads the snapshot back (six
 * parameterized queries in one read transaction: meta, users, groups, roles, policies, resources) and builds the
 * candidate index; later queries reuse both from the per-store, per-snapshot cache and never go back to Neo4j.
 */
import type { WhoCanAnswer, WhoCanQuery } from '../../server/analysis/who-can.ts';
import type { GraphStore } from '../../server/graph/store.ts';
import { median } from './measure.ts';
import type { Measurement } from './results.ts';
import { importOptional, needSnapshot, type BenchContext } from './context.ts';
import { snapshotWithBuckets, whoCanQueries } from './who-can-indexed.ts';

type WhoCanInStore = (s: GraphStore, id: string, q: WhoCanQuery) => Promise<WhoCanAnswer | undefined>;

export async function whoCanNeo4jMeasurements(
  ctx: BenchContext,
  store: GraphStore,
  snapshotId: string,
): Promise<Measurement[]> {
  const whoCanInStore = await importOptional<WhoCanInStore>('server/analysis/who-can.ts', 'whoCanInStore');
  const snapshot = needSnapshot(ctx);
  const queries = whoCanQueries(ctx.account ? snapshotWithBuckets(snapshot, ctx.account) : snapshot);
  const coldStart = performance.now();
  await whoCanInStore(store, snapshotId, queries[0]!);
  const coldMs = performance.now() - coldStart;
  const times: number[] = [];
  for (const q of queries) {
    const start = performance.now();
    const answer = await whoCanInStore(store, snapshotId, q);
    times.push(performance.now() - start);
    // INVARIANT: the snapshot was loaded just before and is deleted only after this.
    if (!answer) throw new Error(`snapshot ${snapshotId} vanished from Neo4j during the bench`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return [
    {
      section: 'neo4j',
      key: 'neo4j.whocan-cold',
      name: 'who-can on Neo4j, first query: read the snapshot back (6 queries, one transaction) + build the index',
      value: coldMs,
      unit: 'ms',
    },
    {
      section: 'neo4j',
      key: 'neo4j.whocan-p50',
      name: `who-can on Neo4j p50 over ${queries.length} queries (warm: snapshot and index cached per store and snapshot id)`,
      value: median(times),
      unit: 'ms',
      runs: times,
      note: `p90 ${sorted[Math.floor(sorted.length * 0.9)]!.toFixed(1)} ms`,
    },
  ];
}
