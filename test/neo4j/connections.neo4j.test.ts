/**
 * Many reads at once never run the Neo4j store out of driver connections: a GraphQL request resolves one row per
 * DataLoader key, and five requests at once used to open a session per row, more than the driver's pool holds,
 * until reads failed with "Connection acquisition timed out". The store now answers a tick's lookups by id in one
 * query and opens no more sessions than it has connections. With a single connection, a burst of thousands of
 * lookups and five GraphQL requests at once all answer, and answer as the memory store does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import { createNeo4jStore } from '../../server/graph/neo4j/neo4j-store.ts';
import type { GraphStore } from '../../server/graph/store.ts';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import { demo, importDemo } from '../api/demo-fixture.ts';
import { parityQueries, runParityQuery } from '../api/store-parity.ts';
import { testNeo4jConnection } from '../support/neo4j.ts';

let neo: GraphStore;
let memory: GraphStore;
let neoId: string;
let memoryId: string;
let snapshot: AccountSnapshot;

beforeAll(async () => {
  neo = await createNeo4jStore({ ...testNeo4jConnection(), maxConnections: 1 });
  memory = createMemoryStore();
  snapshot = await importDemo();
  neoId = (await neo.load(snapshot)).id;
  memoryId = (await memory.load(snapshot)).id;
}, 120_000);

afterAll(async () => {
  if (neoId) await neo.deleteSnapshot(neoId);
  await neo?.close();
  await memory?.close();
});

describe('Neo4j store under concurrent reads, one driver connection', () => {
  it('answers a burst of lookups by id at once, each as the memory store does', async () => {
    const principals = [...snapshot.users, ...snapshot.roles].map((p) => p.arn);
    const groups = snapshot.groups.map((g) => g.arn);
    const policies = snapshot.policies.map((p) => p.arn);
    const ask = (store: GraphStore, id: string) =>
      Promise.all([
        ...principals.map((arn) => store.getPrincipal(id, arn)),
        ...groups.map((arn) => store.getGroup(id, arn)),
        ...groups.map((arn) => store.getGroupMembers(id, arn)),
        ...policies.map((arn) => store.getPolicy(id, arn)),
        ...policies.map((arn) => store.getPolicyAttachments(id, arn)),
        store.getPrincipal(id, 'arn:aws:iam::000000000000:user/nobody'),
      ]);
    const expected = await ask(memory, memoryId);
    expect(expected.filter((x) => x !== undefined).length).toBeGreaterThan(30);
    // Sixty copies at once: thousands of lookups in the same tick.
    const answers = await Promise.all(Array.from({ length: 60 }, () => ask(neo, neoId)));
    for (const a of answers) expect(a).toEqual(expected);
  }, 120_000);

  it('answers reads that are not batched (snapshot listings, pages) queued behind the one connection', async () => {
    const answers = await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        i % 2 === 0 ? neo.getSnapshot(neoId) : neo.listPrincipals(neoId, {}, 5),
      ),
    );
    expect(answers.filter((a) => a && 'id' in a && a.id === neoId)).toHaveLength(75);
    expect(
      answers.filter((a) => a && 'totalCount' in a && a.totalCount === principalsOf(snapshot)),
    ).toHaveLength(75);
  }, 120_000);

  it('answers five GraphQL requests at once as the memory store does', async () => {
    const queries = parityQueries({
      users: [demo.alice, demo.bob, demo.elena],
      roles: [demo.lambdaRole, demo.partnerAuditor],
      groups: [demo.engineering, demo.qa],
      policies: [demo.s3Full, demo.powerUser],
    }).filter((q) => /^(principal|group|policy|findings)/.test(q.name));
    expect(queries.length).toBeGreaterThanOrEqual(5);
    const expected = await Promise.all(queries.map((q) => runParityQuery(memory, q, memoryId)));
    const rounds = await Promise.all(
      [0, 1, 2, 3, 4].map(() => Promise.all(queries.map((q) => runParityQuery(neo, q, neoId)))),
    );
    for (const got of rounds) expect(got).toEqual(expected);
    expect(JSON.stringify(expected)).not.toContain('"errors"');
  }, 120_000);
});

function principalsOf(s: AccountSnapshot): number {
  return s.users.length + s.roles.length;
}
