/** `accessgraph who-can --indirect` on the demo GAAD where dave (QA) may assume platform-admin. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, bundleWithText, runCli } from './run-cli.ts';

const PLATFORM_ADMIN = 'arn:aws:iam::111122223333:role/platform-admin';

function demoWithDaveAssumingAdmin(): string {
  const gaad = JSON.parse(
    readFileSync(join(ROOT, 'examples', 'demo', 'authorization-details.json'), 'utf8'),
  ) as {
    UserDetailList: { UserName: string; UserPolicyList: object[] }[];
  };
  gaad.UserDetailList.find((u) => u.UserName === 'dave')!.UserPolicyList.push({
    PolicyName: 'assume-admin',
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: PLATFORM_ADMIN }],
    },
  });
  return bundleWithText(JSON.stringify(gaad), 'demo-dave');
}

describe('accessgraph who-can --indirect', () => {
  const bundle = demoWithDaveAssumingAdmin();

  it('--json: dave reaches iam:CreateUser through platform-admin, CONDITIONAL on MFA, with the path', async () => {
    const r = await runCli(['who-can', 'iam:CreateUser', '*', '--indirect', '--from', bundle, '--json']);
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.stdout) as {
      principal: { name: string };
      decision: string;
      conditions?: string;
      indirect?: boolean;
      path?: string[];
    }[];
    const dave = entries.filter((e) => e.principal.name === 'dave');
    expect(dave).toEqual([
      expect.objectContaining({
        decision: 'CONDITIONAL',
        conditions: 'aws:MultiFactorAuthPresent = true',
        indirect: true,
        path: ['arn:aws:iam::111122223333:user/dave', PLATFORM_ADMIN],
      }),
    ]);
  });

  it('the table says how (assumes role platform-admin); without --indirect dave is absent; a bad --max-depth exits 2', async () => {
    const r = await runCli(['who-can', 'iam:CreateUser', '*', '--indirect', '--from', bundle]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /user dave\s+CONDITIONAL\s+assumes role platform-admin \(indirect\)\s+aws:MultiFactorAuthPresent = true/,
    );
    const direct = await runCli(['who-can', 'iam:CreateUser', '*', '--from', bundle]);
    expect(direct.stdout).not.toMatch(/user dave/);
    const bad = await runCli([
      'who-can',
      'iam:CreateUser',
      '*',
      '--indirect',
      '--max-depth',
      '9',
      '--from',
      bundle,
    ]);
    expect(bad.code).toBe(2);
  });
});
