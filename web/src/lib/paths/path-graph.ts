/**
 * The paths view, pure: the form's from/to ↔ the API's `paths` arguments, and the ranked paths as one graph (every
 * principal on some path, a virtual admin node, each step an edge) on which the picked path is highlighted.
 */
import type { GraphEdge, GraphNode, GraphView, PathsAnswer } from '../api/results.ts';
import { ADMIN_ID, stepEdges } from '../blast/reach-graph.ts';
import { edgeId } from '../graph/to-elements.ts';
import { shortName } from '../format.ts';
import { kindOfArn } from '../who-can/explanation.ts';

/**
 * The `paths` arguments the form bounds, with the API's limits (server/analysis/escalation/paths.ts: k 1…100,
 * maxDepth 0…32). The UI asks for a few more paths than the API's default 5, for the list to rank.
 */
export interface Bound {
  name: string;
  min: number;
  max: number;
  fallback: number;
}
export const K_BOUND: Bound = { name: 'The number of paths', min: 1, max: 100, fallback: 10 };
export const MAX_DEPTH_BOUND: Bound = { name: 'The maximum steps', min: 0, max: 32, fallback: 6 };

/** A typed bound as a number, or why it is not one (the form shows it and does not ask). */
export function parseBound(text: string, bound: Bound): { value: number } | { error: string } {
  const t = text.trim();
  const n = /^\d+$/.test(t) ? Number(t) : Number.NaN;
  return Number.isInteger(n) && n >= bound.min && n <= bound.max
    ? { value: n }
    : {
        error: `${bound.name} must be a whole number from ${bound.min} to ${bound.max}${t ? `, not “${t}”` : ''}.`,
      };
}

/** An empty `to` asks for paths to admin-equivalence, the question asked most. */
export function pathsArgs(from: string, to: string): { from: string; to: string | null; toAdmin: boolean } {
  const target = to.trim();
  return { from: from.trim(), to: target || null, toAdmin: !target };
}

export function pathsGraph(answer: PathsAnswer): GraphView {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const node = (arn: string) => {
    if (nodes.has(arn)) return;
    nodes.set(
      arn,
      arn === ADMIN_ID
        ? { id: arn, kind: 'ACCOUNT', label: 'admin' }
        : { id: arn, kind: kindOfArn(arn), label: shortName(arn) },
    );
  };
  node(answer.from);
  for (const path of answer.paths)
    for (const e of stepEdges(path)) {
      node(e.source);
      node(e.target);
      edges.set(edgeId(e), e);
    }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** `dave → svc-deploy → cfn-deployer → ADMIN`. */
export function pathTitle(path: PathsAnswer['paths'][number]): string {
  const label = (arn: string) => (arn === ADMIN_ID ? 'ADMIN' : shortName(arn));
  return path.steps.length
    ? [label(path.steps[0]!.from), ...path.steps.map((s) => label(s.to))].join(' → ')
    : '';
}

/** The picked path from the URL's `result` (its rank, from 0); the first when none or out of range. */
export function pickedPath(answer: PathsAnswer | null, result: string | null): number | null {
  if (!answer || answer.paths.length === 0) return null;
  const i = Number.parseInt(result ?? '', 10);
  return Number.isInteger(i) && i >= 0 && i < answer.paths.length ? i : 0;
}
