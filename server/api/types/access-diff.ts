/**
 * `AccessDiff` (server/analysis/what-if/diff.ts) as GraphQL: the answer of `whatIf` and of `diff` — per principal
 * the access granted, revoked and conditionally changed, by service and level and per action and resource; admin
 * and escalation deltas; blast-radius deltas; summary counts.
 */
import type { BlastRadiusChange, BlastRadiusDiff, ReachState } from '../../analysis/what-if/blast-delta.ts';
import type {
  AccessDiff,
  AdminChange,
  DiffSummary,
  EscalationDiff,
  FanOutChange,
  GrantChange,
  GrantState,
  PrincipalDiff,
  ServiceLevelDelta,
  TargetClass,
} from '../../analysis/what-if/diff.ts';
import type { EscalationEdge } from '../../analysis/escalation/graph.ts';
import { builder } from '../builder.ts';

const GrantStateRef = builder.objectRef<GrantState>('GrantState').implement({
  fields: (t) => ({
    decision: t.exposeString('decision', { description: '`ALLOWED` or `CONDITIONAL`.' }),
    conditions: t.exposeString('conditions', { nullable: true }),
  }),
});

const GrantChangeRef = builder.objectRef<GrantChange>('GrantChange').implement({
  description: 'One action on one resource scope whose decision differs between before and after.',
  fields: (t) => ({
    action: t.exposeString('action'),
    service: t.exposeString('service'),
    level: t.exposeString('level', { description: 'Access level from the catalog: Read, Write, List, …' }),
    resource: t.exposeString('resource', {
      description: 'A resource pattern of the granting statement (`*`), or a known resource ARN.',
    }),
    known: t.exposeBoolean('known', { description: 'A resource of the snapshot, with its resource policy.' }),
    before: t.field({ type: GrantStateRef, nullable: true, resolve: (c) => c.before ?? null }),
    after: t.field({ type: GrantStateRef, nullable: true, resolve: (c) => c.after ?? null }),
  }),
});

export const ServiceLevelDeltaRef = builder.objectRef<ServiceLevelDelta>('ServiceLevelDelta').implement({
  description: 'Distinct actions gained, lost or conditionally changed per service and access level.',
  fields: (t) => ({
    service: t.exposeString('service'),
    level: t.exposeString('level'),
    granted: t.exposeInt('granted'),
    revoked: t.exposeInt('revoked'),
    conditional: t.exposeInt('conditional'),
  }),
});

const PrincipalDiffRef = builder.objectRef<PrincipalDiff>('PrincipalDiff').implement({
  fields: (t) => ({
    arn: t.exposeString('arn'),
    name: t.exposeString('name'),
    kind: t.exposeString('kind', { description: '`user` or `role`.' }),
    change: t.exposeString('change', { description: '`created`, `deleted` or `modified`.' }),
    granted: t.field({ type: [GrantChangeRef], resolve: (d) => d.granted }),
    revoked: t.field({ type: [GrantChangeRef], resolve: (d) => d.revoked }),
    conditional: t.field({ type: [GrantChangeRef], resolve: (d) => d.conditional }),
    byService: t.field({ type: [ServiceLevelDeltaRef], resolve: (d) => d.byService }),
  }),
});

const AdminChangeRef = builder.objectRef<AdminChange>('AdminChange').implement({
  fields: (t) => ({
    arn: t.exposeString('arn'),
    before: t.exposeString('before', {
      nullable: true,
      description: '`ALLOWED`, `CONDITIONAL`, or null: not admin.',
    }),
    after: t.exposeString('after', { nullable: true }),
  }),
});

const AdminDiffRef = builder.objectRef<AccessDiff['admins']>('AdminDiff').implement({
  fields: (t) => ({
    gained: t.field({ type: [AdminChangeRef], resolve: (a) => a.gained }),
    lost: t.field({ type: [AdminChangeRef], resolve: (a) => a.lost }),
  }),
});

const DiffEdgeRef = builder.objectRef<EscalationEdge>('DiffEdge').implement({
  description: 'An escalation edge (CAN_ASSUME / CAN_ESCALATE) added or removed.',
  fields: (t) => ({
    from: t.exposeString('from'),
    to: t.exposeString('to', { description: 'A principal ARN, or `accessgraph:admin`.' }),
    kind: t.exposeString('kind', { description: '`assume` or `escalate`.' }),
    technique: t.exposeString('technique'),
    conditional: t.exposeBoolean('conditional'),
    conditions: t.exposeStringList('conditions'),
  }),
});

const DiffPrincipalClassRef = builder.objectRef<TargetClass>('DiffPrincipalClass').implement({
  description:
    'The principals a fan-out entry reaches alike, e.g. every role trusting lambda.amazonaws.com, or every user.',
  fields: (t) => ({
    id: t.exposeString('id', {
      description: 'From the description and the members: the id of the PrincipalClass the stores keep.',
    }),
    description: t.exposeString('description'),
    size: t.int({ description: 'How many members.', resolve: (c) => c.members.length }),
    members: t.stringList({
      description: 'Member ARNs (the first `first` of them; all when omitted).',
      args: { first: t.arg.int({ required: false }) },
      resolve: (c, { first }) => (first == null ? c.members : c.members.slice(0, Math.max(0, first))),
    }),
  }),
});

/** An entry with its class, resolved from the diff's class list (the model keeps each class once). */
interface FanOutWithClass {
  entry: FanOutChange;
  cls: TargetClass;
}

const DiffFanOutRef = builder.objectRef<FanOutWithClass>('DiffFanOut').implement({
  description:
    'A fan-out entry added or removed: one technique from a principal to every member of a class, listed once ' +
    'with its class rather than as one DiffEdge per member.',
  fields: (t) => ({
    from: t.string({ resolve: (f) => f.entry.from }),
    kind: t.string({ description: '`assume` or `escalate`.', resolve: (f) => f.entry.kind }),
    technique: t.string({ resolve: (f) => f.entry.technique }),
    conditional: t.boolean({ resolve: (f) => f.entry.conditional }),
    conditions: t.stringList({ resolve: (f) => f.entry.conditions }),
    targetClass: t.field({ type: DiffPrincipalClassRef, resolve: (f) => f.cls }),
  }),
});

function withClasses(d: EscalationDiff, entries: FanOutChange[]): FanOutWithClass[] {
  const byId = new Map(d.classes.map((c) => [c.id, c]));
  // INVARIANT: compareEscalation lists the class of every entry it lists.
  return entries.map((entry) => ({ entry, cls: byId.get(entry.classId)! }));
}

const EscalationDiffRef = builder.objectRef<EscalationDiff>('EscalationDiff').implement({
  fields: (t) => ({
    added: t.field({ type: [DiffEdgeRef], resolve: (e) => e.added }),
    removed: t.field({ type: [DiffEdgeRef], resolve: (e) => e.removed }),
    fanOutAdded: t.field({ type: [DiffFanOutRef], resolve: (e) => withClasses(e, e.fanOutAdded) }),
    fanOutRemoved: t.field({ type: [DiffFanOutRef], resolve: (e) => withClasses(e, e.fanOutRemoved) }),
    pathsToAdminGained: t.exposeStringList('pathsToAdminGained'),
    pathsToAdminLost: t.exposeStringList('pathsToAdminLost'),
  }),
});

const ReachStateRef = builder.objectRef<ReachState>('ReachState').implement({
  description: 'What a principal can reach through the escalation graph, on one side of the diff.',
  fields: (t) => ({
    admin: t.exposeString('admin', {
      description: '`ALLOWED` (a path without conditions), `CONDITIONAL` (only under conditions) or `NONE`.',
    }),
    reachable: t.exposeInt('reachable', { description: 'Principals reachable (the start not counted).' }),
  }),
});

const BlastRadiusChangeRef = builder.objectRef<BlastRadiusChange>('BlastRadiusChange').implement({
  description: 'A principal whose blast radius differs between before and after.',
  fields: (t) => ({
    arn: t.exposeString('arn'),
    before: t.field({ type: ReachStateRef, resolve: (c) => c.before }),
    after: t.field({ type: ReachStateRef, resolve: (c) => c.after }),
    gained: t.exposeStringList('gained', {
      description:
        'Principals reachable after but not before (the first 20 by ARN; `gainedCount` counts all).',
    }),
    lost: t.exposeStringList('lost', { description: 'Reachable before but not after (the first 20).' }),
    gainedCount: t.exposeInt('gainedCount'),
    lostCount: t.exposeInt('lostCount'),
  }),
});

const BlastRadiusDiffRef = builder.objectRef<BlastRadiusDiff>('BlastRadiusDiff').implement({
  fields: (t) => ({
    principals: t.field({
      type: [BlastRadiusChangeRef],
      description: 'Principals whose blast radius changed, admin reach changes first (at most 50).',
      resolve: (b) => b.principals,
    }),
    more: t.exposeInt('more', { description: 'Changed principals beyond the listing cap.' }),
    candidates: t.exposeInt('candidates', {
      description: 'Principals whose reach may have changed (they reach a node whose edges changed).',
    }),
    evaluated: t.exposeInt('evaluated', { description: 'Candidates compared (at most 200).' }),
  }),
});

const DiffSummaryRef = builder.objectRef<DiffSummary>('DiffSummary').implement({
  fields: (t) => ({
    principalsCompared: t.exposeInt('principalsCompared'),
    principalsChanged: t.exposeInt('principalsChanged'),
    granted: t.exposeInt('granted'),
    revoked: t.exposeInt('revoked'),
    conditional: t.exposeInt('conditional'),
    adminsGained: t.exposeInt('adminsGained'),
    adminsLost: t.exposeInt('adminsLost'),
    edgesAdded: t.exposeInt('edgesAdded'),
    edgesRemoved: t.exposeInt('edgesRemoved'),
    fanOutAdded: t.exposeInt('fanOutAdded', { description: 'Fan-out entries added (each reaches a class).' }),
    fanOutRemoved: t.exposeInt('fanOutRemoved'),
    pathsToAdminGained: t.exposeInt('pathsToAdminGained'),
    pathsToAdminLost: t.exposeInt('pathsToAdminLost'),
    blastRadiusChanged: t.exposeInt('blastRadiusChanged'),
  }),
});

export const AccessDiffRef = builder.objectRef<AccessDiff>('AccessDiff').implement({
  fields: (t) => ({
    summary: t.field({ type: DiffSummaryRef, resolve: (d) => d.summary }),
    principals: t.field({
      type: [PrincipalDiffRef],
      description: 'Only principals with a change, sorted by ARN.',
      resolve: (d) => d.principals,
    }),
    admins: t.field({ type: AdminDiffRef, resolve: (d) => d.admins }),
    escalation: t.field({
      type: EscalationDiffRef,
      nullable: true,
      description: 'Null when no escalation graph was available to compare.',
      resolve: (d) => d.escalation ?? null,
    }),
    blastRadius: t.field({
      type: BlastRadiusDiffRef,
      nullable: true,
      description: 'Null when no escalation graph was available to compare.',
      resolve: (d) => d.blastRadius ?? null,
    }),
    notes: t.exposeStringList('notes', { description: 'What the diff could not account for.' }),
  }),
});
