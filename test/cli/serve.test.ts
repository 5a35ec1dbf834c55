/** `accessgraph serve` as a child process on a free port, queried over HTTP. */
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleFromFixture, bundleWithText, runCli, startCli } from './run-cli.ts';

const SLOW = 60_000;
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
        store: 'memory',
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
});
