import { describe, expect, it } from 'vitest';
import type { WhoCanAnswer, WhoCanEntry } from '../who-can.ts';
import { whoCanReach } from './reach.ts';
import { arn, line, testGraph, testSnapshot } from './test-graph.ts';

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
});
