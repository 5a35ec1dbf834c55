/**
 * `unusedAccess` and `rightsize`: access granted but unused in N days (last-accessed evidence), and right-sized
 * proposals as change sets, each proven by what-if. Logic in server/analysis/unused-access/; this file only shapes
 * it. Both run an analysis over the snapshot (limits.ts EXPENSIVE_FIELDS).
 */
import type {
  GroupUsage,
  PrincipalUsage,
  Proof,
  Proposal,
  ServiceUsage,
  SourceUsage,
  UnusedAccess,
} from '../../analysis/unused-access/index.ts';
import {
  DEFAULT_UNUSED_DAYS,
  principalsAsked,
  rightsize,
  unusedAccessOf,
} from '../../analysis/unused-access/index.ts';
import { decodeCursor, encodeCursor } from '../../graph/snapshot-meta.ts';
import { builder } from '../builder.ts';
import { resolveSnapshot } from '../resolve-snapshot.ts';
import type { ApiContext } from '../context.ts';
import { AccessLevelEnum } from './access.ts';
import { ServiceLevelDeltaRef } from './access-diff.ts';
import { InvalidArgumentError, SNAPSHOT_ERRORS } from './errors.ts';
import { DeactivatedKeyRef } from './what-if.ts';
import { PageInfoRef } from './principal.ts';
import type { SnapshotAnalysis } from '../../analysis/snapshot-analysis.ts';

/** Principals per page: each is a full usage answer (and a proof), so pages stay small. */
const DEFAULT_PAGE = 50;
const MAX_PAGE = 200;

const UseStatusEnum = builder.enumType('UseStatus', {
  description:
    'What the evidence shows: used in the window, unused, or unknown (no evidence, or too little history).',
  values: { USED: { value: 'used' }, UNUSED: { value: 'unused' }, UNKNOWN: { value: 'unknown' } } as const,
});

const ServiceUsageRef = builder.objectRef<ServiceUsage>('ServiceUsage').implement({
  fields: (t) => ({
    service: t.exposeString('service'),
    status: t.field({ type: UseStatusEnum, resolve: (s) => s.status }),
    lastUsed: t.string({ nullable: true, resolve: (s) => s.lastUsed ?? null }),
    levels: t.field({
      type: [
        builder.objectRef<ServiceUsage['levels'][number]>('ServiceUsageLevel').implement({
          fields: (u) => ({
            level: u.field({ type: AccessLevelEnum, resolve: (l) => l.level }),
            actions: u.exposeInt('actions', { description: 'Effective actions of this level.' }),
            unused: u.exposeInt('unused', { description: 'Of them, unused in the window.' }),
          }),
        }),
      ],
      resolve: (s) => s.levels,
    }),
    unusedActions: t.exposeStringList('unusedActions', {
      description: 'Tracked actions of a used service not used in the window (action-level evidence).',
    }),
  }),
});

const SourceUsageRef = builder.objectRef<SourceUsage>('GrantSourceUsage').implement({
  description:
    'An own inline or managed policy, or a group, and whether it grants anything the principal used.',
  fields: (t) => ({
    kind: t.exposeString('kind', { description: '`inline`, `managed` or `group`.' }),
    id: t.exposeString('id'),
    name: t.exposeString('name'),
    awsManaged: t.exposeBoolean('awsManaged'),
    services: t.exposeStringList('services'),
    status: t.field({ type: UseStatusEnum, resolve: (s) => s.status }),
  }),
});

const ActivityRef = builder.objectRef<PrincipalUsage['activity']>('PrincipalActivity').implement({
  fields: (t) => ({
    status: t.field({ type: UseStatusEnum, resolve: (a) => a.status }),
    detail: t.exposeString('detail'),
  }),
});

const KeyUsageRef = builder.objectRef<PrincipalUsage['keys'][number]>('AccessKeyUsage').implement({
  fields: (t) => ({
    slot: t.exposeInt('slot'),
    id: t.string({ nullable: true, resolve: (k) => k.id ?? null }),
    status: t.field({ type: UseStatusEnum, resolve: (k) => k.status }),
    detail: t.exposeString('detail'),
  }),
});

const EvidenceRef = builder
  .objectRef<NonNullable<PrincipalUsage['evidence']>>('LastAccessEvidence')
  .implement({
    fields: (t) => ({
      jobCompletedAt: t.exposeString('jobCompletedAt'),
      trackedSince: t.exposeString('trackedSince'),
      granularity: t.exposeString('granularity'),
      historyDays: t.exposeInt('historyDays'),
    }),
  });

const PrincipalUsageRef = builder.objectRef<PrincipalUsage>('PrincipalUsage').implement({
  fields: (t) => ({
    arn: t.exposeString('arn'),
    name: t.exposeString('name'),
    kind: t.exposeString('kind'),
    evidence: t.field({ type: EvidenceRef, nullable: true, resolve: (p) => p.evidence ?? null }),
    services: t.field({ type: [ServiceUsageRef], resolve: (p) => p.services }),
    sources: t.field({ type: [SourceUsageRef], resolve: (p) => p.sources }),
    activity: t.field({ type: ActivityRef, resolve: (p) => p.activity }),
    keys: t.field({ type: [KeyUsageRef], resolve: (p) => p.keys }),
    notes: t.exposeStringList('notes'),
  }),
});

const GroupUsageRef = builder.objectRef<GroupUsage>('GroupUsage').implement({
  fields: (t) => ({
    arn: t.exposeString('arn'),
    name: t.exposeString('name'),
    members: t.exposeStringList('members'),
    services: t.field({
      type: [
        builder.objectRef<GroupUsage['services'][number]>('GroupServiceUsage').implement({
          fields: (u) => ({
            service: u.exposeString('service'),
            status: u.field({ type: UseStatusEnum, resolve: (s) => s.status }),
          }),
        }),
      ],
      resolve: (g) => g.services,
    }),
    unusedMemberships: t.exposeStringList('unusedMemberships', {
      description: 'Members to whom the group grants nothing they used in the window.',
    }),
    status: t.field({ type: UseStatusEnum, resolve: (g) => g.status }),
    notes: t.exposeStringList('notes'),
  }),
});

/** One page of the principals asked about (ordered by ARN), and the groups they belong to. */
interface Paged {
  pageInfo: { endCursor?: string; hasNextPage: boolean };
  totalCount: number;
}

const UnusedAccessRef = builder
  .objectRef<UnusedAccess & Paged & { snapshotId: string }>('UnusedAccess')
  .implement({
    fields: (t) => ({
      snapshotId: t.exposeID('snapshotId'),
      unusedDays: t.exposeInt('unusedDays'),
      pageInfo: t.field({ type: PageInfoRef, resolve: (u) => u.pageInfo }),
      totalCount: t.exposeInt('totalCount', { description: 'Principals asked about, on every page.' }),
      principals: t.field({ type: [PrincipalUsageRef], resolve: (u) => u.principals }),
      groups: t.field({ type: [GroupUsageRef], resolve: (u) => u.groups }),
      notes: t.exposeStringList('notes'),
    }),
  });

type Change = Proposal['changes'][number];
const ProposedChangeRef = builder.objectRef<Change>('ProposedChange').implement({
  description:
    'One change of a proposal, with the fields of `ChangeInput` (pass them to `whatIf` to preview).',
  fields: (t) => {
    const field = (k: string) =>
      t.string({ nullable: true, resolve: (c) => (c as Record<string, string>)[k] ?? null });
    return {
      op: t.string({ resolve: (c) => c.op }),
      target: field('target'),
      policy: field('policy'),
      name: field('name'),
      document: t.string({
        nullable: true,
        resolve: (c) => {
          const d = (c as { document?: unknown }).document;
          return d === undefined ? null : typeof d === 'string' ? d : JSON.stringify(d);
        },
      }),
      user: field('user'),
      group: field('group'),
      path: field('path'),
      accessKeyId: field('accessKeyId'),
      slot: t.int({ nullable: true, resolve: (c) => ('slot' in c ? (c.slot ?? null) : null) }),
    };
  },
});

const ProofRef = builder.objectRef<Proof>('RightsizeProof').implement({
  description:
    'What what-if says the proposal does; `ok`: it removes no access the evidence shows used (or cannot judge).',
  fields: (t) => ({
    ok: t.exposeBoolean('ok'),
    usedAccessLost: t.field({
      type: [
        builder.objectRef<Proof['usedAccessLost'][number]>('LostAccess').implement({
          fields: (u) => ({
            principal: u.exposeString('principal'),
            action: u.exposeString('action'),
            resource: u.exposeString('resource'),
            evidence: u.field({ type: UseStatusEnum, resolve: (l) => l.evidence }),
          }),
        }),
      ],
      resolve: (p) => p.usedAccessLost,
    }),
    removed: t.field({
      type: [
        builder.objectRef<Proof['removed'][number]>('RemovedAccess').implement({
          fields: (u) => ({
            principal: u.exposeString('principal'),
            revoked: u.exposeInt('revoked'),
            byService: u.field({ type: [ServiceLevelDeltaRef], resolve: (r) => r.byService }),
          }),
        }),
      ],
      resolve: (p) => p.removed,
    }),
    escalationEdgesRemoved: t.exposeInt('escalationEdgesRemoved'),
    keysDeactivated: t.field({ type: [DeactivatedKeyRef], resolve: (p) => p.keysDeactivated }),
    pathsToAdminLost: t.exposeStringList('pathsToAdminLost'),
    adminsLost: t.exposeStringList('adminsLost'),
    blastRadius: t.field({
      type: [
        builder.objectRef<Proof['blastRadius'][number]>('BlastRadiusBeforeAfter').implement({
          fields: (u) => ({
            arn: u.exposeString('arn'),
            reachableBefore: u.exposeInt('reachableBefore'),
            reachableAfter: u.exposeInt('reachableAfter'),
            adminBefore: u.exposeString('adminBefore'),
            adminAfter: u.exposeString('adminAfter'),
          }),
        }),
      ],
      resolve: (p) => p.blastRadius,
    }),
    notes: t.exposeStringList('notes'),
  }),
});

const ProposalRef = builder.objectRef<Proposal>('RightsizeProposal').implement({
  fields: (t) => ({
    targetArn: t.string({ resolve: (p) => p.target.arn }),
    targetName: t.string({ resolve: (p) => p.target.name }),
    targetKind: t.string({ resolve: (p) => p.target.kind }),
    changes: t.field({ type: [ProposedChangeRef], resolve: (p) => p.changes }),
    reasons: t.exposeStringList('reasons'),
    proof: t.field({ type: ProofRef, nullable: true, resolve: (p) => p.proof ?? null }),
  }),
});

const RightsizeResultRef = builder
  .objectRef<{ snapshotId: string; usage: UnusedAccess & Paged; proposals: Proposal[]; notes: string[] }>(
    'RightsizeResult',
  )
  .implement({
    fields: (t) => ({
      usage: t.field({ type: UnusedAccessRef, resolve: (r) => ({ ...r.usage, snapshotId: r.snapshotId }) }),
      pageInfo: t.field({ type: PageInfoRef, resolve: (r) => r.usage.pageInfo }),
      proposals: t.field({ type: [ProposalRef], resolve: (r) => r.proposals }),
      notes: t.exposeStringList('notes', {
        description:
          'What the proofs found beyond the proposals’ own principals (knock-on effects, completeness).',
      }),
    }),
  });

async function analysisFor(ctx: ApiContext, snapshotId: string | null | undefined) {
  const info = await resolveSnapshot(ctx, snapshotId);
  return { id: info.id, analysis: await ctx.analysis(info.id) };
}

builder.queryFields((t) => {
  const args = {
    snapshotId: t.arg.id({ required: false, description: 'Defaults to the current snapshot.' }),
    principals: t.arg.stringList({
      required: false,
      description: 'Only these users or roles (names or ARNs), and their groups.',
    }),
    unusedDays: t.arg.int({
      required: false,
      defaultValue: DEFAULT_UNUSED_DAYS,
      description: 'Unused means not used in this many days (1–400).',
    }),
    groups: t.arg.stringList({
      required: false,
      description: 'Only these groups (names or ARNs) and their members.',
    }),
    first: t.arg.int({
      defaultValue: DEFAULT_PAGE,
      description: `Principals per page (ordered by ARN), 1 to ${MAX_PAGE}; their groups come with them.`,
    }),
    after: t.arg.string({ required: false, description: 'The `endCursor` of the page before.' }),
  };
  type Args = {
    principals?: string[] | null;
    groups?: string[] | null;
    unusedDays?: number | null;
    first?: number | null;
    after?: string | null;
  };
  /** The options for one page of the principals asked about, and where that page ends. */
  const options = (a: Args, analysis: SnapshotAnalysis) => {
    const days = a.unusedDays ?? DEFAULT_UNUSED_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > 400)
      throw new InvalidArgumentError(
        'unusedDays',
        `unusedDays must be a whole number from 1 to 400, got ${days}`,
      );
    const first = a.first ?? DEFAULT_PAGE;
    if (first < 1 || first > MAX_PAGE)
      throw new InvalidArgumentError('first', `\`first\` must be between 1 and ${MAX_PAGE}, got ${first}`);
    const asked = {
      ...(a.principals ? { principals: a.principals } : {}),
      ...(a.groups ? { groups: a.groups } : {}),
    };
    const all = principalsAsked(analysis.snapshot, asked, 'arn');
    const afterArn = a.after ? decodeCursor(a.after) : undefined;
    if (a.after && !all.some((p) => p.arn === afterArn))
      throw new InvalidArgumentError('after', 'not a cursor of this list: pass a `pageInfo.endCursor` as is');
    const from = afterArn === undefined ? 0 : all.findIndex((p) => p.arn > afterArn);
    const page = from < 0 ? [] : all.slice(from, from + first);
    const more = from >= 0 && from + page.length < all.length;
    return {
      usage: { ...asked, unusedDays: days, principals: page.map((p) => p.arn) },
      paged: {
        pageInfo: { hasNextPage: more, ...(more ? { endCursor: encodeCursor(page.at(-1)!.arn) } : {}) },
        totalCount: all.length,
      },
    };
  };
  return {
    unusedAccess: t.field({
      type: UnusedAccessRef,
      description: 'Per principal and group, the effective access granted but unused in `unusedDays` days.',
      args,
      errors: { types: [...SNAPSHOT_ERRORS, InvalidArgumentError], directResult: true },
      resolve: async (_root, a, ctx) => {
        const { id, analysis } = await analysisFor(ctx, a.snapshotId);
        const { usage, paged } = options(a, analysis);
        return { ...(await unusedAccessOf(analysis, usage)), ...paged, snapshotId: id };
      },
    }),
    rightsize: t.field({
      type: RightsizeResultRef,
      description: 'Unused access and, per principal and group, a proposal (a change set) proven by what-if.',
      args,
      errors: { types: [...SNAPSHOT_ERRORS, InvalidArgumentError], directResult: true },
      resolve: async (_root, a, ctx) => {
        const { id, analysis } = await analysisFor(ctx, a.snapshotId);
        const { usage, paged } = options(a, analysis);
        const result = await rightsize(analysis, usage);
        return { snapshotId: id, ...result, usage: { ...result.usage, ...paged } };
      },
    }),
  };
});
