/** `accessgraph paths` and `accessgraph blast-radius` as child processes on the demo bundle (examples/demo). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.ts';

const DEMO = join(ROOT, 'examples', 'demo');

describe('accessgraph paths / blast-radius: input', () => {
  it('--help explains the arguments', async () => {
    const r = await runCli(['paths', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--admin/);
    expect(r.stdout).toMatch(/-k, --k <n>/);
    const b = await runCli(['blast-radius', '--help']);
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/access key id/);
  }, 60_000);

  it('paths needs exactly one of --to and --admin (exit 2, before loading anything)', async () => {
    const r = await runCli(['paths', 'bob', '--from', DEMO]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exactly one of --to <principal> and --admin/);
    const k = await runCli(['paths', 'bob', '--admin', '-k', '0', '--from', DEMO]);
    expect(k.code).toBe(2);
  }, 60_000);

  it('an unknown principal or access key is bad input, said in one line (human and --json)', async () => {
    const r = await runCli(['blast-radius', 'nobody', '--from', DEMO]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no user or role named `nobody` in snapshot/);
    const j = await runCli(['blast-radius', 'AKIAIOSFODNN7NOBODY1', '--from', DEMO, '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout).error.message).toMatch(/no user owns access key `AKIAIOSFODNN7NOBODY1`/);
  }, 60_000);
});
