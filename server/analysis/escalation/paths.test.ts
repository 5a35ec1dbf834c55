import { describe, expect, it } from 'vitest';
import { ADMIN, type EscalationGraph } from './graph.ts';
import { paths } from './paths.ts';
import { arn, evidence, line, testGraph, testGraphWithFanOut } from './test-graph.ts';

describe('paths (k shortest, Yen)', () => {
  it('lists every path to admin, fewest hops first, unconditional before conditional on equal hops', () => {
    const found = paths(testGraph(), { from: arn.bob, to: ADMIN, k: 10 });
    expect(found.map((p) => line(p.steps))).toEqual([
      'bob -[iam:CreatePolicyVersion]-> ADMIN',
      'bob -[iam:AttachUserPolicy]-> ADMIN',
      'bob -[sts:AssumeRole]-> Ops -[admin-equivalent]-> ADMIN',
      'bob -[sts:AssumeRole]-> Deploy -[iam:PassRole+lambda:CreateFunction]-> Ops -[admin-equivalent]-> ADMIN',
    ]);
    expect(found.map((p) => [p.hops, p.conditional])).toEqual([
      [1, false],
      [1, true],
      [1, true],
      [2, false],
    ]);
    expect(found[1]!.conditions).toEqual(['aws:MultiFactorAuthPresent = true']);
  });

  it('k bounds the answer and maxDepth drops longer paths', () => {
    expect(paths(testGraph(), { from: arn.bob, to: ADMIN, k: 2 })).toHaveLength(2);
    const shallow = paths(testGraph(), { from: arn.dave, to: ADMIN, k: 10, maxDepth: 2 });
    expect(shallow.map((p) => line(p.steps))).toEqual([
      'dave -[iam:CreateAccessKey]-> bob -[iam:CreatePolicyVersion]-> ADMIN',
      'dave -[iam:CreateAccessKey]-> bob -[iam:AttachUserPolicy]-> ADMIN',
      'dave -[iam:CreateAccessKey]-> bob -[sts:AssumeRole]-> Ops -[admin-equivalent]-> ADMIN',
    ]);
    expect(paths(testGraph(), { from: arn.dave, to: ADMIN, k: 10, maxDepth: 3 })).toHaveLength(4);
  });

  it('each step carries its technique, kind and evidence', () => {
    const [first] = paths(testGraph(), { from: arn.carol, to: arn.ops });
    expect(first!.steps.map((s) => [s.kind, s.technique, s.evidence[0]!.policyName])).toEqual([
      ['assume', 'sts:AssumeRole', 'AssumeDeploy'],
      ['escalate', 'iam:PassRole+lambda:CreateFunction', 'DeployLambda'],
    ]);
  });

  it('to a principal: paths end there, without the admin step', () => {
    expect(paths(testGraph(), { from: arn.bob, to: arn.ops }).map((p) => line(p.steps))).toEqual([
      'bob -[sts:AssumeRole]-> Ops',
      'bob -[sts:AssumeRole]-> Deploy -[iam:PassRole+lambda:CreateFunction]-> Ops',
    ]);
  });

  it('a conditionally admin-equivalent principal gives a conditional path with its conditions', () => {
    const [p] = paths(testGraph(), { from: arn.erin, to: ADMIN });
    expect(line(p!.steps)).toBe('erin -[sts:AssumeRole]-> Audit -[admin-equivalent]-> ADMIN');
    expect(p!.conditions).toEqual(['sts:ExternalId = 42', 'aws:MultiFactorAuthPresent = true']);
  });

  it('an admin-equivalent principal reaches admin in zero hops; no path from a principal to itself', () => {
    expect(paths(testGraph(), { from: arn.ops, to: ADMIN }).map((p) => [line(p.steps), p.hops])).toEqual([
      ['Ops -[admin-equivalent]-> ADMIN', 0],
    ]);
    expect(paths(testGraph(), { from: arn.bob, to: arn.bob })).toEqual([]);
    expect(paths(testGraph(), { from: arn.frank, to: ADMIN })).toEqual([]);
  });

  it('paths are loopless even when the graph has cycles', () => {
    const g: EscalationGraph = testGraph();
    g.edges.push({ ...g.edges[3]!, from: arn.deploy, to: arn.bob, technique: 'iam:CreateAccessKey' });
    const found = paths(g, { from: arn.carol, to: ADMIN, k: 20 });
    for (const p of found) {
      const nodes = [p.steps[0]!.from, ...p.steps.map((s) => s.to)];
      expect(new Set(nodes).size).toBe(nodes.length);
    }
    // carol → Deploy → bob opens bob's three ways besides Deploy's own.
    expect(found.map((p) => line(p.steps))).toContain(
      'carol -[sts:AssumeRole]-> Deploy -[iam:CreateAccessKey]-> bob -[iam:CreatePolicyVersion]-> ADMIN',
    );
    expect(found).toHaveLength(4);
  });

  it('rejects bounds that make no sense', () => {
    expect(() => paths(testGraph(), { from: arn.bob, to: ADMIN, k: 0 })).toThrow(RangeError);
    expect(() => paths(testGraph(), { from: arn.bob, to: ADMIN, maxDepth: 99 })).toThrow(RangeError);
  });

  it('two techniques between the same principals are two paths', () => {
    const g: EscalationGraph = { edges: [], admins: new Map() };
    const base = { kind: 'escalate' as const, conditional: false, conditions: [], evidence: evidence('x') };
    g.edges.push({ ...base, from: arn.bob, to: arn.carol, technique: 'iam:CreateLoginProfile' });
    g.edges.push({ ...base, from: arn.bob, to: arn.carol, technique: 'iam:CreateAccessKey' });
    expect(paths(g, { from: arn.bob, to: arn.carol }).map((p) => line(p.steps))).toEqual([
      'bob -[iam:CreateLoginProfile]-> carol',
      'bob -[iam:CreateAccessKey]-> carol',
    ]);
  });

  // A class member that is not admin-equivalent can have its own way to admin: frank can create a key for any
  // user, and carol (one of them) reaches Ops through Deploy. Paths to admin that
  // skipped fan-out would say frank has none, while blast radius says admin is reachable.
  it('paths to admin run through a fan-out class member that reaches admin on its own', () => {
    const found = paths(testGraphWithFanOut(), { from: arn.frank, to: ADMIN, k: 10 });
    expect(found.map((p) => line(p.steps))).toEqual([
      'frank -[iam:CreateAccessKey]-> erin -[sts:AssumeRole]-> Audit -[admin-equivalent]-> ADMIN',
      'frank -[iam:CreateAccessKey]-> carol -[sts:AssumeRole]-> Deploy -[iam:PassRole+lambda:CreateFunction]-> Ops -[admin-equivalent]-> ADMIN',
      'frank -[iam:CreateAccessKey]-> erin -[sts:AssumeRole]-> Audit -[iam:CreateAccessKey]-> carol -[sts:AssumeRole]-> Deploy -[iam:PassRole+lambda:CreateFunction]-> Ops -[admin-equivalent]-> ADMIN',
    ]);
    expect(found.map((p) => p.hops)).toEqual([2, 3, 5]);
  });

  it('an admin-equivalent class member is reached through its class, one path', () => {
    // No edge of its own: the step into Ops is the class's (graph.ts FanOutEdge).
    const g = testGraphWithFanOut([arn.carol, arn.ops]);
    expect(g.edges.some((e) => e.to === arn.ops && e.from === arn.frank)).toBe(false);
    const found = paths(g, { from: arn.frank, to: ADMIN, k: 10 });
    expect(found.map((p) => line(p.steps))).toEqual([
      'frank -[iam:CreateAccessKey]-> Ops -[admin-equivalent]-> ADMIN',
      'frank -[iam:CreateAccessKey]-> carol -[sts:AssumeRole]-> Deploy -[iam:PassRole+lambda:CreateFunction]-> Ops -[admin-equivalent]-> ADMIN',
    ]);
  });
});
