/** `accessgraph serve` as a child process on a free port, queried over HTTP. */
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleFromFixture, bundleWithText, runCli, startCli } from './run-cli.ts';

const SLOW = 120_000;
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGTERM');
});

/** Resolves with the first stdout line matching `pattern` (the server announces itself once listening). */
function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => pattern.test(l));
      if (line) resolve(line);
    });
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

describe('accessgraph serve', () => {
  it(
    'imports the bundle, binds 127.0.0.1, prints the URL and answers GraphQL',
    { timeout: SLOW },
    async () => {
      const bundle = bundleFromFixture('cloudsplaining-example-authz-details.json');
      const child = startCli(['serve', bundle, '--port', '0']);
      children.push(child);
      const line = await waitForLine(child, /^accessgraph serving /);
      expect(line).toMatch(
        /^accessgraph serving acme \(012345678901\) at http:\/\/127\.0\.0\.1:\d+\/graphql$/,
      );
      const url = line.split(' at ')[1] as string;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: '{ principals(first: 100, filter: { kind: USER }) { ... on PrincipalPage { totalCount } } }',
        }),
      });
      expect(await res.json()).toEqual({ data: { principals: { totalCount: 3 } } });
      const stopped = new Promise<number | null>((r) => child.on('close', r));
      child.kill('SIGTERM');
      // SIGTERM is a clean shutdown: exit code 0.
      expect(await stopped).toBe(0);
    },
  );

  it(
    'with --json prints one JSON line with the URL and the loaded snapshots',
    { timeout: SLOW },
    async () => {
      const bundle = bundleFromFixture('cloudsplaining-example-authz-details.json');
      const child = startCli(['serve', bundle, '--port', '0', '--json']);
      children.push(child);
      const doc = JSON.parse(await waitForLine(child, /^\{/));
      expect(doc).toEqual({
        ok: true,
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/),
        store: 'embedded',
        snapshots: [
          {
            id: expect.any(String),
            accountId: '012345678901',
            label: 'acme',
            counts: { users: 3, groups: 2, roles: 3, policies: 32, resources: 0 },
          },
        ],
      });
    },
  );

  it(
    'refuses to start on a bad bundle: exit 2, diagnostics, nothing listening',
    { timeout: SLOW },
    async () => {
      const bundle = bundleWithText('[]');
      const r = await runCli(['serve', bundle, '--port', '0']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error gaad\.[a-z-]+: authorization-details\.json/m);
      expect(r.stdout).not.toContain('accessgraph serving');
    },
  );

  it('rejects a port out of range as bad input', { timeout: SLOW }, async () => {
    const r = await runCli(['serve', '--port', '70000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('must be an integer from 0 to 65535');
  });

  it(
    'refuses to bind off loopback without a token, before importing anything',
    { timeout: SLOW },
    async () => {
      const bundle = bundleFromFixture('cloudsplaining-example-authz-details.json');
      const r = await runCli(['serve', bundle, '--host', '0.0.0.0', '--port', '0']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('without authentication');
      expect(r.stderr).toContain('--generate-token');
      expect(r.stdout).not.toContain('accessgraph serving');
    },
  );

  it('refuses a short token, and two sources of one', { timeout: SLOW }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accessgraph-token-'));
    const file = join(dir, 'token');
    writeFileSync(file, 'short\n');
    const short = await runCli(['serve', '--port', '0', '--token-file', file]);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain(`the token file ${file} must hold one token of at least 16 characters`);
    const both = await runCli(['serve', '--port', '0', '--generate-token'], {
      ACCESSGRAPH_TOKEN: 'x'.repeat(32),
    });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--generate-token and ACCESSGRAPH_TOKEN both configure the token');
  });

  it(
    'with --generate-token prints the token once, in the UI link, and requires it on every query',
    { timeout: SLOW },
    async () => {
      const bundle = bundleFromFixture('cloudsplaining-example-authz-details.json');
      const child = startCli(['serve', bundle, '--port', '0', '--generate-token', '--json']);
      children.push(child);
      const doc = JSON.parse(await waitForLine(child, /^\{/));
      expect(doc).toMatchObject({ ok: true, tokenRequired: true });
      const token = /#token=([A-Za-z0-9_-]{43})$/.exec(doc.ui)?.[1];
      expect(token).toBeDefined();
      const query = (authorization?: string) =>
        fetch(doc.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: JSON.stringify({ query: '{ snapshots { label } }' }),
        });
      expect((await query()).status).toBe(401);
      expect((await query(`Bearer ${token}`)).status).toBe(200);
    },
  );

  it('takes the token from a file, warning when others can read it', { timeout: SLOW }, async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'accessgraph-token-')), 'token');
    writeFileSync(file, 'a-token-from-a-file-0123456789\n');
    chmodSync(file, 0o644);
    const child = startCli(['serve', '--port', '0', '--token-file', file]);
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const line = await waitForLine(child, /^accessgraph serving /);
    const url = line.split(' at ')[1] as string;
    expect(stderr).toContain(`chmod 600 ${file}`);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer a-token-from-a-file-0123456789' },
      body: JSON.stringify({ query: '{ snapshots { label } }' }),
    });
    expect(res.status).toBe(200);
  });

  it(
    'stops on SIGTERM at once while a request is in flight (no handler waits on it)',
    { timeout: SLOW },
    async () => {
      const child = startCli(['serve', '--port', '0']);
      children.push(child);
      const line = await waitForLine(child, /^accessgraph serving /);
      const url = new URL(line.split(' at ')[1] as string);
      // A request whose body never finishes stays in flight, as one whose analysis holds the event loop would.
      const pending = request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': '1000' },
      });
      pending.on('error', () => undefined);
      pending.write('{"query":');
      await new Promise((r) => setTimeout(r, 500));
      const stopped = new Promise<[number | null, string | null]>((r) =>
        child.on('close', (code, signal) => r([code, signal])),
      );
      child.kill('SIGTERM');
      // The signal's default action: no JavaScript handler is installed while a request is in flight (a
      // handler would run only once the event loop is free). Idle, the first test shows a clean exit 0.
      expect(await stopped).toEqual([null, 'SIGTERM']);
      pending.destroy();
    },
  );
});
