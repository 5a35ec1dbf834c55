/**
 * Names for the parts of the generated result types (./generated/graphql.ts, from the documents in documents.ts)
 * that components pass around, and the drawn graph's own types (edges the UI adds to explain an answer).
 */
import type * as G from './generated/graphql.ts';

/** The member of a result union with `__typename` T. */
type Member<U, T extends string> = Extract<U, { __typename: T }>;
/** The same without its `__typename`, for answers the UI also builds itself (tests, a snapshot comparison). */
type Data<U, T extends string> = Omit<Member<U, T>, '__typename'>;

export type {
  AccessLevel,
  ChangeInput,
  ContextEntryInput,
  FindingSeverity,
  GraphEdgeKind,
  GraphNodeKind,
} from './generated/graphql.ts';

/** The typed-error members of the result unions (`...ApiError`). */
export interface ApiErrorResult {
  __typename: 'NoSnapshot' | 'NotFound' | 'SnapshotNotFound' | 'InvalidArgument';
  message: string;
}

export type GraphNode = Member<G.GraphQuery['graph'], 'Graph'>['nodes'][number];
/**
 * Edges the UI draws to explain a who-can answer; the API never sends them. ALLOWS / DENIES: a policy's matched
 * statement decides on the resource (DENIES also links a principal with no Allow at all); GOVERNED_BY: a policy
 * that applies without being attached (resource policy, SCP, session policy); ESCALATES: a privilege-escalation
 * step of a blast radius (a technique, or being admin-equivalent).
 */
export type ExplanationEdgeKind = 'ALLOWS' | 'DENIES' | 'GOVERNED_BY' | 'ESCALATES';
export type DrawnEdgeKind = G.GraphEdgeKind | ExplanationEdgeKind;
export interface GraphEdge {
  source: string;
  target: string;
  kind: DrawnEdgeKind;
  /** Drawn on the edge (a what-if escalation edge's techniques); the API's edges have none. */
  label?: string;
}
export interface GraphView {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export type SnapshotSummary = G.SnapshotsQuery['snapshots'][number];
export type PrincipalHit = Member<G.SearchPrincipalsQuery['principals'], 'PrincipalPage'>['items'][number];
export type PolicySummary = G.PolicySummaryFragment;
export type AttachedPolicy = G.AttachedPolicyFieldsFragment;
export type PrincipalDetail = Member<G.PrincipalQuery['principal'], 'QueryPrincipalSuccess'>['data'];
export type GroupDetail = Member<G.GroupQuery['group'], 'Group'>;
export type PolicyDetail = Member<G.PolicyQuery['policy'], 'Policy'>;
export type CatalogAction = Member<G.ActionsQuery['actions'], 'ActionPage'>['items'][number];

export type WhoCanResult = Data<G.WhoCanQuery['whoCan'], 'WhoCanResult'>;
export type WhoCanEntry = WhoCanResult['entries'][number];
export type WhoCanMatch = WhoCanEntry['matched'][number];

export type Finding = Member<G.FindingsQuery['findings'], 'FindingsResult'>['findings'][number];

export type PrincipalAccess = NonNullable<
  Member<G.PrincipalAccessQuery['principal'], 'QueryPrincipalSuccess'>['data']['access']
>;
export type ServiceAccess = PrincipalAccess['services'][number];
export type ActionAccess = ServiceAccess['levels'][number]['actions'][number];
/** One service's access in detail: each action's conditions and scopes. */
export type ServiceAccessDetail = NonNullable<
  Member<G.PrincipalServiceAccessQuery['principal'], 'QueryPrincipalSuccess'>['data']['access']
>['services'][number];

export type ResourceDetail = Member<G.ResourceQuery['resource'], 'ResourceView'>;

/** A what-if answer; a snapshot comparison gives the same shape (no affected principals, no warnings). */
export type WhatIfResult = Data<G.WhatIfQuery['whatIf'], 'WhatIfResult'>;
export type EscalationDiff = NonNullable<G.AccessDiffFieldsFragment['escalation']>;
/** An escalation edge a change adds or removes; `to` is a principal ARN or `accessgraph:admin`. */
export type DiffEdge = EscalationDiff['added'][number];
/** A class-wide escalation a change adds or removes: one technique from `from` to every member of a class. */
export type DiffFanOut = EscalationDiff['fanOutAdded'][number];
/** The principals a fan-out entry reaches alike, with one member to draw the class like its members. */
export type DiffPrincipalClass = DiffFanOut['targetClass'];

export type EscalationPath = G.PathFieldsFragment;
export type EscalationStep = EscalationPath['steps'][number];
/** The `paths` query's answer: ranked, fewest hops first. `to` is a principal ARN or `accessgraph:admin`. */
export type PathsAnswer = Data<G.PathsQuery['paths'], 'PathsResult'>;
export type BlastRadius = Data<G.BlastRadiusQuery['blastRadius'], 'BlastRadius'>;

export type PlanChanges = Data<G.PlanChangesQuery['planChanges'], 'PlanChanges'>;
export type PlanDiagnostic = PlanChanges['warnings'][number];

export type RightsizeResult = Data<G.RightsizeQuery['rightsize'], 'RightsizeResult'>;
export type RightsizeProposal = RightsizeResult['proposals'][number];
export type PrincipalUsage = RightsizeResult['usage']['principals'][number];
export type ServiceUsage = PrincipalUsage['services'][number];
