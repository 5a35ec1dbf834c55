/**
 * The escalation graph of an analysis, kept in its memo, and the queries for one principal (blast radius, paths),
 * which read only the part of a stored graph a walk from that principal can take when the store can (Neo4j).
 */
import { memoKey, type SnapshotAnalysis } from '../snapshot-analysis.ts';
import { resolvePrincipal } from '../principal-ref.ts';
import type { EscalationGraph } from './graph.ts';
import { blastRadius, type BlastRadiusOptions, type BlastRadiusResult } from './blast-radius.ts';
import {
  DEFAULT_K,
  DEFAULT_MAX_DEPTH,
  checkBounds,
  paths,
  type EscalationPath,
  type PathsQuery,
} from './paths.ts';
import { fromDerivedEdges, readEscalationGraph } from './stored.ts';

const ESCALATION_GRAPH = memoKey<Promise<EscalationGraph>>('escalation graph');

/**
 * A principal's part is read by itself while it is at most this share of the stored escalation rows; a walk that
 * reaches more (a technique on every user of a large account) reads the graph whole once, kept for every later
 * question: re-reading most of the graph per question would cost more than holding it.
 */
const PER_PRINCIPAL_SHARE = 0.1;

/**
 * The escalation graph: read back from the store a stored snapshot came from (the graph built at import), else
 * built from the snapshot (build.ts, loaded on first use). A stored snapshot with no derived rows at all (loaded
 * without them) is built too: a graph with neither edges nor admins is what a build of it gives or what was never
 * stored. A failed read or build is forgotten, so the next call tries again.
 */
export function escalationGraph(analysis: SnapshotAnalysis): Promise<EscalationGraph> {
  return analysis.memo(ESCALATION_GRAPH, () => {
    const source = analysis.source;
    const build = () => import('./build.ts').then((m) => m.buildEscalationGraph(analysis.snapshot));
    const graph = source
      ? readEscalationGraph(source.store, source.snapshotId).then((g) =>
          g.edges.length === 0 && !g.fanOut?.length && g.admins.size === 0 ? build() : g,
        )
      : build();
    graph.catch(() => analysis.forget(ESCALATION_GRAPH));
    return graph;
  });
}

/**
 * What a walk from `from` within `maxDepth` hops can take of the escalation graph: read by itself when the store
 * can (`readReachableRows`), the part is small (PER_PRINCIPAL_SHARE) and the whole graph is not held yet, else the
 * whole graph. Its rows keep the whole graph's order, so every search from `from` within the bound (blast radius,
 * paths, their ties) answers as over the whole graph (server/graph/neo4j/README.md). A part is not kept.
 */
export async function escalationGraphFrom(
  analysis: SnapshotAnalysis,
  from: string,
  maxDepth: number,
): Promise<EscalationGraph> {
  const source = analysis.source;
  if (analysis.peek(ESCALATION_GRAPH) || !source?.store.readReachableRows) return escalationGraph(analysis);
  const rows = await source.store.readReachableRows(source.snapshotId, from, maxDepth, PER_PRINCIPAL_SHARE);
  return rows ? fromDerivedEdges(rows.edges, rows.classes) : escalationGraph(analysis);
}

/** `blastRadius` of `ref` in the analysis's snapshot, over the part of the graph its walks can take. */
export async function blastRadiusOf(
  analysis: SnapshotAnalysis,
  ref: string,
  options: BlastRadiusOptions = {},
): Promise<BlastRadiusResult> {
  const resolved = resolvePrincipal(analysis.snapshot, ref);
  // An unresolved reference, or an inactive access key (it reaches nothing), is answered before any graph is read.
  const graph =
    resolved.kind === 'found' && resolved.accessKey?.active !== false
      ? await escalationGraphFrom(analysis, resolved.principal.arn, options.maxDepth ?? DEFAULT_MAX_DEPTH)
      : { edges: [], admins: new Map() };
  return blastRadius(graph, analysis.snapshot, ref, options);
}

/** `paths` in the analysis's snapshot, over the part of the graph walks from `query.from` can take. */
export async function pathsOf(analysis: SnapshotAnalysis, query: PathsQuery): Promise<EscalationPath[]> {
  const maxDepth = query.maxDepth ?? DEFAULT_MAX_DEPTH;
  checkBounds(query.k ?? DEFAULT_K, maxDepth);
  return paths(await escalationGraphFrom(analysis, query.from, maxDepth), query);
}
