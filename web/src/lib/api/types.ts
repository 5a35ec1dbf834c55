/**
 * TypeScript shapes of what the documents in `documents.ts` select, written against schema/schema.graphql.
 * Kept by hand (the app has a handful of queries); a document and its result type sit side by side.
 */

export type GraphNodeKind = 'USER' | 'GROUP' | 'ROLE' | 'POLICY' | 'RESOURCE' | 'ACCESS_KEY' | 'ACCOUNT';
export type GraphEdgeKind =
  'MEMBER_OF' | 'HAS_POLICY' | 'BOUNDED_BY' | 'HAS_KEY' | 'PROTECTED_BY' | 'CAN_ASSUME';

export const NODE_KINDS: readonly GraphNodeKind[] = [
  'USER',
  'GROUP',
  'ROLE',
  'POLICY',
  'RESOURCE',
  'ACCESS_KEY',
  'ACCOUNT',
];
export const EDGE_KINDS: readonly GraphEdgeKind[] = [
  'MEMBER_OF',
  'HAS_POLICY',
  'BOUNDED_BY',
  'HAS_KEY',
  'PROTECTED_BY',
  'CAN_ASSUME',
];

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  label: string;
}
/**
 * Edges the UI draws to explain a who-can answer; the API never sends them. ALLOWS / DENIES: a policy's matched
 * statement decides on the resource (DENIES also links a principal with no Allow at all); GOVERNED_BY: a policy
 * that applies without being attached (resource policy, SCP, session policy); ESCALATES: a privilege-escalation
 * step of a blast radius (a technique, or being admin-equivalent).
 */
export type ExplanationEdgeKind = 'ALLOWS' | 'DENIES' | 'GOVERNED_BY' | 'ESCALATES';
export const EXPLANATION_EDGE_KINDS: readonly ExplanationEdgeKind[] = [
  'ALLOWS',
  'DENIES',
  'GOVERNED_BY',
  'ESCALATES',
];
export type DrawnEdgeKind = GraphEdgeKind | ExplanationEdgeKind;

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

/** The typed-error members of the result unions (`... on Error { message }`). */
export interface ApiErrorResult {
  __typename: 'NoSnapshot' | 'NotFound' | 'SnapshotNotFound' | 'InvalidArgument';
  message: string;
}

export interface SnapshotSummary {
  id: string;
  accountId: string;
  label: string;
  current: boolean;
  loadedAt: string;
  counts: { users: number; groups: number; roles: number; policies: number; resources: number };
}

export interface PrincipalHit {
  __typename: 'User' | 'Role';
  arn: string;
  name: string;
}

export interface Tag {
  key: string;
  value: string;
}

export interface PolicySummary {
  id: string;
  arn: string | null;
  name: string;
  kind: 'AWS_MANAGED' | 'CUSTOMER_MANAGED' | 'INLINE';
  document: unknown;
}

export interface AttachedPolicy {
  policyId: string;
  via: 'MANAGED' | 'INLINE' | 'GROUP_MANAGED' | 'GROUP_INLINE';
  group: { arn: string; name: string } | null;
  policy: PolicySummary | null;
}

export interface AccessKey {
  id: string | null;
  slot: number;
  active: boolean;
  lastRotated: string | null;
  lastUsedDate: string | null;
  lastUsedService: string | null;
}

interface PrincipalCommon {
  arn: string;
  name: string;
  path: string;
  createDate: string | null;
  boundaryArn: string | null;
  boundary: PolicySummary | null;
  tags: Tag[];
  policies: AttachedPolicy[];
}
export interface UserDetail extends PrincipalCommon {
  __typename: 'User';
  passwordEnabled: boolean | null;
  mfaActive: boolean | null;
  groups: { arn: string; name: string }[];
  accessKeys: AccessKey[];
}
export interface RoleDetail extends PrincipalCommon {
  __typename: 'Role';
  description: string | null;
  trustPolicy: unknown;
  lastUsedDate: string | null;
}
export type PrincipalDetail = UserDetail | RoleDetail;

export interface GroupDetail {
  __typename: 'Group';
  arn: string;
  name: string;
  path: string;
  createDate: string | null;
  members: { arn: string; name: string }[];
  policies: AttachedPolicy[];
}

export interface PolicyDetail {
  __typename: 'Policy';
  id: string;
  arn: string | null;
  name: string;
  kind: PolicySummary['kind'];
  description: string | null;
  defaultVersionId: string | null;
  document: unknown;
  versions: { versionId: string; isDefault: boolean; createDate: string | null; document: unknown }[];
  attachedTo: { arn: string; kind: 'USER' | 'GROUP' | 'ROLE'; as: 'POLICY' | 'BOUNDARY' }[];
}

export interface CatalogAction {
  action: string;
  accessLevel: string;
  description: string;
}

export type WhoCanDecision = 'ALLOWED' | 'CONDITIONAL' | 'DENIED';

export interface WhoCanMatch {
  layer: string;
  effect: string;
  policyId: string;
  policyName: string | null;
  statementIndex: number;
  sid: string | null;
  attachedVia: string[];
  conditional: boolean;
  path: string;
}

export interface WhoCanEntry {
  principal: { arn: string; name: string; kind: string };
  action: string;
  decision: WhoCanDecision;
  conditions: string | null;
  residual: unknown;
  deniedBy: { kind: string; layer: string } | null;
  summary: string;
  matched: WhoCanMatch[];
}

export interface WhoCanResult {
  snapshotId: string;
  actions: string[];
  entries: WhoCanEntry[];
  resourcePolicyId: string | null;
  evaluated: number;
  principals: number;
  notes: string[];
}

export interface ContextEntryInput {
  key: string;
  values: string[];
}

export type FindingSeverity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'WARNING';

export interface Finding {
  kind: string;
  severity: FindingSeverity;
  message: string;
  fix: string;
  /** ARNs involved, the subject first. */
  entities: string[];
}

export type AccessLevel = 'LIST' | 'READ' | 'WRITE' | 'PERMISSIONS_MANAGEMENT' | 'TAGGING';

export interface ActionAccess {
  action: string;
  decision: 'ALLOWED' | 'CONDITIONAL';
  /** Only in the per-service detail (PrincipalServiceAccessQuery). */
  conditions?: string | null;
  scopes?: { pattern: string; decision: 'ALLOWED' | 'CONDITIONAL'; partial: boolean }[];
}

export interface ServiceAccess {
  service: string;
  actions: number;
  levels: { level: AccessLevel; conditional: number; actions: ActionAccess[] }[];
}

export interface PrincipalAccess {
  evaluatedAs: string;
  notes: string[];
  services: ServiceAccess[];
}

export interface ResourcePrincipalAccess {
  arn: string;
  name: string;
  kind: string;
  decision: 'ALLOWED' | 'CONDITIONAL';
  actions: string[];
  conditional: string[];
  partial: string[];
}

export interface ResourceDetail {
  __typename: 'ResourceView';
  arn: string;
  name: string;
  service: string;
  type: string;
  region: string | null;
  accountId: string | null;
  policy: unknown;
  notes: string[];
  tags: Tag[];
  whoCan: { level: AccessLevel; principals: ResourcePrincipalAccess[] }[];
}

export interface ServiceLevelDelta {
  service: string;
  level: string;
  granted: number;
  revoked: number;
  conditional: number;
}

export interface PrincipalDiff {
  arn: string;
  name: string;
  kind: string;
  change: string;
  byService: ServiceLevelDelta[];
}

export interface WhatIfResult {
  affected: string[];
  warnings: { message: string }[];
  diff: {
    notes: string[];
    summary: {
      granted: number;
      revoked: number;
      conditional: number;
      principalsChanged: number;
      principalsCompared: number;
      adminsGained: number;
      adminsLost: number;
    };
    admins: { gained: { arn: string }[]; lost: { arn: string }[] };
    principals: PrincipalDiff[];
    /** Null when no escalation graph was available to compare. */
    escalation?: EscalationDiff | null;
  };
}

/** An escalation edge a change adds or removes; `to` is a principal ARN or `accessgraph:admin`. */
export interface DiffEdge {
  from: string;
  to: string;
  kind: string;
  technique: string;
  conditional: boolean;
  conditions: string[];
}

/** The principals a fan-out entry reaches alike: `every role trusting lambda.amazonaws.com`, 3 of them. */
export interface DiffPrincipalClass {
  id: string;
  description: string;
  size: number;
  /** One member (the API lists all on request), to draw the class like its members. */
  sample: string[];
}

/** A class-wide escalation a change adds or removes: one technique from `from` to every member of a class. */
export interface DiffFanOut extends Omit<DiffEdge, 'to'> {
  targetClass: DiffPrincipalClass;
}

export interface EscalationDiff {
  added: DiffEdge[];
  removed: DiffEdge[];
  fanOutAdded: DiffFanOut[];
  fanOutRemoved: DiffFanOut[];
  pathsToAdminGained: string[];
  pathsToAdminLost: string[];
}

export interface EscalationStep {
  from: string;
  to: string;
  toAdmin: boolean;
  kind: 'ADMIN' | 'ASSUME' | 'ESCALATE';
  technique: string;
  conditional: boolean;
  conditions: string[];
  evidence: { path: string }[];
}

export interface EscalationPath {
  hops: number;
  conditional: boolean;
  conditions: string[];
  steps: EscalationStep[];
}

/** The `paths` query's answer: ranked, fewest hops first. `to` is a principal ARN or `accessgraph:admin`. */
export interface PathsAnswer {
  from: string;
  to: string;
  paths: EscalationPath[];
}

export interface BlastRadius {
  start: { arn: string; name: string; kind: string; accessKeyId: string | null };
  counts: {
    principals: number;
    users: number;
    roles: number;
    services: number;
    resources: number;
    adminPaths: number;
  };
  admin: { reachable: boolean; conditional: boolean; paths: EscalationPath[] };
  principals: {
    arn: string;
    name: string;
    kind: string;
    hops: number;
    conditional: boolean;
    path: EscalationPath;
  }[];
  services: { service: string; levels: { level: string; actions: number; conditional: boolean }[] }[];
  resources: {
    arn: string;
    name: string;
    service: string;
    type: string;
    levels: { level: string; via: string[] }[];
  }[];
  notes: string[];
}

/** What last-accessed evidence shows of a grant (schema `UseStatus`). */
export type UseStatus = 'USED' | 'UNUSED' | 'UNKNOWN';

export interface ServiceUsage {
  service: string;
  status: UseStatus;
  lastUsed: string | null;
  levels: { level: string; actions: number; unused: number }[];
  unusedActions: string[];
}

export interface PrincipalUsage {
  arn: string;
  name: string;
  kind: string;
  evidence: { jobCompletedAt: string; historyDays: number } | null;
  services: ServiceUsage[];
  sources: { kind: string; name: string; services: string[]; status: UseStatus }[];
  activity: { status: UseStatus; detail: string };
  notes: string[];
}

export interface GroupUsage {
  arn: string;
  name: string;
  members: string[];
  services: { service: string; status: UseStatus }[];
  status: UseStatus;
  notes: string[];
}

/** A `ChangeInput`'s fields, null where the change has none. */
export interface ProposedChange {
  op: string;
  target: string | null;
  policy: string | null;
  name: string | null;
  user: string | null;
  group: string | null;
  path: string | null;
  document: string | null;
}

export interface RightsizeProposal {
  targetArn: string;
  targetName: string;
  targetKind: string;
  changes: ProposedChange[];
  reasons: string[];
  proof: {
    ok: boolean;
    usedAccessLost: { principal: string; action: string; evidence: UseStatus }[];
    removed: { principal: string; revoked: number; byService: ServiceLevelDelta[] }[];
    escalationEdgesRemoved: number;
    pathsToAdminLost: string[];
    adminsLost: string[];
    blastRadius: { arn: string; reachableBefore: number; reachableAfter: number }[];
    notes: string[];
  } | null;
}

export interface RightsizeResult {
  usage: { unusedDays: number; principals: PrincipalUsage[]; groups: GroupUsage[]; notes: string[] };
  proposals: RightsizeProposal[];
  notes: string[];
}
