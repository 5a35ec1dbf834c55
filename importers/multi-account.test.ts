/**
 * Multi-account bundles (bundle/layout.ts): `accounts/<id>/` sub-bundles plus the organization's files import
 * into one snapshot whose principals keep their own account in their ARNs.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importBundle } from './index.ts';
import { whoCan } from '../server/analysis/who-can.ts';
import { SnapshotAnalysis } from '../server/analysis/snapshot-analysis.ts';

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

  it('an account no SCP targets at its own level is a warning: AWS keeps one on every level', async () => {
    // "Every root, OU, and account must have at least one SCP attached" (Organizations API reference,
    // DetachPolicy); an Allow is needed at every level down to the account (orgs_manage_policies_scps_evaluation),
    // so as imported every request of the account would be denied: its targets were not all collected.
    const dir = variant((d) => {
      const file = path.join(d, 'organization/targets-for-policy/p-FullAWSAccess.json');
      const targets = JSON.parse(readText(file)) as { Targets: { TargetId: string }[] };
      targets.Targets = targets.Targets.filter((t) => t.TargetId !== '222222222222');
      writeFileSync(file, JSON.stringify(targets));
    });
    const r = await importBundle([dir]);
    expect(r.snapshot).toBeDefined();
    const warned = r.diagnostics.filter((d) => d.code === 'organization.level-without-scp');
    expect(warned.map((d) => [d.severity, d.file])).toEqual([['warning', 'accounts/222222222222']]);
    expect(warned[0]!.message).toContain('account `222222222222` has no SCP attached');
    expect(warned[0]!.hint).toContain('list-targets-for-policy');
    // The management account is exempt from SCPs: none attached to it is no warning.
    const management = variant((d) => {
      const file = path.join(d, 'organization/targets-for-policy/p-FullAWSAccess.json');
      const targets = JSON.parse(readText(file)) as { Targets: { TargetId: string }[] };
      targets.Targets = targets.Targets.filter((t) => t.TargetId !== '111111111111');
      writeFileSync(file, JSON.stringify(targets));
    });
    const m = await importBundle([management]);
    expect(m.diagnostics.filter((d) => d.code === 'organization.level-without-scp')).toEqual([]);
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

/**
 * Several accounts without `organization/` (member-account teams often cannot read Organizations): imported,
 * each principal under its own ARN, cross-account requests evaluated as AWS does (the principal's identity
 * policy and the resource policy must both allow: IAM User Guide, "Cross-account policy evaluation logic",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html),
 * SCPs and RCPs unknown, so not applied, and said so in every answer naming these principals.
 */
describe('several accounts without organization data', async () => {
  const ADMIN = 'arn:aws:iam::111111111111:user/org-admin';
  const AUDITOR = 'arn:aws:iam::111111111111:user/auditor';
  const READER = 'arn:aws:iam::222222222222:user/data-reader';
  const DEV = 'arn:aws:iam::222222222222:user/dev';
  const INCOMPLETE =
    'accounts `111111111111`, `222222222222` were imported without organization data: the SCPs and RCPs that may apply to them are not applied';
  /** The org bundle without organization/, plus `auditor` in 111111111111: no policy of its own, named by prod-data's. */
  const dir = variant((d) => {
    rmSync(path.join(d, 'organization'), { recursive: true });
    const gaadFile = path.join(d, 'accounts/111111111111/authorization-details.json');
    const gaad = JSON.parse(readText(gaadFile)) as { UserDetailList: Record<string, unknown>[] };
    gaad.UserDetailList.push({
      ...gaad.UserDetailList[0],
      UserName: 'auditor',
      UserId: 'AIDAEXAMPLEAUDITOR01',
      Arn: AUDITOR,
      AttachedManagedPolicies: [],
      GroupList: [],
    });
    writeFileSync(gaadFile, JSON.stringify(gaad));
    const policyFile = path.join(
      d,
      'accounts/222222222222/resource-policies/s3/prod-data.get-bucket-policy.json',
    );
    const policy = JSON.parse(JSON.parse(readText(policyFile)).Policy) as { Statement: unknown[] };
    policy.Statement.push({
      Sid: 'AuditorGets',
      Effect: 'Allow',
      Principal: { AWS: AUDITOR },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::prod-data/*',
    });
    writeFileSync(policyFile, JSON.stringify({ Policy: JSON.stringify(policy) }));
  });
  const { snapshot, diagnostics } = await importBundle([dir]);
  const s = snapshot!;
  const who = async (action: string, resource: string) => {
    const answer = await whoCan(SnapshotAnalysis.of(s), { action, resource });
    return { arns: answer.entries.map((e) => e.principal.arn).sort(), notes: answer.notes };
  };

  it('are imported, each principal under its own account, with one completeness warning', () => {
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(s.organization).toBeUndefined();
    expect(s.accounts.map((a) => a.id)).toEqual(['111111111111', '222222222222']);
    expect(new Set(s.users.map((u) => u.arn))).toEqual(new Set([ADMIN, AUDITOR, READER, DEV]));
    expect(diagnostics.filter((d) => d.code === 'organization.not-collected').map((d) => d.message)).toEqual([
      INCOMPLETE,
    ]);
  });

  it('who-can across the two accounts: a cross-account grant needs both policies, and says SCPs are unknown', async () => {
    // org-admin (AdministratorAccess in 111111111111) and data-reader (same account as the bucket) are named by
    // the bucket policy; auditor is named too, but nothing in its own account allows it.
    expect(await who('s3:GetObject', 'arn:aws:s3:::prod-data/report.csv')).toEqual({
      arns: [ADMIN, READER, DEV],
      notes: [`incomplete: ${INCOMPLETE}`],
    });
  });

  it('SCPs are not applied: the organization denies dev deleting objects, the import without it cannot know', async () => {
    expect(await who('s3:DeleteObject', 'arn:aws:s3:::prod-data/k')).toEqual({
      arns: [ADMIN, DEV],
      notes: [`incomplete: ${INCOMPLETE}`],
    });
    const org = (await importBundle([ORG])).snapshot!;
    const answer = await whoCan(SnapshotAnalysis.of(org), {
      action: 's3:DeleteObject',
      resource: 'arn:aws:s3:::prod-data/k',
    });
    expect(answer.entries.map((e) => e.principal.arn)).toEqual([ADMIN]);
    expect(answer.notes).toEqual([]);
  });

  it('a credential report row of another account is still an error', async () => {
    const bad = variant((d) => {
      rmSync(path.join(d, 'organization'), { recursive: true });
      writeFileSync(
        path.join(d, 'accounts/222222222222/credential-report.csv'),
        [
          'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated',
          'org-admin,arn:aws:iam::111111111111:user/org-admin,2024-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
          '',
        ].join('\n'),
      );
    });
    const r = await importBundle([bad]);
    expect(r.snapshot).toBeUndefined();
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.file, d.line])).toEqual([
      ['credential-report.account-mismatch', 'accounts/222222222222/credential-report.csv', 2],
    ]);
  });
});
