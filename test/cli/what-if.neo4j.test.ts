/**
 * `accessgraph what-if --neo4j-uri …` and `accessgraph diff <from> <to> --neo4j-uri …` against the real Neo4j of
 * the test run: the same answer as the embedded store on the demo, and the policy gate's exit codes.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createNeo4jStore } from '../../server/graph/neo4j/neo4j-store.ts';
import type { GraphStore } from '../../server/graph/store.ts';
import { ROOT, passwordFile, runCli } from './run-cli.ts';

const SLOW = 180_000;
const DEMO = join(ROOT, 'examples', 'demo');
const EXAMPLES = join(ROOT, 'examples', 'what-if');
const ATTACH = ['what-if', '--attach', 'AmazonS3FullAccess', '--to', 'group/QA'];

const flags = (): string[] => [
  '--neo4j-uri',
  inject('neo4jUri'),
  '--neo4j-user',
  inject('neo4jUser'),
  '--neo4j-password-file',
  passwordFile(inject('neo4jPassword')),
];

/** Next month's bundle: QA got AmazonS3FullAccess (a temporary copy; committed fixtures are never mutated). */
function laterBundle(): string {
  const later = join(mkdtempSync(join(tmpdir(), 'accessgraph-diff-neo4j-')), 'demo-later');
  cpSync(DEMO, later, { recursive: true });
  const file = join(later, 'authorization-details.json');
  const gaad = JSON.parse(readFileSync(file, 'utf8'));
  gaad.GroupDetailList.find((g: any) => g.GroupName === 'QA').AttachedManagedPolicies.push({
    PolicyName: 'AmazonS3FullAccess',
    PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess',
  });
  writeFileSync(file, JSON.stringify(gaad, null, 4));
  return later;
}

async function json(args: string[], code: number): Promise<any> {
  const r = await runCli([...args, '--json']);
  expect(r.code, r.stderr).toBe(code);
  return JSON.parse(r.stdout);
}

let store: GraphStore | undefined;
let later: string;
let demoId: string;
let laterId: string;

beforeAll(async () => {
  later = laterBundle();
  // Our own snapshots, by id (the demo's account may be in the database from other tests too).
  const imported = await json(['import', DEMO, later, ...flags()], 0);
  [demoId, laterId] = imported.bundles.map((b: any) => b.snapshot.id as string);
}, SLOW);

afterAll(async () => {
  store = await createNeo4jStore({
    uri: inject('neo4jUri'),
    user: inject('neo4jUser'),
    password: inject('neo4jPassword'),
  });
  for (const id of [demoId, laterId]) if (id) await store.deleteSnapshot(id);
  await store.close();
});

describe('accessgraph what-if against Neo4j', () => {
  it(
    'gives the embedded store’s answer; --fail-on new-access exits 1, new-admin 0',
    { timeout: SLOW },
    async () => {
      const [neo4j, embedded] = await Promise.all([
        json([...ATTACH, '--snapshot', demoId, '--fail-on', 'new-access', ...flags()], 1),
        json([...ATTACH, '--from', DEMO, '--fail-on', 'new-access'], 1),
      ]);
      expect(neo4j.snapshotId).toBe(demoId);
      expect(neo4j.diff.principals.map((p: any) => p.name)).toEqual(['dave']);
      expect({ ...neo4j, snapshotId: '' }).toEqual({ ...embedded, snapshotId: '' });
      const pass = await json([...ATTACH, '--snapshot', demoId, '--fail-on', 'new-admin', ...flags()], 0);
      expect(pass).toMatchObject({ ok: true, violations: [] });
    },
  );

  it(
    'a new path to admin: exit 1 with --fail-on new-path, the same edges and blast radius as embedded',
    { timeout: SLOW },
    async () => {
      const file = join(EXAMPLES, 'new-path-to-admin.json');
      const [neo4j, embedded] = await Promise.all([
        json(['what-if', '--changes', file, '--snapshot', demoId, '--fail-on', 'new-path', ...flags()], 1),
        json(['what-if', '--changes', file, '--from', DEMO, '--fail-on', 'new-path'], 1),
      ]);
      expect(neo4j.violations).toContain(
        'new-path: arn:aws:iam::111122223333:user/carol can now reach admin',
      );
      expect(neo4j.diff.blastRadius.principals).toContainEqual(
        expect.objectContaining({
          arn: 'arn:aws:iam::111122223333:user/carol',
          before: expect.objectContaining({ admin: 'NONE' }),
          after: expect.objectContaining({ admin: 'ALLOWED' }),
        }),
      );
      expect(neo4j.diff).toEqual(embedded.diff);
      expect(neo4j.violations).toEqual(embedded.violations);
    },
  );
});

describe('accessgraph diff against Neo4j', () => {
  it(
    'two snapshot ids: the embedded answer for the two bundles; --fail-on new-access exits 1, the reverse 0',
    { timeout: SLOW },
    async () => {
      const [neo4j, embedded] = await Promise.all([
        json(['diff', demoId, laterId, '--fail-on', 'new-access', ...flags()], 1),
        json(['diff', DEMO, later, '--fail-on', 'new-access'], 1),
      ]);
      expect(neo4j).toMatchObject({ ok: false, from: demoId, to: laterId });
      expect(neo4j.diff.principals.map((p: any) => p.name)).toEqual(['dave']);
      expect(neo4j.diff).toEqual(embedded.diff);
      expect(neo4j.violations).toEqual(embedded.violations);
      const reverse = await json(['diff', laterId, demoId, '--fail-on', 'new-access', ...flags()], 0);
      expect(reverse).toMatchObject({ ok: true, violations: [] });
      expect(reverse.diff.summary).toMatchObject({ principalsChanged: 1, granted: 0 });
    },
  );
});
