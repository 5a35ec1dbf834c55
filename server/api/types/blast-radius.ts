/**
 * `blastRadius(principal | accessKeyId)`: the principals a principal (or the holder of one of its access keys)
 * can become, whether admin is reachable and how, and the services and known resources it reaches by access
 * level. Logic in server/analysis/escalation/blast-radius.ts; permissions from effective permissions (access.ts).
 */
import {
  type BlastRadiusAnswer,
  type LevelReach,
  type ReachedPrincipal,
  type ResourceReach,
  type ServiceReach,
} from '../../analysis/escalation/blast-radius.ts';
import { accessReach } from '../../analysis/escalation/reach-provider.ts';
import { MAX_DEPTH_LIMIT } from '../../analysis/escalation/traversal.ts';
import { builder } from '../builder.ts';
import { resolveSnapshot } from '../resolve-snapshot.ts';
import { EscalationPathRef } from './escalation-path.ts';
import { InvalidArgumentError, NotFoundError, SNAPSHOT_ERRORS } from './errors.ts';
import { blastRadiusOf } from '../../analysis/escalation/analysis-graph.ts';

const LevelReachRef = builder.objectRef<LevelReach>('LevelReach').implement({
  fields: (t) => ({
    level: t.exposeString('level', {
      description: '`Read`, `Write`, `List`, `Tagging`, `Permissions management`.',
    }),
    actions: t.exposeInt('actions', { description: 'Distinct actions at this level.' }),
    conditional: t.exposeBoolean('conditional', {
      description: 'Every way to it holds only under conditions.',
    }),
    via: t.exposeStringList('via', { description: 'The principals (start included) that grant it.' }),
  }),
});

const ServiceReachRef = builder.objectRef<ServiceReach>('ServiceReach').implement({
  fields: (t) => ({
    service: t.exposeString('service'),
    levels: t.field({ type: [LevelReachRef], resolve: (s) => s.levels }),
  }),
});

const ResourceReachRef = builder.objectRef<ResourceReach>('ResourceReach').implement({
  fields: (t) => ({
    arn: t.exposeString('arn'),
    service: t.exposeString('service'),
    type: t.exposeString('type'),
    name: t.exposeString('name'),
    levels: t.field({ type: [LevelReachRef], resolve: (r) => r.levels }),
  }),
});

const ReachedPrincipalRef = builder.objectRef<ReachedPrincipal>('ReachedPrincipal').implement({
  fields: (t) => ({
    arn: t.exposeString('arn'),
    name: t.exposeString('name'),
    kind: t.exposeString('kind', { description: '`user` or `role`.' }),
    hops: t.exposeInt('hops'),
    conditional: t.exposeBoolean('conditional', { description: 'Reachable only under conditions.' }),
    path: t.field({
      type: EscalationPathRef,
      description: 'The cheapest path there, one without conditions when there is one.',
      resolve: (p) => p.path,
    }),
  }),
});

const BlastRadiusStartRef = builder.objectRef<BlastRadiusAnswer['start']>('BlastRadiusStart').implement({
  fields: (t) => ({
    arn: t.exposeString('arn'),
    name: t.exposeString('name'),
    kind: t.exposeString('kind'),
    accessKeyId: t.exposeString('accessKeyId', { nullable: true, description: 'When asked by access key.' }),
    accessKeyActive: t.exposeBoolean('accessKeyActive', {
      nullable: true,
      description:
        'When asked by access key: false when the key is inactive (credential report, or a what-if deactivation), which then reaches nothing.',
    }),
  }),
});

const AdminReachRef = builder.objectRef<BlastRadiusAnswer['admin']>('AdminReach').implement({
  fields: (t) => ({
    reachable: t.exposeBoolean('reachable'),
    conditional: t.exposeBoolean('conditional', {
      description: 'Only under conditions: no path holds without.',
    }),
    paths: t.field({ type: [EscalationPathRef], resolve: (a) => a.paths }),
  }),
});

const BlastRadiusCountsRef = builder.objectRef<BlastRadiusAnswer['counts']>('BlastRadiusCounts').implement({
  fields: (t) => ({
    principals: t.exposeInt('principals'),
    users: t.exposeInt('users'),
    roles: t.exposeInt('roles'),
    services: t.exposeInt('services'),
    resources: t.exposeInt('resources'),
    adminPaths: t.exposeInt('adminPaths'),
  }),
});

const BlastRadiusRef = builder
  .objectRef<BlastRadiusAnswer & { snapshotId: string }>('BlastRadius')
  .implement({
    fields: (t) => ({
      snapshotId: t.exposeID('snapshotId'),
      start: t.field({ type: BlastRadiusStartRef, resolve: (a) => a.start }),
      principals: t.field({ type: [ReachedPrincipalRef], resolve: (a) => a.principals }),
      admin: t.field({ type: AdminReachRef, resolve: (a) => a.admin }),
      services: t.field({
        type: [ServiceReachRef],
        description: 'Empty when admin is reachable without conditions (then everything is).',
        resolve: (a) => a.services,
      }),
      resources: t.field({ type: [ResourceReachRef], resolve: (a) => a.resources }),
      counts: t.field({ type: BlastRadiusCountsRef, resolve: (a) => a.counts }),
      source: t.exposeString('source', {
        description: 'Where services and resources come from: `effective-permissions`.',
      }),
      notes: t.exposeStringList('notes'),
    }),
  });

builder.queryFields((t) => ({
  blastRadius: t.field({
    type: BlastRadiusRef,
    description:
      'Everything a principal, or whoever holds one of its access keys, can reach through CAN_ASSUME / CAN_ESCALATE chains.',
    args: {
      snapshotId: t.arg.id({ required: false, description: 'Defaults to the current snapshot.' }),
      principal: t.arg.string({ required: false, description: 'ARN, or user or role name.' }),
      accessKeyId: t.arg.string({
        required: false,
        description: '`AKIA…`: found through users’ credentials.',
      }),
      maxDepth: t.arg.int({ required: false }),
    },
    errors: { types: [...SNAPSHOT_ERRORS, NotFoundError, InvalidArgumentError], directResult: true },
    resolve: async (_root, args, ctx) => {
      if (!args.principal === !args.accessKeyId)
        throw new InvalidArgumentError('principal', 'give exactly one of `principal` and `accessKeyId`');
      const ref = (args.principal ?? args.accessKeyId)!;
      if (args.maxDepth != null && (args.maxDepth < 0 || args.maxDepth > MAX_DEPTH_LIMIT))
        throw new InvalidArgumentError(
          'maxDepth',
          `maxDepth must be 0…${MAX_DEPTH_LIMIT}, got ${args.maxDepth}`,
        );
      const info = await resolveSnapshot(ctx, args.snapshotId, args.principal);
      const analysis = await ctx.analysis(info.id);
      const result = await blastRadiusOf(analysis, ref, {
        reach: await accessReach(analysis),
        ...(args.maxDepth != null ? { maxDepth: args.maxDepth } : {}),
      });
      if (result.kind === 'ambiguous')
        throw new InvalidArgumentError('principal', `${result.message}: ${result.candidates.join(', ')}`);
      if (result.kind === 'not-found')
        throw new NotFoundError(args.accessKeyId ? 'accessKey' : 'principal', ref, info.id);
      return { ...result.answer, snapshotId: info.id };
    },
  }),
}));
