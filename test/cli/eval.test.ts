/** `accessgraph eval <request.json>` as a child process, on the documented examples (docs/eval-input.md). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.ts';

const example = (name: string) => join(ROOT, 'examples', 'eval', name);

function requestFile(body: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'accessgraph-eval-')), 'request.json');
  writeFileSync(file, body);
  return file;
}

describe('accessgraph eval', () => {
  it('an explicit SCP Deny: exit 0, the decision and the statement that decided it', async () => {
    const r = await runCli(['eval', example('scp-deny.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      'DENIED: explicit Deny in the SCPs at org level 1 (serviceControlPolicies[1][0], Statement[0] "NoPayroll")',
    );
    expect(r.stdout).toMatch(/scp\[level 1\]\s+allow: no\s+deny: yes/);
  });

  it('--json: CONDITIONAL with the residual on the key the context did not pin', async () => {
    const r = await runCli(['eval', example('mfa-conditional.json'), '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: true, decision: 'CONDITIONAL' });
    // aws:SourceIp was given (10.1.2.3 is in 10.0.0.0/8), so only MFA is left to decide.
    expect(doc.conditionsText).toBe('aws:MultiFactorAuthPresent = true');
    expect(doc.explanation.layers.map((l: { layer: string }) => l.layer)).toEqual(['identity', 'boundary']);
  });

  it('exit 2 with file and JSON path: an invalid policy inside, an unknown field, broken JSON', async () => {
    const badPolicy = requestFile(
      JSON.stringify({
        principal: 'arn:aws:iam::111122223333:user/alice',
        action: 's3:GetObject',
        resource: '*',
        identityPolicies: [
          { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
          { Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] },
        ],
      }),
    );
    const r1 = await runCli(['eval', badPolicy, '--json']);
    expect(r1.code).toBe(2);
    expect(JSON.parse(r1.stdout).diagnostics[0]).toMatchObject({
      code: 'policy.invalid-effect',
      file: badPolicy,
      jsonPath: 'identityPolicies[1].Statement[0].Effect',
    });

    const r2 = await runCli([
      'eval',
      requestFile(
        '{"principal":"p","action":"s3:GetObject","resource":"*","identityPolicies":[],"polices":[]}',
      ),
    ]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('eval.invalid-input');
    expect(r2.stderr).toContain('"polices"');

    const r3 = await runCli(['eval', requestFile('{\n  "principal": "p",\n  "action": \n}')]);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/eval\.invalid-json: .*request\.json:4/);
  });

  it("`at` bounds a role session's aws:TokenIssueTime (reference_policies_condition-keys); a bad one is exit 2", async () => {
    const body = (at: string) =>
      JSON.stringify({
        principal: 'arn:aws:sts::111122223333:assumed-role/app/s1',
        action: 's3:GetObject',
        resource: '*',
        at,
        identityPolicies: [
          {
            Statement: [
              {
                Effect: 'Allow',
                Action: 's3:GetObject',
                Resource: '*',
                Condition: { DateLessThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:00Z' } },
              },
            ],
          },
        ],
      });
    const r = await runCli(['eval', requestFile(body('2026-12-07T12:00:00Z')), '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: true, decision: 'DENIED' });
    expect(out.explanation.notes.join(' ')).toContain('aws:TokenIssueTime decided a condition');
    const bad = await runCli(['eval', requestFile(body('last tuesday'))]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('(at): `last tuesday` is not an ISO 8601 date-time');
  });
});
