/**
 * GraphView (as the API returns it) → cytoscape element definitions, pure. Two transformations happen here so
 * the canvas stays usable on a real account:
 * - kinds the user filtered out are dropped, with their edges;
 * - aggregation: users whose only link is membership of one group (a plain member: no direct policy, no
 *   boundary, no role to assume, not the focus) are collapsed into one "+N users" node per group when the group
 *   has more than `aggregateAbove` of them. Users with anything of their own stay visible, because that is what
 *   an auditor looks for. Expanding a group (its id in `expandedGroups`) shows its members again;
 * - unconnected nodes (no edge at all in the view, e.g. AWS managed policies nobody uses) are left out unless
 *   `showUnconnected`: in the whole-account view they would otherwise crowd the first layer. Their ids are
 *   returned so the UI can say how many it left out.
 */
import type { DrawnEdgeKind, GraphEdge, GraphNode, GraphNodeKind, GraphView } from '../api/results.ts';

export const DEFAULT_AGGREGATE_ABOVE = 12;

export interface NodeData {
  id: string;
  label: string;
  kind: GraphNodeKind;
  /** Set on "+N users" nodes. */
  aggregate?: { groupId: string; count: number; members: string[] };
  focus?: boolean;
}

export interface EdgeData {
  id: string;
  source: string;
  target: string;
  kind: DrawnEdgeKind;
  /**
   * PROTECTED_BY points resource → policy in the model; the canvas draws it policy → resource (arrow kept at
   * the resource end, see stylesheet.ts) so a layered layout puts resources after policies.
   */
  reversed?: boolean;
  /** Text drawn on the edge (stylesheet: `edge[label]`). */
  label?: string;
}

export interface ElementDefinitions {
  nodes: { group: 'nodes'; data: NodeData }[];
  edges: { group: 'edges'; data: EdgeData }[];
  /** Nodes left out because nothing connects to them (see `showUnconnected`). */
  unconnected?: string[];
}

export interface ToElementsOptions {
  hiddenKinds?: ReadonlySet<GraphNodeKind>;
  aggregateAbove?: number;
  expandedGroups?: ReadonlySet<string>;
  focus?: string | null;
  showUnconnected?: boolean;
}

export function aggregateId(groupId: string): string {
  return `aggregate:${groupId}`;
}

export function edgeId(e: Pick<GraphEdge, 'source' | 'kind' | 'target'>): string {
  return `${e.source}|${e.kind}|${e.target}`;
}

/** For each group, its plain members (see the module comment) when there are more than `above` of them. */
export function collapsibleMembers(
  view: GraphView,
  above: number,
  expandedGroups: ReadonlySet<string>,
  focus: string | null,
): Map<string, string[]> {
  const kindOf = new Map(view.nodes.map((n) => [n.id, n.kind]));
  const soleGroup = new Map<string, string | null>(); // user → its only group, or null when it has more links
  for (const e of view.edges) {
    if (kindOf.get(e.source) !== 'USER' && kindOf.get(e.target) !== 'USER') continue;
    if (e.kind === 'MEMBER_OF' && kindOf.get(e.source) === 'USER') {
      const prior = soleGroup.get(e.source);
      soleGroup.set(e.source, prior === undefined ? e.target : null);
    } else if (e.kind === 'HAS_KEY') {
      // Keys travel with their user into the aggregate.
      continue;
    } else {
      if (kindOf.get(e.source) === 'USER') soleGroup.set(e.source, null);
      if (kindOf.get(e.target) === 'USER') soleGroup.set(e.target, null);
    }
  }
  const byGroup = new Map<string, string[]>();
  for (const [user, group] of soleGroup) {
    if (group === null || group === undefined || user === focus || group === focus) continue;
    if (expandedGroups.has(group)) continue;
    const list = byGroup.get(group) ?? [];
    list.push(user);
    byGroup.set(group, list);
  }
  for (const [group, members] of byGroup) {
    if (members.length <= above) byGroup.delete(group);
    else members.sort();
  }
  return byGroup;
}

export function toElements(view: GraphView, options: ToElementsOptions = {}): ElementDefinitions {
  const hidden = options.hiddenKinds ?? new Set<GraphNodeKind>();
  const focus = options.focus ?? null;
  const collapsed = collapsibleMembers(
    view,
    options.aggregateAbove ?? DEFAULT_AGGREGATE_ABOVE,
    options.expandedGroups ?? new Set(),
    focus,
  );

  const absorbed = new Set<string>(); // nodes that live inside an aggregate
  for (const members of collapsed.values()) for (const m of members) absorbed.add(m);
  for (const e of view.edges) if (e.kind === 'HAS_KEY' && absorbed.has(e.source)) absorbed.add(e.target);

  const connected = new Set<string>();
  for (const e of view.edges) connected.add(e.source).add(e.target);
  const unconnected: string[] = [];

  const visible = new Map<string, GraphNode>();
  for (const n of view.nodes) {
    if (hidden.has(n.kind) || absorbed.has(n.id)) continue;
    if (!options.showUnconnected && !connected.has(n.id) && n.id !== focus) {
      unconnected.push(n.id);
      continue;
    }
    visible.set(n.id, n);
  }

  const nodes: ElementDefinitions['nodes'] = [];
  for (const n of visible.values()) {
    const data: NodeData = { id: n.id, label: n.label, kind: n.kind };
    if (n.id === focus) data.focus = true;
    nodes.push({ group: 'nodes', data });
  }

  const edges: ElementDefinitions['edges'] = [];
  for (const e of view.edges) {
    if (!visible.has(e.source) || !visible.has(e.target)) continue;
    const data: EdgeData =
      e.kind === 'PROTECTED_BY'
        ? { id: edgeId(e), source: e.target, target: e.source, kind: e.kind, reversed: true }
        : { id: edgeId(e), source: e.source, target: e.target, kind: e.kind };
    if (e.label) data.label = e.label;
    edges.push({ group: 'edges', data });
  }

  if (!hidden.has('USER')) {
    for (const [groupId, members] of collapsed) {
      if (!visible.has(groupId)) continue;
      const id = aggregateId(groupId);
      nodes.push({
        group: 'nodes',
        data: {
          id,
          label: `+${members.length} users`,
          kind: 'USER',
          aggregate: { groupId, count: members.length, members },
        },
      });
      edges.push({
        group: 'edges',
        data: { id: `${id}|MEMBER_OF|${groupId}`, source: id, target: groupId, kind: 'MEMBER_OF' },
      });
    }
  }
  return unconnected.length ? { nodes, edges, unconnected } : { nodes, edges };
}
