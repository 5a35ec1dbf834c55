/** `accessgraph who-can` as a child process on the demo bundle (examples/demo/README.md). */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT, runCli } from './run-cli.ts';

const DEMO = join(ROOT, 'examples', 'demo');
const OBJECT = 'arn:aws:s3:::example-corp-engineering/x';

describe('accessgraph who-can', () => {
  it('--json prints an array of entries with principal.arn, decision and conditions', async () => {
    // Over TLS: the bucket policy denies plain HTTP, so without the key every answer is CONDITIONAL.
    const r = await runCli([
      'who-can',
      's3:GetObject',
      OBJECT,
      '--from',
      DEMO,
      '--context',
      'aws:SecureTransport=true',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.stdout) as {
      principal: { arn: string };
      decision: string;
      conditions?: string;
    }[];
    expect(Array.isArray(entries)).toBe(true);
    expect(entries.map((e) => e.principal.arn.split('/').pop()).sort()).toEqual([
      'alice',
      'bob',
      'dave',
      'ec2-build-agent',
      'elena',
      'grace',
      'platform-admin',
    ]);
    expect(entries.every((e) => e.decision === 'ALLOWED' && e.conditions === undefined)).toBe(true);
  });

  it('prints a table with principal, decision, via and conditions by default', async () => {
    const r = await runCli(['who-can', 's3:GetObject', OBJECT, '--from', DEMO]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^PRINCIPAL\s+DECISION\s+VIA\s+CONDITIONS$/);
    // Transport unknown: CONDITIONAL on the bucket policy's TLS Deny.
    expect(lines.find((l) => l.startsWith('user alice '))).toMatch(
      /CONDITIONAL\s+user alice → group Engineering → AmazonS3FullAccess → Statement\[0\].*aws:SecureTransport/,
    );
    expect(r.stdout).not.toMatch(/svc-notifier/);
    expect(r.stdout).toMatch(/7 principal\(s\) allowed or conditional; \d+ of 13 evaluated/);
  });

  it('--include-denied and --context: svc-notifier appears denied, with why', async () => {
    const r = await runCli([
      'who-can',
      's3:GetObject',
      OBJECT,
      '--from',
      DEMO,
      '--include-denied',
      '--context',
      'aws:SecureTransport=true',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const svc = (JSON.parse(r.stdout) as any[]).find((e) => e.principal.name === 'svc-notifier');
    expect(svc).toMatchObject({ decision: 'DENIED', deniedBy: { kind: 'implicit', layer: 'identity' } });
  });

  it('exits 2 on a malformed action, a malformed --context, and without a data source', async () => {
    expect((await runCli(['who-can', 'GetObject', OBJECT, '--from', DEMO])).code).toBe(2);
    expect(
      (await runCli(['who-can', 's3:GetObject', OBJECT, '--from', DEMO, '--context', 'novalue'])).code,
    ).toBe(2);
    const none = await runCli(['who-can', 's3:GetObject', OBJECT, '--json']);
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stdout)).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/--from/) },
    });
  });
});
