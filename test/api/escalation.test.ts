/**
 * paths, blastRadius and whoCanReach through GraphQL on the embedded store, over a hand-built escalation graph
 * materialized at load (server/analysis/escalation/test-graph.ts draws it).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { toDerivedEdges } from '../../server/analysis/escalation/stored.ts';
import { arn, testGraph, testSnapshot } from '../../server/analysis/escalation/test-graph.ts';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import type { GraphStore, SnapshotInfo } from '../../server/graph/store.ts';
import { importBundles } from '../../server/app/import-bundles.ts';
import { queryApi } from './api-fixture.ts';
import { DEMO_DIR } from './demo-fixture.ts';
import { BLAST_RADIUS_QUERY, PATHS_QUERY, WHO_CAN_REACH_QUERY, pathLine } from './escalation-queries.ts';

let store: GraphStore;
let info: SnapshotInfo;

beforeAll(async () => {
  store = createMemoryStore();
  info = await store.load(testSnapshot(), { derivedEdges: toDerivedEdges(testGraph()) });
});

describe('paths', () => {
  it('the k shortest paths to admin, by name, each step with technique and evidence', async () => {
    const { body } = await queryApi(store, PATHS_QUERY, { s: info.id, from: 'bob', toAdmin: true, k: 10 });
    const r = body.data.paths;
    expect(r.__typename).toBe('PathsResult');
    expect(r.from).toBe(arn.bob);
    expect(r.to).toBe('accessgraph:admin');
    expect(r.paths.map(pathLine)).toEqual([
      'bob -[iam:CreatePolicyVersion]-> ADMIN',
      'bob -[iam:AttachUserPolicy]-> ADMIN',
      'bob -[sts:AssumeRole]-> Ops -[admin-equivalent]-> ADMIN',
      'bob -[sts:AssumeRole]-> Deploy -[iam:PassRole+lambda:CreateFunction]-> Ops -[admin-equivalent]-> ADMIN',
    ]);
    expect(r.paths[0].steps[0]).toMatchObject({
      kind: 'ESCALATE',
      conditional: false,
      evidence: [{ policyName: 'PolicyEditor', statementIndex: 0 }],
    });
    expect(r.paths[1]).toMatchObject({
      conditional: true,
      conditions: ['aws:MultiFactorAuthPresent = true'],
    });
  });

  it('to a principal, with k and maxDepth', async () => {
    const { body } = await queryApi(store, PATHS_QUERY, { s: info.id, from: arn.dave, to: 'Ops', k: 1 });
    expect(body.data.paths.paths.map(pathLine)).toEqual([
      'dave -[iam:CreateAccessKey]-> bob -[sts:AssumeRole]-> Ops',
    ]);
    const shallow = await queryApi(store, PATHS_QUERY, { s: info.id, from: 'dave', to: 'Ops', maxDepth: 1 });
    expect(shallow.body.data.paths.paths).toEqual([]);
  });

  it('bad input is a union error: unknown principal, both or neither target, k out of range', async () => {
    const ask = async (v: Record<string, unknown>) =>
      (await queryApi(store, PATHS_QUERY, { s: info.id, ...v })).body.data.paths;
    expect(await ask({ from: 'nobody', toAdmin: true })).toMatchObject({ __typename: 'NotFound' });
    expect(await ask({ from: 'bob' })).toMatchObject({ __typename: 'InvalidArgument', argument: 'to' });
    expect(await ask({ from: 'bob', to: 'carol', toAdmin: true })).toMatchObject({
      __typename: 'InvalidArgument',
    });
    expect(await ask({ from: 'bob', toAdmin: true, k: 0 })).toMatchObject({
      __typename: 'InvalidArgument',
      argument: 'k',
    });
    expect(await ask({ from: 'bob', toAdmin: true, maxDepth: 1000 })).toMatchObject({
      __typename: 'InvalidArgument',
      argument: 'maxDepth',
    });
  });
});

describe('blastRadius', () => {
  it('from an access key: its user, the principals it becomes, admin with paths', async () => {
    const { body } = await queryApi(store, BLAST_RADIUS_QUERY, { s: info.id, key: 'AKIAIOSFODNN7BOB0001' });
    const r = body.data.blastRadius;
    expect(r.__typename).toBe('BlastRadius');
    expect(r.start).toEqual({
      arn: arn.bob,
      name: 'bob',
      kind: 'user',
      accessKeyId: 'AKIAIOSFODNN7BOB0001',
      accessKeyActive: true,
    });
    expect(r.principals.map((p: any) => [p.name, p.hops, p.conditional])).toEqual([
      ['Deploy', 1, false],
      ['Ops', 2, false],
    ]);
    expect(r.admin).toMatchObject({ reachable: true, conditional: false });
    expect(r.admin.paths.map(pathLine)[0]).toBe('bob -[iam:CreatePolicyVersion]-> ADMIN');
    expect(r.counts).toEqual({ principals: 2, users: 0, roles: 2, services: 0, resources: 0, adminPaths: 3 });
  });

  it('from an inactive access key: nothing reached, the key said inactive, a note naming its user', async () => {
    const base = testSnapshot();
    const users = base.users.map((u) =>
      u.arn === arn.bob && u.credentials
        ? {
            ...u,
            credentials: {
              ...u.credentials,
              accessKeys: u.credentials.accessKeys.map((k) => ({ ...k, active: false })),
            },
          }
        : u,
    );
    const inactive = await store.load({ ...base, users }, { derivedEdges: toDerivedEdges(testGraph()) });
    const { body } = await queryApi(store, BLAST_RADIUS_QUERY, {
      s: inactive.id,
      key: 'AKIAIOSFODNN7BOB0001',
    });
    const r = body.data.blastRadius;
    expect(r.start).toEqual({
      arn: arn.bob,
      name: 'bob',
      kind: 'user',
      accessKeyId: 'AKIAIOSFODNN7BOB0001',
      accessKeyActive: false,
    });
    expect([r.principals, r.admin.reachable, r.services, r.resources]).toEqual([[], false, [], []]);
    expect(r.notes).toEqual([
      expect.stringMatching(/is inactive: .* reaches nothing until it is reactivated/),
    ]);
    // Asked by the user, the same snapshot still reaches admin: only the key is cut off.
    const byUser = await queryApi(store, BLAST_RADIUS_QUERY, { s: inactive.id, principal: 'bob' });
    expect(byUser.body.data.blastRadius.admin.reachable).toBe(true);
  });

  it('services and known resources by access level, from effective permissions', async () => {
    const { body } = await queryApi(store, BLAST_RADIUS_QUERY, { s: info.id, principal: 'frank' });
    const r = body.data.blastRadius;
    expect(r.admin).toEqual({ reachable: false, conditional: false, paths: [] });
    expect(r.source).toBe('effective-permissions');
    expect(r.services).toEqual([
      { service: 's3', levels: [{ level: 'Read', actions: 1, conditional: false, via: [arn.frank] }] },
    ]);
    expect(r.resources.map((x: any) => [x.name, x.levels.map((l: any) => l.level)])).toEqual([
      ['reports', ['Read']],
    ]);
  });

  it('an unknown key or principal is NotFound; neither or both arguments is InvalidArgument', async () => {
    const ask = async (v: Record<string, unknown>) =>
      (await queryApi(store, BLAST_RADIUS_QUERY, { s: info.id, ...v })).body.data.blastRadius.__typename;
    expect(await ask({ key: 'AKIAIOSFODNN7NOBODY1' })).toBe('NotFound');
    expect(await ask({ principal: 'nobody' })).toBe('NotFound');
    expect(await ask({})).toBe('InvalidArgument');
    expect(await ask({ principal: 'bob', key: 'AKIAIOSFODNN7BOB0001' })).toBe('InvalidArgument');
  });
});

describe('whoCanReach', () => {
  it('the direct reader plus everyone who reaches admin, with their chains', async () => {
    const { body } = await queryApi(store, WHO_CAN_REACH_QUERY, {
      s: info.id,
      resource: 'arn:aws:s3:::reports/q3.csv',
      action: 's3:GetObject',
    });
    const r = body.data.whoCanReach;
    expect(r.__typename).toBe('WhoCanReachResult');
    expect(r.entries.map((e: any) => [e.principal.name, e.direct, e.conditional])).toEqual([
      ['frank', true, false],
      // Then by hops (the admin step is none), then ARN.
      ['Audit', false, true],
      ['Ops', false, false],
      ['Deploy', false, false],
      ['bob', false, false],
      ['erin', false, true],
      ['carol', false, false],
      ['dave', false, false],
    ]);
    expect(pathLine(r.entries.find((e: any) => e.principal.name === 'carol').path)).toBe(
      'carol -[sts:AssumeRole]-> Deploy -[iam:PassRole+lambda:CreateFunction]-> Ops -[admin-equivalent]-> ADMIN',
    );
    expect(r.counts).toEqual({ direct: 1, indirect: 0, viaAdmin: 7 });
  });
});

describe('chokePoints', () => {
  it('Ops is on the most cheapest paths to admin; bad top is InvalidArgument', async () => {
    const q = `query($s: ID, $top: Int) { chokePoints(snapshotId: $s, top: $top) { __typename
      ... on ChokePoints { paths principals { arn paths } edges { edge { from technique } paths } } } }`;
    const { body } = await queryApi(store, q, { s: info.id, top: 2 });
    const c = body.data.chokePoints;
    expect(c.paths).toBe(5);
    expect(c.principals).toEqual([
      { arn: arn.ops, paths: 2 },
      { arn: arn.audit, paths: 1 },
    ]);
    // Equal counts come in graph order, which the store's sorted rows decide: compare as a set.
    expect(c.edges.map((e: any) => [e.edge.technique, e.paths]).sort()).toEqual([
      ['iam:CreatePolicyVersion', 2],
      ['iam:PassRole+lambda:CreateFunction', 2],
    ]);
    const bad = await queryApi(store, q, { s: info.id, top: 0 });
    expect(bad.body.data.chokePoints.__typename).toBe('InvalidArgument');
  });
});

describe('on the demo, imported the way `serve` does (edges built and stored at import)', () => {
  it('paths from dave to admin and the blast radius of bob', async () => {
    const demoStore = createMemoryStore();
    const [outcome] = await importBundles(demoStore, [DEMO_DIR]);
    const s = outcome!.snapshot!.id;
    const { body } = await queryApi(demoStore, PATHS_QUERY, { s, from: 'dave', toAdmin: true, k: 1 });
    expect(body.data.paths.paths.map(pathLine)).toEqual([
      'dave -[iam-003]-> svc-deploy -[cloudformation-001]-> cfn-deployer -[iam-005]-> ADMIN',
    ]);
    const blast = await queryApi(demoStore, BLAST_RADIUS_QUERY, { s, principal: 'bob' });
    expect(blast.body.data.blastRadius.principals.map((p: any) => p.name)).toEqual([
      'lambda-order-processor',
    ]);
    expect(blast.body.data.blastRadius.admin.reachable).toBe(false);
  }, 60_000);
});
