import { describe, expect, it } from 'vitest';
import { chokePoints } from './choke-points.ts';
import { arn, testGraph, testGraphWithFanOut } from './test-graph.ts';

describe('chokePoints', () => {
  it('counts, per principal and edge, the cheapest paths to admin that go through it', () => {
    const c = chokePoints(testGraph());
    // bob, carol, dave, Deploy, erin have a path; Ops and Audit are admin-equivalent themselves.
    expect(c.paths).toBe(5);
    // carol → Deploy → Ops; Deploy → Ops; erin → Audit; bob → ADMIN directly; dave → bob → ADMIN.
    expect(c.principals).toEqual([
      { arn: arn.ops, paths: 2 },
      { arn: arn.audit, paths: 1 },
      { arn: arn.deploy, paths: 1 },
      { arn: arn.bob, paths: 1 },
    ]);
    expect(c.edges.map((e) => [e.edge.from.split('/').pop(), e.edge.technique, e.paths])).toEqual([
      ['bob', 'iam:CreatePolicyVersion', 2],
      ['Deploy', 'iam:PassRole+lambda:CreateFunction', 2],
      ['dave', 'iam:CreateAccessKey', 1],
      ['carol', 'sts:AssumeRole', 1],
      ['erin', 'sts:AssumeRole', 1],
    ]);
  });

  it('counts the principals whose cheapest path to admin starts with a fan-out step', () => {
    // frank can create a key for carol, frank or erin; erin → Audit (admin with MFA) is his cheapest way.
    const c = chokePoints(testGraphWithFanOut());
    expect(c.paths).toBe(6);
    expect(c.principals).toContainEqual({ arn: arn.erin, paths: 1 });
    expect(c.principals).toContainEqual({ arn: arn.audit, paths: 2 });
    expect(
      c.edges.map((e) => [e.edge.from.split('/').pop(), e.edge.to.split('/').pop(), e.paths]),
    ).toContainEqual(['frank', 'erin', 1]);
  });

  it('steps backwards into a class’s admin-equivalent member, which has no edge of its own', () => {
    // frank's key for Ops (admin-equivalent) is his cheapest path: one step, through the class (carol, Deploy
    // and frank go through Ops).
    const c = chokePoints(testGraphWithFanOut([arn.carol, arn.ops]));
    expect(c.principals).toContainEqual({ arn: arn.ops, paths: 3 });
    expect(
      c.edges.map((e) => [
        e.edge.from.split('/').pop(),
        e.edge.to.split('/').pop(),
        e.edge.technique,
        e.paths,
      ]),
    ).toContainEqual(['frank', 'Ops', 'iam:CreateAccessKey', 1]);
  });
});
