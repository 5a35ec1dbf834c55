/**
 * `accessgraph what-if --terraform-plan` as a child process on the demo bundle: the round trip with `--attach`,
 * human output naming each change's plan resource, SARIF validated against the SARIF 2.1.0 schema, the Markdown
 * comment, a CloudFormation change set, and bad input (exit 2).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.ts';

const DEMO = join(ROOT, 'examples', 'demo');
const PLANS = join('test', 'fixtures', 'terraform-plans');
const T = 90_000;
const whatIf = (plan: string, ...args: string[]) =>
  runCli(['what-if', '--terraform-plan', join(PLANS, plan), '--from', DEMO, ...args]);

/** The SARIF 2.1.0 schema (draft-04; its `language` pattern is not valid under the `u` flag, hence no unicode). */
function sarifValidator() {
  const ajv = new AjvDraft04.default({ strict: false, unicodeRegExp: false, allErrors: true });
  ajvFormats.default(ajv);
  return ajv.compile(
    JSON.parse(readFileSync(join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')) as object,
  );
}

describe('accessgraph what-if --terraform-plan', () => {
  it(
    'a plan attaching AmazonS3FullAccess to QA gives the same diff as --attach AmazonS3FullAccess --to group/QA',
    async () => {
      const [fromPlan, fromFlags] = await Promise.all([
        whatIf('handmade-attach-s3-to-qa.json', '--json'),
        runCli(['what-if', '--attach', 'AmazonS3FullAccess', '--to', 'group/QA', '--from', DEMO, '--json']),
      ]);
      expect(fromPlan.code).toBe(0);
      expect(fromFlags.code).toBe(0);
      const a = JSON.parse(fromPlan.stdout);
      const b = JSON.parse(fromFlags.stdout);
      expect(a.diff).toEqual(b.diff);
      expect(a.diff.principals.map((p: { name: string }) => p.name)).toEqual(['dave']);
      expect(a.plan).toMatchObject({
        summary: { resources: 1, iam: 1 },
        changes: [{ address: 'aws_iam_group_policy_attachment.qa_s3', change: { op: 'attachPolicy' } }],
      });
    },
    T,
  );

  it(
    'human output: the plan summary, each change with its resource address, new public and cross-account access; the gate fails (exit 1)',
    async () => {
      const r = await whatIf('handmade-updates-demo.json', '--fail-on', 'new-path');
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('6 resource change(s): 6 IAM-relevant → 7 change(s)');
      expect(r.stdout).toContain('  aws_s3_bucket_policy.reports: putResourcePolicy example-corp-reports');
      // The public bucket policy lets principals of the account read the reports too (same-account evaluation).
      expect(r.stdout).toMatch(
        /role cfn-deployer\s+│ modified │ s3:GetObject on arn:aws:s3:::example-corp-reports\/\*/,
      );
      expect(r.stdout).toContain('  aws_iam_group_membership.qa: addUserToGroup user/carol → group/QA');
      expect(r.stdout).toContain(
        '  aws_iam_user.alice: setPermissionsBoundary arn:aws:iam::aws:policy/ReadOnlyAccess → user/alice',
      );
      expect(r.stdout).toMatch(/user alice\s+│ modified/);
      expect(r.stdout).toContain(
        'new cross-account access: trust policy of role/partner-auditor lets in account 999988887777 (aws_iam_role.partner_auditor)',
      );
      expect(r.stdout).toContain(
        'new public access: example-corp-reports lets in any AWS principal (aws_s3_bucket_policy.reports)',
      );
      expect(r.stdout).toContain('new-path: arn:aws:iam::111122223333:user/carol can now reach admin');
    },
    T,
  );

  it(
    '--format sarif: valid SARIF 2.1.0, one result per new path to admin and new admin, at the plan resources',
    async () => {
      const r = await whatIf('handmade-path-to-admin.json', '--format', 'sarif');
      expect(r.code).toBe(0);
      const sarif = JSON.parse(r.stdout);
      const validate = sarifValidator();
      expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
      const results = sarif.runs[0].results as {
        ruleId: string;
        message: { text: string };
        locations: {
          physicalLocation?: { artifactLocation: { uri: string } };
          logicalLocations: { fullyQualifiedName: string }[];
        }[];
      }[];
      expect(results.map((x) => `${x.ruleId} ${x.message.text.split(' ')[0]}`).sort()).toEqual([
        'new-admin-equivalent role/lambda-admin',
        'new-path-to-admin role/lambda-admin',
        'new-path-to-admin user/bob',
        'new-path-to-admin user/carol',
      ]);
      const carol = results.find((x) => x.message.text.startsWith('user/carol'))!;
      // carol's path comes from her membership and the group's policy, not from the admin role itself.
      expect(carol.locations.map((l) => l.logicalLocations[0]!.fullyQualifiedName)).toEqual([
        'aws_iam_group.lambda_deployers',
        'aws_iam_group_policy.deploy',
        'aws_iam_user_group_membership.carol',
      ]);
      expect(carol.locations[0]!.physicalLocation!.artifactLocation.uri).toBe(
        'test/fixtures/terraform-plans/handmade-path-to-admin.json',
      );
      // The schema check itself fails on a broken document.
      expect(validate({ ...sarif, version: '2.0.0' })).toBe(false);
    },
    T,
  );

  it(
    '--format markdown: a pull-request comment naming who gains what, from which resource, with long parts folded',
    async () => {
      const r = await whatIf('handmade-updates-demo.json', '--format', 'markdown', '--fail-on', 'new-admin');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^### accessgraph what-if: .*handmade-updates-demo\.json — ✅ gate passed/);
      expect(r.stdout).toContain(
        '- 🔴 `user/carol` gains a path to admin — from `aws_iam_policy.reports_read_only`, `aws_iam_group_membership.qa`',
      );
      expect(r.stdout).toContain('lets in **any AWS principal** — `aws_s3_bucket_policy.reports`');
      expect(r.stdout).toMatch(/\| user `alice` \| modified \| — \| `s3:/);
      expect(r.stdout).toContain('<summary>7 change(s) evaluated</summary>');
      // A principal reached only through the bucket policy is told it comes from that resource.
      expect(r.stdout).toContain(
        '| role `cfn-deployer` | modified | `s3:GetObject` on `arn:aws:s3:::example-corp-reports/*` | — | s3 Read +1 | `aws_s3_bucket_policy.reports` |',
      );
      // Only the document on stdout; the gate line goes to stderr.
      expect(r.stderr).toContain('gate passed (--fail-on new-admin)');
    },
    T,
  );

  it(
    '--cloudformation-change-set: a change set the same way, SARIF results at its logical ids',
    async () => {
      const r = await runCli([
        'what-if',
        '--cloudformation-change-set',
        join('test', 'fixtures', 'cloudformation-change-sets', 'handmade-modify-remove-demo.json'),
        '--from',
        DEMO,
        '--format',
        'sarif',
      ]);
      expect(r.code).toBe(0);
      const sarif = JSON.parse(r.stdout);
      expect(sarifValidator()(sarif)).toBe(true);
      const where = (rule: string) =>
        (
          sarif.runs[0].results as {
            ruleId: string;
            locations: { logicalLocations: { fullyQualifiedName: string }[] }[];
          }[]
        )
          .filter((x) => x.ruleId === rule)
          .map((x) => x.locations.map((l) => l.logicalLocations[0]!.fullyQualifiedName).join(','));
      expect(where('new-path-to-admin')).toEqual(['QaS3Access,CarolToQa']);
      expect(where('new-public-access')).toEqual(['ReportsBucketPolicy']);
      expect(where('new-cross-account-access')).toEqual(['PartnerAuditorRole']);
      expect(r.stderr).toContain('change-set.unknown-value');
    },
    T,
  );

  it(
    'bad input exits 2: a state file, a plan of another account, --json with --format sarif',
    async () => {
      const tfstate = join(mkdtempSync(join(tmpdir(), 'accessgraph-tf-')), 'terraform.tfstate');
      writeFileSync(
        tfstate,
        JSON.stringify({ version: 4, serial: 7, lineage: 'c0ffee', outputs: {}, resources: [] }),
      );
      const state = await runCli(['what-if', '--terraform-plan', tfstate, '--from', DEMO, '--json']);
      expect(state.code).toBe(2);
      expect(JSON.parse(state.stdout).diagnostics[0]).toMatchObject({
        code: 'terraform-plan.state-file',
        file: tfstate,
      });
      const other = await whatIf('snyk-destroy-roles.json');
      expect(other.code).toBe(2);
      expect(other.stderr).toMatch(
        /error terraform-plan\.account-mismatch: .*snyk-destroy-roles\.json \(resource_changes\[\d+\]\.change\.before\.arn\): the plan is for account `719261439472`.*the snapshot is of `111122223333`/,
      );
      // A change the snapshot refutes (the role does not exist) is told as the plan resource that makes it.
      const ghost = join(mkdtempSync(join(tmpdir(), 'accessgraph-tf-')), 'plan.json');
      writeFileSync(
        ghost,
        JSON.stringify({
          format_version: '1.2',
          resource_changes: [
            {
              address: 'aws_iam_role.ghost',
              mode: 'managed',
              type: 'aws_iam_role',
              name: 'ghost',
              change: { actions: ['delete'], before: { name: 'ghost' }, after: null, after_unknown: {} },
            },
          ],
        }),
      );
      const refuted = await runCli(['what-if', '--terraform-plan', ghost, '--from', DEMO]);
      expect(refuted.code).toBe(2);
      expect(refuted.stderr).toContain(
        `error change.unknown-target: ${ghost} (resource_changes[0]): \`aws_iam_role.ghost\`: change 0 (deletePrincipal): unknown role \`role/ghost\``,
      );
      const both = await whatIf('handmade-attach-s3-to-qa.json', '--json', '--format', 'sarif');
      expect(both.code).toBe(2);
      expect(both.stderr + both.stdout).toContain('--json and --format sarif disagree');
    },
    2 * T,
  );
});
