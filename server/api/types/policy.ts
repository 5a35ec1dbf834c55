/** `Policy` (managed or inline), where it is attached, and the `policy` query. Also the `JSON` scalar. */
import { builder } from '../builder.ts';
import { resolveSnapshot } from '../resolve-snapshot.ts';
import { NotFoundError, SNAPSHOT_ERRORS } from './errors.ts';
import {
  PolicyAttachmentRef,
  PolicyRef,
  PolicyVersionRef,
  inlinePolicyNode,
  managedPolicyNode,
} from './refs.ts';

builder.scalarType('JSON', {
  description: 'A JSON value; policy documents are returned parsed, exactly as the input held them.',
  serialize: (v) => v,
  parseValue: (v) => v,
});

const PolicyKindEnum = builder.enumType('PolicyKind', {
  values: {
    AWS_MANAGED: { value: 'awsManaged' },
    CUSTOMER_MANAGED: { value: 'customerManaged' },
    INLINE: { value: 'inline' },
  } as const,
});

const AttachedAsEnum = builder.enumType('AttachedAs', {
  values: {
    POLICY: { value: 'policy', description: 'A permissions policy.' },
    BOUNDARY: { value: 'boundary', description: 'A permissions boundary (it limits, never grants).' },
  } as const,
});

const EntityKindEnum = builder.enumType('EntityKind', {
  values: { USER: { value: 'user' }, GROUP: { value: 'group' }, ROLE: { value: 'role' } } as const,
});

PolicyAttachmentRef.implement({
  fields: (t) => ({
    arn: t.exposeString('arn', { description: 'The user, group or role.' }),
    kind: t.field({ type: EntityKindEnum, resolve: (a) => a.kind }),
    as: t.field({ type: AttachedAsEnum, resolve: (a) => a.as }),
  }),
});

PolicyRef.implement({
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The ARN, or `<owner ARN>#inline/<name>` for an inline policy.' }),
    arn: t.string({
      nullable: true,
      description: 'Null for inline policies.',
      resolve: (p) => p.managed?.arn ?? null,
    }),
    name: t.exposeString('name'),
    kind: t.field({ type: PolicyKindEnum, resolve: (p) => p.kind }),
    snapshotId: t.exposeID('snapshotId'),
    document: t.field({
      type: 'JSON',
      description: 'The document AWS evaluates (the default version for managed policies).',
      resolve: (p) => JSON.parse(p.document) as unknown,
    }),
    description: t.string({ nullable: true, resolve: (p) => p.managed?.description ?? null }),
    path: t.string({ nullable: true, resolve: (p) => p.managed?.path ?? null }),
    defaultVersionId: t.string({ nullable: true, resolve: (p) => p.managed?.defaultVersionId ?? null }),
    versions: t.field({
      type: [PolicyVersionRef],
      description: 'All versions the input held (empty for inline policies).',
      resolve: (p) => p.managed?.versions ?? [],
    }),
    attachedTo: t.field({
      type: [PolicyAttachmentRef],
      resolve: async (p, _args, ctx) => {
        if (p.ownerArn) {
          const kind = /:(user|group|role)\//.exec(p.ownerArn)?.[1] as 'user' | 'group' | 'role';
          return [{ arn: p.ownerArn, kind, as: 'policy' as const }];
        }
        return ctx.loaders.policyAttachments.load({ snapshotId: p.snapshotId, arn: p.id });
      },
    }),
  }),
});

builder.queryFields((t) => ({
  policy: t.field({
    type: PolicyRef,
    description:
      'A managed policy by ARN, or an inline one by `<owner ARN>#inline/<name>`. `snapshotId` defaults to the ' +
      "current snapshot of the owner's account (AWS managed policy ARNs name no account: the newest snapshot).",
    args: { arn: t.arg.string({ required: true }), snapshotId: t.arg.id({ required: false }) },
    errors: { types: [...SNAPSHOT_ERRORS, NotFoundError], directResult: true },
    resolve: async (_root, args, ctx) => {
      const snap = await resolveSnapshot(ctx, args.snapshotId && String(args.snapshotId), args.arn);
      const inline = /^(.*)#inline\/(.+)$/.exec(args.arn);
      if (inline) {
        const [, owner = '', name] = inline;
        const entity =
          (await ctx.loaders.principal.load({ snapshotId: snap.id, arn: owner })) ??
          (await ctx.loaders.group.load({ snapshotId: snap.id, arn: owner }));
        const ip = entity?.inlinePolicies.find((x) => x.name === name);
        if (!ip) throw new NotFoundError('policy', args.arn, snap.id);
        return inlinePolicyNode(snap.id, owner, ip);
      }
      const mp = await ctx.loaders.policy.load({ snapshotId: snap.id, arn: args.arn });
      if (!mp) throw new NotFoundError('policy', args.arn, snap.id);
      return managedPolicyNode(snap.id, mp);
    },
  }),
}));
