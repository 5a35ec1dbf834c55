/** `accessgraph rightsize` as a child process on the demo bundle and its last-accessed evidence. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.ts';

const DEMO = join(ROOT, 'examples', 'demo');

describe('accessgraph rightsize', () => {
  it('human output: dave and QA, the proven proposal; --out writes a change set what-if accepts', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rightsize-')), 'changes.json');
    const r = await runCli(['rightsize', '--from', DEMO, '--principal', 'dave', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('user dave: used');
    expect(r.stdout).toContain('unused: iam, s3-object-lambda');
    expect(r.stdout).toContain('proposal for group QA:');
    expect(r.stdout).toContain('QAServiceAccountKeys grants nothing the members of QA used: detached');
    expect(r.stdout).toContain('proven by what-if: no used access lost');
    expect(r.stdout).toContain('no longer reaches admin: arn:aws:iam::111122223333:user/dave');
    const changes = JSON.parse(readFileSync(out, 'utf8')) as { op: string }[];
    expect(changes.map((c) => c.op)).toEqual([
      'createPolicy',
      'attachPolicy',
      'detachPolicy',
      'detachPolicy',
    ]);
    const w = await runCli(['what-if', '--changes', out, '--from', DEMO, '--json']);
    expect(w.code).toBe(0);
    expect(
      (JSON.parse(w.stdout) as { diff: { escalation: { pathsToAdminLost: string[] } } }).diff.escalation
        .pathsToAdminLost,
    ).toEqual(['arn:aws:iam::111122223333:user/dave']);
  }, 120_000);

  it('--json: usage and proposals with their proofs', async () => {
    const r = await runCli([
      'rightsize',
      '--from',
      DEMO,
      '--principal',
      'partner-auditor',
      '--unused-days',
      '30',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      usage: { unusedDays: number; principals: { name: string; activity: { status: string } }[] };
      proposals: { target: { name: string }; proof: { ok: boolean } }[];
    };
    expect(j.usage.unusedDays).toBe(30);
    expect(j.usage.principals.map((p) => [p.name, p.activity.status])).toEqual([
      ['partner-auditor', 'unused'],
    ]);
    expect(j.proposals.map((p) => [p.target.name, p.proof.ok])).toEqual([['partner-auditor', true]]);
  }, 120_000);

  it('--group: the group report for QA and its member only; an unknown group exits 2 naming the groups', async () => {
    const r = await runCli(['rightsize', '--from', DEMO, '--group', 'QA', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      usage: {
        principals: { name: string }[];
        groups: {
          name: string;
          services: { service: string; status: string }[];
          unusedMemberships: string[];
        }[];
      };
    };
    expect(j.usage.principals.map((p) => p.name)).toEqual(['dave']);
    expect(j.usage.groups.map((g) => [g.name, g.unusedMemberships])).toEqual([['QA', []]]);
    expect(j.usage.groups[0]!.services.filter((x) => x.status === 'unused').map((x) => x.service)).toEqual([
      'iam',
      's3-object-lambda',
    ]);
    const bad = await runCli(['rightsize', '--from', DEMO, '--group', 'Nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no group named `Nope`');
    expect(bad.stderr).toContain('Admins, Contractors, Engineering, QA');
  }, 120_000);

  it('bad --unused-days and an unknown principal exit 2; --help documents the command', async () => {
    const days = await runCli(['rightsize', '--from', DEMO, '--unused-days', '0']);
    expect(days.code).toBe(2);
    expect(days.stderr).toContain('a whole number of days from 1 to 400');
    const who = await runCli(['rightsize', '--from', DEMO, '--principal', 'nobody']);
    expect(who.code).toBe(2);
    expect(who.stderr).toContain('no user or role named `nobody`');
    const help = await runCli(['rightsize', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--unused-days <n>');
    expect(help.stdout).toContain('--out <file>');
    expect(help.stdout).toContain('--group <name...>');
  }, 120_000);
});
