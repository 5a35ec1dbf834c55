/**
 * The same GraphQL queries against Neo4j and the embedded store must return the same data
 * (architecture.md: "one contract suite, two stores"). Each store loads the same snapshot.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import { createNeo4jStore } from '../../server/graph/neo4j/neo4j-store.ts';
import type { GraphStore, SnapshotInfo } from '../../server/graph/store.ts';
import { alice, bob, boundary, engineering, fixtureSnapshot, lambdaRole, s3Full } from './api-fixture.ts';
import { parityQueries, runParityQuery } from './store-parity.ts';

let memory: GraphStore;
let neo: GraphStore;
let memoryInfo: SnapshotInfo;
let neoInfo: SnapshotInfo;

// A distinct account per run, so the Neo4j snapshot is current for its account whatever else the
// shared database holds.
const ACCOUNT = '999900001111';
const snapshot = JSON.parse(JSON.stringify(fixtureSnapshot).split('111122223333').join(ACCOUNT)) as typeof fixtureSnapshot;
const rearn = (arn: string): string => arn.split('111122223333').join(ACCOUNT);

beforeAll(async () => {
  memory = createMemoryStore();
  neo = await createNeo4jStore({ uri: inject('neo4jUri'), user: inject('neo4jUser'), password: inject('neo4jPassword') });
  memoryInfo = await memory.load(snapshot);
  neoInfo = await neo.load(snapshot);
});

afterAll(async () => {
  if (neoInfo) await neo.deleteSnapshot(neoInfo.id);
  await neo?.close();
  await memory?.close();
});

describe('API answers from Neo4j equal those from the embedded store', () => {
  const queries = parityQueries({
    users: [alice.arn, bob.arn].map(rearn),
    roles: [lambdaRole.arn].map(rearn),
    groups: [engineering.arn].map(rearn),
    policies: [s3Full.arn, boundary.arn, `${alice.arn}#inline/PublishAlerts`].map(rearn),
  });
  for (const q of queries) {
    it(q.name, async () => {
      const fromMemory = await runParityQuery(memory, q, memoryInfo.id);
      const fromNeo4j = await runParityQuery(neo, q, neoInfo.id);
      expect(fromNeo4j).toEqual(fromMemory);
      // And the answer is not vacuous: no errors, real data.
      expect(JSON.stringify(fromMemory)).not.toContain('"errors"');
      expect(JSON.stringify(fromMemory)).not.toContain('NotFound');
    });
  }
});
