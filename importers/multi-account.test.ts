/**
 * Multi-account bundles (bundle/layout.ts): `accounts/<id>/` sub-bundles plus the organization's files import
 * into one snapshot whose principals keep their own account in their ARNs.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importBundle } from './index.ts';

const ORG = path.resolve(import.meta.dirname, '../test/fixtures/bundles/org-multi');
const temps: string[] = [];
const readText = (p: string) => readFileSync(p, 'utf8');
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of the org bundle with `change` applied (tests never mutate fixtures). */
function variant(change: (dir: string) => void): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'org-')), 'org-multi');
  temps.push(path.dirname(dir));
  cpSync(ORG, dir, { recursive: true });
  change(dir);
  return dir;
}

describe('multi-account bundle', async () => {
  const { snapshot, diagnostics } = await importBundle([ORG]);
  const s = snapshot!;

  it('imports every account, the organization and each account’s resources into one snapshot', () => {
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // The management account is the snapshot's account: its data sees the whole organization.
    expect(s.accountId).toBe('111111111111');
    expect(s.accounts.map((a) => [a.id, a.name, a.isManagementAccount])).toEqual([
      ['111111111111', 'management', true],
      ['222222222222', 'prod', false],
      ['333333333333', 'sandbox', false],
    ]);
    expect(s.users.map((u) => u.arn)).toEqual([
      'arn:aws:iam::111111111111:user/org-admin',
      'arn:aws:iam::222222222222:user/data-reader',
      'arn:aws:iam::222222222222:user/dev',
    ]);
    // AdministratorAccess is in both GAADs and kept once.
    expect(s.policies.map((p) => p.arn)).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
    expect(s.organization!.policies.map((p) => p.name)).toContain('ProtectProdData');
    expect(
      s.resources.map((r) => [r.arn, r.accountId, r.policy !== undefined, r.attributes?.policyCollected]),
    ).toEqual([
      ['arn:aws:s3:::mgmt-trail', '111111111111', false, false],
      ['arn:aws:s3:::prod-data', '222222222222', true, undefined],
      ['arn:aws:s3:::prod-logs', '222222222222', false, undefined],
    ]);
    expect(s.sourceFiles).toContain(
      'accounts/222222222222/resource-policies/s3/prod-data.get-bucket-policy.json',
    );
    expect(s.sourceFiles).toContain('organization/list-roots.json');
  });

  it('warns only about what is unknown: the management bucket whose policy was not collected', () => {
    expect(diagnostics.map((d) => [d.severity, d.code, d.file])).toEqual([
      [
        'warning',
        'resource-policy.bucket-policy-not-collected',
        'accounts/111111111111/resource-policies/s3/mgmt-trail.get-public-access-block.json',
      ],
    ]);
  });

  it('an account missing from the organization tree, and SCPs not collected, are completeness warnings', async () => {
    const dir = variant((d) => {
      rmSync(path.join(d, 'organization/list-policies/SERVICE_CONTROL_POLICY.json'));
      writeFileSync(
        path.join(d, 'organization/accounts-for-parent/ou-ex12-sand0001.json'),
        JSON.stringify({ Accounts: [] }),
      );
      rmSync(path.join(d, 'organization/targets-for-policy'), { recursive: true });
      rmSync(path.join(d, 'organization/policies'), { recursive: true });
      rmSync(path.join(d, 'organization/list-policies/RESOURCE_CONTROL_POLICY.json'));
      cpSync(path.join(d, 'accounts/222222222222'), path.join(d, 'accounts/333333333333'), {
        recursive: true,
      });
      const gaad = path.join(d, 'accounts/333333333333/authorization-details.json');
      writeFileSync(
        gaad,
        JSON.stringify(JSON.parse(readText(gaad).replaceAll('222222222222', '333333333333'))),
      );
    });
    const r = await importBundle([dir]);
    expect(r.snapshot).toBeDefined();
    expect(
      r.diagnostics.filter((d) => d.code.startsWith('organization.')).map((d) => [d.code, d.file]),
    ).toEqual([
      ['organization.scps-not-collected', 'accounts/222222222222'],
      ['organization.rcps-not-collected', 'accounts/222222222222'],
      ['organization.account-not-in-org', 'accounts/333333333333'],
    ]);
  });

  it("a bucket two accounts both list is kept once, as the first account's, with a warning naming both", async () => {
    const s3 = (id: string) => path.join('accounts', id, 'resource-policies', 's3');
    const dir = variant((d) =>
      cpSync(
        path.join(d, s3('111111111111'), 'mgmt-trail.get-public-access-block.json'),
        path.join(d, s3('222222222222'), 'mgmt-trail.get-public-access-block.json'),
      ),
    );
    const { snapshot: twice, diagnostics: said } = await importBundle([dir]);
    const trails = twice!.resources.filter((r) => r.arn === 'arn:aws:s3:::mgmt-trail');
    expect(trails.map((r) => r.accountId)).toEqual(['111111111111']);
    expect(said.filter((d) => d.code === 'bundle.duplicate-resource')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining('listed by account 111111111111 and again by account 222222222222'),
      }),
    ]);
  });

  it('several accounts without organization data stay an error', async () => {
    const dir = variant((d) => rmSync(path.join(d, 'organization'), { recursive: true }));
    const r = await importBundle([dir]);
    expect(r.snapshot).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['bundle.multiple-accounts', 'accounts/222222222222'],
    ]);
  });

  it("an account directory holding another account's GAAD is an error", async () => {
    const dir = variant((d) => {
      const gaad = path.join(d, 'accounts/222222222222/authorization-details.json');
      writeFileSync(gaad, readText(gaad).replaceAll('222222222222', '444444444444'));
    });
    const r = await importBundle([dir]);
    expect(r.snapshot).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['bundle.account-mismatch', 'accounts/222222222222/authorization-details.json'],
    ]);
  });
});
