/**
 * `accessgraph import --neo4j-uri …` against the real Neo4j of the test run: a good bundle persists as a new
 * snapshot; bad input exits 2 and leaves the database as it was.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createNeo4jStore } from '../../server/graph/neo4j/neo4j-store.ts';
import type { GraphStore } from '../../server/graph/store.ts';
import { ROOT, bundleWithText, passwordFile, runCli } from './run-cli.ts';

const SLOW = 120_000;
// A fresh account id per run, so this test's snapshots are told apart from everything else in the database.
const ACCOUNT = String(100_000_000_000 + Math.floor(Math.random() * 800_000_000_000));
const fixture = readFileSync(
  join(ROOT, 'test/fixtures/gaad/cloudsplaining-example-authz-details.json'),
  'utf8',
);
const goodBundle = (): string => bundleWithText(fixture.split('012345678901').join(ACCOUNT), 'neo4j-good');

const flags = (): string[] => [
  '--neo4j-uri',
  inject('neo4jUri'),
  '--neo4j-user',
  inject('neo4jUser'),
  '--neo4j-password-file',
  passwordFile(inject('neo4jPassword')),
];

let store: GraphStore | undefined;
const openStore = async (): Promise<GraphStore> =>
  (store ??= await createNeo4jStore({
    uri: inject('neo4jUri'),
    user: inject('neo4jUser'),
    password: inject('neo4jPassword'),
  }));
const ours = async (): Promise<string[]> =>
  (await (await openStore()).listSnapshots()).filter((s) => s.accountId === ACCOUNT).map((s) => s.id);

afterAll(async () => {
  if (store) for (const id of await ours()) await store.deleteSnapshot(id);
  await store?.close();
});

describe('accessgraph import into Neo4j', () => {
  it('persists a good bundle as a new current snapshot', { timeout: SLOW }, async () => {
    const r = await runCli(['import', goodBundle(), '--json', ...flags()]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: true, store: 'neo4j', persisted: true });
    const id = doc.bundles[0].snapshot.id as string;
    expect(await ours()).toEqual([id]);
    const s = await openStore();
    expect(await s.getSnapshot(id)).toMatchObject({
      accountId: ACCOUNT,
      current: true,
      counts: { users: 3, groups: 2, roles: 3 },
    });
  });

  it('leaves Neo4j unchanged when one of the bundles is bad (exit 2)', { timeout: SLOW }, async () => {
    const before = await ours();
    const r = await runCli(['import', goodBundle(), bundleWithText('{"UserDetailList": ['), ...flags()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error gaad\./m);
    expect(await ours()).toEqual(before);
  });

  it('takes the connection from NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD', { timeout: SLOW }, async () => {
    const before = await ours();
    const r = await runCli(['import', goodBundle(), '--json'], {
      NEO4J_URI: inject('neo4jUri'),
      NEO4J_USER: inject('neo4jUser'),
      NEO4J_PASSWORD: inject('neo4jPassword'),
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ store: 'neo4j', persisted: true });
    expect((await ours()).length).toBe(before.length + 1);
  });
});
