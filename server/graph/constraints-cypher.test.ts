import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CONSTRAINTS_CYPHER_PATH,
  renderConstraintsCypher,
  splitCypherStatements,
} from './constraints-cypher.ts';

describe('schema/neo4j/constraints.cypher', () => {
  it('is up to date with server/graph/model.ts (regenerate: npx tsx server/graph/constraints-cypher.ts)', () => {
    expect(readFileSync(CONSTRAINTS_CYPHER_PATH, 'utf8')).toBe(renderConstraintsCypher());
  });

  it('holds the snapshot key and the (snapshotId, nodeId) uniqueness every entity relies on', () => {
    expect(splitCypherStatements(renderConstraintsCypher())).toEqual([
      'CREATE CONSTRAINT snapshot_id_unique IF NOT EXISTS FOR (n:Snapshot) REQUIRE n.id IS UNIQUE',
      'CREATE CONSTRAINT snapshot_sequence_id_unique IF NOT EXISTS FOR (n:SnapshotSequence) REQUIRE n.id IS UNIQUE',
      'CREATE CONSTRAINT entity_snapshot_node_unique IF NOT EXISTS FOR (n:Entity) REQUIRE (n.snapshotId, n.nodeId) IS UNIQUE',
      'CREATE INDEX entity_snapshot IF NOT EXISTS FOR (n:Entity) ON (n.snapshotId)',
      'CREATE INDEX principal_snapshot_arn IF NOT EXISTS FOR (n:Principal) ON (n.snapshotId, n.arn)',
    ]);
  });
});
