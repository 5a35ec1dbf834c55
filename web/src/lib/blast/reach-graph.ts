/**
 * A blast radius as a graph, pure: the start, every principal it reaches (by assuming roles or escalation
 * techniques, each step an edge), a virtual `admin` node when admin-equivalence is reachable, and the resources
 * it can act on, linked from the principals that grant the access. `pathIds` names one path's elements for
 * highlighting.
 */
import type { BlastRadius, EscalationPath, GraphEdge, GraphNode, GraphView } from '../api/results.ts';
import { edgeId } from '../graph/to-elements.ts';
import { kindOfArn } from '../who-can/explanation.ts';

/** The API's id for admin-equivalence (EscalationStep.to when toAdmin). */
export const ADMIN_ID = 'accessgraph:admin';

export function stepEdges(path: EscalationPath): GraphEdge[] {
  return path.steps.map((s) => ({
    source: s.from,
    target: s.to,
    kind: s.kind === 'ASSUME' ? 'CAN_ASSUME' : 'ESCALATES',
  }));
}

export function reachGraph(blast: BlastRadius): GraphView {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const node = (n: GraphNode) => {
    if (!nodes.has(n.id)) nodes.set(n.id, n);
  };
  const labelOf = (arn: string) => arn.split(/[:/]/).pop() || arn;
  const principalNode = (arn: string) => node({ id: arn, kind: kindOfArn(arn), label: labelOf(arn) });
  node({ id: blast.start.arn, kind: blast.start.kind === 'role' ? 'ROLE' : 'USER', label: blast.start.name });
  for (const p of blast.principals)
    node({ id: p.arn, kind: p.kind === 'role' ? 'ROLE' : 'USER', label: p.name });
  if (blast.admin.reachable) node({ id: ADMIN_ID, kind: 'ACCOUNT', label: 'admin' });
  for (const path of [...blast.admin.paths, ...blast.principals.map((p) => p.path)])
    for (const e of stepEdges(path)) {
      if (e.target !== ADMIN_ID) principalNode(e.target);
      principalNode(e.source);
      edges.set(edgeId(e), e);
    }
  for (const r of blast.resources) {
    node({ id: r.arn, kind: 'RESOURCE', label: r.name });
    for (const via of new Set(r.levels.flatMap((l) => l.via))) {
      principalNode(via);
      const e: GraphEdge = { source: via, target: r.arn, kind: 'ALLOWS' };
      edges.set(edgeId(e), e);
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** Ids of one path's nodes and edges on the graph from `reachGraph`. */
export function pathIds(path: EscalationPath): string[] {
  const ids = new Set<string>();
  for (const e of stepEdges(path)) ids.add(e.source).add(e.target).add(edgeId(e));
  return [...ids];
}

/** `AKIA…` / `ASIA…` is an access key id; anything else a principal ARN or name. */
export function blastArgs(from: string): { principal: string | null; accessKeyId: string | null } {
  const text = from.trim();
  return /^(AKIA|ASIA)[A-Z0-9]{12,}$/.test(text)
    ? { principal: null, accessKeyId: text }
    : { principal: text, accessKeyId: null };
}
