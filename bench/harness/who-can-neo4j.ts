/**
 * who-can on Neo4j (target: p50 ≤ 300 ms warm), measured inside the neo4j section on the snapshot it has just
 * loaded, with the same 50 queries as the embedded figure. The first query reads the snapshot back (six
 * parameterized queries in one read transaction: meta, users, groups, roles, policies, resources) and builds the
 * candidate index; later queries reuse both from the snapshot's open SnapshotAnalysis (as the API keeps it) and
 * never go back to Neo4j.
 */
import { SnapshotAnalysis } from '../../server/analysis/snapshot-analysis.ts';
import { whoCan } from '../../server/analysis/who-can.ts';
import type { GraphStore } from '../../server/graph/store.ts';
import { median } from './measure.ts';
import type { Measurement } from './results.ts';
import { needSnapshot, type BenchContext } from './context.ts';
import { snapshotWithBuckets, whoCanQueries } from './who-can-indexed.ts';

export async function whoCanNeo4jMeasurements(
  ctx: BenchContext,
  store: GraphStore,
  snapshotId: string,
): Promise<Measurement[]> {
  const snapshot = needSnapshot(ctx);
  const queries = whoCanQueries(ctx.account ? snapshotWithBuckets(snapshot, ctx.account) : snapshot);
  const coldStart = performance.now();
  const analysis = await SnapshotAnalysis.open(store, snapshotId);
  // INVARIANT: the snapshot was loaded just before and is deleted only after this.
  if (!analysis) throw new Error(`snapshot ${snapshotId} vanished from Neo4j during the bench`);
  await whoCan(analysis, queries[0]!);
  const coldMs = performance.now() - coldStart;
  const times: number[] = [];
  for (const q of queries) {
    const start = performance.now();
    await whoCan(analysis, q);
    times.push(performance.now() - start);
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
