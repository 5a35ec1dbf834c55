/** `accessgraph findings` as a child process on the demo bundle (examples/demo/README.md, "Findings"). */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT, runCli } from './run-cli.ts';

const DEMO = join(ROOT, 'examples', 'demo');

describe('accessgraph findings', () => {
  it('prints a table, most severe first, and a summary with the date ages are measured from', async () => {
    const r = await runCli(['findings', '--from', DEMO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/SEVERITY\s+│\s+KIND\s+│\s+FINDING → FIX/);
    const kinds = [...r.stdout.matchAll(/│ (CRITICAL|HIGH|MEDIUM|LOW|WARNING)\s+│ (\S+)/g)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    expect(kinds[0]).toBe('CRITICAL root-access-key');
    expect(kinds).toContain('LOW group-without-policies');
    expect(r.stdout).toMatch(
      /18 finding\(s\): 1 critical, 3 high, 6 medium, 8 low — ages as of 2026-11-28T07:55:00Z/,
    );
    // Import warnings go to stderr, not into the table.
    expect(r.stderr).toMatch(/credential-report\.no-generated-time/);
  });

  it('--json with --severity and --kind', async () => {
    const r = await runCli([
      'findings',
      '--from',
      DEMO,
      '--kind',
      'console-without-mfa',
      '--severity',
      'high',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const answer = JSON.parse(r.stdout);
    expect(answer.collectedAt).toBe('2026-11-28T07:55:00Z');
    expect(answer.findings).toEqual([
      {
        kind: 'console-without-mfa',
        severity: 'high',
        entities: ['arn:aws:iam::111122223333:user/carol'],
        message: '`carol` can sign in to the console with a password alone (no MFA device)',
        fix: 'assign an MFA device to `carol` (aws iam enable-mfa-device), or remove the login profile if unused',
      },
    ]);
  });

  it('a GAAD alone: the checks that need the credential report and password policy say they did not run', async () => {
    const r = await runCli([
      'findings',
      '--from',
      join(DEMO, 'authorization-details.json'),
      '--severity',
      'warning',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const kinds = JSON.parse(r.stdout).findings.map((f: { kind: string }) => f.kind);
    expect(kinds).toEqual(expect.arrayContaining(['credential-report-missing', 'password-policy-missing']));
    expect(kinds).not.toContain('console-without-mfa');
  });

  it('exits 2 on an unknown kind or severity and on an empty store without --from', async () => {
    const kind = await runCli(['findings', '--from', DEMO, '--kind', 'nope']);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toMatch(/unknown kind `nope`: one of root-access-key/);
    expect((await runCli(['findings', '--from', DEMO, '--severity', 'urgent'])).code).toBe(2);
    const none = await runCli(['findings']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /no data: the store holds no snapshot and no --from <bundle-dir> was given — give --from/,
    );
  });
});
