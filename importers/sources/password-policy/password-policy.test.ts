import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importBundle } from '../../index.ts';
import { ONE_USER_GAAD } from '../../../test/support/builders.ts';

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const GAAD = ONE_USER_GAAD;

async function importWith(policy: string | undefined) {
  const dir = await mkdtemp(path.join(tmpdir(), 'password-policy-'));
  temps.push(dir);
  await writeFile(path.join(dir, 'authorization-details.json'), JSON.stringify(GAAD));
  if (policy !== undefined) await writeFile(path.join(dir, 'password-policy.json'), policy);
  return importBundle([dir]);
}

describe('password policy (aws iam get-account-password-policy)', () => {
  it('maps the CLI output onto snapshot.passwordPolicy (AWS CLI reference example)', async () => {
    // awscli/examples/iam/get-account-password-policy.rst
    const r = await importWith(`{
    "PasswordPolicy": {
        "AllowUsersToChangePassword": false,
        "RequireLowercaseCharacters": false,
        "RequireUppercaseCharacters": false,
        "MinimumPasswordLength": 8,
        "RequireNumbers": true,
        "RequireSymbols": true
    }
}`);
    expect(r.diagnostics).toEqual([]);
    expect(r.snapshot!.passwordPolicy).toEqual({
      allowUsersToChangePassword: false,
      requireLowercaseCharacters: false,
      requireUppercaseCharacters: false,
      minimumPasswordLength: 8,
      requireNumbers: true,
      requireSymbols: true,
    });
    expect(r.snapshot!.sourceFiles).toEqual(['authorization-details.json', 'password-policy.json']);
  });

  it('no file: no password policy known', async () => {
    const r = await importWith(undefined);
    expect(r.snapshot!.passwordPolicy).toBeUndefined();
  });

  it.each([
    [
      '{"PasswordPolicy": {"MinimumPasswordLength": "14"}}',
      'password-policy.wrong-type',
      'PasswordPolicy.MinimumPasswordLength',
      1,
    ],
    ['{\n  "MinimumPasswordLength": 14\n}', 'password-policy.missing-field', 'PasswordPolicy', 1],
    ['{"PasswordPolicy": {', 'password-policy.truncated-json', undefined, 1],
    ['', 'password-policy.empty-file', undefined, 1],
  ])('bad input %s → %s', async (text, code, jsonPath, line) => {
    const r = await importWith(text);
    expect(r.snapshot).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.file, d.jsonPath, d.line])).toEqual([
      [code, 'password-policy.json', jsonPath, line],
    ]);
  });
});
