/**
 * The graph model, declared once as data (Cartography's node/relationship models, BloodHound's CUE): node
 * labels with their properties, relationship types with their ends. The memory store builds its indexes from
 * the same rows (graph-rows.ts), the Neo4j store generates its Cypher from it (neo4j/cypher.ts), and
 * `schema/neo4j/constraints.cypher` is generated from it (constraints-cypher.ts; a test fails when stale).
 *
 * Every entity node carries `snapshotId` and `nodeId` (its ARN, or a derived id for things without one:
 * inline policies, access keys, org units) and the extra label `Entity`; `(snapshotId, nodeId)` is unique.
 * Labels PascalCase, relationship types UPPER_SNAKE, properties camelCase (docs/style.md §B).
 */

/**
 * The kinds of node and edge the membership-to-resource graph has, spelt once: the store's `GraphNodeKind` and
 * `GraphEdgeKind`, the `graphKind`s and `inGraph` relationships below, and the GraphQL enums of the same names
 * (server/api/types/graph.ts, whose values are these in UPPER_SNAKE) all come from here; the web's types are
 * generated from the GraphQL schema. `account` and `CAN_ASSUME` are never returned by `graph()`: the web draws
 * them in its own graphs (the admin node, assume edges) with the same vocabulary.
 */
export const GRAPH_NODE_KINDS = [
  'user',
  'group',
  'role',
  'policy',
  'resource',
  'accessKey',
  'account',
] as const;
export type GraphNodeKind = (typeof GRAPH_NODE_KINDS)[number];

/** The GraphQL enum value of a node kind: `accessKey` → `ACCESS_KEY`. */
export const graphqlNodeKind = (kind: GraphNodeKind): string =>
  kind.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

/** Each edge kind with its GraphQL description. */
export const GRAPH_EDGE_KINDS = {
  MEMBER_OF: 'User → Group.',
  HAS_POLICY: 'User, Group or Role → Policy.',
  BOUNDED_BY: 'User or Role → its permissions boundary.',
  HAS_KEY: 'User → AccessKey.',
  PROTECTED_BY: 'Resource → its resource policy.',
  CAN_ASSUME: 'Principal → Role it may assume.',
} as const;
export type GraphEdgeKind = keyof typeof GRAPH_EDGE_KINDS;

/**
 * Relationships an analysis derives from a snapshot (the escalation graph) and the store materializes beside the
 * structural ones: CAN_ASSUME and CAN_ESCALATE between principals (or from a principal to the virtual admin
 * node, or to a `PrincipalClass` it reaches as a whole), IS_ADMIN from an admin-equivalent principal to the admin
 * node. The store checks their ends and keeps them; what they mean is the analysis's business
 * (server/analysis/escalation/).
 */
export type DerivedEdgeType = 'CAN_ASSUME' | 'CAN_ESCALATE' | 'IS_ADMIN';

/** The label every entity node carries besides its own, so one constraint covers `(snapshotId, nodeId)`. */
export const ENTITY_LABEL = 'Entity';
/** The per-snapshot bookkeeping node (state `loading` → `complete`). */
export const SNAPSHOT_LABEL = 'Snapshot';

/**
 * One node per database that hands out snapshot sequence numbers: completing a snapshot locks it, so two
 * imports finishing at once are ordered, never tied.
 */
export const SNAPSHOT_SEQUENCE_LABEL = 'SnapshotSequence';

export type NodeLabel =
  | 'Account'
  | 'OrgUnit'
  | 'User'
  | 'Group'
  | 'Role'
  | 'Policy'
  | 'Resource'
  | 'AccessKey'
  | 'Admin'
  | 'PrincipalClass'
  | 'Service';

/**
 * The nodeId of the virtual admin node: the target of escalation edges that make their source admin-equivalent
 * (the same string as the escalation graph's ADMIN, server/analysis/escalation/graph.ts).
 */
export const ADMIN_NODE_ID = 'accessgraph:admin';

/** Principal class node ids start so: never an ARN, never the admin node. */
export const PRINCIPAL_CLASS_ID_PREFIX = 'accessgraph:class:';

export type PolicyNodeKind = 'awsManaged' | 'customerManaged' | 'inline' | 'resource';

export interface NodeModel {
  label: NodeLabel;
  /** Extra labels (users and roles are also `Principal`). */
  extraLabels: readonly string[];
  /** What graph() calls it; undefined = not part of the membership-to-resource graph. */
  graphKind?: GraphNodeKind;
  /** Scalar properties stored besides snapshotId/nodeId/graphLabel/ord/json (for Cypher filters and humans). */
  properties: readonly string[];
  description: string;
}

export const NODE_MODELS: Readonly<Record<NodeLabel, NodeModel>> = {
  Account: {
    label: 'Account',
    extraLabels: [],
    properties: ['accountId', 'name'],
    description: 'an AWS account seen in the snapshot; nodeId is the 12-digit id',
  },
  OrgUnit: {
    label: 'OrgUnit',
    extraLabels: [],
    properties: ['orgKind', 'name'],
    description: 'an organization root or OU; nodeId is `r-…`/`ou-…`',
  },
  User: {
    label: 'User',
    extraLabels: ['Principal'],
    graphKind: 'user',
    properties: ['arn', 'name', 'principalKind'],
    description: 'an IAM user; json holds the full IamUser',
  },
  Group: {
    label: 'Group',
    extraLabels: [],
    graphKind: 'group',
    properties: ['arn', 'name'],
    description: 'an IAM group; json holds the full IamGroup',
  },
  Role: {
    label: 'Role',
    extraLabels: ['Principal'],
    graphKind: 'role',
    properties: ['arn', 'name', 'principalKind'],
    description: 'an IAM role; json holds the full IamRole (trust policy included)',
  },
  Policy: {
    label: 'Policy',
    extraLabels: [],
    graphKind: 'policy',
    properties: ['arn', 'name', 'policyKind', 'document', 'missing'],
    description:
      'a managed policy (json = ManagedPolicy), an inline policy or a resource policy (document only); ' +
      '`missing` marks a managed policy referenced but absent from the input (GAAD omits boundary-only ones)',
  },
  Resource: {
    label: 'Resource',
    extraLabels: [],
    graphKind: 'resource',
    properties: ['arn', 'name', 'service', 'resourceType'],
    description: 'a resource known from resource-policy outputs; json holds the full Resource',
  },
  AccessKey: {
    label: 'AccessKey',
    extraLabels: [],
    graphKind: 'accessKey',
    properties: ['keyId', 'slot', 'active'],
    description:
      'an access key (id only, never a secret); nodeId is the key id or `<userArn>#access-key/<slot>`',
  },
  Admin: {
    label: 'Admin',
    extraLabels: [],
    properties: [],
    description:
      'virtual: "admin-equivalent in this account", the target of CAN_ESCALATE/IS_ADMIN; nodeId `accessgraph:admin`, present when some edge points at it',
  },
  // No graphKind: graph() draws structural relationships only, and the escalation answers the web shows
  // (paths, blast radius) step to each member, so a class never needs drawing as a node.
  PrincipalClass: {
    label: 'PrincipalClass',
    extraLabels: [],
    properties: ['name'],
    description:
      'derived: principals an escalation technique reaches as a whole (every user, every role trusting a service), stored once; nodeId `accessgraph:class:<hash of name and members>`',
  },
  Service: {
    label: 'Service',
    extraLabels: [],
    properties: ['service'],
    description:
      'an index for who-can: a service prefix some identity policy of the snapshot could allow (`s3`), or `*` for any; nodeId `service:<prefix>`',
  },
};

export type RelationshipType = GraphEdgeKind | DerivedEdgeType | 'IN' | 'INCLUDES' | 'MAY_ALLOW';
/** Written from the snapshot itself (graph-rows.ts). */
export type StructuralRelationshipType = Exclude<
  RelationshipType,
  DerivedEdgeType | 'INCLUDES' | 'MAY_ALLOW'
>;

export interface RelationshipModel {
  type: RelationshipType;
  from: readonly NodeLabel[];
  to: readonly NodeLabel[];
  /** Part of the membership-to-resource graph returned by graph(). */
  inGraph: boolean;
  description: string;
}

/** Structural relationships written at load, from the snapshot itself. */
export const RELATIONSHIP_MODELS: Readonly<Record<StructuralRelationshipType, RelationshipModel>> = {
  MEMBER_OF: {
    type: 'MEMBER_OF',
    from: ['User'],
    to: ['Group'],
    inGraph: true,
    description: 'user is in group',
  },
  HAS_POLICY: {
    type: 'HAS_POLICY',
    from: ['User', 'Group', 'Role'],
    to: ['Policy'],
    inGraph: true,
    description: 'managed policy attached, or inline policy embedded',
  },
  BOUNDED_BY: {
    type: 'BOUNDED_BY',
    from: ['User', 'Role'],
    to: ['Policy'],
    inGraph: true,
    description: 'permissions boundary',
  },
  HAS_KEY: {
    type: 'HAS_KEY',
    from: ['User'],
    to: ['AccessKey'],
    inGraph: true,
    description: 'user owns key',
  },
  PROTECTED_BY: {
    type: 'PROTECTED_BY',
    from: ['Resource'],
    to: ['Policy'],
    inGraph: true,
    description: 'resource-based policy',
  },
  IN: {
    type: 'IN',
    from: ['Account', 'OrgUnit'],
    to: ['OrgUnit'],
    inGraph: false,
    description: 'organization tree (account in OU, OU in parent)',
  },
};

export const STRUCTURAL_RELATIONSHIP_TYPES = Object.keys(RELATIONSHIP_MODELS) as StructuralRelationshipType[];

/** Properties every derived relationship carries (DerivedEdge in store.ts); `conditions` is a string list. */
export const DERIVED_EDGE_PROPERTIES = ['technique', 'conditional', 'conditions', 'evidence'] as const;

/** Relationships an analysis derives before the load (the escalation graph), written in the same load. */
export const DERIVED_RELATIONSHIP_MODELS: Readonly<Record<DerivedEdgeType, RelationshipModel>> = {
  CAN_ASSUME: {
    type: 'CAN_ASSUME',
    from: ['User', 'Role'],
    to: ['Role', 'PrincipalClass'],
    inGraph: false,
    description:
      'sts:AssumeRole allowed by the caller and the trust policy (to a class: every role of it alike) {technique, conditional, conditions, evidence}',
  },
  CAN_ESCALATE: {
    type: 'CAN_ESCALATE',
    from: ['User', 'Role'],
    to: ['User', 'Role', 'Admin', 'PrincipalClass'],
    inGraph: false,
    description:
      'a privilege-escalation technique (to a class: every member alike) {technique, conditional, conditions, evidence (JSON text: the granting statements)}',
  },
  IS_ADMIN: {
    type: 'IS_ADMIN',
    from: ['User', 'Role'],
    to: ['Admin'],
    inGraph: false,
    description:
      'admin-equivalent by its own policies {technique: admin-equivalent, conditional, conditions, evidence}',
  },
};

export const DERIVED_RELATIONSHIP_TYPES = Object.keys(DERIVED_RELATIONSHIP_MODELS) as DerivedEdgeType[];

/** A principal class's members, written with the derived relationships that point at the class. */
export const INCLUDES_MODEL: RelationshipModel = {
  type: 'INCLUDES',
  from: ['PrincipalClass'],
  to: ['User', 'Role'],
  inGraph: false,
  description:
    'a member of the class (a path through a class: -[:CAN_ESCALATE]->(class)-[:INCLUDES]->(member))',
};

/** The node id of a service's index node (`service:s3`; `service:*` for a policy that could allow any service). */
export const serviceNodeId = (service: string): string => `service:${service.toLowerCase()}`;

/**
 * Which services a policy's Allow statements could grant (the engine's `allowedServices`), written by the Neo4j
 * load only: who-can reads the principals that could be allowed an action through the policies linked to its
 * service's node and to `service:*`.
 */
export const MAY_ALLOW_MODEL: RelationshipModel = {
  type: 'MAY_ALLOW',
  from: ['Policy'],
  to: ['Service'],
  inGraph: false,
  description: 'an Allow statement of the (identity) policy could match an action of the service',
};

export const GRAPH_RELATIONSHIP_TYPES: GraphEdgeKind[] = Object.values(RELATIONSHIP_MODELS)
  .filter((r) => r.inGraph)
  .map((r) => r.type as GraphEdgeKind);

/** Schema objects: one uniqueness constraint per key, indexes for the reads the stores make. */
export interface ConstraintModel {
  name: string;
  label: string;
  properties: readonly string[];
  unique: boolean;
}

export const SCHEMA_MODELS: readonly ConstraintModel[] = [
  { name: 'snapshot_id_unique', label: SNAPSHOT_LABEL, properties: ['id'], unique: true },
  // MERGE of the sequence node is safe under concurrency only with a uniqueness constraint behind it.
  { name: 'snapshot_sequence_id_unique', label: SNAPSHOT_SEQUENCE_LABEL, properties: ['id'], unique: true },
  {
    name: 'entity_snapshot_node_unique',
    label: ENTITY_LABEL,
    properties: ['snapshotId', 'nodeId'],
    unique: true,
  },
  // Deleting a snapshot and reading it back scan by snapshotId alone.
  { name: 'entity_snapshot', label: ENTITY_LABEL, properties: ['snapshotId'], unique: false },
  // listPrincipals: principals of one snapshot ordered by ARN.
  { name: 'principal_snapshot_arn', label: 'Principal', properties: ['snapshotId', 'arn'], unique: false },
];

/** Every label a node of `label` carries, in the order written in Cypher. */
export function labelsOf(label: NodeLabel): string[] {
  return [ENTITY_LABEL, ...NODE_MODELS[label].extraLabels, label];
}
