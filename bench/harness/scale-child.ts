/**
 * One import of the `scale` section, alone in its process (scale.ts starts it with a heap limit and kills it at the
 * wall-clock cap): the bundle read, the escalation build and the embedded store's load, as `accessgraph import`
 * runs them (server/app/import-bundles.ts), each stage timed, then what the build produced.
 *
 *   node --import tsx --max-old-space-size=6144 bench/harness/scale-child.ts <bundle dir>
 *
 * stdout: `stage <name>` when a stage starts, then one line `result <JSON>` (a ScaleChildResult).
 */
import { importBundle } from '../../importers/index.ts';
import { buildEscalationGraph } from '../../server/analysis/escalation/index.ts';
import { toStoredRows } from '../../server/analysis/escalation/stored.ts';
import { hasErrors } from '../../schema/diagnostics.ts';
import { arnAccount } from '../../server/engine/evaluate/principal.ts';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import { crossAccountCounts } from './scale-counts.ts';

export interface StageFigures {
  wallMs: number;
  cpuMs: number;
}

export interface ScaleChildResult {
  stages: { parse: StageFigures; build: StageFigures; load: StageFigures };
  wallMs: number;
  cpuMs: number;
  /** process.resourceUsage().maxRSS, in bytes. */
  maxRssBytes: number;
  principals: number;
  accounts: number;
  edges: number;
  fanOutEntries: number;
  admins: number;
  /** Stored rows (edges, fan-out entries and IS_ADMIN) and the UTF-8 bytes of their evidence JSON. */
  storedRows: number;
  evidenceBytes: number;
  /** Edges whose source and target are in different accounts; fan-out entries' targets in another account. */
  crossAccountEdges: number;
  crossAccountFanOutTargets: number;
  /** Of those, the `escalate` ones: false positives (scale-counts.ts). */
  crossAccountEscalateEdges: number;
  crossAccountEscalateFanOutTargets: number;
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: scale-child.ts <bundle dir>');
  process.exit(2);
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
async function stage<T>(name: string, run: () => Promise<T>): Promise<{ value: T; figures: StageFigures }> {
  process.stdout.write(`stage ${name}\n`);
  const wall = performance.now();
  const cpu = cpuMs();
  const value = await run();
  return { value, figures: { wallMs: performance.now() - wall, cpuMs: cpuMs() - cpu } };
}

const wall0 = performance.now();
const cpu0 = cpuMs();
const parsed = await stage('parse', () => importBundle([dir], {}));
const snapshot = parsed.value.snapshot;
if (!snapshot || hasErrors(parsed.value.diagnostics)) {
  const first = parsed.value.diagnostics.find((d) => d.severity === 'error');
  console.error(`the bundle did not import: ${first ? `${first.code} ${first.message}` : 'no snapshot'}`);
  process.exit(1);
}
const built = await stage('build', () => buildEscalationGraph(snapshot));
const graph = built.value;
const store = createMemoryStore();
const loaded = await stage('load', async () => {
  const rows = toStoredRows(graph);
  await store.load(snapshot, rows);
  return rows;
});
const wallMs = performance.now() - wall0;
const totalCpu = cpuMs() - cpu0;
const rows = loaded.value;
let evidenceBytes = 0;
for (const r of rows.derivedEdges) evidenceBytes += Buffer.byteLength(r.evidence);
const cross = crossAccountCounts(graph);
const result: ScaleChildResult = {
  stages: { parse: parsed.figures, build: built.figures, load: loaded.figures },
  wallMs,
  cpuMs: totalCpu,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  principals: snapshot.users.length + snapshot.roles.length,
  accounts: new Set([...snapshot.users, ...snapshot.roles].map((p) => arnAccount(p.arn))).size,
  edges: graph.edges.length,
  fanOutEntries: graph.fanOut?.length ?? 0,
  admins: graph.admins.size,
  storedRows: rows.derivedEdges.length,
  evidenceBytes,
  crossAccountEdges: cross.edges,
  crossAccountFanOutTargets: cross.fanOutTargets,
  crossAccountEscalateEdges: cross.escalateEdges,
  crossAccountEscalateFanOutTargets: cross.escalateFanOutTargets,
};
process.stdout.write(`result ${JSON.stringify(result)}\n`);
