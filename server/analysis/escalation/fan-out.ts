/**
 * Fan-out entries (graph.ts `FanOutEdge`) as plain edges, for consumers that walk `edges` only: one edge per
 * target, deduplicated against the edges the builder already drew (those to admin-equivalent targets). Fine for
 * the demo and small accounts; on large ones the count is sources × targets, hence the limit.
 */
import type { EscalationEdge, EscalationGraph } from './graph.ts';

export class FanOutTooLarge extends Error {
  constructor(
    readonly edges: number,
    readonly limit: number,
  ) {
    super(`expanding the fan-out would draw ${edges} edges (limit ${limit})`);
    this.name = 'FanOutTooLarge';
  }
}

/** How many edges expanding would add (before deduplication). */
export function fanOutSize(graph: EscalationGraph): number {
  return (graph.fanOut ?? []).reduce((n, f) => n + f.targets.length, 0);
}

/** The graph with every fan-out entry drawn as edges, and no `fanOut` left; throws FanOutTooLarge past `limit`. */
export function expandFanOut(graph: EscalationGraph, limit = 1_000_000): EscalationGraph {
  const size = fanOutSize(graph);
  if (size > limit) throw new FanOutTooLarge(size, limit);
  const seen = new Set(graph.edges.map((e) => `${e.from}\u0000${e.to}\u0000${e.technique}`));
  const edges: EscalationEdge[] = [...graph.edges];
  for (const { targets, targetClass: _class, ...edge } of graph.fanOut ?? [])
    for (const to of targets) {
      const key = `${edge.from}\u0000${to}\u0000${edge.technique}`;
      if (to === edge.from || seen.has(key)) continue;
      seen.add(key);
      edges.push({ ...edge, to });
    }
  return { edges, admins: graph.admins };
}
