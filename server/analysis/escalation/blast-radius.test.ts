import { describe, expect, it } from 'vitest';
import { blastRadius, type PrincipalReach, type ReachProvider } from './blast-radius.ts';
import type { EscalationGraph } from './graph.ts';
import { arn, line, testGraph, testSnapshot } from './test-graph.ts';

/** A provider with fixed answers: the merge is what is under test here, not the permissions analysis. */
function fixedReach(by: Record<string, PrincipalReach>): ReachProvider {
  return { source: 'effective-permissions', reachOf: (a) => by[a] ?? { services: [], resources: [] } };
}

const ok = (r: ReturnType<typeof blastRadius>) => {
  if (r.kind !== 'ok') throw new Error(r.message);
  return r.answer;
};

describe('blastRadius', () => {
  it('lists the principals reachable with their paths, and admin with its k paths', () => {
    const a = ok(blastRadius(testGraph(), testSnapshot(), arn.dave));
    expect(a.principals.map((p) => [p.name, p.hops, p.conditional, line(p.path.steps)])).toEqual([
      ['bob', 1, false, 'dave -[iam:CreateAccessKey]-> bob'],
      ['Deploy', 2, false, 'dave -[iam:CreateAccessKey]-> bob -[sts:AssumeRole]-> Deploy'],
      // Ops: the 2-hop path needs MFA; the 3-hop one holds without conditions, so Ops is shown as certain.
      [
        'Ops',
        3,
        false,
        'dave -[iam:CreateAccessKey]-> bob -[sts:AssumeRole]-> Deploy -[iam:PassRole+lambda:CreateFunction]-> Ops',
      ],
    ]);
    expect(a.admin.reachable).toBe(true);
    expect(a.admin.conditional).toBe(false);
    expect(a.admin.paths.map((p) => line(p.steps))[0]).toBe(
      'dave -[iam:CreateAccessKey]-> bob -[iam:CreatePolicyVersion]-> ADMIN',
    );
    expect(a.admin.paths).toHaveLength(3);
    expect(a.counts).toMatchObject({ principals: 3, users: 1, roles: 2, adminPaths: 3 });
  });

  it('admin reachable only under conditions is marked conditional', () => {
    const a = ok(blastRadius(testGraph(), testSnapshot(), arn.erin));
    expect(a.principals.map((p) => [p.name, p.conditional])).toEqual([['Audit', true]]);
    expect(a.admin).toMatchObject({ reachable: true, conditional: true });
    expect(a.admin.paths[0]!.conditions).toEqual([
      'sts:ExternalId = 42',
      'aws:MultiFactorAuthPresent = true',
    ]);
  });

  it('resolves an access key id to its user', () => {
    const a = ok(blastRadius(testGraph(), testSnapshot(), 'AKIAIOSFODNN7BOB0001'));
    expect(a.start).toEqual({
      arn: arn.bob,
      name: 'bob',
      kind: 'user',
      accessKeyId: 'AKIAIOSFODNN7BOB0001',
      accessKeyActive: true,
    });
  });

  it('resolves a name, and says when a key or name is unknown', () => {
    expect(ok(blastRadius(testGraph(), testSnapshot(), 'carol')).start.arn).toBe(arn.carol);
    expect(blastRadius(testGraph(), testSnapshot(), 'AKIAIOSFODNN7NOBODY1')).toMatchObject({
      kind: 'not-found',
    });
    expect(blastRadius(testGraph(), testSnapshot(), 'nobody')).toMatchObject({ kind: 'not-found' });
  });

  it('merges services and resources over the start and everyone it can become, naming who grants them', () => {
    const graph: EscalationGraph = { edges: testGraph().edges.slice(6), admins: new Map() };
    const a = ok(
      blastRadius(graph, testSnapshot(), arn.carol, {
        reach: fixedReach({
          [arn.carol]: {
            services: [
              { service: 's3', levels: [{ level: 'List', actions: ['s3:ListBucket'], conditional: false }] },
            ],
            resources: [],
          },
          [arn.deploy]: {
            services: [
              {
                service: 's3',
                levels: [
                  { level: 'List', actions: ['s3:ListBucket', 's3:ListAllMyBuckets'], conditional: false },
                  { level: 'Write', actions: ['s3:PutObject'], conditional: true },
                ],
              },
            ],
            resources: [
              {
                arn: 'arn:aws:s3:::releases',
                service: 's3',
                type: 'bucket',
                name: 'releases',
                levels: [{ level: 'Write', actions: ['s3:PutObject'], conditional: false }],
              },
            ],
          },
        }),
      }),
    );
    expect(a.admin.reachable).toBe(false);
    expect(a.services).toEqual([
      {
        service: 's3',
        levels: [
          { level: 'List', actions: 2, conditional: false, via: [arn.deploy, arn.carol] },
          { level: 'Write', actions: 1, conditional: true, via: [arn.deploy] },
        ],
      },
    ]);
    expect(a.resources.map((r) => [r.name, r.levels])).toEqual([
      ['releases', [{ level: 'Write', actions: 1, conditional: false, via: [arn.deploy] }]],
    ]);
    expect(a.counts).toMatchObject({ services: 1, resources: 1 });
  });

  it('does not enumerate services when admin is certainly reachable', () => {
    const a = ok(
      blastRadius(testGraph(), testSnapshot(), arn.bob, {
        reach: fixedReach({
          [arn.bob]: {
            services: [
              { service: 's3', levels: [{ level: 'Read', actions: ['s3:GetObject'], conditional: false }] },
            ],
            resources: [],
          },
        }),
      }),
    );
    expect(a.services).toEqual([]);
    expect(a.notes.join('\n')).toMatch(/admin is reachable/);
  });

  it('follows fan-out entries (one technique reaching a class of principals) to every target', () => {
    const graph = testGraph();
    graph.fanOut = [
      {
        from: arn.frank,
        kind: 'escalate',
        technique: 'iam:CreateAccessKey',
        conditional: false,
        conditions: [],
        evidence: [],
        targets: [arn.carol, arn.frank, arn.erin],
        targetClass: 'every user',
      },
    ];
    const a = ok(blastRadius(graph, testSnapshot(), arn.frank));
    expect(a.principals.map((p) => [p.name, p.hops, line(p.path.steps)])).toEqual([
      ['carol', 1, 'frank -[iam:CreateAccessKey]-> carol'],
      ['erin', 1, 'frank -[iam:CreateAccessKey]-> erin'],
      ['Audit', 2, 'frank -[iam:CreateAccessKey]-> erin -[sts:AssumeRole]-> Audit'],
      ['Deploy', 2, 'frank -[iam:CreateAccessKey]-> carol -[sts:AssumeRole]-> Deploy'],
      [
        'Ops',
        3,
        'frank -[iam:CreateAccessKey]-> carol -[sts:AssumeRole]-> Deploy -[iam:PassRole+lambda:CreateFunction]-> Ops',
      ],
    ]);
    expect(a.admin.reachable).toBe(true);
  });

  it('merges permissions over the nearest principals only, and says so', () => {
    const asked: string[] = [];
    const reach: ReachProvider = {
      source: 'effective-permissions',
      reachOf: (a) => (asked.push(a), { services: [], resources: [] }),
    };
    const a = ok(blastRadius(testGraph(), testSnapshot(), arn.carol, { reach, maxPermissionPrincipals: 1 }));
    // carol reaches admin without conditions (through Deploy and Ops): nothing to merge.
    expect(a.admin.reachable).toBe(true);
    expect(asked).toEqual([]);
    const e = ok(blastRadius(testGraph(), testSnapshot(), arn.erin, { reach, maxPermissionPrincipals: 0 }));
    expect(asked).toEqual([arn.erin]);
    expect(e.notes.join('\n')).toMatch(/the 0 nearest of the 1 principals reached/);
  });
});
