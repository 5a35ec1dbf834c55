/**
 * The graph store ports. Analysis depends on `SnapshotReader`, import on `SnapshotWriter`; every store
 * (embedded: persistent, the default; memory: in-process; Neo4j) implements `GraphStore` and passes the same
 * contract suite (test/contract/graph-store.contract.ts). Add a method here only when an analysis needs it,
 * and add it to the contract suite first.
 */
import type { AccountSnapshot, IamGroup, ManagedPolicy, Principal, Resource } from '../../schema/snapshot.ts';
import type { Diagnostic } from '../../schema/diagnostics.ts';
import type { DerivedEdgeType, GraphEdgeKind, GraphNodeKind } from './model.ts';

// The graph's vocabulary lives in model.ts; the layers above take it from here with the ports.
export { GRAPH_EDGE_KINDS, GRAPH_NODE_KINDS, graphqlNodeKind } from './model.ts';
export type { DerivedEdgeType, GraphEdgeKind, GraphNodeKind };

/** What a store says about one stored snapshot. */
export interface SnapshotInfo {
  id: string;
  accountId: string;
  label: string;
  /** When the store finished loading it (ISO). */
  loadedAt: string;
  collectedAt?: string;
  /** The newest complete snapshot of its account is "current"; readers default to it. */
  current: boolean;
  counts: SnapshotCounts;
  warnings: Diagnostic[];
}

export interface SnapshotCounts {
  users: number;
  groups: number;
  roles: number;
  policies: number;
  resources: number;
}

export type PrincipalKind = 'user' | 'role';

export interface PrincipalFilter {
  kind?: PrincipalKind;
  /** Case-insensitive substring of the name or ARN. */
  search?: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, absent on the last page. */
  nextCursor?: string;
  totalCount: number;
}

/** Where a managed or inline policy is attached. */
export interface PolicyAttachment {
  /** ARN of the user, group or role. */
  arn: string;
  kind: 'user' | 'group' | 'role';
  /** `policy`: attached as a permissions policy; `boundary`: used as permissions boundary. */
  as: 'policy' | 'boundary';
}

export interface DerivedEdge {
  type: DerivedEdgeType;
  /** Principal ARN. */
  from: string;
  /** Principal ARN, `ADMIN_NODE_ID` (model.ts), or the id of a PrincipalClass loaded with it. */
  to: string;
  technique: string;
  /** Holds only under `conditions`. */
  conditional: boolean;
  conditions: string[];
  /** The statements that justify it, as JSON text (opaque to the store). */
  evidence: string;
}

/**
 * A set of principals that derived edges reach as a whole (every user of an account, every role trusting a
 * service): stored once, each member linked once, however many edges point at it, so a technique that reaches a
 * class costs one relationship per source instead of one per source and member.
 */
export interface PrincipalClass {
  /** A node id of its own (never an ARN): `principalClassId` (server/analysis/escalation/stored.ts). */
  id: string;
  /** What the members have in common, for humans: `every role trusting lambda.amazonaws.com`. */
  name: string;
  /** Principal ARNs of the snapshot; read back in ARN order. */
  members: string[];
  /**
   * The residual conditions a step into a member holds under, for the members that have some (a cross-account
   * role's own `sts:ExternalId`); stored on each INCLUDES relationship.
   */
  memberConditions?: Record<string, string[]>;
}

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  label: string;
}

export interface GraphEdge {
  source: string;
  target: string;
  kind: GraphEdgeKind;
}

export interface GraphView {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface SnapshotReader {
  /** All snapshots, newest first. */
  listSnapshots(): Promise<SnapshotInfo[]>;
  getSnapshot(snapshotId: string): Promise<SnapshotInfo | undefined>;
  /** The current snapshot of `accountId`, or of the most recently loaded account when omitted. */
  currentSnapshot(accountId?: string): Promise<SnapshotInfo | undefined>;
  /** Principals ordered by ARN. */
  listPrincipals(
    snapshotId: string,
    filter: PrincipalFilter,
    first: number,
    after?: string,
  ): Promise<Page<Principal>>;
  getPrincipal(snapshotId: string, arn: string): Promise<Principal | undefined>;
  getGroup(snapshotId: string, arn: string): Promise<IamGroup | undefined>;
  /** Users that are members of the group, ordered by ARN. */
  getGroupMembers(snapshotId: string, groupArn: string): Promise<Principal[]>;
  getPolicy(snapshotId: string, arn: string): Promise<ManagedPolicy | undefined>;
  getPolicyAttachments(snapshotId: string, policyArn: string): Promise<PolicyAttachment[]>;
  getResource(snapshotId: string, arn: string): Promise<Resource | undefined>;
  /**
   * The membership-to-resource graph around `focus` (an ARN) up to `depth` hops, or the whole snapshot
   * when `focus` is omitted. Nodes and edges sorted by id / (source, kind, target).
   */
  graph(snapshotId: string, focus: string | undefined, depth: number): Promise<GraphView>;
  /** The whole snapshot back, as loaded (for analyses that evaluate every principal). */
  readSnapshot(snapshotId: string): Promise<AccountSnapshot | undefined>;
  /** The derived edges loaded with the snapshot, sorted by `compareDerivedEdges` (graph-rows.ts). */
  readDerivedEdges(snapshotId: string): Promise<DerivedEdge[]>;
  /** The principal classes loaded with the snapshot, by id, members in ARN order. */
  readPrincipalClasses(snapshotId: string): Promise<PrincipalClass[]>;
  /**
   * The derived rows a walk from the principal `from` can take within `maxDepth` hops, read without the rest:
   * CAN_ASSUME / CAN_ESCALATE out of every principal reached in fewer hops (a class's members are reached one hop
   * after it), IS_ADMIN of every principal reached, and the classes those rows point at, whole. Sorted like
   * `readDerivedEdges`. Undefined, and the caller reads the graph whole, when the snapshot holds no derived rows
   * (its graph is built, not read), when the store cannot tell, or when the part passes `maxShare` (0–1) of the
   * snapshot's escalation rows (derived relationships and class memberships): reading the graph whole once is then
   * cheaper than reading most of it again per question. Optional: a store without it is read whole too.
   */
  readReachableRows?(
    snapshotId: string,
    from: string,
    maxDepth: number,
    maxShare: number,
  ): Promise<ReachableRows | undefined>;
  /**
   * The snapshot with only the principals `query` names (in snapshot order), the groups of its users, the managed
   * policies attached to or bounding them, and the resources asked; everything else of the snapshot as stored.
   * Undefined when the store cannot tell which principals a service needs (a snapshot stored without that
   * index): the caller reads it whole. Optional: a store without it is read whole too.
   */
  readSnapshotPart?(snapshotId: string, query: SnapshotPartQuery): Promise<AccountSnapshot | undefined>;
}

/** What `readSnapshotPart` reads besides the snapshot's own facts (organization, accounts, …). */
export interface SnapshotPartQuery {
  /**
   * The principals whose identity policies (their own or their groups') could allow an action of one of these
   * services (lower-case prefixes), any service included.
   */
  services: string[];
  /** Principals by ARN. */
  principals: string[];
  /** Roles by name, and by the start of their name. */
  roleNames: string[];
  roleNamePrefixes: string[];
  /** Resources by ARN. */
  resources: string[];
}

/** What `readReachableRows` returns. */
export interface ReachableRows {
  edges: DerivedEdge[];
  classes: PrincipalClass[];
}

export interface LoadOptions {
  signal?: AbortSignal;
  /** Called with (done, total) as the load proceeds, for progress bars. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Derived edges to store with the snapshot, computed by the caller before loading (the store knows nothing
   * of how). An edge whose ends are not principals of the snapshot (or the admin node) fails the load.
   */
  derivedEdges?: readonly DerivedEdge[];
  /**
   * The classes derived edges may point at (`DerivedEdge.to` = a class id). A member that is not a principal of
   * the snapshot, or an id that is some other node's, fails the load.
   */
  principalClasses?: readonly PrincipalClass[];
}

export interface SnapshotWriter {
  /**
   * Store a snapshot under a new id and make it current for its account — atomically: readers never see
   * half of it, and a failed load leaves the previous snapshot served and nothing of the new one behind.
   */
  load(snapshot: AccountSnapshot, options?: LoadOptions): Promise<SnapshotInfo>;
  deleteSnapshot(snapshotId: string): Promise<void>;
}

export interface GraphStore extends SnapshotReader, SnapshotWriter {
  readonly kind: 'embedded' | 'memory' | 'neo4j';
  close(): Promise<void>;
}

/** The store could not be reached or failed underneath us (Neo4j down, …); `cause` holds the driver error. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

export class SnapshotNotFoundError extends Error {
  constructor(readonly snapshotId: string) {
    super(`snapshot \`${snapshotId}\` not found`);
    this.name = 'SnapshotNotFoundError';
  }
}

/** An embedded store file cannot be used as it is (truncated, not LMDB, another format, a record that does not decode). */
export class StoreDamagedError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`the store ${file} ${reason}`, options);
    this.name = 'StoreDamagedError';
  }
}
