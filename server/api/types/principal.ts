/**
 * `Principal` (interface) with `User` and `Role`, and the `principals` / `principal` queries. A principal's
 * `policies` lists every policy that applies to it and how: attached managed, inline, and — through each
 * group — the group's managed and inline policies (groups cannot hold roles, so only users have those).
 */
import type { ApiContext } from '../context.ts';
import { builder } from '../builder.ts';
import { resolveSnapshot } from '../resolve-snapshot.ts';
import { ageInDays } from '../../analysis/findings/finding.ts';
import { InvalidArgumentError, NotFoundError, SNAPSHOT_ERRORS } from './errors.ts';
import {
  AccessKeyRef,
  AttachedPolicyRef,
  GroupRef,
  PolicyRef,
  PrincipalPageRef,
  PrincipalRef,
  RoleRef,
  TagRef,
  UserRef,
  inlinePolicyNode,
  managedPolicyNode,
  scoped,
  tagsOf,
  type AttachedPolicyNode,
  type GroupNode,
  type PrincipalNode,
} from './refs.ts';

export const MAX_PAGE_SIZE = 500;

const AttachmentViaEnum = builder.enumType('AttachmentVia', {
  description: 'How a policy applies to a principal.',
  values: {
    MANAGED: { value: 'managed', description: 'A managed policy attached to the principal itself.' },
    INLINE: { value: 'inline', description: 'An inline policy embedded in the principal.' },
    GROUP_MANAGED: {
      value: 'groupManaged',
      description: 'A managed policy attached to a group of the user.',
    },
    GROUP_INLINE: { value: 'groupInline', description: 'An inline policy embedded in a group of the user.' },
  } as const,
});

const PrincipalKindEnum = builder.enumType('PrincipalKind', {
  values: { USER: { value: 'user' }, ROLE: { value: 'role' } } as const,
});

const PrincipalFilterInput = builder.inputType('PrincipalFilter', {
  fields: (t) => ({
    kind: t.field({ type: PrincipalKindEnum, required: false }),
    search: t.string({ required: false, description: 'Case-insensitive substring of the name or ARN.' }),
  }),
});

AttachedPolicyRef.implement({
  fields: (t) => ({
    via: t.field({ type: AttachmentViaEnum, resolve: (a) => a.via }),
    policyId: t.string({
      description: 'The managed policy ARN, or `<owner ARN>#inline/<name>` for inline policies.',
      resolve: (a) => a.policyId,
    }),
    policy: t.field({
      type: PolicyRef,
      nullable: true,
      description: 'Null when the snapshot lacks the policy (see the snapshot warnings).',
      resolve: (a) => a.policy ?? null,
    }),
    group: t.field({
      type: GroupRef,
      nullable: true,
      description: 'The group the policy comes through, for GROUP_* attachments.',
      resolve: async (a, _args, ctx) => {
        if (!a.groupArn) return null;
        const g = await ctx.loaders.group.load({ snapshotId: a.snapshotId, arn: a.groupArn });
        return g ? scoped(a.snapshotId, g) : null;
      },
    }),
  }),
});

async function managedAttachments(
  ctx: ApiContext,
  snapshotId: string,
  arns: string[],
  via: 'managed' | 'groupManaged',
  groupArn?: string,
): Promise<AttachedPolicyNode[]> {
  const policies = await ctx.loaders.policy.loadMany(arns.map((arn) => ({ snapshotId, arn })));
  return arns.map((arn, i) => {
    const p = policies[i];
    if (p instanceof Error) throw p;
    return {
      snapshotId,
      via,
      policyId: arn,
      groupArn,
      policy: p ? managedPolicyNode(snapshotId, p) : undefined,
    };
  });
}

async function policiesOf(
  ctx: ApiContext,
  p: PrincipalNode,
  includeGroups: boolean,
): Promise<AttachedPolicyNode[]> {
  const out: AttachedPolicyNode[] = [
    ...(await managedAttachments(ctx, p.snapshotId, p.attachedPolicies, 'managed')),
    ...p.inlinePolicies.map((ip) => {
      const policy = inlinePolicyNode(p.snapshotId, p.arn, ip);
      return { snapshotId: p.snapshotId, via: 'inline' as const, policyId: policy.id, policy };
    }),
  ];
  if (includeGroups && p.kind === 'user') {
    for (const g of await groupsOf(ctx, p.snapshotId, p.groups)) {
      out.push(...(await managedAttachments(ctx, p.snapshotId, g.attachedPolicies, 'groupManaged', g.arn)));
      for (const ip of g.inlinePolicies) {
        const policy = inlinePolicyNode(p.snapshotId, g.arn, ip);
        out.push({
          snapshotId: p.snapshotId,
          via: 'groupInline',
          policyId: policy.id,
          groupArn: g.arn,
          policy,
        });
      }
    }
  }
  return out;
}

async function groupsOf(ctx: ApiContext, snapshotId: string, arns: string[]): Promise<GroupNode[]> {
  const groups = await ctx.loaders.group.loadMany(arns.map((arn) => ({ snapshotId, arn })));
  return groups.flatMap((g) => {
    if (g instanceof Error) throw g;
    return g ? [scoped(snapshotId, g)] : [];
  });
}

PrincipalRef.implement({
  description: 'An IAM user or role.',
  resolveType: (p) => (p.kind === 'user' ? 'User' : 'Role'),
  fields: (t) => ({
    arn: t.exposeString('arn'),
    name: t.exposeString('name'),
    uniqueId: t.string({ description: 'AWS unique id (`AIDA…`, `AROA…`).', resolve: (p) => p.id }),
    path: t.exposeString('path'),
    createDate: t.exposeString('createDate', { nullable: true }),
    snapshotId: t.exposeID('snapshotId'),
    tags: t.field({ type: [TagRef], resolve: (p) => tagsOf(p.tags) }),
    policies: t.field({
      type: [AttachedPolicyRef],
      args: {
        includeGroups: t.arg.boolean({
          defaultValue: true,
          description: "Also list the policies of the user's groups.",
        }),
      },
      resolve: (p, args, ctx) => policiesOf(ctx, p, args.includeGroups ?? true),
    }),
    boundaryArn: t.string({
      nullable: true,
      description: 'ARN of the permissions boundary, even when the snapshot lacks its document.',
      resolve: (p) => p.permissionsBoundary ?? null,
    }),
    boundary: t.field({
      type: PolicyRef,
      nullable: true,
      resolve: async (p, _args, ctx) => {
        if (!p.permissionsBoundary) return null;
        const mp = await ctx.loaders.policy.load({ snapshotId: p.snapshotId, arn: p.permissionsBoundary });
        return mp ? managedPolicyNode(p.snapshotId, mp) : null;
      },
    }),
  }),
});

UserRef.implement({
  interfaces: [PrincipalRef],
  isTypeOf: (p) => (p as PrincipalNode).kind === 'user',
  fields: (t) => ({
    groups: t.field({ type: [GroupRef], resolve: (u, _args, ctx) => groupsOf(ctx, u.snapshotId, u.groups) }),
    accessKeys: t.field({
      type: [AccessKeyRef],
      description: 'From the credential report; empty when none was imported.',
      resolve: async (u, _args, ctx) => {
        const keys = u.credentials?.accessKeys ?? [];
        const asOf = keys.length ? (await ctx.loaders.snapshot.load(u.snapshotId))?.collectedAt : undefined;
        return keys.map((k) => {
          const age = ageInDays(k.lastRotated, asOf !== undefined ? Date.parse(asOf) : undefined);
          return age !== undefined ? { ...k, ageDays: age } : k;
        });
      },
    }),
    passwordEnabled: t.boolean({
      nullable: true,
      description: 'Console password (login profile); null without a credential report.',
      resolve: (u) => u.credentials?.passwordEnabled ?? null,
    }),
    passwordLastUsed: t.string({ nullable: true, resolve: (u) => u.credentials?.passwordLastUsed ?? null }),
    passwordLastChanged: t.string({
      nullable: true,
      resolve: (u) => u.credentials?.passwordLastChanged ?? null,
    }),
    mfaActive: t.boolean({ nullable: true, resolve: (u) => u.credentials?.mfaActive ?? null }),
  }),
});

RoleRef.implement({
  interfaces: [PrincipalRef],
  isTypeOf: (p) => (p as PrincipalNode).kind === 'role',
  fields: (t) => ({
    trustPolicy: t.field({
      type: 'JSON',
      description: 'The AssumeRolePolicyDocument.',
      resolve: (r) => JSON.parse(r.trustPolicy) as unknown,
    }),
    description: t.exposeString('description', { nullable: true }),
    maxSessionDuration: t.exposeInt('maxSessionDuration', { nullable: true }),
    lastUsedDate: t.string({ nullable: true, resolve: (r) => r.lastUsed?.date ?? null }),
    lastUsedRegion: t.string({ nullable: true, resolve: (r) => r.lastUsed?.region ?? null }),
    instanceProfiles: t.stringList({
      description: 'ARNs of the instance profiles that carry the role.',
      resolve: (r) => r.instanceProfiles.map((ip) => ip.arn),
    }),
  }),
});

AccessKeyRef.implement({
  description: 'An access key as the credential report shows it: never a secret.',
  fields: (t) => ({
    slot: t.exposeInt('slot'),
    id: t.exposeString('id', { nullable: true }),
    active: t.exposeBoolean('active'),
    lastRotated: t.exposeString('lastRotated', { nullable: true }),
    ageDays: t.exposeInt('ageDays', {
      nullable: true,
      description: "Days from lastRotated to the snapshot's collectedAt (the credential report's time).",
    }),
    lastUsedDate: t.exposeString('lastUsedDate', { nullable: true }),
    lastUsedRegion: t.exposeString('lastUsedRegion', { nullable: true }),
    lastUsedService: t.exposeString('lastUsedService', { nullable: true }),
  }),
});

/** Where a page of an ARN-ordered list ends: every paged field answers with it. */
export const PageInfoRef = builder
  .objectRef<{ endCursor?: string; hasNextPage: boolean }>('PageInfo')
  .implement({
    fields: (f) => ({
      endCursor: f.string({
        nullable: true,
        description: 'Pass as `after` for the next page; null on the last page.',
        resolve: (i) => i.endCursor ?? null,
      }),
      hasNextPage: f.exposeBoolean('hasNextPage'),
    }),
  });

PrincipalPageRef.implement({
  fields: (t) => ({
    items: t.field({ type: [PrincipalRef], resolve: (p) => p.items }),
    pageInfo: t.field({
      type: PageInfoRef,
      resolve: (p) => ({ endCursor: p.endCursor, hasNextPage: p.hasNextPage }),
    }),
    totalCount: t.exposeInt('totalCount'),
  }),
});

builder.queryFields((t) => ({
  principals: t.field({
    type: PrincipalPageRef,
    description: 'Users and roles ordered by ARN, a page at a time.',
    args: {
      snapshotId: t.arg.id({ required: false, description: 'Defaults to the current snapshot.' }),
      filter: t.arg({ type: PrincipalFilterInput, required: false }),
      first: t.arg.int({ defaultValue: 50, description: `Page size, 1 to ${MAX_PAGE_SIZE}.` }),
      after: t.arg.string({ required: false }),
    },
    errors: { types: [...SNAPSHOT_ERRORS, InvalidArgumentError], directResult: true },
    resolve: async (_root, args, ctx) => {
      const first = args.first ?? 50;
      if (first < 1 || first > MAX_PAGE_SIZE) {
        throw new InvalidArgumentError(
          'first',
          `\`first\` must be between 1 and ${MAX_PAGE_SIZE}, got ${first}`,
        );
      }
      const snap = await resolveSnapshot(ctx, args.snapshotId && String(args.snapshotId));
      const filter = { kind: args.filter?.kind ?? undefined, search: args.filter?.search ?? undefined };
      const page = await ctx.store.listPrincipals(snap.id, filter, first, args.after ?? undefined);
      return {
        items: page.items.map((p) => scoped(snap.id, p)),
        endCursor: page.nextCursor,
        hasNextPage: page.nextCursor !== undefined,
        totalCount: page.totalCount,
      };
    },
  }),
  principal: t.field({
    type: PrincipalRef,
    description: "A user or role by ARN; `snapshotId` defaults to the current snapshot of the ARN's account.",
    args: { arn: t.arg.string({ required: true }), snapshotId: t.arg.id({ required: false }) },
    errors: { types: [...SNAPSHOT_ERRORS, NotFoundError] },
    resolve: async (_root, args, ctx) => {
      const snap = await resolveSnapshot(ctx, args.snapshotId && String(args.snapshotId), args.arn);
      const p = await ctx.loaders.principal.load({ snapshotId: snap.id, arn: args.arn });
      if (!p) throw new NotFoundError('principal', args.arn, snap.id);
      return scoped(snap.id, p);
    },
  }),
}));
