import neo4j from 'neo4j-driver';
import { afterAll, describe, expect, it } from 'vitest';
import { createNeo4jStore } from '../../server/graph/neo4j/neo4j-store.ts';
import { StoreUnavailableError } from '../../server/graph/store.ts';
import { openTestDriver, testNeo4jConnection as connection } from '../support/neo4j.ts';
import { company, describeGraphStore, freshAccountId } from './graph-store.contract.ts';

// A driver of our own, only to look behind the store's back for leftovers of failed loads.
let driver: ReturnType<typeof neo4j.driver> | undefined;
afterAll(async () => {
  await driver?.close();
});

async function storedSnapshotIds(accountId: string): Promise<string[]> {
  driver ??= openTestDriver();
  // Snapshot ids start with the account id (snapshot-meta.ts), so orphaned entity nodes are found too.
  const result = await driver.executeQuery(
    `MATCH (s:Snapshot {accountId: $accountId}) RETURN s.id AS id
     UNION
     MATCH (n:Entity) WHERE n.snapshotId STARTS WITH $prefix RETURN DISTINCT n.snapshotId AS id`,
    { accountId, prefix: `${accountId}-` },
  );
  return result.records.map((r) => r.get('id') as string).sort();
}

describeGraphStore('neo4j', () => createNeo4jStore(connection()), { storedSnapshotIds });

describe('Neo4j store start', () => {
  it('removes what a dead process left mid-load, but not a load still in progress elsewhere', async () => {
    const c = connection();
    driver ??= openTestDriver();
    const account = freshAccountId();
    const dead = `${account}-dead`;
    const running = `${account}-running`;
    await driver.executeQuery(
      `CREATE (:Snapshot {id: $dead, accountId: $account, state: 'loading', startedAt: '2001-01-01T00:00:00.000Z'})
       CREATE (:Entity:Principal:User {snapshotId: $dead, nodeId: 'arn:aws:iam::111122223333:user/ghost'})
       CREATE (:Snapshot {id: $running, accountId: $account, state: 'loading', startedAt: $now})`,
      { dead, running, account, now: new Date().toISOString() },
    );
    const store = await createNeo4jStore(c);
    try {
      expect(await storedSnapshotIds(account)).toEqual([running]);
      expect((await store.listSnapshots()).map((i) => i.id)).not.toContain(running);
    } finally {
      await driver.executeQuery('MATCH (s:Snapshot {id: $running}) DELETE s', { running });
      await store.close();
    }
  });
});

describe('Neo4j store: imports finishing at once', () => {
  it('are ordered by distinct sequence numbers, so exactly one is current', async () => {
    const stores = await Promise.all([0, 1, 2, 3].map(() => createNeo4jStore(connection())));
    driver ??= openTestDriver();
    const account = freshAccountId();
    try {
      // Four processes' worth of stores completing loads of one account concurrently.
      const loaded = await Promise.all(stores.map((st, i) => st.load(company(account, `concurrent-${i}`))));
      const ids = loaded.map((l) => l.id);
      const { records } = await driver.executeQuery(
        'MATCH (s:Snapshot) WHERE s.id IN $ids RETURN s.id AS id, s.seq AS seq ORDER BY seq',
        { ids },
      );
      const seqs = records.map((r) => neo4j.integer.toNumber(r.get('seq')));
      expect(new Set(seqs).size).toBe(4);
      // The highest sequence number is the current snapshot, for every reader.
      const newest = records.at(-1)!.get('id') as string;
      for (const st of stores) expect((await st.currentSnapshot(account))?.id).toBe(newest);
      const listed = (await stores[0]!.listSnapshots()).filter((i) => i.accountId === account);
      expect(listed.filter((i) => i.current).map((i) => i.id)).toEqual([newest]);
    } finally {
      await Promise.all(stores.map((st) => st.close()));
    }
  });
});

describe('Neo4j store failures', () => {
  it('an unreachable Neo4j is a StoreUnavailableError with the driver error as cause', async () => {
    const c = connection();
    const error = await createNeo4jStore({ ...c, uri: 'bolt://127.0.0.1:1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).cause).toBeInstanceOf(neo4j.Neo4jError);
  });

  it('wrong credentials are a StoreUnavailableError too', async () => {
    const c = connection();
    const error = await createNeo4jStore({ ...c, password: 'not-the-password' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
  });
});
