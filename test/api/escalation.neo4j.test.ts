/**
 * paths, blastRadius and whoCanReach answer identically from Neo4j and the embedded store: the escalation graph
 * is materialized in both at load (CAN_ASSUME / CAN_ESCALATE / IS_ADMIN) and read back by the same code.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { toDerivedEdges } from '../../server/analysis/escalation/stored.ts';
import { testGraph, testSnapshot } from '../../server/analysis/escalation/test-graph.ts';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import { createNeo4jStore } from '../../server/graph/neo4j/neo4j-store.ts';
import type { GraphStore, SnapshotInfo } from '../../server/graph/store.ts';
import { queryApi } from './api-fixture.ts';
import { BLAST_RADIUS_QUERY, PATHS_QUERY, WHO_CAN_REACH_QUERY, pathLine } from './escalation-queries.ts';

let memory: GraphStore;
let neo: GraphStore;
let memoryInfo: SnapshotInfo;
let neoInfo: SnapshotInfo;

beforeAll(async () => {
  memory = createMemoryStore();
  neo = await createNeo4jStore({
    uri: inject('neo4jUri'),
    user: inject('neo4jUser'),
    password: inject('neo4jPassword'),
  });
  const derivedEdges = toDerivedEdges(testGraph());
  memoryInfo = await memory.load(testSnapshot(), { derivedEdges });
  neoInfo = await neo.load(testSnapshot(), { derivedEdges });
}, 120_000);

afterAll(async () => {
  if (neoInfo) await neo.deleteSnapshot(neoInfo.id);
  await neo?.close();
  await memory?.close();
});

const cases: [string, string, Record<string, unknown>][] = [
  ['paths to admin', PATHS_QUERY, { from: 'bob', toAdmin: true, k: 10 }],
  ['paths to a role', PATHS_QUERY, { from: 'dave', to: 'Ops' }],
  ['blast radius by key', BLAST_RADIUS_QUERY, { key: 'AKIAIOSFODNN7BOB0001' }],
  ['blast radius with services', BLAST_RADIUS_QUERY, { principal: 'frank' }],
  ['blast radius, conditional admin', BLAST_RADIUS_QUERY, { principal: 'erin' }],
  ['who can reach', WHO_CAN_REACH_QUERY, { resource: 'arn:aws:s3:::reports/q3.csv', action: 's3:GetObject' }],
];

describe('escalation queries: Neo4j = embedded store', () => {
  it.each(cases)('%s', async (_name, query, variables) => {
    const fromMemory = await queryApi(memory, query, { s: memoryInfo.id, ...variables });
    const fromNeo4j = await queryApi(neo, query, { s: neoInfo.id, ...variables });
    expect(fromMemory.body.errors).toBeUndefined();
    expect(fromNeo4j.body).toEqual(fromMemory.body);
  });

  it('the answer is not empty (parity of two empty answers would prove nothing)', async () => {
    const { body } = await queryApi(neo, PATHS_QUERY, { s: neoInfo.id, from: 'bob', toAdmin: true, k: 10 });
    expect(body.data.paths.paths.map(pathLine)[0]).toBe('bob -[iam:CreatePolicyVersion]-> ADMIN');
  });
});
