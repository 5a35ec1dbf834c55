// Neo4j killed (SIGKILL, no shutdown) in the middle of importing a generated account, then restarted on
// the same data directory, as after a crash: the account's previous snapshot is whole and still current, the
// half import is invisible to readers, a new import of the same account works, and a store opened later with a
// zero abandon delay removes the half import's leftovers. Uses a Neo4j of its own.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { afterAll, describe, expect, it } from 'vitest';
import { PRESETS, generateAccount, writeAccount } from '../../bench/generate/generate-account.ts';
import { importBundle } from '../../importers/index.ts';
import { SHORT_LIVED_JVM_ARGS, startNeo4j, type RunningNeo4j } from '../../scripts/neo4j/launcher.ts';
import { ENTITY_LABEL, SNAPSHOT_LABEL } from '../../server/graph/model.ts';
import { createNeo4jStore } from '../../server/graph/neo4j/neo4j-store.ts';
import type { GraphStore, SnapshotInfo } from '../../server/graph/store.ts';
import { company } from '../contract/graph-store.contract.ts';

const password = 'kill-import-password';
const dirs: string[] = [];
const running: RunningNeo4j[] = [];
const stores: GraphStore[] = [];
afterAll(async () => {
  for (const s of stores) await s.close().catch(() => undefined);
  for (const n of running) await n.stop().catch(() => undefined);
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** What a reader sees of one snapshot: its info, every entity as loaded, the principals page count. */
async function readWhole(store: GraphStore, info: SnapshotInfo) {
  return {
    info: await store.getSnapshot(info.id),
    snapshot: await store.readSnapshot(info.id),
    principals: (await store.listPrincipals(info.id, {}, 500)).totalCount,
  };
}

describe('Neo4j killed during an import', () => {
  it(
    'keeps the previous snapshot whole and current, hides the half import, and imports again',
    { timeout: 900_000 },
    async () => {
      const bundle = await mkdtemp(join(tmpdir(), 'accessgraph-kill-bundle-'));
      const dataDir = await mkdtemp(join(tmpdir(), 'accessgraph-kill-neo4j-'));
      dirs.push(bundle, dataDir);
      await writeAccount(await generateAccount({ ...PRESETS.tiny, seed: 'kill-during-import' }), bundle);
      const { snapshot: generated } = await importBundle([bundle]);
      if (!generated) throw new Error('the generated bundle did not import');
      const account = generated.accountId;

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
      const port = Number(new URL(first.uri.replace(/^bolt:/, 'http:')).port);
      const before = await createNeo4jStore({ uri: first.uri, user: 'neo4j', password });
      stores.push(before);
      const previous = await before.load(company(account, 'previous'));
      const whole = await readWhole(before, previous);
      const listed = await before.listSnapshots();
      expect(whole.principals).toBeGreaterThan(0);

      // SIGKILL once the first batch is written: the JVM gets no chance to finish or roll back anything.
      let progress: [number, number] | undefined;
      const failed = await before
        .load(generated, {
          onProgress: (done, total) => {
            if (progress) return;
            progress = [done, total];
            process.kill(first.pid, 'SIGKILL');
          },
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(failed).toBeInstanceOf(Error);
      expect(progress![0]).toBeLessThan(progress![1]);
      await before.close();

      const second = await start(port);
      running.push(second);
      const after = await createNeo4jStore({ uri: second.uri, user: 'neo4j', password });
      stores.push(after);
      expect(await after.listSnapshots()).toEqual(listed);
      expect((await after.currentSnapshot(account))?.id).toBe(previous.id);
      expect(await readWhole(after, previous)).toEqual(whole);

      // The half import is on disk (state `loading`, some entities) but no reader sees it.
      const driver = neo4j.driver(second.uri, neo4j.auth.basic('neo4j', password));
      const entitiesOf = async (snapshotId: string) => {
        const r = await driver.executeQuery(
          `MATCH (n:${ENTITY_LABEL} {snapshotId: $snapshotId}) RETURN count(n) AS n`,
          { snapshotId },
        );
        return (r.records[0]!.get('n') as { toNumber(): number }).toNumber();
      };
      try {
        const { records } = await driver.executeQuery(
          `MATCH (s:${SNAPSHOT_LABEL}) WHERE s.id <> $previous RETURN s.id AS id, s.state AS state`,
          { previous: previous.id },
        );
        expect(records.map((r) => r.get('state'))).toEqual(['loading']);
        const half = records[0]!.get('id') as string;
        expect(await entitiesOf(half)).toBeGreaterThan(0);
        expect(await after.getSnapshot(half)).toBeUndefined();
        await expect(after.listPrincipals(half, {}, 10)).rejects.toThrow(/not found/);

        // A new import of the same account: complete, current, and the previous one still listed.
        const again = await after.load(generated);
        expect(again.counts).toEqual(
          expect.objectContaining({ users: generated.users.length, roles: generated.roles.length }),
        );
        expect((await after.currentSnapshot(account))?.id).toBe(again.id);
        expect((await after.listSnapshots()).map((s) => s.id)).toEqual([again.id, previous.id]);
        expect(await readWhole(after, previous)).toEqual({
          ...whole,
          info: { ...whole.info, current: false },
        });

        // A store opened later treats the half import as abandoned and removes it.
        const cleaner = await createNeo4jStore({
          uri: second.uri,
          user: 'neo4j',
          password,
          abandonedLoadAfterMs: 0,
        });
        stores.push(cleaner);
        expect(await entitiesOf(half)).toBe(0);
        expect((await cleaner.listSnapshots()).map((s) => s.id)).toEqual([again.id, previous.id]);
      } finally {
        await driver.close();
      }
    },
  );
});
