/** `accessgraph import` as a child process: exit codes, human output, --json, diagnostics. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { bundleFromFixture, bundleWithText, runCli, tempDataDir } from './run-cli.ts';

// Every case starts Node + tsx: allow for a slow, busy machine.
const SLOW = 120_000;

describe('accessgraph import', () => {
  it('imports a good bundle into the embedded store in the data directory', { timeout: SLOW }, async () => {
    const bundle = bundleFromFixture('cloudsplaining-example-authz-details.json');
    const dataDir = tempDataDir();
    const r = await runCli(['import', bundle, '--data-dir', dataDir]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${bundle}: acme \\(012345678901\\) — 3 users, 2 groups, 3 roles, 32 managed policies, 0 resources, ` +
            '0 warnings; snapshot 012345678901-\\S+$',
        ),
      ),
      `imported into the embedded store ${join(dataDir, 'store.lmdb')}`,
      '',
    ]);
  });

  it('prints one JSON document with --json', { timeout: SLOW }, async () => {
    const bundle = bundleFromFixture('cloudsplaining-example-authz-details.json');
    const r = await runCli(['import', bundle, '--json', '--label', 'prod']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toEqual({
      ok: true,
      store: 'embedded',
      persisted: true,
      bundles: [
        {
          bundle,
          valid: true,
          snapshot: {
            id: expect.stringMatching(/^012345678901-/),
            accountId: '012345678901',
            label: 'prod',
            counts: { users: 3, groups: 2, roles: 3, policies: 32, resources: 0 },
          },
          diagnostics: [],
        },
      ],
    });
  });

  it(
    'exits 2 on truncated JSON and prints the diagnostic with file, line and hint',
    { timeout: SLOW },
    async () => {
      const bundle = bundleWithText('{"UserDetailList": [ {"UserName": 3');
      const r = await runCli(['import', bundle]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error gaad\.truncated-json: authorization-details\.json:\d+: .+ — .+$/m);
      expect(r.stdout).toContain(`${bundle}: not imported`);
    },
  );

  it('puts the diagnostics in the --json document on bad input', { timeout: SLOW }, async () => {
    const bundle = bundleWithText('{"UserDetailList": [ {"UserName": 3');
    const r = await runCli(['import', bundle, '--json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: false, store: 'embedded', bundles: [{ bundle, valid: false }] });
    expect(doc.bundles[0].snapshot).toBeUndefined();
    expect(doc.bundles[0].diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'gaad.truncated-json',
        file: 'authorization-details.json',
      }),
    ]);
    // Diagnostics go to the document only: stderr stays clean for machines.
    expect(r.stderr).toBe('');
  });

  it('loads nothing when any one of several bundles is bad', { timeout: SLOW }, async () => {
    const good = bundleFromFixture('cloudsplaining-example-authz-details.json');
    const bad = bundleWithText('{}');
    const r = await runCli(['import', good, bad, '--json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(
      doc.bundles.map((b: any) => ({ bundle: b.bundle, valid: b.valid, loaded: 'snapshot' in b })),
    ).toEqual([
      { bundle: good, valid: true, loaded: false },
      { bundle: bad, valid: false, loaded: false },
    ]);
  });

  it('exits 2 for a bundle path that does not exist', { timeout: SLOW }, async () => {
    const r = await runCli(['import', '/nonexistent/bundle']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error bundle.not-found:');
  });

  it('exits 2 for an unknown option and points at --help', { timeout: SLOW }, async () => {
    const r = await runCli(['import', 'x', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unknown option '--bogus'");
    expect(r.stderr).toContain('(add --help for usage)');
  });

  it('answers a usage mistake with a JSON document too under --json', { timeout: SLOW }, async () => {
    const r = await runCli(['import', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      error: {
        name: 'UsageError',
        code: 'commander.missingArgument',
        message: "error: missing required argument 'bundle'",
      },
    });
  });

  it('exits 1 with a hint when Neo4j cannot be reached', { timeout: SLOW }, async () => {
    const bundle = bundleFromFixture('cloudsplaining-example-authz-details.json');
    const r = await runCli(['import', bundle, '--neo4j-uri', 'bolt://127.0.0.1:1', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: false,
      error: { name: 'StoreUnavailableError', hint: expect.stringContaining('npm run neo4j') },
    });
  });

  it(
    'refuses a password in argv (visible to every user) and says what to use instead',
    { timeout: SLOW },
    async () => {
      const bundle = bundleFromFixture('cloudsplaining-example-authz-details.json');
      const r = await runCli([
        'import',
        bundle,
        '--neo4j-uri',
        'bolt://127.0.0.1:1',
        '--neo4j-password',
        'hunter22',
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('set NEO4J_PASSWORD or use --neo4j-password-file');
      const missing = await runCli(['import', bundle, '--neo4j-password-file', '/nonexistent/pw']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('cannot read `/nonexistent/pw`: ENOENT');
    },
  );

  it('documents itself with --help (exit 0)', { timeout: SLOW }, async () => {
    const r = await runCli(['import', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: accessgraph import [options] <bundle...>');
    expect(r.stdout).toContain('--neo4j-uri <uri>');
    expect(r.stdout).toContain('--neo4j-password-file <path>');
    expect(r.stdout).not.toContain('--neo4j-password <');
    expect(r.stdout).toContain('Exit codes: 0 imported, 2 bad input');
  });
});
