// Golden Cypher (Cartography's querybuilder tests): statement changes show up in review as text.
import { describe, expect, it } from 'vitest';
import { COMPLETE_SNAPSHOT, CREATE_NODES, CREATE_RELATIONSHIPS, LIST_PRINCIPALS } from './cypher.ts';
import * as Q from './cypher.ts';

describe('neo4j cypher', () => {
  it('creates nodes with all their labels from the model, one UNWIND per batch', () => {
    expect(CREATE_NODES.User).toMatchInlineSnapshot(
      `"UNWIND $rows AS row CREATE (n:Entity:Principal:User) SET n = row"`,
    );
    expect(CREATE_NODES.Policy).toMatchInlineSnapshot(
      `"UNWIND $rows AS row CREATE (n:Entity:Policy) SET n = row"`,
    );
  });

  it('links nodes of the loading snapshot only', () => {
    expect(CREATE_RELATIONSHIPS.MEMBER_OF).toMatchInlineSnapshot(
      `"UNWIND $rows AS row MATCH (a:Entity {snapshotId: $snapshotId, nodeId: row.from}) MATCH (b:Entity {snapshotId: $snapshotId, nodeId: row.to}) CREATE (a)-[:MEMBER_OF]->(b)"`,
    );
    expect(Object.keys(CREATE_RELATIONSHIPS).sort()).toEqual([
      'BOUNDED_BY',
      'HAS_KEY',
      'HAS_POLICY',
      'IN',
      'MEMBER_OF',
      'PROTECTED_BY',
    ]);
  });

  it('writes derived relationships with their properties as one map', () => {
    expect(Q.CREATE_DERIVED_RELATIONSHIPS.CAN_ESCALATE).toMatchInlineSnapshot(
      `"UNWIND $rows AS row MATCH (a:Entity {snapshotId: $snapshotId, nodeId: row.from}) MATCH (b:Entity {snapshotId: $snapshotId, nodeId: row.to}) CREATE (a)-[r:CAN_ESCALATE]->(b) SET r = row.props"`,
    );
    expect(Object.keys(Q.CREATE_DERIVED_RELATIONSHIPS).sort()).toEqual([
      'CAN_ASSUME',
      'CAN_ESCALATE',
      'IS_ADMIN',
    ]);
  });

  it('writes a principal class once, its members by INCLUDES (with their conditions), and reads a class with members whole', () => {
    expect(CREATE_NODES.PrincipalClass).toMatchInlineSnapshot(
      `"UNWIND $rows AS row CREATE (n:Entity:PrincipalClass) SET n = row"`,
    );
    expect(Q.CREATE_CLASS_MEMBERSHIPS).toMatchInlineSnapshot(
      `"UNWIND $rows AS row MATCH (a:Entity {snapshotId: $snapshotId, nodeId: row.from}) MATCH (b:Entity {snapshotId: $snapshotId, nodeId: row.to}) CREATE (a)-[i:INCLUDES]->(b) SET i.conditions = row.conditions"`,
    );
    expect(Q.READ_PRINCIPAL_CLASSES).toMatchInlineSnapshot(`
      "MATCH (c:Entity {snapshotId: $snapshotId})
      WHERE c:PrincipalClass
      OPTIONAL MATCH (c)-[i:INCLUDES]->(p:Entity)
      RETURN c.nodeId AS id, c.name AS name, collect(p.nodeId) AS members,
        collect([p.nodeId, i.conditions]) AS memberConditions"
    `);
  });

  it('reads one hop of escalation rows from given principals through the (snapshotId, nodeId) index', () => {
    expect(Q.REACHABLE_ROWS).toMatchInlineSnapshot(`
      "UNWIND $ids AS id
      MATCH (a:Entity {snapshotId: $snapshotId, nodeId: id})-[r:CAN_ASSUME|CAN_ESCALATE|IS_ADMIN]->(b:Entity)
      WHERE $stepsToo OR type(r) = 'IS_ADMIN'
      RETURN type(r) AS type, a.nodeId AS from, b.nodeId AS to, b:PrincipalClass AS toClass, r.technique AS technique,
        r.conditional AS conditional, r.conditions AS conditions, r.evidence AS evidence"
    `);
    expect(Q.CLASSES_BY_ID).toMatchInlineSnapshot(`
      "UNWIND $ids AS id
      MATCH (c:Entity {snapshotId: $snapshotId, nodeId: id})
      WHERE c:PrincipalClass
      OPTIONAL MATCH (c)-[i:INCLUDES]->(p:Entity)
      RETURN c.nodeId AS id, c.name AS name, collect(p.nodeId) AS members,
        collect([p.nodeId, i.conditions]) AS memberConditions"
    `);
  });

  it('flips a loading snapshot to complete with the next sequence number', () => {
    expect(COMPLETE_SNAPSHOT).toMatchInlineSnapshot(`
      "MERGE (q:SnapshotSequence {id: 'snapshots'})
      SET q.last = coalesce(q.last, 0)
      WITH q
      OPTIONAL MATCH (done:Snapshot {state: 'complete'})
      WITH q, coalesce(max(done.seq), 0) AS stored
      WITH q, CASE WHEN q.last > stored THEN q.last ELSE stored END + 1 AS next
      SET q.last = next
      WITH next
      MATCH (s:Snapshot {id: $id, state: 'loading'})
      SET s.state = 'complete', s.seq = next, s.loadedAt = $loadedAt
      RETURN s.seq AS seq"
    `);
  });

  it('pages principals by ARN', () => {
    expect(LIST_PRINCIPALS).toMatchInlineSnapshot(`
      "MATCH (p:Principal)
      WHERE p.snapshotId = $snapshotId
        AND ($kind IS NULL OR p.principalKind = $kind)
        AND ($search IS NULL OR toLower(p.name) CONTAINS $search OR toLower(p.arn) CONTAINS $search)
        AND ($after IS NULL OR p.arn > $after)
      RETURN p.json AS json
      ORDER BY p.arn
      LIMIT $limit"
    `);
  });

  it('stays inside the openCypher subset Neptune reads (no APOC, IN TRANSACTIONS, quantified paths, shortestPath)', () => {
    const all = Object.values(Q).flatMap((v) =>
      typeof v === 'string' ? [v] : Object.values(v as Record<string, string>),
    );
    expect(all.length).toBeGreaterThan(20);
    for (const q of all)
      expect(q).not.toMatch(/apoc\.|IN TRANSACTIONS|shortestPath|SHORTEST|\]\s*\{|\*\d*\.\./i);
    // Parameterized only: no quoted ARN or id literal.
    for (const q of all) expect(q).not.toMatch(/'arn:/);
  });
});
