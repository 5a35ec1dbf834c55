// The Neo4j store when its server goes away and comes back: a typed error naming the cause (not a hang, not an
// anonymous failure; in the store and through GraphQL), and answers again on the same store object once Neo4j is
// back. Uses a Neo4j of its own, stopped and restarted on the same port and data directory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SHORT_LIVED_JVM_ARGS, startNeo4j, type RunningNeo4j } from '../../scripts/neo4j/launcher.ts';
import { createYoga } from '../../server/api/yoga.ts';
import { createNeo4jStore } from '../../server/graph/neo4j/neo4j-store.ts';
import { StoreUnavailableError } from '../../server/graph/store.ts';
import { company, freshAccountId } from '../contract/graph-store.contract.ts';

const password = 'faults-password';
const dirs: string[] = [];
const running: RunningNeo4j[] = [];
afterAll(async () => {
  for (const n of running) await n.stop().catch(() => undefined);
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('Neo4j store when Neo4j goes away while serving', () => {
  it(
    'fails with StoreUnavailableError naming the cause, then answers again once Neo4j is back',
    { timeout: 600_000 },
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'accessgraph-neo4j-faults-'));
      dirs.push(dataDir);
      const start = (port?: number) =>
        startNeo4j({
          dataDir,
          password,
          log: () => {},
          jvmArgs: SHORT_LIVED_JVM_ARGS,
          ...(port ? { port } : {}),
        });
      const first = await start();
      running.push(first);
      const store = await createNeo4jStore({ uri: first.uri, user: 'neo4j', password });
      try {
        const account = freshAccountId();
        const loaded = await store.load(company(account));

        await first.stop();
        const startedAt = Date.now();
        const err = await store.listSnapshots().catch((e: unknown) => e);
        const seconds = (Date.now() - startedAt) / 1000;
        expect(err).toBeInstanceOf(StoreUnavailableError);
        expect((err as Error).message).toMatch(/^neo4j: listing snapshots failed: /);
        // The driver's own error (connection refused / service unavailable) is kept, not masked.
        expect((err as Error).cause).toBeDefined();
        console.info(`store error after ${seconds.toFixed(1)} s: ${(err as Error).message}`);

        // Through GraphQL: the cause is named, not masked as "Unexpected error.".
        const yoga = createYoga({ store, graphiql: false });
        const res = await yoga.fetch('http://yoga/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ snapshots { id } }' }),
        });
        const body = (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
        expect(body.errors?.[0]).toMatchObject({
          message: expect.stringMatching(/^neo4j: listing snapshots failed: /),
          extensions: { code: 'STORE_UNAVAILABLE' },
        });

        const port = Number(new URL(first.uri.replace(/^bolt:/, 'http:')).port);
        running.push(await start(port));
        const again = await store.listSnapshots();
        expect(again.map((i) => i.id)).toContain(loaded.id);
      } finally {
        await store.close();
      }
    },
  );
});
