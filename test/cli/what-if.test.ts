/**
 * `accessgraph what-if` and `accessgraph diff` as child processes on the demo bundle: every exit code of the
 * policy gate (0 passes, 1 forbidden access, 2 bad input), human and --json output.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDataDir } from './run-cli.ts';

const DEMO = join(ROOT, 'examples', 'demo');
const EXAMPLES = join(ROOT, 'examples', 'what-if');
const ATTACH = ['what-if', '--attach', 'AmazonS3FullAccess', '--to', 'group/QA', '--from', DEMO];
const T = 90_000;

describe('accessgraph what-if', () => {
  it(
    'prints who gains what; --fail-on new-access exits 1 and says what the change grants',
    async () => {
      // The report is the same with and without a gate (the gate adds its lines); exit 0 without a gate is
      // held by the fan-out case's --json run.
      const r = await runCli([...ATTACH, '--fail-on', 'new-access']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/1 change\(s\), 1 principal\(s\) affected/);
      expect(r.stdout).toMatch(/user dave\s+│ modified\s+│ s3:\w+ on \*/);
      expect(r.stdout).toMatch(/s3 Write \+\d+/);
      expect(r.stdout).toMatch(/1 of 1 principal\(s\) compared changed: \d+ grant\(s\), 0 revocation\(s\)/);
      expect(r.stdout).toMatch(
        /gate FAILED \(--fail-on new-access\):\n {2}new-access: user dave gains \d+ grant\(s\), e\.g\. s3:/,
      );
    },
    T,
  );

  it(
    '--fail-on new-admin passes (exit 0) for S3 rights and fails (exit 1) for IAMFullAccess, with --json',
    async () => {
      const pass = await runCli([...ATTACH, '--fail-on', 'new-admin', '--json']);
      expect(pass.code).toBe(0);
      const ok = JSON.parse(pass.stdout);
      expect(ok).toMatchObject({
        ok: true,
        gates: ['new-admin'],
        violations: [],
        affected: [expect.stringMatching(/user\/dave$/)],
      });
      expect(ok.diff.principals[0].granted.length).toBeGreaterThan(0);
      const fail = await runCli([
        'what-if',
        '--attach',
        'IAMFullAccess',
        '--to',
        'user/dave',
        '--from',
        DEMO,
        '--fail-on',
        'new-admin',
        '--json',
      ]);
      expect(fail.code).toBe(1);
      expect(JSON.parse(fail.stdout)).toMatchObject({
        ok: false,
        violations: ['new-admin: arn:aws:iam::111122223333:user/dave becomes admin-equivalent (ALLOWED)'],
        diff: { admins: { gained: [{ arn: 'arn:aws:iam::111122223333:user/dave', after: 'ALLOWED' }] } },
      });
    },
    T,
  );

  it(
    'a Deny from a change file revokes; a revocation passes --fail-on new-access and new-path (exit 0)',
    async () => {
      const r = await runCli([
        'what-if',
        '--changes',
        join(EXAMPLES, 'deny-deletes.json'),
        '--from',
        DEMO,
        '--fail-on',
        'new-access,new-path',
      ]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/3 of 3 principal\(s\) compared changed: 0 grant\(s\), 6 revocation\(s\)/);
      expect(r.stdout).toMatch(/escalation edges \+0 -0/);
      expect(r.stdout).toMatch(/gate passed \(--fail-on new-access,new-path\)/);
    },
    T,
  );

  it(
    '--fail-on new-path: exit 1 for a new path to admin (PassRole + Lambda)',
    async () => {
      const path = await runCli([
        'what-if',
        '--changes',
        join(EXAMPLES, 'new-path-to-admin.json'),
        '--from',
        DEMO,
        '--fail-on',
        'new-path',
      ]);
      expect(path.code).toBe(1);
      expect(path.stdout).toMatch(
        /new escalation fan-out: arn:aws:iam::111122223333:user\/carol → every role trusting lambda\.amazonaws\.com, matching arn:aws:iam::111122223333:role\/lambda-\* \[2 principal\(s\)\] \(lambda-001\)/,
      );
      expect(path.stdout).toMatch(/new-path: arn:aws:iam::111122223333:user\/carol can now reach admin/);
      // Blast-radius deltas: carol's reach grows to lambda-admin and admin.
      expect(path.stdout).toMatch(/user\/carol\s+│ NONE → ALLOWED\s+│ 0 → \d+/);
      expect(path.stdout).toMatch(/\d+ blast radius\(es\) changed/);
    },
    T,
  );

  it(
    'a class-wide technique is one fan-out line with its class and size (human), its class once with members (--json)',
    async () => {
      const args = ['what-if', '--changes', join(EXAMPLES, 'fan-out-path-to-admin.json'), '--from', DEMO];
      const carol = 'arn:aws:iam::111122223333:user/carol';
      const human = await runCli([...args, '--fail-on', 'new-path']);
      expect(human.code).toBe(1);
      expect(human.stdout).toContain(
        `new escalation fan-out: ${carol} → every role trusting lambda.amazonaws.com [3 principal(s)] (lambda-001)`,
      );
      // carol reaches admin only through lambda-maintenance, a member of the class (no plain edge to it).
      expect(human.stdout).not.toMatch(/new escalation edge: arn:\S+:user\/carol/);
      expect(human.stdout).toContain(`new path to admin from ${carol}`);
      // bob's PassRole is scoped to role/lambda-*: his one edge to lambda-order-processor becomes a fan-out entry
      // to the three roles of that pattern, beside carol's and bob's two widened conditional classes.
      expect(human.stdout).toContain(
        'new escalation fan-out: arn:aws:iam::111122223333:user/bob → every role trusting lambda.amazonaws.com, matching arn:aws:iam::111122223333:role/lambda-* [3 principal(s)] (lambda-001)',
      );
      expect(human.stdout).toMatch(/escalation edges \+1 -1, fan-out \+4 -2;/);
      expect(human.stdout).toContain(
        `new-path: new fan-out ${carol} → every role trusting lambda.amazonaws.com (3 principals, lambda-001)`,
      );
      const json = await runCli([...args, '--json']);
      expect(json.code).toBe(0);
      const escalation = JSON.parse(json.stdout).diff.escalation;
      const entry = escalation.fanOutAdded.find((f: any) => f.from === carol);
      expect(entry).toMatchObject({
        technique: 'lambda-001',
        targetClass: 'every role trusting lambda.amazonaws.com',
        targetCount: 3,
      });
      expect(entry.targets).toBeUndefined();
      const cls = escalation.classes.find((c: any) => c.id === entry.classId);
      expect([...cls.members].sort()).toEqual(
        ['lambda-maintenance', 'lambda-order-processor', 'lambda-reports'].map(
          (r) => `arn:aws:iam::111122223333:role/${r}`,
        ),
      );
      expect(escalation.pathsToAdminGained).toContain(carol);
    },
    T,
  );

  it(
    'unknown names and bad files are bad input (exit 2): which change, which field, what to do',
    async () => {
      const unknown = await runCli(['what-if', '--changes', join(EXAMPLES, 'invalid.json'), '--from', DEMO]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(
        /error change\.unknown-target: .*invalid\.json \(changes\[0\]\.group\): change 0 \(addUserToGroup\): unknown group `QA2`/,
      );
      expect(unknown.stderr).toMatch(/did you mean `QA`\?/);
      const dir = mkdtempSync(join(tmpdir(), 'accessgraph-what-if-'));
      const broken = join(dir, 'changes.json');
      writeFileSync(
        broken,
        '[\n  { "op": "attachPolicy", "policy": "AmazonS3FullAccess", "target": "group/QA" ,\n',
      );
      const syntax = await runCli(['what-if', '--changes', broken, '--from', DEMO, '--json']);
      expect(syntax.code).toBe(2);
      expect(JSON.parse(syntax.stdout).diagnostics[0]).toMatchObject({
        file: broken,
        line: expect.any(Number),
      });
      const half = await runCli(['what-if', '--attach', 'AmazonS3FullAccess', '--from', DEMO]);
      expect(half.code).toBe(2);
      expect(half.stderr).toMatch(/--attach and --to go together/);
      const gate = await runCli([...ATTACH, '--fail-on', 'new-stuff']);
      expect(gate.code).toBe(2);
      expect(gate.stderr).toMatch(/unknown gate `new-stuff`/);
    },
    T,
  );
});

describe('accessgraph diff', () => {
  let later: string;
  beforeAll(() => {
    // Next month's bundle: QA got AmazonS3FullAccess (a temporary copy; committed fixtures are never mutated).
    later = join(mkdtempSync(join(tmpdir(), 'accessgraph-diff-')), 'demo-later');
    cpSync(DEMO, later, { recursive: true });
    const file = join(later, 'authorization-details.json');
    const gaad = JSON.parse(readFileSync(file, 'utf8'));
    gaad.GroupDetailList.find((g: any) => g.GroupName === 'QA').AttachedManagedPolicies.push({
      PolicyName: 'AmazonS3FullAccess',
      PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess',
    });
    writeFileSync(file, JSON.stringify(gaad, null, 4));
  });

  it(
    'two bundles of one account: who gained access since the first (exit 0), --fail-on new-access exits 1',
    async () => {
      const r = await runCli(['diff', DEMO, later]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/user dave\s+│ modified/);
      expect(r.stdout).toMatch(/1 of \d+ principal\(s\) compared changed: \d+ grant\(s\), 0 revocation\(s\)/);
      const gate = await runCli(['diff', DEMO, later, '--fail-on', 'new-access', '--json']);
      expect(gate.code).toBe(1);
      const doc = JSON.parse(gate.stdout);
      expect(doc.diff.principals.map((p: any) => p.name)).toEqual(['dave']);
      expect(doc.violations[0]).toMatch(/^new-access: user dave gains/);
    },
    T,
  );

  it(
    'stored snapshot ids (`snapshots` lists them) diff as their bundles do, alone or beside a bundle',
    async () => {
      const dir = tempDataDir();
      const imported = await runCli(['import', DEMO, later, '--data-dir', dir, '--json']);
      expect(imported.code).toBe(0);
      const [before, after] = JSON.parse(imported.stdout).bundles.map((b: any) => b.snapshot.id as string);
      const listed = await runCli(['snapshots', '--data-dir', dir, '--json']);
      expect(new Set(JSON.parse(listed.stdout).map((s: any) => s.id))).toEqual(new Set([before, after]));

      const byBundles = await runCli(['diff', DEMO, later, '--data-dir', dir, '--json']);
      const byIds = await runCli(['diff', before, after, '--data-dir', dir, '--json']);
      const mixed = await runCli(['diff', before, later, '--data-dir', dir, '--json']);
      expect([byBundles.code, byIds.code, mixed.code]).toEqual([0, 0, 0]);
      const docs = [byBundles, byIds, mixed].map((r) => JSON.parse(r.stdout));
      expect(docs.map((d) => [d.from, d.to])).toEqual([
        [before, after],
        [before, after],
        [before, after],
      ]);
      expect(docs[0].diff.principals.map((p: any) => p.name)).toEqual(['dave']);
      expect(docs[1]).toEqual(docs[0]);
      expect(docs[2]).toEqual(docs[0]);

      const human = await runCli(['diff', before, after, '--data-dir', dir]);
      expect(human.stdout).toMatch(/user dave\s+│ modified/);
      const unknown = await runCli(['diff', before, 'nope-123', '--data-dir', dir]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(
        /`nope-123` is neither a bundle \(no such file or directory\) nor a stored snapshot id — list the stored snapshots with `accessgraph snapshots`/,
      );
    },
    2 * T,
  );

  it(
    'the other direction revokes; bundles of two accounts are bad input (exit 2)',
    async () => {
      const r = await runCli(['diff', later, DEMO, '--json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).diff.summary).toMatchObject({ principalsChanged: 1, granted: 0 });
      const other = join(mkdtempSync(join(tmpdir(), 'accessgraph-diff-')), 'other');
      cpSync(DEMO, other, { recursive: true });
      for (const f of ['authorization-details.json', 'credential-report.csv']) {
        const p = join(other, f);
        writeFileSync(p, readFileSync(p, 'utf8').replaceAll('111122223333', '444455556666'));
      }
      const mismatch = await runCli(['diff', DEMO, other]);
      expect(mismatch.code).toBe(2);
      expect(mismatch.stderr).toMatch(/different accounts/);
    },
    T,
  );
});
