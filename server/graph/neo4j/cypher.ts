/**
 * Every Cypher statement the Neo4j store runs, as named constants (Cartography's querybuilder idea: query
 * changes show up in review; cypher.test.ts pins them as text). Parameterized only; labels and relationship
 * types cannot be parameters, so the per-label/per-type statements are generated from the graph model.
 * openCypher 9 subset (UNWIND, MATCH, CREATE, SET, DETACH DELETE, OPTIONAL MATCH, aggregation) so Amazon
 * Neptune stays possible — no APOC, no CALL … IN TRANSACTIONS, no quantified paths.
 */
import type { DerivedEdgeType } from '../store.ts';
import {
  DERIVED_RELATIONSHIP_TYPES,
  ENTITY_LABEL,
  NODE_MODELS,
  SNAPSHOT_LABEL,
  SNAPSHOT_SEQUENCE_LABEL,
  STRUCTURAL_RELATIONSHIP_TYPES,
  labelsOf,
  type NodeLabel,
  type StructuralRelationshipType,
} from '../model.ts';

/** A new snapshot starts `loading`; readers only ever match `complete` ones. */
/**
 * `derivedRows` counts the derived relationships and class memberships loaded with it (absent in stores written
 * before it was kept).
 */
/** `servicesIndexed`: its policies are linked to the services they could allow (MAY_ALLOW; absent before). */
export const CREATE_SNAPSHOT = `CREATE (s:${SNAPSHOT_LABEL} {id: $id, accountId: $accountId, state: 'loading', startedAt: $startedAt, infoJson: $infoJson, metaJson: $metaJson, derivedRows: $derivedRows, servicesIndexed: true})`;

/** Nodes of one label: `$rows` are property maps (snapshotId, nodeId, graphKind, graphLabel, ord, json, …). */
export const CREATE_NODES = Object.fromEntries(
  Object.keys(NODE_MODELS).map((label) => [
    label,
    `UNWIND $rows AS row CREATE (n:${labelsOf(label as NodeLabel).join(':')}) SET n = row`,
  ]),
) as Record<NodeLabel, string>;

/** Relationships of one type between nodes of the snapshot being loaded: `$rows` are `{from, to}` node ids. */
export const CREATE_RELATIONSHIPS = Object.fromEntries(
  STRUCTURAL_RELATIONSHIP_TYPES.map((type) => [
    type,
    `UNWIND $rows AS row ` +
      `MATCH (a:${ENTITY_LABEL} {snapshotId: $snapshotId, nodeId: row.from}) ` +
      `MATCH (b:${ENTITY_LABEL} {snapshotId: $snapshotId, nodeId: row.to}) ` +
      `CREATE (a)-[:${type}]->(b)`,
  ]),
) as Record<StructuralRelationshipType, string>;

/**
 * Derived relationships (the escalation graph) of one type: `$rows` are `{from, to, props}` with props
 * technique, conditional, conditions (string list) and evidence (JSON text).
 */
export const CREATE_DERIVED_RELATIONSHIPS = Object.fromEntries(
  DERIVED_RELATIONSHIP_TYPES.map((type) => [
    type,
    `UNWIND $rows AS row ` +
      `MATCH (a:${ENTITY_LABEL} {snapshotId: $snapshotId, nodeId: row.from}) ` +
      `MATCH (b:${ENTITY_LABEL} {snapshotId: $snapshotId, nodeId: row.to}) ` +
      `CREATE (a)-[r:${type}]->(b) SET r = row.props`,
  ]),
) as Record<DerivedEdgeType, string>;

/** readDerivedEdges: every derived relationship of the snapshot (sorted by the caller). */
export const READ_DERIVED_EDGES = `MATCH (a:${ENTITY_LABEL} {snapshotId: $snapshotId})-[r:${DERIVED_RELATIONSHIP_TYPES.join('|')}]->(b:${ENTITY_LABEL})
RETURN type(r) AS type, a.nodeId AS from, b.nodeId AS to, r.technique AS technique,
  r.conditional AS conditional, r.conditions AS conditions, r.evidence AS evidence`;

/**
 * One hop of readReachableRows: the derived relationships out of the principals `$ids` (only IS_ADMIN when
 * `$stepsToo` is false: the last hop), through the (snapshotId, nodeId) constraint's index.
 */
export const REACHABLE_ROWS = `UNWIND $ids AS id
MATCH (a:${ENTITY_LABEL} {snapshotId: $snapshotId, nodeId: id})-[r:${DERIVED_RELATIONSHIP_TYPES.join('|')}]->(b:${ENTITY_LABEL})
WHERE $stepsToo OR type(r) = 'IS_ADMIN'
RETURN type(r) AS type, a.nodeId AS from, b.nodeId AS to, b:PrincipalClass AS toClass, r.technique AS technique,
  r.conditional AS conditional, r.conditions AS conditions, r.evidence AS evidence`;

/** The classes `$ids` with their members (sorted by the caller). */
export const CLASSES_BY_ID = `UNWIND $ids AS id
MATCH (c:${ENTITY_LABEL} {snapshotId: $snapshotId, nodeId: id})
WHERE c:PrincipalClass
OPTIONAL MATCH (c)-[i:INCLUDES]->(p:${ENTITY_LABEL})
RETURN c.nodeId AS id, c.name AS name, collect(p.nodeId) AS members,
  collect([p.nodeId, i.conditions]) AS memberConditions`;

/** Policies of the snapshot being loaded to the services they could allow: `$rows` are `{from, to}` node ids. */
export const CREATE_MAY_ALLOW =
  `UNWIND $rows AS row ` +
  `MATCH (a:${ENTITY_LABEL} {snapshotId: $snapshotId, nodeId: row.from}) ` +
  `MATCH (b:${ENTITY_LABEL} {snapshotId: $snapshotId, nodeId: row.to}) ` +
  `CREATE (a)-[:MAY_ALLOW]->(b)`;

/**
 * who-can's candidates: the principals an identity policy linked to one of the service nodes `$services` is
 * attached to, directly or through a group, each once.
 */
export const CANDIDATES_BY_SERVICE = `UNWIND $services AS svc
MATCH (:${ENTITY_LABEL} {snapshotId: $snapshotId, nodeId: svc})<-[:MAY_ALLOW]-(:Policy)<-[:HAS_POLICY]-(x:${ENTITY_LABEL})
OPTIONAL MATCH (x)<-[:MEMBER_OF]-(u:User)
WITH CASE WHEN x:Principal THEN x ELSE u END AS p
WHERE p IS NOT NULL
RETURN DISTINCT p.nodeId AS id`;

/** Roles named `$names`, or whose name starts with one of `$prefixes`. */
export const ROLES_BY_NAME = `MATCH (p:Role)
WHERE p.snapshotId = $snapshotId
  AND (p.name IN $names OR any(prefix IN $prefixes WHERE p.name STARTS WITH prefix))
RETURN p.nodeId AS id`;

/** Entities `$ids` that have json, in their snapshot order (within one kind of entity). */
export const ENTITIES_IN_ORDER = `UNWIND $ids AS id
MATCH (n:${ENTITY_LABEL} {snapshotId: $snapshotId, nodeId: id})
WHERE n.json IS NOT NULL
RETURN n.json AS json
ORDER BY n.ord`;

/**
 * A principal class's members: `$rows` are `{from, to, conditions}` (class id, principal ARN, the member's own
 * residual conditions or null).
 */
export const CREATE_CLASS_MEMBERSHIPS =
  `UNWIND $rows AS row ` +
  `MATCH (a:${ENTITY_LABEL} {snapshotId: $snapshotId, nodeId: row.from}) ` +
  `MATCH (b:${ENTITY_LABEL} {snapshotId: $snapshotId, nodeId: row.to}) ` +
  `CREATE (a)-[i:INCLUDES]->(b) SET i.conditions = row.conditions`;

/**
 * readPrincipalClasses: every class of the snapshot with its members (sorted by the caller) and, per member, its
 * conditions (null for none).
 */
export const READ_PRINCIPAL_CLASSES = `MATCH (c:${ENTITY_LABEL} {snapshotId: $snapshotId})
WHERE c:PrincipalClass
OPTIONAL MATCH (c)-[i:INCLUDES]->(p:${ENTITY_LABEL})
RETURN c.nodeId AS id, c.name AS name, collect(p.nodeId) AS members,
  collect([p.nodeId, i.conditions]) AS memberConditions`;

/**
 * The final step of a load: the snapshot becomes complete with the next sequence number (completion order
 * decides which snapshot of an account is current). The first SET reads the property it writes, so Cypher
 * takes the sequence node's write lock before reading: concurrent completions queue there and each sees the
 * previous one committed. The count starts past the highest stored seq (databases written before the node).
 */
export const COMPLETE_SNAPSHOT = `MERGE (q:${SNAPSHOT_SEQUENCE_LABEL} {id: 'snapshots'})
SET q.last = coalesce(q.last, 0)
WITH q
OPTIONAL MATCH (done:${SNAPSHOT_LABEL} {state: 'complete'})
WITH q, coalesce(max(done.seq), 0) AS stored
WITH q, CASE WHEN q.last > stored THEN q.last ELSE stored END + 1 AS next
SET q.last = next
WITH next
MATCH (s:${SNAPSHOT_LABEL} {id: $id, state: 'loading'})
SET s.state = 'complete', s.seq = next, s.loadedAt = $loadedAt
RETURN s.seq AS seq`;

export const LIST_SNAPSHOTS = `MATCH (s:${SNAPSHOT_LABEL} {state: 'complete'})
RETURN s.infoJson AS infoJson, s.loadedAt AS loadedAt
ORDER BY s.seq DESC`;

export const SNAPSHOT_EXISTS = `MATCH (s:${SNAPSHOT_LABEL} {id: $snapshotId, state: 'complete'}) RETURN s.metaJson AS metaJson, s.derivedRows AS derivedRows, s.servicesIndexed AS servicesIndexed`;

/** Hide a snapshot from readers at once, before its nodes are deleted in batches. */
export const MARK_SNAPSHOT_DELETING = `MATCH (s:${SNAPSHOT_LABEL} {id: $snapshotId}) SET s.state = 'deleting' RETURN s.id AS id`;

/**
 * Leftovers of a process that died mid-load or mid-delete. A `loading` snapshot may be another server's
 * import in progress, so only old ones count.
 */
export const LIST_ABANDONED_SNAPSHOTS = `MATCH (s:${SNAPSHOT_LABEL})
WHERE s.state = 'deleting' OR (s.state = 'loading' AND s.startedAt < $startedBefore)
RETURN s.id AS id`;

export const DELETE_ENTITY_BATCH = `MATCH (n:${ENTITY_LABEL} {snapshotId: $snapshotId})
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted`;

export const DELETE_SNAPSHOT_NODE = `MATCH (s:${SNAPSHOT_LABEL} {id: $snapshotId}) DELETE s`;

const PRINCIPAL_FILTER = `p.snapshotId = $snapshotId
  AND ($kind IS NULL OR p.principalKind = $kind)
  AND ($search IS NULL OR toLower(p.name) CONTAINS $search OR toLower(p.arn) CONTAINS $search)`;

export const COUNT_PRINCIPALS = `MATCH (p:Principal)
WHERE ${PRINCIPAL_FILTER}
RETURN count(p) AS total`;

export const LIST_PRINCIPALS = `MATCH (p:Principal)
WHERE ${PRINCIPAL_FILTER}
  AND ($after IS NULL OR p.arn > $after)
RETURN p.json AS json
ORDER BY p.arn
LIMIT $limit`;

/** Entities of one label by id, `$ids` at once: each found one's id and json. */
const entitiesBy = (label: string, extra = ''): string =>
  `UNWIND $ids AS id
MATCH (n:${ENTITY_LABEL} {snapshotId: $snapshotId, nodeId: id})
WHERE n:${label}${extra}
RETURN id, n.json AS json`;

export const GET_PRINCIPALS = entitiesBy('Principal');
export const GET_GROUPS = entitiesBy('Group');
/** Inline, resource and missing (referenced-only) policies have no ManagedPolicy json. */
export const GET_POLICIES = entitiesBy('Policy', ' AND n.json IS NOT NULL');
export const GET_RESOURCES = entitiesBy('Resource');

/** The members of the groups `$ids`, each with its group's id, in ARN order. */
export const GET_GROUP_MEMBERS = `UNWIND $ids AS id
MATCH (g:${ENTITY_LABEL} {snapshotId: $snapshotId, nodeId: id})<-[:MEMBER_OF]-(u:User)
WHERE g:Group
RETURN id, u.json AS json
ORDER BY u.arn`;

/** Where the policies `$ids` are attached, each row with its policy's id. */
export const GET_POLICY_ATTACHMENTS = `UNWIND $ids AS id
MATCH (p:${ENTITY_LABEL} {snapshotId: $snapshotId, nodeId: id})<-[r:HAS_POLICY|BOUNDED_BY]-(x)
WHERE p:Policy
RETURN id, x.nodeId AS arn, x.graphKind AS kind, type(r) AS type`;

/** readSnapshot: the entities of one label in their original order. */
export const READ_ENTITIES = Object.fromEntries(
  (['User', 'Group', 'Role', 'Policy', 'Resource'] as const).map((label) => [
    label,
    `MATCH (n:${ENTITY_LABEL} {snapshotId: $snapshotId}) WHERE n:${label} AND n.json IS NOT NULL RETURN n.json AS json ORDER BY n.ord`,
  ]),
) as Record<'User' | 'Group' | 'Role' | 'Policy' | 'Resource', string>;

export const GRAPH_NODES = `MATCH (n:${ENTITY_LABEL} {snapshotId: $snapshotId})
WHERE n.graphKind IS NOT NULL
RETURN n.nodeId AS id, n.graphKind AS kind, n.graphLabel AS label`;

export const GRAPH_EDGES = `MATCH (a:${ENTITY_LABEL} {snapshotId: $snapshotId})-[r]->(b:${ENTITY_LABEL})
WHERE type(r) IN $types
RETURN a.nodeId AS source, type(r) AS kind, b.nodeId AS target`;

export const GRAPH_NODES_BY_ID = `UNWIND $ids AS id
MATCH (n:${ENTITY_LABEL} {snapshotId: $snapshotId, nodeId: id})
WHERE n.graphKind IS NOT NULL
RETURN n.nodeId AS id, n.graphKind AS kind, n.graphLabel AS label`;

/** One breadth-first hop, both directions, over graph relationships only. */
export const GRAPH_NEIGHBOURS = `UNWIND $ids AS id
MATCH (a:${ENTITY_LABEL} {snapshotId: $snapshotId, nodeId: id})-[r]-(b:${ENTITY_LABEL})
WHERE type(r) IN $types AND b.graphKind IS NOT NULL
RETURN DISTINCT b.nodeId AS id`;

export const GRAPH_EDGES_AMONG = `UNWIND $ids AS id
MATCH (a:${ENTITY_LABEL} {snapshotId: $snapshotId, nodeId: id})-[r]->(b:${ENTITY_LABEL})
WHERE type(r) IN $types AND b.nodeId IN $ids
RETURN a.nodeId AS source, type(r) AS kind, b.nodeId AS target`;
