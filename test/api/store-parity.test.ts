/** The parity queries (compared across stores in api.neo4j.test.ts) answer with real data on the embedded store. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import type { GraphStore, SnapshotInfo } from '../../server/graph/store.ts';
import { alice, bob, boundary, engineering, fixtureSnapshot, lambdaRole, s3Full } from './api-fixture.ts';
import { parityQueries, runParityQuery } from './store-parity.ts';

let store: GraphStore;
let info: SnapshotInfo;
beforeAll(async () => {
  store = createMemoryStore();
  info = await store.load(fixtureSnapshot);
});

describe('parity queries on the embedded store', () => {
  const queries = parityQueries({
    users: [alice.arn, bob.arn],
    roles: [lambdaRole.arn],
    groups: [engineering.arn],
    policies: [s3Full.arn, boundary.arn, `${alice.arn}#inline/PublishAlerts`],
  });

  it('walk every principal page', async () => {
    const pages = (await runParityQuery(
      store,
      queries.find((q) => q.name.startsWith('principals, every'))!,
      info.id,
    )) as any[];
    expect(pages.map((p) => p.data.principals.items.map((i: any) => i.arn))).toEqual([
      [lambdaRole.arn, alice.arn],
      [bob.arn],
    ]);
  });

  for (const q of queries) {
    it(`${q.name} answers without errors`, async () => {
      const text = JSON.stringify(await runParityQuery(store, q, info.id));
      expect(text).not.toContain('"errors"');
      expect(text).not.toMatch(/NotFound|NoSnapshot|InvalidArgument/);
      expect(text).not.toContain(info.id);
    });
  }
});
