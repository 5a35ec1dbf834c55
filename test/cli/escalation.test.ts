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
  });

  it('paths needs exactly one of --to and --admin (exit 2, before loading anything)', async () => {
    const r = await runCli(['paths', 'bob', '--from', DEMO]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exactly one of --to <principal> and --admin/);
    const k = await runCli(['paths', 'bob', '--admin', '-k', '0', '--from', DEMO]);
    expect(k.code).toBe(2);
  });

  it('an unknown principal or access key is bad input, said in one line (human and --json)', async () => {
    const r = await runCli(['blast-radius', 'nobody', '--from', DEMO]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no user or role named `nobody` in snapshot/);
    const j = await runCli(['blast-radius', 'AKIAIOSFODNN7NOBODY1', '--from', DEMO, '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout).error.message).toMatch(/no user owns access key `AKIAIOSFODNN7NOBODY1`/);
  });
});

describe('accessgraph paths / blast-radius on the demo (edges built at import)', () => {
  it('paths dave --admin: dave rotates svc-deploy keys, which passes cfn-deployer to CloudFormation → admin', async () => {
    const r = await runCli(['paths', 'dave', '--admin', '-k', '2', '--from', DEMO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 path(s) from user dave to ADMIN');
    expect(r.stdout).toContain(
      '1. user dave -[iam-003]-> user svc-deploy -[cloudformation-001]-> role cfn-deployer -[iam-005]-> ADMIN',
    );
    expect(r.stdout).toContain('iam-003: user dave → group QA → QAServiceAccountKeys → Statement[0]');
  });

  it('paths bob: no way to admin, three techniques to the Lambda role (--json)', async () => {
    const none = await runCli(['paths', 'bob', '--admin', '--from', DEMO]);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/no path from user bob to ADMIN within 6 steps/);
    const r = await runCli(['paths', 'bob', '--to', 'lambda-order-processor', '--from', DEMO, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { paths: { steps: { technique: string }[]; conditional: boolean }[] };
    expect(doc.paths.map((p) => [p.steps.map((s) => s.technique).join(' '), p.conditional])).toEqual([
      ['lambda-001', false],
      ['lambda-003', true],
      ['lambda-004', true],
    ]);
  });

  it('blast-radius bob: the Lambda role it becomes, and services via bob and the role', async () => {
    const r = await runCli(['blast-radius', 'bob', '--from', DEMO, '--json']);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.admin.reachable).toBe(false);
    expect(a.principals.map((p: { name: string }) => p.name)).toEqual(['lambda-order-processor']);
    const dynamo = a.services.find((s: { service: string }) => s.service === 'dynamodb');
    expect(dynamo.levels[0].via).toEqual(['arn:aws:iam::111122223333:role/lambda-order-processor']);
    const human = await runCli(['blast-radius', 'dave', '--from', DEMO]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/ADMIN reachable:\n1\. user dave -\[iam-003\]-> user svc-deploy/);
  });
});
