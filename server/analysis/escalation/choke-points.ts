/**
 * Choke points: the edges and principals that the most paths to admin go through — where fixing one thing
 * (a trust policy, a PassRole grant) takes the most escalations out.
 *
 * Counted over one path per principal: each principal's cheapest path to admin, from a single reverse search from
 * ADMIN (every path counted would be exponential). So the count says how many principals' best route uses it;
 * removing it may still leave them a longer route (ask paths() for the next ones).
 */
import { ADMIN, type EscalationGraph } from './graph.ts';
import { MAX_DEPTH_LIMIT, cheapest, pathTo, publicStep, traversalOf, type Step } from './traversal.ts';

export interface ChokePoints {
  /** Principals (not themselves admin-equivalent) with a path to admin: the paths counted. */
  paths: number;
  /** Intermediate principals (not the path's start; the admin-equivalent principal at the end included). */
  principals: { arn: string; paths: number }[];
  /** Escalation and assume edges (admin-equivalence steps left out: the principal list has those). */
  edges: { edge: Step; paths: number }[];
}

export function chokePoints(graph: EscalationGraph, options: { top?: number } = {}): ChokePoints {
  const top = options.top ?? 10;
  const t = traversalOf(graph);
  const labels = cheapest(t, ADMIN, 'in', { maxDepth: MAX_DEPTH_LIMIT });
  const byNode = new Map<string, number>();
  const byStep = new Map<number, number>();
  let counted = 0;
  for (const [node, label] of labels) {
    // Admin-equivalent principals are already there: no path to count.
    if (node === ADMIN || label.hops === 0) continue;
    counted++;
    for (const s of pathTo(labels, node, 'in')) {
      if (s.kind !== 'admin') byStep.set(s.id, (byStep.get(s.id) ?? 0) + 1);
      if (s.to !== ADMIN) byNode.set(s.to, (byNode.get(s.to) ?? 0) + 1);
    }
  }
  const order = <K>(a: [K, number], b: [K, number], tie: (x: K, y: K) => number): number =>
    b[1] - a[1] || tie(a[0], b[0]);
  return {
    paths: counted,
    principals: [...byNode]
      .sort((a, b) => order(a, b, (x, y) => (x < y ? -1 : x > y ? 1 : 0)))
      .slice(0, top)
      .map(([arn, paths]) => ({ arn, paths })),
    edges: [...byStep]
      .sort((a, b) => order(a, b, (x, y) => x - y))
      .slice(0, top)
      .map(([id, paths]) => ({ edge: publicStep(t.steps[id]!), paths })),
  };
}
