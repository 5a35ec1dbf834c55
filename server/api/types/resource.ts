/**
 * `resource(snapshotId, arn)`: a known resource (bucket, topic, …) with its resource policy and a who-can summary
 * by access level. Logic in server/analysis/resource-view.ts; on a large account a bucket whose policy names `*`
 * evaluates every principal (seconds), so ask for one resource at a time.
 */
import type { ResourcePrincipalAccess, ResourceView } from '../../analysis/resource-view.ts';
import { resourceView } from '../../analysis/resource-view.ts';
import { builder } from '../builder.ts';
import { resolveSnapshot } from '../resolve-snapshot.ts';
import { AccessDecisionEnum, AccessLevelEnum } from './access.ts';
import { ContextEntryInput, contextOf } from './context-input.ts';
import { NotFoundError, SNAPSHOT_ERRORS } from './errors.ts';
import { TagRef, tagsOf } from './refs.ts';

const ResourcePrincipalRef = builder.objectRef<ResourcePrincipalAccess>('ResourcePrincipalAccess').implement({
  fields: (t) => ({
    arn: t.string({ resolve: (p) => p.principal.arn }),
    name: t.string({ resolve: (p) => p.principal.name }),
    kind: t.string({ description: '`user` or `role`.', resolve: (p) => p.principal.kind }),
    decision: t.field({ type: AccessDecisionEnum, resolve: (p) => p.decision }),
    actions: t.exposeStringList('actions'),
    conditional: t.exposeStringList('conditional', {
      description: 'Those of `actions` only under a condition.',
    }),
    partial: t.exposeStringList('partial', {
      description: 'Those of `actions` allowed on part of the objects only (`scopes` says which).',
    }),
    scopes: t.exposeStringList('scopes'),
  }),
});

const ResourceLevelRef = builder.objectRef<ResourceView['levels'][number]>('ResourceWhoCanLevel').implement({
  fields: (t) => ({
    level: t.field({ type: AccessLevelEnum, resolve: (l) => l.level }),
    principals: t.field({ type: [ResourcePrincipalRef], resolve: (l) => l.principals }),
  }),
});

const ResourceViewRef = builder.objectRef<ResourceView & { snapshotId: string }>('ResourceView').implement({
  fields: (t) => ({
    snapshotId: t.exposeID('snapshotId'),
    arn: t.string({ resolve: (v) => v.resource.arn }),
    service: t.string({ resolve: (v) => v.resource.service }),
    type: t.string({ resolve: (v) => v.resource.type }),
    name: t.string({ resolve: (v) => v.resource.name }),
    accountId: t.string({ nullable: true, resolve: (v) => v.resource.accountId ?? null }),
    region: t.string({ nullable: true, resolve: (v) => v.resource.region ?? null }),
    tags: t.field({
      type: [TagRef],
      resolve: (v) => tagsOf(v.resource.tags),
    }),
    policy: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The resource-based policy document, if one was collected.',
      resolve: (v) => (v.resource.policy ? (JSON.parse(v.resource.policy) as unknown) : null),
    }),
    whoCan: t.field({
      type: [ResourceLevelRef],
      description: 'Per access level, the principals with at least one action of that level on it.',
      resolve: (v) => v.levels,
    }),
    evaluated: t.exposeInt('evaluated', {
      description: 'Principals evaluated (the candidate index skips those that cannot be granted anything).',
    }),
    principals: t.exposeInt('principals'),
    notes: t.exposeStringList('notes'),
  }),
});

builder.queryFields((t) => ({
  resource: t.field({
    type: ResourceViewRef,
    description: 'A known resource (bucket, topic, …) with its policy and who can do what on it.',
    args: {
      snapshotId: t.arg.id({ required: false, description: 'Defaults to the current snapshot.' }),
      arn: t.arg.string({ required: true }),
      context: t.arg({ type: [ContextEntryInput], required: false }),
      strictContext: t.arg.boolean({ defaultValue: false }),
    },
    errors: { types: [...SNAPSHOT_ERRORS, NotFoundError], directResult: true },
    resolve: async (_root, args, ctx) => {
      const info = await resolveSnapshot(ctx, args.snapshotId && String(args.snapshotId), args.arn);
      const view = await resourceView(await ctx.analysis(info.id), args.arn, {
        context: contextOf(args.context),
        strictContext: args.strictContext ?? false,
      });
      if (!view) throw new NotFoundError('resource', args.arn, info.id);
      return { ...view, snapshotId: info.id };
    },
  }),
}));
