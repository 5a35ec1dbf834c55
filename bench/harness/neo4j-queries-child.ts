/**
 * A fresh server process answering one principal's questions from Neo4j (`neo4j-queries.ts` starts it): opens
 * the snapshot as the API does, times the first blast radius, then blast radius, paths to admin and who-can on
 * every query given, and reports its CPU time and peak RSS. `mode` says how the escalation graph is read: per
 * principal (`readReachableRows`) or whole (every derived row back, as before).
 *
 * Usage: node --import tsx neo4j-queries-child.ts <config.json>; prints one `result {…}` line.
 */
import { readFile } from 'node:fs/promises';
import { blastRadiusOf, escalationGraph, pathsOf } from '../../server/analysis/escalation/analysis-graph.ts';
import { ADMIN } from '../../server/analysis/escalation/graph.ts';
import { accessReach } from '../../server/analysis/escalation/reach-provider.ts';
import { SnapshotAnalysis } from '../../server/analysis/snapshot-analysis.ts';
import { whoCan, type WhoCanQuery } from '../../server/analysis/who-can.ts';
import { whoCanFromStore } from '../../server/analysis/who-can-store.ts';
import { createNeo4jStore } from '../../server/graph/neo4j/neo4j-store.ts';

export interface QueriesChildConfig {
  connection: { uri: string; user: string; password: string };
  snapshotId: string;
  /** `who-can-part`: only who-can from the candidates Cypher reads, nothing opened whole (its RSS alone). */
  mode: 'per-principal' | 'whole' | 'who-can-part';
  principals: string[];
  whoCan: WhoCanQuery[];
}

export interface QueriesChildResult {
  firstBlastRadiusMs: number;
  /** Of which: reading the snapshot back (`SnapshotAnalysis.open`). */
  openMs: number;
  /** Of which: the escalation graph, read whole (`whole` mode only). */
  graphMs: number;
  blastRadiusMs: number[];
  pathsMs: number[];
  whoCanMs: number[];
  /** `who-can-part` mode: the questions answered from the part Cypher read (the others name everyone). */
  whoCanFromPart: number;
  cpuMs: number;
  maxRssBytes: number;
}

const config = JSON.parse(await readFile(process.argv[2]!, 'utf8')) as QueriesChildConfig;
const timed = async (fn: () => Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

const store = await createNeo4jStore(config.connection);
const usage = (): { cpuMs: number; maxRssBytes: number } => {
  const u = process.resourceUsage();
  return { cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssBytes: u.maxRSS * 1024 };
};
if (config.mode === 'who-can-part') {
  // Questions a part cannot answer (a resource policy naming everyone) are left out and counted.
  const whoCanMs: number[] = [];
  let whoCanFromPart = 0;
  for (const q of config.whoCan) {
    const start = performance.now();
    if (await whoCanFromStore(store, config.snapshotId, q)) {
      whoCanMs.push(performance.now() - start);
      whoCanFromPart++;
    }
  }
  const result: QueriesChildResult = {
    firstBlastRadiusMs: 0,
    openMs: 0,
    graphMs: 0,
    blastRadiusMs: [],
    pathsMs: [],
    whoCanMs,
    whoCanFromPart,
    ...usage(),
  };
  process.stdout.write(`result ${JSON.stringify(result)}\n`);
  await store.close();
  process.exit(0);
}
try {
  const [first, ...rest] = config.principals;
  let analysis: SnapshotAnalysis | undefined;
  let openMs = 0;
  let graphMs = 0;
  // What a server just started does for its first blast radius: open the snapshot, read the graph, answer.
  const firstBlastRadiusMs = await timed(async () => {
    openMs = await timed(async () => (analysis = (await SnapshotAnalysis.open(store, config.snapshotId))!));
    if (config.mode === 'whole') graphMs = await timed(() => escalationGraph(analysis!));
    await blastRadiusOf(analysis!, first!, { reach: await accessReach(analysis!) });
  });
  const a = analysis!;
  const reach = await accessReach(a);
  const blastRadiusMs: number[] = [];
  for (const p of rest) blastRadiusMs.push(await timed(() => blastRadiusOf(a, p, { reach })));
  const pathsMs: number[] = [];
  for (const p of config.principals)
    pathsMs.push(await timed(() => pathsOf(a, { from: p, to: ADMIN, k: 3 })));
  // who-can as the API answers it while the snapshot is held whole: from the open analysis.
  const whoCanMs: number[] = [];
  for (const q of config.whoCan) whoCanMs.push(await timed(() => whoCan(a, q)));
  const result: QueriesChildResult = {
    firstBlastRadiusMs,
    openMs,
    graphMs,
    blastRadiusMs,
    pathsMs,
    whoCanMs,
    whoCanFromPart: 0,
    ...usage(),
  };
  process.stdout.write(`result ${JSON.stringify(result)}\n`);
} finally {
  await store.close();
}
