/**
 * The same GraphQL queries against Neo4j and the embedded store must return the same data
 * (architecture.md: "one contract suite, two stores"). Each store loads the same snapshot.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import { createNeo4jStore } from '../../server/graph/neo4j/neo4j-store.ts';
import type { GraphStore, SnapshotInfo } from '../../server/graph/store.ts';
import { alice, bob, boundary, engineering, fixtureSnapshot, lambdaRole, s3Full } from './api-fixture.ts';
import { demo, importDemo } from './demo-fixture.ts';
import { parityQueries, runParityQuery, type ParityQuery } from './store-parity.ts';

let memory: GraphStore;
let neo: GraphStore;
let memoryInfo: SnapshotInfo;
let neoInfo: SnapshotInfo;
let memoryDemo: SnapshotInfo;
let neoDemo: SnapshotInfo;

// A distinct account per run, so the Neo4j snapshot is current for its account whatever else the
// shared database holds.
const ACCOUNT = '999900001111';
const snapshot = JSON.parse(
  JSON.stringify(fixtureSnapshot).split('111122223333').join(ACCOUNT),
) as typeof fixtureSnapshot;
const rearn = (arn: string): string => arn.split('111122223333').join(ACCOUNT);

beforeAll(async () => {
  memory = createMemoryStore();
  neo = await createNeo4jStore({
    uri: inject('neo4jUri'),
    user: inject('neo4jUser'),
    password: inject('neo4jPassword'),
  });
  memoryInfo = await memory.load(snapshot);
  neoInfo = await neo.load(snapshot);
  const demoSnapshot = await importDemo();
  memoryDemo = await memory.load(demoSnapshot);
  neoDemo = await neo.load(demoSnapshot);
});

afterAll(async () => {
  if (neoInfo) await neo.deleteSnapshot(neoInfo.id);
  if (neoDemo) await neo.deleteSnapshot(neoDemo.id);
  await neo?.close();
  await memory?.close();
});

async function expectSameAnswers(q: ParityQuery, memoryId: string, neoId: string): Promise<void> {
  const fromMemory = await runParityQuery(memory, q, memoryId);
  const fromNeo4j = await runParityQuery(neo, q, neoId);
  expect(fromNeo4j).toEqual(fromMemory);
  // And the answer is not vacuous: no errors, real data.
  expect(JSON.stringify(fromMemory)).not.toContain('"errors"');
  expect(JSON.stringify(fromMemory)).not.toMatch(/NotFound|NoSnapshot|InvalidArgument/);
}

describe('API answers from Neo4j equal those from the embedded store: the demo account', () => {
  const queries = parityQueries({
    users: [demo.alice, demo.bob, demo.elena, demo.dave, demo.carol, demo.svcNotifier],
    roles: [demo.lambdaRole, demo.partnerAuditor],
    groups: [demo.engineering, demo.qa],
    policies: [demo.s3Full, demo.powerUser, demo.reportsReadOnly, `${demo.bob}#inline/lambda-deployer`],
  });
  for (const q of queries) it(q.name, () => expectSameAnswers(q, memoryDemo.id, neoDemo.id));
});

describe('API answers from Neo4j equal those from the embedded store: builder account', () => {
  const queries = parityQueries({
    users: [alice.arn, bob.arn].map(rearn),
    roles: [lambdaRole.arn].map(rearn),
    groups: [engineering.arn].map(rearn),
    policies: [s3Full.arn, boundary.arn, `${alice.arn}#inline/PublishAlerts`].map(rearn),
  });
  for (const q of queries) {
    it(q.name, () => expectSameAnswers(q, memoryInfo.id, neoInfo.id));
  }
});
