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
import { DEFAULT_UNUSED_DAYS, rightsize, unusedAccessOf } from '../../analysis/unused-access/index.ts';
import { builder } from '../builder.ts';
import { resolveSnapshot } from '../resolve-snapshot.ts';
import type { ApiContext } from '../context.ts';
import { AccessLevelEnum } from './access.ts';
import { ServiceLevelDeltaRef } from './access-diff.ts';
import { InvalidArgumentError, SNAPSHOT_ERRORS } from './errors.ts';
import { DeactivatedKeyRef } from './what-if.ts';

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
    status: t.field({ type: UseStatusEnum, resolve: (g) => g.status }),
    notes: t.exposeStringList('notes'),
  }),
});

const UnusedAccessRef = builder.objectRef<UnusedAccess & { snapshotId: string }>('UnusedAccess').implement({
  fields: (t) => ({
    snapshotId: t.exposeID('snapshotId'),
    unusedDays: t.exposeInt('unusedDays'),
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
  .objectRef<{ snapshotId: string; usage: UnusedAccess; proposals: Proposal[]; notes: string[] }>(
    'RightsizeResult',
  )
  .implement({
    fields: (t) => ({
      usage: t.field({ type: UnusedAccessRef, resolve: (r) => ({ ...r.usage, snapshotId: r.snapshotId }) }),
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
  };
  const options = (a: { principals?: string[] | null; unusedDays?: number | null }) => {
    const days = a.unusedDays ?? DEFAULT_UNUSED_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > 400)
      throw new InvalidArgumentError(
        'unusedDays',
        `unusedDays must be a whole number from 1 to 400, got ${days}`,
      );
    return { unusedDays: days, ...(a.principals ? { principals: a.principals } : {}) };
  };
  return {
    unusedAccess: t.field({
      type: UnusedAccessRef,
      description: 'Per principal and group, the effective access granted but unused in `unusedDays` days.',
      args,
      errors: { types: [...SNAPSHOT_ERRORS, InvalidArgumentError], directResult: true },
      resolve: async (_root, a, ctx) => {
        const { id, analysis } = await analysisFor(ctx, a.snapshotId);
        return { ...(await unusedAccessOf(analysis, options(a))), snapshotId: id };
      },
    }),
    rightsize: t.field({
      type: RightsizeResultRef,
      description: 'Unused access and, per principal and group, a proposal (a change set) proven by what-if.',
      args,
      errors: { types: [...SNAPSHOT_ERRORS, InvalidArgumentError], directResult: true },
      resolve: async (_root, a, ctx) => {
        const { id, analysis } = await analysisFor(ctx, a.snapshotId);
        return { snapshotId: id, ...(await rightsize(analysis, options(a))) };
      },
    }),
  };
});
