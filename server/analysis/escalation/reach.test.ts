import { describe, expect, it } from 'vitest';
import type { WhoCanAnswer, WhoCanEntry } from '../who-can.ts';
import { ADMIN } from './graph.ts';
import { whoCanReach } from './reach.ts';
import { arn, line, testGraph, testGraphWithFanOut, testSnapshot } from './test-graph.ts';

function direct(entries: [string, 'ALLOWED' | 'CONDITIONAL'][]): WhoCanAnswer {
  return {
    actions: ['s3:GetObject'],
    entries: entries.map(
      ([a, decision]) =>
        ({
          principal: { arn: a, name: a.split('/').pop()!, kind: a.includes(':role/') ? 'role' : 'user' },
          evaluatedAs: a,
          action: 's3:GetObject',
          decision,
          ...(decision === 'CONDITIONAL' ? { conditions: 'aws:SourceIp = 10.0.0.0/8' } : {}),
          summary: decision,
          matched: [],
        }) satisfies WhoCanEntry,
    ),
    evaluated: entries.length,
    principals: 8,
    notes: [],
  };
}

describe('whoCanReach', () => {
  it('adds everyone who can become a direct grantor, and everyone who can reach admin', () => {
    const a = whoCanReach(testGraph(), testSnapshot(), direct([[arn.deploy, 'ALLOWED']]), 'arn:aws:s3:::b/k');
    expect(
      a.entries.map((e) => [e.principal.name, e.direct, e.grantor.split('/').pop(), e.conditional]),
    ).toEqual([
      ['Deploy', true, 'Deploy', false],
      // Audit and Ops are admin-equivalent: the admin step is no hop.
      ['Audit', false, 'accessgraph:admin', true],
      ['Ops', false, 'accessgraph:admin', false],
      ['bob', false, 'Deploy', false],
      ['carol', false, 'Deploy', false],
      ['erin', false, 'accessgraph:admin', true],
      ['dave', false, 'Deploy', false],
    ]);
    expect(line(a.entries.find((e) => e.principal.name === 'dave')!.path.steps)).toBe(
      'dave -[iam:CreateAccessKey]-> bob -[sts:AssumeRole]-> Deploy',
    );
    expect(a.counts).toEqual({ direct: 1, indirect: 3, viaAdmin: 3 });
    expect(a.notes.join('\n')).toMatch(/SCP/);
  });

  it('a conditional direct grant makes the chains through it conditional, with its conditions', () => {
    const a = whoCanReach(
      testGraph(),
      testSnapshot(),
      direct([[arn.carol, 'CONDITIONAL']]),
      'arn:aws:s3:::b/k',
    );
    const carol = a.entries.find((e) => e.principal.name === 'carol')!;
    expect(carol).toMatchObject({
      direct: true,
      conditional: true,
      grantConditions: 'aws:SourceIp = 10.0.0.0/8',
    });
    // Nobody reaches carol; frank reaches nothing.
    expect(a.entries.map((e) => e.principal.name)).not.toContain('frank');
  });

  it('follows fan-out entries backwards: a class-wide technique reaching a grantor brings its source in', () => {
    // carol reads the bucket; frank can create a key for every user (carol included), Audit only with MFA.
    const a = whoCanReach(
      testGraphWithFanOut(),
      testSnapshot(),
      direct([[arn.carol, 'ALLOWED']]),
      'arn:aws:s3:::b/k',
    );
    const frank = a.entries.find((e) => e.principal.name === 'frank');
    expect(frank).toMatchObject({ direct: false, grantor: arn.carol, conditional: false });
    expect(line(frank!.path.steps)).toBe('frank -[iam:CreateAccessKey]-> carol');
    // Audit is admin-equivalent only with MFA; its class-wide step is conditional too, and the cheaper one.
    const audit = a.entries.find((e) => e.principal.name === 'Audit')!;
    expect(audit.conditional).toBe(true);
    expect(a.notes.join('\n')).not.toMatch(/not followed backwards/);
  });

  it('reaches a class member from every entry sharing its class, whichever member it is', () => {
    // erin grants: frank reaches her through the same class as carol above (one shared targets list).
    const a = whoCanReach(
      testGraphWithFanOut(),
      testSnapshot(),
      direct([[arn.erin, 'ALLOWED']]),
      'arn:aws:s3:::b/k',
    );
    expect(line(a.entries.find((e) => e.principal.name === 'frank')!.path.steps)).toBe(
      'frank -[iam:CreateAccessKey]-> erin',
    );
    // A class without the grantor leads no step to it: frank gets there only as an admin (carol → Deploy → Ops).
    const b = whoCanReach(
      testGraphWithFanOut([arn.carol]),
      testSnapshot(),
      direct([[arn.erin, 'ALLOWED']]),
      'arn:aws:s3:::b/k',
    );
    const frank = b.entries.find((e) => e.principal.name === 'frank')!;
    expect(frank.grantor).toBe(ADMIN);
    expect(line(frank.path.steps)).toBe(
      'frank -[iam:CreateAccessKey]-> carol -[sts:AssumeRole]-> Deploy -[iam:PassRole+lambda:CreateFunction]-> Ops -[admin-equivalent]-> ADMIN',
    );
  });
});
