/** The escalation graph of an analysis, kept in its memo. */
import { memoKey, type SnapshotAnalysis } from '../snapshot-analysis.ts';
import type { EscalationGraph } from './graph.ts';

const ESCALATION_GRAPH = memoKey<Promise<EscalationGraph>>('escalation graph');

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
      ? import('./stored.ts')
          .then((m) => m.readEscalationGraph(source.store, source.snapshotId))
          .then((g) => (g.edges.length === 0 && !g.fanOut?.length && g.admins.size === 0 ? build() : g))
      : build();
    graph.catch(() => analysis.forget(ESCALATION_GRAPH));
    return graph;
  });
}
