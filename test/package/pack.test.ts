/**
 * The package as a user gets it: `npm pack` on a copy of the checkout (its `prepare` builds dist/ and the web
 * UI there, so the checkout's own builds are never touched), then `npm install --omit=dev <tarball>` in an empty
 * directory, and the installed `accessgraph` run with no TypeScript toolchain: `--version`, `who-can` on the demo
 * bundle, and `serve` answering both `/` (the UI) and `/graphql` (the API, analyses in a worker thread).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run-cli.ts';

const run = promisify(execFile);
// Building, packing and installing take minutes on a busy two-core machine.
const SLOW = 900_000;
const DEMO = join(ROOT, 'examples', 'demo');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let work: string;
let app: string;
let files: string[];
const children: ChildProcess[] = [];

/** The checkout's files as git sees them (tracked, and new files not ignored), copied to `to`. */
async function copyCheckout(to: string): Promise<void> {
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const rel of stdout.split('\0').filter(Boolean)) {
    // A file deleted in the working tree but still tracked is not part of the checkout being packed.
    if (!existsSync(join(ROOT, rel))) continue;
    mkdirSync(dirname(join(to, rel)), { recursive: true });
    cpSync(join(ROOT, rel), join(to, rel));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(to, 'node_modules'), 'dir');
}

/** Runs the installed CLI the way a user does, through npx, without ever fetching a package. */
function accessgraph(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run('npx', ['--no', '--', 'accessgraph', ...args], {
    cwd: app,
    env: { ...process.env, NO_COLOR: '1', NEO4J_URI: '' },
    maxBuffer: 64 * 1024 * 1024,
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'accessgraph-pack-'));
  const checkout = join(work, 'checkout');
  await copyCheckout(checkout);
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: checkout,
    maxBuffer: 64 * 1024 * 1024,
  });
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as {
    filename: string;
    files: { path: string }[];
  }[];
  files = info!.files.map((f) => f.path);
  app = join(work, 'app');
  mkdirSync(app);
  await run(
    'npm',
    ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', join(work, info!.filename)],
    { cwd: app, maxBuffer: 64 * 1024 * 1024 },
  );
}, SLOW);

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  if (work) rmSync(work, { recursive: true, force: true });
}, SLOW);

describe('the npm package', () => {
  it('holds the built CLI, the built UI and the runtime data, and no sources, tests or benchmarks', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        'bin/accessgraph.js',
        'dist/server/cli/main.js',
        'dist/server/api/execution-worker.js',
        'web/dist/index.html',
        'schema/neo4j/constraints.cypher',
        'server/analysis/escalation/techniques/pathfinding-cloud/LICENSE',
      ]),
    );
    expect(files.some((f) => /^web\/dist\/assets\/.+\.js$/.test(f))).toBe(true);
    expect(files.some((f) => f.endsWith('.yaml'))).toBe(true);
    expect(files.filter((f) => /^(test|bench|scripts|examples)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
  });

  it(
    'installed with --omit=dev, answers --version and who-can on the demo bundle',
    { timeout: 120_000 },
    async () => {
      expect((await accessgraph(['--version'])).stdout.trim()).toBe(VERSION);
      const r = await accessgraph([
        'who-can',
        's3:GetObject',
        'arn:aws:s3:::example-corp-engineering/x',
        '--from',
        DEMO,
        '--context',
        'aws:SecureTransport=true',
        '--json',
      ]);
      const entries = JSON.parse(r.stdout) as { principal: { arn: string }; decision: string }[];
      expect(entries.map((e) => e.principal.arn.split('/').pop()).sort()).toEqual([
        'alice',
        'bob',
        'dave',
        'ec2-build-agent',
        'elena',
        'grace',
        'platform-admin',
      ]);
      // tsx is a development tool: the installed package runs without it.
      expect(() => readFileSync(join(app, 'node_modules', 'tsx', 'package.json'))).toThrow();
    },
  );

  it(
    'installed with --omit=dev, serves the web UI at / and the API at /graphql',
    { timeout: 120_000 },
    async () => {
      // The installed bin itself (what npx runs), so that stopping it stops the server.
      const bin = join(app, 'node_modules', '.bin', 'accessgraph');
      const child = spawn(bin, ['serve', DEMO, '--port', '0', '--json'], {
        cwd: app,
        env: { ...process.env, NO_COLOR: '1', NEO4J_URI: '' },
      });
      children.push(child);
      const doc = await new Promise<{ url: string }>((resolve, reject) => {
        let out = '';
        let err = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const line = out.split('\n').find((l) => l.startsWith('{'));
          if (line) resolve(JSON.parse(line) as { url: string });
        });
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        child.on('close', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
      });
      const root = doc.url.replace(/graphql$/, '');
      const page = await fetch(root);
      expect(page.status).toBe(200);
      const html = await page.text();
      // The built UI's shell loads its bundle; the fallback page (UI not built) has no script.
      const script = html.match(/<script type="module"[^>]*src="([^"]*assets\/[^"]+\.js)"/)?.[1];
      expect(script).toBeDefined();
      expect((await fetch(new URL(script!, root))).status).toBe(200);
      const api = await fetch(doc.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ snapshots { accountId label } }' }),
      });
      expect(await api.json()).toEqual({
        data: { snapshots: [{ accountId: '111122223333', label: 'demo' }] },
      });
      // An analysis runs in a worker thread, whose file the built package must hold.
      const whoCan = await fetch(doc.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `{ whoCan(action: "s3:GetObject", resource: "arn:aws:s3:::example-corp-engineering/x") {
            ... on WhoCanResult { entries { principal { name } } } } }`,
        }),
      });
      const names = (
        (await whoCan.json()) as { data: { whoCan: { entries: { principal: { name: string } }[] } } }
      ).data.whoCan.entries.map((e) => e.principal.name);
      expect(names).toContain('alice');
    },
  );
});
