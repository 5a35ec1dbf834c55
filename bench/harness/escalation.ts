/**
 * Escalation queries (targets: blast radius ≤ 200 ms and paths ≤ 200 ms on the large account): the escalation
 * graph is built once (its build time is reported too, target ≤ 10 s), then, for principals
 * picked across the account plus those with the most reach, `blastRadius` (services and resources from effective
 * permissions, computed afresh for every query: no memo shared between queries) and `paths` to admin (k = 5).
 * What-if: the graph after the what-if bench's change (AmazonS3FullAccess on the group closest to 500
 * members) updated incrementally (`updateEscalationGraph`, a fresh overlay per run) against a full rebuild.
 */
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import type { BlastRadiusOptions, BlastRadiusResult } from '../../server/analysis/escalation/blast-radius.ts';
import type { EscalationGraph } from '../../server/analysis/escalation/graph.ts';
import type { EscalationPath, PathsQuery } from '../../server/analysis/escalation/paths.ts';
import type { ReachProvider } from '../../server/analysis/escalation/blast-radius.ts';
import type { ActionCatalog } from '../../server/engine/index.ts';
import { loadCatalog } from '../../server/engine/index.ts';
import { updateEscalationGraph } from '../../server/analysis/escalation/incremental.ts';
import { parseChanges } from '../../server/analysis/what-if/changes.ts';
import { SnapshotAnalysis } from '../../server/analysis/snapshot-analysis.ts';
import { blastRadiusDelta } from '../../server/analysis/what-if/blast-delta.ts';
import { median } from './measure.ts';
import type { Measurement } from './results.ts';
import { SkipSection, importOptional, type BenchContext } from './context.ts';
import { snapshotWithBuckets } from './who-can-indexed.ts';
import { deriveAnalysis } from '../../server/analysis/what-if/derive.ts';

const PRINCIPALS = 40;
const ADMIN = 'accessgraph:admin';

type Build = (s: AccountSnapshot) => Promise<EscalationGraph>;
type BlastRadius = (
  g: EscalationGraph,
  s: AccountSnapshot,
  ref: string,
  o?: BlastRadiusOptions,
) => BlastRadiusResult;
type Paths = (g: EscalationGraph, q: PathsQuery) => EscalationPath[];
type Traversal = typeof import('../../server/analysis/escalation/traversal.ts');
type Reach = (c: ActionCatalog, s: SnapshotAnalysis, o?: { shared?: boolean }) => ReachProvider;

function percentile(times: number[], p: number): number {
  const s = [...times].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
}

export async function escalationSection(ctx: BenchContext): Promise<Measurement[]> {
  const build = await importOptional<Build>('server/analysis/escalation/index.ts', 'buildEscalationGraph');
  const blastRadius = await importOptional<BlastRadius>(
    'server/analysis/escalation/blast-radius.ts',
    'blastRadius',
  );
  const paths = await importOptional<Paths>('server/analysis/escalation/paths.ts', 'paths');
  const reach = await importOptional<Reach>(
    'server/analysis/escalation/reach-provider.ts',
    'accessReachWithCatalog',
  );
  const { costsTo, traversalOf } =
    (await import('../../server/analysis/escalation/traversal.ts')) as Traversal;
  if (!ctx.snapshot || !ctx.account) throw new SkipSection('needs the `generate` and `parse` sections');
  const snapshot = snapshotWithBuckets(ctx.snapshot, ctx.account);
  const catalog = await loadCatalog();

  const buildStart = performance.now();
  const graph = await build(snapshot);
  const buildMs = performance.now() - buildStart;

  // Every Nth principal, plus the ones with the most outgoing edges (the widest blast radius to compute).
  const all = [...snapshot.users, ...snapshot.roles];
  const out = new Map<string, number>();
  for (const e of graph.edges) out.set(e.from, (out.get(e.from) ?? 0) + 1);
  const widest = [...out]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([a]) => a);
  const step = Math.max(1, Math.floor(all.length / PRINCIPALS));
  const picked = [
    ...new Set([
      ...all
        .filter((_, i) => i % step === 0)
        .slice(0, PRINCIPALS - 5)
        .map((p) => p.arn),
      ...widest,
    ]),
  ];

  // Warm, as in a running server: the catalog loaded, the graph's adjacency built by a first query.
  blastRadius(graph, snapshot, picked[0]!, {
    reach: reach(catalog, SnapshotAnalysis.of(snapshot), { shared: false }),
  });

  const blastTimes: number[] = [];
  const pathTimes: number[] = [];
  let worst = { ms: 0, arn: '', principals: 0 };
  let reached = 0;
  let admins = 0;
  let pathsFound = 0;
  for (const arn of picked) {
    const start = performance.now();
    const r = blastRadius(graph, snapshot, arn, {
      reach: reach(catalog, SnapshotAnalysis.of(snapshot), { shared: false }),
    });
    const ms = performance.now() - start;
    blastTimes.push(ms);
    if (r.kind === 'ok') {
      reached += r.answer.counts.principals;
      if (r.answer.admin.reachable) admins++;
      if (ms > worst.ms) worst = { ms, arn, principals: r.answer.counts.principals };
    }
  }
  // Paths are asked of principals that have some path to admin within the default 6 hops, fan-out steps
  // included (a principal with none answers at once).
  const toAdmin = [...costsTo(traversalOf(graph), ADMIN)]
    .filter(([a, label]) => a !== ADMIN && label.hops <= 6)
    .map(([a]) => a);
  const pathStep = Math.max(1, Math.floor(toAdmin.length / PRINCIPALS));
  const askers = toAdmin.filter((_, i) => i % pathStep === 0).slice(0, PRINCIPALS);
  for (const arn of askers) {
    const p0 = performance.now();
    pathsFound += paths(graph, { from: arn, to: ADMIN, k: 5 }).length;
    pathTimes.push(performance.now() - p0);
  }
  // An account where nobody reaches admin still reports the query on the picked ones.
  if (askers.length === 0)
    for (const arn of picked.slice(0, 5)) {
      const p0 = performance.now();
      paths(graph, { from: arn, to: ADMIN, k: 5 });
      pathTimes.push(performance.now() - p0);
    }
  const update = await whatIfUpdate(snapshot, graph, build);
  const n = picked.length;
  const measurements: Measurement[] = [
    ...update,
    {
      section: 'escalation',
      key: 'escalation.build',
      name: 'building all escalation/assume edges (embedded, every technique)',
      value: buildMs,
      unit: 'ms',
      note: `${graph.edges.length} edges, ${graph.admins.size} admin-equivalent principals`,
    },
    {
      section: 'escalation',
      key: 'escalation.blast-radius-p50',
      name: `blast radius p50 over ${n} principals (embedded, warm graph, permissions computed per query)`,
      value: median(blastTimes),
      unit: 'ms',
      runs: blastTimes,
      note: `p90 ${percentile(blastTimes, 0.9).toFixed(1)} ms; slowest ${worst.ms.toFixed(0)} ms (${worst.arn.split(':').pop()}, reaches ${worst.principals}); on average ${(reached / n).toFixed(1)} principals reached; ${admins} of ${n} reach admin`,
    },
    {
      section: 'escalation',
      key: 'escalation.paths-p50',
      name: `paths to admin (k = 5) p50 over ${askers.length} principals that have one (embedded, warm graph)`,
      value: median(pathTimes),
      unit: 'ms',
      runs: pathTimes,
      note: `p90 ${percentile(pathTimes, 0.9).toFixed(1)} ms; slowest ${Math.max(...pathTimes).toFixed(1)} ms; ${pathsFound} paths found in all; ${toAdmin.length} principals have a path to admin`,
    },
  ];
  for (const m of measurements) if (m.note) ctx.log(`  (${m.key}: ${m.note})`);
  return measurements;
}

/** The what-if bench's change, answered by updating the graph, vs building the after graph from scratch. */
async function whatIfUpdate(
  snapshot: AccountSnapshot,
  before: EscalationGraph,
  build: Build,
): Promise<Measurement[]> {
  const members = new Map<string, number>();
  for (const u of snapshot.users) for (const g of u.groups) members.set(g, (members.get(g) ?? 0) + 1);
  const closest = [...members].sort((a, b) => Math.abs(a[1] - 500) - Math.abs(b[1] - 500))[0];
  if (!closest) return [];
  const [group, size] = closest;
  const overlay = () =>
    deriveAnalysis(
      SnapshotAnalysis.of(snapshot),
      parseChanges([{ op: 'attachPolicy', policy: 'AmazonS3FullAccess', target: group }]).changes!,
    ).after!.derivation!.overlay;
  const times: number[] = [];
  let after: EscalationGraph | undefined;
  for (let i = 0; i < 3; i++) {
    const o = overlay(); // a fresh after snapshot per run: nothing cached from the previous one
    const t0 = performance.now();
    after = await updateEscalationGraph(before, o);
    times.push(performance.now() - t0);
  }
  const o = overlay();
  const t0 = performance.now();
  const scratch = await build(o.after);
  const fullMs = performance.now() - t0;
  const principals = (s: AccountSnapshot) => new Set([...s.users, ...s.roles].map((p) => p.arn));
  const t1 = performance.now();
  const delta = blastRadiusDelta(
    before,
    after!,
    { before: principals(o.before), after: principals(o.after) },
    o.affected,
  );
  const deltaMs = performance.now() - t1;
  return [
    {
      section: 'escalation',
      key: 'escalation.what-if-update',
      name: `escalation graph after AmazonS3FullAccess on a ${size}-member group, updated incrementally (embedded)`,
      value: median(times),
      unit: 'ms',
      runs: times,
      note: `full rebuild of the after graph ${fullMs.toFixed(0)} ms (${scratch.edges.length} edges; incremental ${after!.edges.length}); blast-radius deltas ${deltaMs.toFixed(0)} ms (${delta.candidates} candidates)`,
    },
  ];
}
