/** The `graph` query: the membership-to-resource graph the web UI draws (nodes and edges, sorted). */
import {
  GRAPH_EDGE_KINDS,
  GRAPH_NODE_KINDS,
  graphqlNodeKind,
  type GraphEdgeKind,
  type GraphNodeKind,
} from '../../graph/store.ts';
import { builder } from '../builder.ts';
import { resolveSnapshot } from '../resolve-snapshot.ts';
import { InvalidArgumentError, SNAPSHOT_ERRORS } from './errors.ts';
import { GraphEdgeRef, GraphNodeRef, GraphRef } from './refs.ts';

export const MAX_GRAPH_DEPTH = 6;

const GraphNodeKindEnum = builder.enumType('GraphNodeKind', {
  values: Object.fromEntries(
    GRAPH_NODE_KINDS.map((kind) => [graphqlNodeKind(kind), { value: kind }]),
  ) as Record<string, { value: GraphNodeKind }>,
});

const GraphEdgeKindEnum = builder.enumType('GraphEdgeKind', {
  values: Object.fromEntries(
    Object.entries(GRAPH_EDGE_KINDS).map(([kind, description]) => [kind, { value: kind, description }]),
  ) as Record<string, { value: GraphEdgeKind; description: string }>,
});

GraphNodeRef.implement({
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The ARN (or inline policy id / access key id).' }),
    kind: t.field({ type: GraphNodeKindEnum, resolve: (n) => n.kind }),
    label: t.exposeString('label'),
  }),
});

GraphEdgeRef.implement({
  fields: (t) => ({
    source: t.exposeID('source'),
    target: t.exposeID('target'),
    kind: t.field({ type: GraphEdgeKindEnum, resolve: (e) => e.kind }),
  }),
});

GraphRef.implement({
  fields: (t) => ({
    nodes: t.field({ type: [GraphNodeRef], resolve: (g) => g.nodes }),
    edges: t.field({ type: [GraphEdgeRef], resolve: (g) => g.edges }),
  }),
});

builder.queryFields((t) => ({
  graph: t.field({
    type: GraphRef,
    description:
      'The graph around `focus` (an ARN) up to `depth` hops, or the whole snapshot without a focus.',
    args: {
      snapshotId: t.arg.id({ required: false }),
      focus: t.arg.string({ required: false }),
      depth: t.arg.int({ defaultValue: 2, description: `Hops from the focus, 0 to ${MAX_GRAPH_DEPTH}.` }),
    },
    errors: { types: [...SNAPSHOT_ERRORS, InvalidArgumentError], directResult: true },
    resolve: async (_root, args, ctx) => {
      const depth = args.depth ?? 2;
      if (depth < 0 || depth > MAX_GRAPH_DEPTH) {
        throw new InvalidArgumentError(
          'depth',
          `\`depth\` must be between 0 and ${MAX_GRAPH_DEPTH}, got ${depth}`,
        );
      }
      const snap = await resolveSnapshot(ctx, args.snapshotId && String(args.snapshotId), args.focus);
      return ctx.store.graph(snap.id, args.focus ?? undefined, depth);
    },
  }),
}));
