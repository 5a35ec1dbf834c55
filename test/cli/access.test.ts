/** `accessgraph access` as a child process on the demo bundle (examples/demo/README.md). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.ts';

const DEMO = join(ROOT, 'examples', 'demo');

describe('accessgraph access', () => {
  it('prints a table per service and level with actions, conditional count and scopes; a name is enough', async () => {
    const r = await runCli(['access', 'carol', '--from', DEMO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('user carol (arn:aws:iam::111122223333:user/carol)');
    expect(r.stdout).toMatch(/SERVICE\s+│ LEVEL\s+│ ACTIONS\s+│ CONDITIONAL\s+│ SCOPES/);
    expect(r.stdout).toMatch(/│ s3\s+│ Read\s+│ 1\s+│ 0\s+│ arn:aws:s3:::example-corp-reports\/\*\s+│/);
    expect(r.stdout).toMatch(/│ billing\s+│ Read\s+│ \d+\s+│ 0\s+│ \*\s+│/);
    // ReportsReadOnly v1 (s3:*) is not the default version: no s3 writes.
    expect(r.stdout).not.toMatch(/│ s3\s+│ Write/);
  });

  it('--service s3 --json: the whole answer, with the partial object grant of the lambda role', async () => {
    const r = await runCli(['access', 'lambda-order-processor', '--service', 's3', '--from', DEMO, '--json']);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout) as {
      principal: { arn: string; kind: string };
      services: {
        service: string;
        levels: { level: string; actions: { action: string; scopes: { pattern: string }[] }[] }[];
      }[];
    };
    expect(a.principal).toMatchObject({
      arn: 'arn:aws:iam::111122223333:role/lambda-order-processor',
      kind: 'role',
    });
    expect(a.services.map((s) => s.service)).toEqual(['s3']);
    const put = a.services[0]!.levels.find((l) => l.level === 'Write')!.actions[0]!;
    expect(put.action).toBe('s3:PutObject');
    expect(put.scopes.map((s) => s.pattern)).toEqual(['arn:aws:s3:::example-corp-engineering/reports/*']);
  });

  it('an unknown name exits 2 with a hint; a bad --service exits 2; --help documents the command', async () => {
    const unknown = await runCli(['access', 'alic', '--from', DEMO]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no user or role named `alic`');
    expect(unknown.stderr).toContain('did you mean alice?');
    const bad = await runCli(['access', 'alice', '--service', 's3:Get', '--from', DEMO]);
    expect(bad.code).toBe(2);
    const help = await runCli(['access', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--service <prefix>');
  });
});
