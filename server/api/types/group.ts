/** `Group` and the `group` query: members and the group's own policies. */
import { builder } from '../builder.ts';
import { resolveSnapshot } from '../resolve-snapshot.ts';
import { NotFoundError, SNAPSHOT_ERRORS } from './errors.ts';
import {
  AttachedPolicyRef,
  GroupRef,
  UserRef,
  inlinePolicyNode,
  managedPolicyNode,
  scoped,
  type AttachedPolicyNode,
  type UserNode,
} from './refs.ts';

GroupRef.implement({
  fields: (t) => ({
    arn: t.exposeString('arn'),
    name: t.exposeString('name'),
    uniqueId: t.string({ description: 'AWS unique id (`AGPA…`).', resolve: (g) => g.id }),
    path: t.exposeString('path'),
    createDate: t.exposeString('createDate', { nullable: true }),
    snapshotId: t.exposeID('snapshotId'),
    members: t.field({
      type: [UserRef],
      description: 'Member users, ordered by ARN.',
      resolve: async (g, _args, ctx) => {
        const members = await ctx.loaders.groupMembers.load({ snapshotId: g.snapshotId, arn: g.arn });
        // Only users can be group members (id_groups); the store's type is the wider Principal.
        return members.filter((m) => m.kind === 'user').map((m) => scoped(g.snapshotId, m) as UserNode);
      },
    }),
    policies: t.field({
      type: [AttachedPolicyRef],
      description: "The group's attached managed policies (MANAGED) and inline policies (INLINE).",
      resolve: async (g, _args, ctx) => {
        const managed = await ctx.loaders.policy.loadMany(
          g.attachedPolicies.map((arn) => ({ snapshotId: g.snapshotId, arn })),
        );
        const out: AttachedPolicyNode[] = g.attachedPolicies.map((arn, i) => {
          const mp = managed[i];
          if (mp instanceof Error) throw mp;
          return {
            snapshotId: g.snapshotId,
            via: 'managed',
            policyId: arn,
            policy: mp ? managedPolicyNode(g.snapshotId, mp) : undefined,
          };
        });
        for (const ip of g.inlinePolicies) {
          const policy = inlinePolicyNode(g.snapshotId, g.arn, ip);
          out.push({ snapshotId: g.snapshotId, via: 'inline', policyId: policy.id, policy });
        }
        return out;
      },
    }),
  }),
});

builder.queryFields((t) => ({
  group: t.field({
    type: GroupRef,
    description: "A group by ARN; `snapshotId` defaults to the current snapshot of the ARN's account.",
    args: { arn: t.arg.string({ required: true }), snapshotId: t.arg.id({ required: false }) },
    errors: { types: [...SNAPSHOT_ERRORS, NotFoundError], directResult: true },
    resolve: async (_root, args, ctx) => {
      const snap = await resolveSnapshot(ctx, args.snapshotId && String(args.snapshotId), args.arn);
      const g = await ctx.loaders.group.load({ snapshotId: snap.id, arn: args.arn });
      if (!g) throw new NotFoundError('group', args.arn, snap.id);
      return scoped(snap.id, g);
    },
  }),
}));
