/**
 * Choke points: the edges and principals that the most paths to admin go through — where fixing one thing
 * (a trust policy, a PassRole grant) takes the most escalations out.
 *
 * Counted over one path per principal: each principal's cheapest path to admin, from a single reverse search from
 * ADMIN (every path counted would be exponential). So the count says how many principals' best route uses it;
 * removing it may still leave them a longer route (ask paths() for the next ones).
 */
import { ADMIN, type EscalationGraph } from './graph.ts';
import { costsTo, pathTo, publicStep, traversalOf, type IndexedStep, type Step } from './traversal.ts';

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
  const labels = costsTo(t, ADMIN);
  const byNode = new Map<string, number>();
  // By step id; a fan-out step (one target of a class) exists only on the search's path, so it is kept here.
  const byStep = new Map<number, { step: IndexedStep; paths: number }>();
  let counted = 0;
  for (const [node, label] of labels) {
    // Admin-equivalent principals are already there: no path to count.
    if (node === ADMIN || label.hops === 0) continue;
    counted++;
    for (const s of pathTo(labels, node, 'in')) {
      if (s.kind !== 'admin') {
        const seen = byStep.get(s.id);
        if (seen) seen.paths++;
        else byStep.set(s.id, { step: s, paths: 1 });
      }
      if (s.to !== ADMIN) byNode.set(s.to, (byNode.get(s.to) ?? 0) + 1);
    }
  }
  return {
    paths: counted,
    principals: [...byNode]
      .sort(([x, a], [y, b]) => b - a || (x < y ? -1 : x > y ? 1 : 0))
      .slice(0, top)
      .map(([arn, paths]) => ({ arn, paths })),
    edges: [...byStep.values()]
      .sort((a, b) => b.paths - a.paths || a.step.id - b.step.id)
      .slice(0, top)
      .map(({ step, paths }) => ({ edge: publicStep(step), paths })),
  };
}
