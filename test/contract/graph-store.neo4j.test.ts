import neo4j from 'neo4j-driver';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createNeo4jStore } from '../../server/graph/neo4j/neo4j-store.ts';
import { StoreUnavailableError } from '../../server/graph/store.ts';
import { describeGraphStore } from './graph-store.contract.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    neo4jUri: string;
    neo4jUser: string;
    neo4jPassword: string;
  }
}

const connection = () => ({ uri: inject('neo4jUri'), user: inject('neo4jUser'), password: inject('neo4jPassword') });

// A driver of our own, only to look behind the store's back for leftovers of failed loads.
let driver: ReturnType<typeof neo4j.driver> | undefined;
afterAll(async () => {
  await driver?.close();
});

async function storedSnapshotIds(accountId: string): Promise<string[]> {
  const c = connection();
  driver ??= neo4j.driver(c.uri, neo4j.auth.basic(c.user, c.password));
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
