/**
 * `chokePoints(snapshotId, top)`: the principals and edges that the most principals' cheapest path to admin goes
 * through — where one fix removes the most escalations. Logic in server/analysis/escalation/choke-points.ts.
 */
import { chokePoints, type ChokePoints } from '../../analysis/escalation/choke-points.ts';
import { builder } from '../builder.ts';
import { resolveSnapshot } from '../resolve-snapshot.ts';
import { EscalationStepRef } from './escalation-path.ts';
import { InvalidArgumentError, SNAPSHOT_ERRORS } from './errors.ts';
import { escalationGraph } from '../../analysis/escalation/analysis-graph.ts';

const ChokePrincipalRef = builder.objectRef<ChokePoints['principals'][number]>('ChokePrincipal').implement({
  fields: (t) => ({
    arn: t.exposeString('arn'),
    paths: t.exposeInt('paths', { description: 'Principals whose cheapest path to admin goes through it.' }),
  }),
});

const ChokeEdgeRef = builder.objectRef<ChokePoints['edges'][number]>('ChokeEdge').implement({
  fields: (t) => ({
    edge: t.field({ type: EscalationStepRef, resolve: (e) => e.edge }),
    paths: t.exposeInt('paths'),
  }),
});

const ChokePointsRef = builder.objectRef<ChokePoints & { snapshotId: string }>('ChokePoints').implement({
  fields: (t) => ({
    snapshotId: t.exposeID('snapshotId'),
    paths: t.exposeInt('paths', { description: 'Principals (not admin themselves) with a path to admin.' }),
    principals: t.field({ type: [ChokePrincipalRef], resolve: (c) => c.principals }),
    edges: t.field({ type: [ChokeEdgeRef], resolve: (c) => c.edges }),
  }),
});

builder.queryFields((t) => ({
  chokePoints: t.field({
    type: ChokePointsRef,
    description:
      'The principals and edges that the most paths to admin go through (one cheapest path per principal).',
    args: {
      snapshotId: t.arg.id({ required: false, description: 'Defaults to the current snapshot.' }),
      top: t.arg.int({ defaultValue: 10 }),
    },
    errors: { types: [...SNAPSHOT_ERRORS, InvalidArgumentError], directResult: true },
    resolve: async (_root, args, ctx) => {
      const top = args.top ?? 10;
      if (!Number.isInteger(top) || top < 1 || top > 100)
        throw new InvalidArgumentError('top', `top must be 1…100, got ${top}`);
      const info = await resolveSnapshot(ctx, args.snapshotId);
      const graph = await escalationGraph(await ctx.analysis(info.id));
      return { ...chokePoints(graph, { top }), snapshotId: info.id };
    },
  }),
}));
