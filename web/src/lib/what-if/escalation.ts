/**
 * The escalation part of a what-if answer as the result list shows it: each added or removed escalation edge
 * (who can now assume or escalate to whom, by which technique) and who gains or loses a path to admin — the
 * changes that matter most and that the per-service tally cannot show.
 *
 * A fan-out entry (one technique reaching a whole class: every role trusting lambda.amazonaws.com) is one row
 * and one edge, to a node standing for the class, labelled with its description and size: drawn per member it
 * would be thousands of edges on a large account.
 */
import type {
  DiffEdge,
  DiffFanOut,
  DiffPrincipalClass,
  EscalationDiff,
  GraphEdge,
  GraphNode,
  GraphView,
} from '../api/results.ts';
import { ADMIN_ID } from '../blast/reach-graph.ts';
import { shortName } from '../format.ts';
import { edgeId } from '../graph/to-elements.ts';
import { kindOfArn } from '../who-can/explanation.ts';

export interface EscalationRow {
  change: 'added' | 'removed';
  from: string;
  to: string;
  /** `bob → lambda-admin`, `svc-deploy → ADMIN`. */
  text: string;
  technique: string;
  conditional: boolean;
}

export interface EscalationList {
  edges: EscalationRow[];
  adminGained: { arn: string; name: string }[];
  adminLost: { arn: string; name: string }[];
}

const label = (arn: string) => (arn === ADMIN_ID ? 'ADMIN' : shortName(arn));

/** `every role trusting lambda.amazonaws.com (3)`; a description that already says its size keeps it once. */
export function classLabel(c: Pick<DiffPrincipalClass, 'description' | 'size'>): string {
  return c.description.includes(`(${c.size})`) ? c.description : `${c.description} (${c.size})`;
}

/** A fan-out entry as an edge to its class's node (the class id). */
const toClass = (f: DiffFanOut): DiffEdge => ({
  from: f.from,
  to: f.targetClass.id,
  kind: f.kind,
  technique: f.technique,
  conditional: f.conditional,
  conditions: f.conditions,
});

/** Null when the server had no escalation graph to compare (the answer says so in its notes). */
export function escalationList(diff: EscalationDiff | null | undefined): EscalationList | null {
  if (!diff) return null;
  const rows = (
    change: EscalationRow['change'],
    edges: DiffEdge[],
    fanOut: DiffFanOut[],
  ): EscalationRow[] => [
    ...edges.map((e) => ({
      change,
      from: e.from,
      to: e.to,
      text: `${label(e.from)} → ${label(e.to)}`,
      technique: e.technique,
      conditional: e.conditional,
    })),
    ...fanOut.map((f) => ({
      change,
      from: f.from,
      to: f.targetClass.id,
      text: `${label(f.from)} → ${classLabel(f.targetClass)}`,
      technique: f.technique,
      conditional: f.conditional,
    })),
  ];
  const named = (arns: string[]) => arns.map((arn) => ({ arn, name: label(arn) }));
  return {
    edges: [
      ...rows('added', diff.added, diff.fanOutAdded),
      ...rows('removed', diff.removed, diff.fanOutRemoved),
    ],
    adminGained: named(diff.pathsToAdminGained),
    adminLost: named(diff.pathsToAdminLost),
  };
}

/** The escalation edges on the graph, as element ids by how they are drawn (stylesheet.ts, Legend.svelte). */
export interface EscalationDrawing {
  /** The graph with the edges (and any principal or the admin node they need that it did not hold). */
  graph: GraphView;
  added: string[];
  /** Added, but holding only under conditions: drawn dashed. */
  addedConditional: string[];
  removed: string[];
}

/**
 * Draw the change's escalation edges between the principals of `view`: one edge per pair and direction, labelled
 * with its techniques (a change often adds several between the same two, e.g. iam-002 and iam-003), conditional
 * only when every technique is. An edge the graph already holds (a removed trust) is reused and only marked; an
 * edge to admin-equivalence gets the virtual admin node the paths view draws too; a fan-out entry is an edge to
 * a node for its class, of its members' kind (USER, ROLE), labelled with the class's description and size.
 */
export function drawEscalation(view: GraphView, diff: EscalationDiff | null | undefined): EscalationDrawing {
  const nodes = [...view.nodes];
  const edges = [...view.edges];
  const drawing: EscalationDrawing = {
    graph: { nodes, edges },
    added: [],
    addedConditional: [],
    removed: [],
  };
  if (!diff) return drawing;
  const known = new Set(nodes.map((n) => n.id));
  const classes = new Map<string, DiffPrincipalClass>();
  for (const f of [...diff.fanOutAdded, ...diff.fanOutRemoved]) classes.set(f.targetClass.id, f.targetClass);
  const node = (id: string) => {
    if (known.has(id)) return;
    known.add(id);
    const cls = classes.get(id);
    const sample = cls?.sample[0];
    const n: GraphNode = cls
      ? { id, kind: sample ? kindOfArn(sample) : 'ROLE', label: classLabel(cls) }
      : id === ADMIN_ID
        ? { id, kind: 'ACCOUNT', label: 'admin' }
        : { id, kind: kindOfArn(id), label: shortName(id) };
    nodes.push(n);
  };
  const existing = new Map(edges.map((e, i) => [edgeId(e), i]));
  const drawn = new Set<string>();
  const draw = (change: 'added' | 'removed', group: DiffEdge[]) => {
    const byPair = new Map<string, DiffEdge[]>();
    for (const e of group) {
      const kind = e.kind === 'assume' ? 'CAN_ASSUME' : 'ESCALATES';
      const key = edgeId({ source: e.from, target: e.to, kind });
      byPair.set(key, [...(byPair.get(key) ?? []), e]);
    }
    for (const [id, same] of byPair) {
      // The same pair both gained and lost a technique: the gain is what is drawn, the list has both.
      if (drawn.has(id)) continue;
      drawn.add(id);
      const first = same[0]!;
      node(first.from);
      node(first.to);
      const label = [...new Set(same.map((e) => e.technique))].sort().join(', ');
      const edge: GraphEdge = {
        source: first.from,
        target: first.to,
        kind: first.kind === 'assume' ? 'CAN_ASSUME' : 'ESCALATES',
        label,
      };
      const at = existing.get(id);
      if (at === undefined) edges.push(edge);
      else edges[at] = { ...edges[at]!, label };
      if (change === 'removed') drawing.removed.push(id);
      else if (same.every((e) => e.conditional)) drawing.addedConditional.push(id);
      else drawing.added.push(id);
    }
  };
  draw('added', [...diff.added, ...diff.fanOutAdded.map(toClass)]);
  draw('removed', [...diff.removed, ...diff.fanOutRemoved.map(toClass)]);
  return drawing;
}
