/**
 * Plans on the demo account (examples/demo) through the real what-if: the same diff as the equivalent change set,
 * and a hand-checked diff for the hand-made plan of updates.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import { demo, importDemo } from '../../test/api/demo-fixture.ts';
import { newExposure } from '../../server/analysis/policy-exposure.ts';
import { whatIf } from '../../server/analysis/what-if/what-if.ts';
import { readTerraformPlan, translatePlan } from './index.ts';
import { SnapshotAnalysis } from '../../server/analysis/snapshot-analysis.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const plan = (name: string) => {
  const read = readTerraformPlan(readFileSync(path.join(ROOT, 'test/fixtures/terraform-plans', name)), name);
  return translatePlan(read.plan!, name);
};

let snapshot: AccountSnapshot;
beforeAll(async () => {
  snapshot = await importDemo();
}, 60_000);

describe('Terraform plans on the demo account', () => {
  it('a plan creating the lambda-admin role and LambdaDeployers group gives the diff of the same change set', async () => {
    const fromPlan = await whatIf(
      SnapshotAnalysis.of(snapshot),
      plan('handmade-path-to-admin.json').changes.map((c) => c.change),
    );
    const fromFile = await whatIf(
      SnapshotAnalysis.of(snapshot),
      JSON.parse(readFileSync(path.join(ROOT, 'examples/what-if/new-path-to-admin.json'), 'utf8')),
    );
    expect(fromPlan.ok && fromFile.ok).toBe(true);
    if (!fromPlan.ok || !fromFile.ok) return;
    expect(fromPlan.diff).toEqual(fromFile.diff);
    // The gist, so that two equally wrong answers do not pass: bob's PassRole on role/lambda-* reaches the new
    // admin role, carol joins the deployers.
    expect(fromPlan.diff.escalation!.pathsToAdminGained).toEqual(
      expect.arrayContaining([demo.bob, demo.carol]),
    );
  }, 60_000);

  it('the plan of updates: alice loses S3 writes under a ReadOnly boundary, carol gains QA and reports writes and a path to admin', async () => {
    const t = plan('handmade-updates-demo.json');
    const outcome = await whatIf(
      SnapshotAnalysis.of(snapshot),
      t.changes.map((c) => c.change),
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const d = outcome.diff;
    // The new bucket policy lets anyone read the reports bucket's objects: principals of the account are allowed
    // when the identity policy or the resource policy allows (same-account evaluation,
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html), so those
    // whose identity policies did not already allow it on `*` or the bucket gain exactly that; platform-admin,
    // bob, dave, elena and grace already could. lambda-order-processor's inline policy is renamed with the same
    // document: its only change is the bucket's.
    const readers = [
      'role/cfn-deployer',
      'role/ec2-build-agent',
      'role/lambda-order-processor',
      'role/partner-auditor',
      'user/service-accounts/svc-deploy',
      'user/service-accounts/svc-notifier',
    ].map((x) => `arn:aws:iam::111122223333:${x}`);
    expect(d.principals.map((p) => p.arn)).toEqual([
      ...readers.slice(0, 4),
      demo.alice,
      demo.carol,
      ...readers.slice(4),
    ]);
    for (const p of d.principals.filter((x) => readers.includes(x.arn)))
      expect([p.granted.map((g) => `${g.action} ${g.resource} ${g.known}`), p.revoked]).toEqual([
        ['s3:GetObject arn:aws:s3:::example-corp-reports/* true'],
        [],
      ]);
    const alice = d.principals.find((p) => p.arn === demo.alice)!;
    expect(alice.granted).toEqual([]);
    expect(alice.revoked.map((g) => g.action)).toContain('s3:PutObject');
    expect(alice.revoked.every((g) => /^s3(-object-lambda)?:/.test(g.action))).toBe(true);
    // ReadOnlyAccess keeps S3 reads: nothing at Read level is lost on `*` that ReadOnlyAccess allows.
    expect(alice.revoked.map((g) => g.action)).not.toContain('s3:GetObject');
    const carol = d.principals.find((p) => p.arn === demo.carol)!;
    expect(carol.revoked).toEqual([]);
    const gained = carol.granted.map((g) => `${g.action} ${g.resource}`);
    expect(gained).toContain('s3:PutObject arn:aws:s3:::example-corp-reports/*');
    expect(gained).toContain('iam:CreateAccessKey arn:aws:iam::111122223333:user/service-accounts/*');
    expect(gained).toContain('s3:GetObject *');
    // QAServiceAccountKeys lets carol make keys for the service accounts, one of which reaches admin.
    expect(d.escalation!.pathsToAdminGained).toEqual([demo.carol]);
    expect(d.admins.gained).toEqual([]);
    expect(outcome.trustChanged).toEqual([demo.partnerAuditor]);
    expect(
      t.policies.flatMap((p) =>
        newExposure(p.before, p.after, p.kind, snapshot.accountId).map((e) => `${p.resource} ${e.who}`),
      ),
    ).toEqual(['role/partner-auditor 999988887777', 'example-corp-reports *']);
  }, 60_000);
});
