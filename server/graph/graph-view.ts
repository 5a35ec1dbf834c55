/**
 * graph(): the membership-to-resource view, computed the same way by both stores. Semantics (the contract
 * suite pins them): without a focus, every graph node and edge of the snapshot; with a focus, the nodes within
 * `depth` hops of it following edges in both directions, and every graph edge between two of those nodes.
 * Nodes sorted by id, edges by (source, kind, target) — plain code-unit order, as Neo4j sorts strings.
 */
import type { GraphEdge, GraphNode, GraphView } from './store.ts';

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortGraphView(view: GraphView): GraphView {
  return {
    nodes: [...view.nodes].sort((a, b) => compareStrings(a.id, b.id)),
    edges: [...view.edges].sort(
      (a, b) =>
        compareStrings(a.source, b.source) ||
        compareStrings(a.kind, b.kind) ||
        compareStrings(a.target, b.target),
    ),
  };
}

/** An undirected adjacency over graph edges, built once per snapshot. */
export class GraphIndex {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges: GraphEdge[] = [];
  private readonly neighbours = new Map<string, string[]>();

  constructor(nodes: Iterable<GraphNode>, edges: Iterable<GraphEdge>) {
    for (const n of nodes) this.nodes.set(n.id, n);
    for (const e of edges) {
      // INVARIANT: graph rows only produce edges between graph nodes.
      if (!this.nodes.has(e.source) || !this.nodes.has(e.target)) continue;
      this.edges.push(e);
      this.link(e.source, e.target);
      this.link(e.target, e.source);
    }
  }

  private link(a: string, b: string): void {
    const list = this.neighbours.get(a);
    if (list) list.push(b);
    else this.neighbours.set(a, [b]);
  }

  view(focus: string | undefined, depth: number): GraphView {
    if (focus === undefined) return sortGraphView({ nodes: [...this.nodes.values()], edges: this.edges });
    if (!this.nodes.has(focus)) return { nodes: [], edges: [] };
    const visited = new Set([focus]);
    let frontier = [focus];
    for (let hop = 0; hop < depth && frontier.length > 0; hop++) {
      const next: string[] = [];
      for (const id of frontier) {
        for (const m of this.neighbours.get(id) ?? []) {
          if (!visited.has(m)) {
            visited.add(m);
            next.push(m);
          }
        }
      }
      frontier = next;
    }
    const nodes = [...visited].map((id) => this.nodes.get(id)!);
    const edges = this.edges.filter((e) => visited.has(e.source) && visited.has(e.target));
    return sortGraphView({ nodes, edges });
  }
}
