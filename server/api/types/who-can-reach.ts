/**
 * `whoCanReach(resource, action)`: the resource-side blast radius — who-can's direct answer plus everyone who
 * can become one of those principals (or admin) through CAN_ASSUME / CAN_ESCALATE chains, with the chain.
 * Logic in server/analysis/escalation/reach.ts.
 */
import { whoCanReach, type ReachEntry, type WhoCanReachAnswer } from '../../analysis/escalation/reach.ts';
import { whoCan } from '../../analysis/who-can.ts';
import { builder } from '../builder.ts';
import { resolveSnapshot } from '../resolve-snapshot.ts';
import { ContextEntryInput, contextOf } from './context-input.ts';
import { EscalationPathRef } from './escalation-path.ts';
import { actionProblem } from '../../analysis/arguments.ts';
import { InvalidArgumentError, SNAPSHOT_ERRORS } from './errors.ts';
import { escalationGraph } from '../../analysis/escalation/analysis-graph.ts';

const ReachPrincipalRef = builder.objectRef<ReachEntry['principal']>('ReachPrincipal').implement({
  fields: (t) => ({
    arn: t.exposeString('arn'),
    name: t.exposeString('name'),
    kind: t.exposeString('kind', { description: '`user` or `role`.' }),
  }),
});

const ReachEntryRef = builder.objectRef<ReachEntry>('ReachEntry').implement({
  fields: (t) => ({
    principal: t.field({ type: ReachPrincipalRef, resolve: (e) => e.principal }),
    direct: t.exposeBoolean('direct', { description: 'who-can answers it directly.' }),
    grantor: t.exposeString('grantor', {
      description: 'Whose permission the chain ends with (itself when direct), or `accessgraph:admin`.',
    }),
    conditional: t.exposeBoolean('conditional'),
    path: t.field({ type: EscalationPathRef, description: 'Empty when direct.', resolve: (e) => e.path }),
    grantConditions: t.exposeString('grantConditions', {
      nullable: true,
      description: 'The condition of the grantor’s own grant, when CONDITIONAL.',
    }),
  }),
});

const ReachCountsRef = builder.objectRef<WhoCanReachAnswer['counts']>('ReachCounts').implement({
  fields: (t) => ({
    direct: t.exposeInt('direct'),
    indirect: t.exposeInt('indirect'),
    viaAdmin: t.exposeInt('viaAdmin'),
  }),
});

const WhoCanReachResultRef = builder
  .objectRef<WhoCanReachAnswer & { snapshotId: string }>('WhoCanReachResult')
  .implement({
    fields: (t) => ({
      snapshotId: t.exposeID('snapshotId'),
      actions: t.exposeStringList('actions'),
      resource: t.exposeString('resource'),
      entries: t.field({ type: [ReachEntryRef], resolve: (a) => a.entries }),
      counts: t.field({ type: ReachCountsRef, resolve: (a) => a.counts }),
      notes: t.exposeStringList('notes'),
    }),
  });

builder.queryFields((t) => ({
  whoCanReach: t.field({
    type: WhoCanReachResultRef,
    description:
      'Everyone who can do `action` on `resource` directly or by becoming someone who can (through any chain of role assumptions and escalations).',
    args: {
      snapshotId: t.arg.id({ required: false, description: 'Defaults to the current snapshot.' }),
      resource: t.arg.string({ required: true }),
      action: t.arg.string({ required: true, description: '`s3:GetObject`, or a pattern like `s3:Put*`.' }),
      context: t.arg({ type: [ContextEntryInput], required: false }),
    },
    errors: { types: [...SNAPSHOT_ERRORS, InvalidArgumentError], directResult: true },
    resolve: async (_root, args, ctx) => {
      const badAction = actionProblem(args.action);
      if (badAction) throw new InvalidArgumentError('action', badAction.message);
      const info = await resolveSnapshot(ctx, args.snapshotId, args.resource);
      const analysis = await ctx.analysis(info.id);
      const graph = await escalationGraph(analysis);
      const direct = await whoCan(analysis, {
        action: args.action,
        resource: args.resource,
        context: contextOf(args.context),
      });
      return { ...whoCanReach(graph, analysis.snapshot, direct, args.resource), snapshotId: info.id };
    },
  }),
}));
