/** The `graph` query: the membership-to-resource graph the web UI draws (nodes and edges, sorted). */
import { builder } from '../builder.ts';
import { resolveSnapshot } from '../resolve-snapshot.ts';
import { InvalidArgumentError, SNAPSHOT_ERRORS } from './errors.ts';
import { GraphEdgeRef, GraphNodeRef, GraphRef } from './refs.ts';

export const MAX_GRAPH_DEPTH = 6;

const GraphNodeKindEnum = builder.enumType('GraphNodeKind', {
  values: {
    USER: { value: 'user' },
    GROUP: { value: 'group' },
    ROLE: { value: 'role' },
    POLICY: { value: 'policy' },
    RESOURCE: { value: 'resource' },
    ACCESS_KEY: { value: 'accessKey' },
    ACCOUNT: { value: 'account' },
  } as const,
});

const GraphEdgeKindEnum = builder.enumType('GraphEdgeKind', {
  values: {
    MEMBER_OF: { value: 'MEMBER_OF', description: 'User → Group.' },
    HAS_POLICY: { value: 'HAS_POLICY', description: 'User, Group or Role → Policy.' },
    BOUNDED_BY: { value: 'BOUNDED_BY', description: 'User or Role → its permissions boundary.' },
    HAS_KEY: { value: 'HAS_KEY', description: 'User → AccessKey.' },
    PROTECTED_BY: { value: 'PROTECTED_BY', description: 'Resource → its resource policy.' },
    CAN_ASSUME: { value: 'CAN_ASSUME', description: 'Principal → Role it may assume.' },
  } as const,
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
