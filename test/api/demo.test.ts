/** The API over the embedded store loaded with the demo bundle through importBundle: the questions the README promises. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import type { GraphStore, SnapshotInfo } from '../../server/graph/store.ts';
import { queryApi } from './api-fixture.ts';
import { demo, importDemo } from './demo-fixture.ts';

let store: GraphStore;
let info: SnapshotInfo;

beforeAll(async () => {
  store = createMemoryStore();
  info = await store.load(await importDemo());
});

describe('the demo account through GraphQL', () => {
  it('lists the snapshot with its counts and its completeness warnings', async () => {
    const { body } = await queryApi(
      store,
      '{ snapshots { accountId label current counts { users groups roles } warnings { code jsonPath } } }',
    );
    expect(body.data.snapshots).toEqual([
      {
        accountId: '111122223333',
        label: 'Example Corp',
        current: true,
        counts: { users: 8, groups: 4, roles: 5 },
        warnings: [
          {
            code: 'gaad.aws-policy-filled',
            jsonPath: 'UserDetailList[2].PermissionsBoundary.PermissionsBoundaryArn',
          },
          { code: 'credential-report.no-generated-time', jsonPath: null },
          // The finance bucket is known from its public access block; its policy was not collected.
          { code: 'resource-policy.bucket-policy-not-collected', jsonPath: null },
        ],
      },
    ]);
  });

  it('alice gets AmazonS3FullAccess through Engineering', async () => {
    const { body } = await queryApi(
      store,
      `query($arn: String!) { principal(arn: $arn) { ... on QueryPrincipalSuccess { data {
        name ... on User { groups { name } } policies { via group { name } policy { id kind } } } } } }`,
      { arn: demo.alice },
    );
    expect(body.data.principal.data).toEqual({
      name: 'alice',
      groups: [{ name: 'Engineering' }],
      policies: [
        {
          via: 'GROUP_MANAGED',
          group: { name: 'Engineering' },
          policy: { id: demo.s3Full, kind: 'AWS_MANAGED' },
        },
      ],
    });
  });

  it("elena's boundary is PowerUserAccess, filled from the package though GAAD omitted it", async () => {
    const { body } = await queryApi(
      store,
      `query($arn: String!) { principal(arn: $arn) { ... on QueryPrincipalSuccess { data { boundaryArn boundary { id kind } } } } }`,
      { arn: demo.elena },
    );
    expect(body.data.principal.data).toEqual({
      boundaryArn: demo.powerUser,
      boundary: { id: demo.powerUser, kind: 'AWS_MANAGED' },
    });
  });

  it('svc-notifier has only its inline sns:Publish on order-events', async () => {
    const { body } = await queryApi(
      store,
      `query($arn: String!) { principal(arn: $arn) { ... on QueryPrincipalSuccess { data {
        path policies { via policy { kind document } } } } } }`,
      { arn: demo.svcNotifier },
    );
    const p = body.data.principal.data;
    expect(p.path).toBe('/service-accounts/');
    expect(p.policies).toHaveLength(1);
    expect(p.policies[0].via).toBe('INLINE');
    expect(JSON.stringify(p.policies[0].policy.document)).toContain(
      'arn:aws:sns:eu-central-1:111122223333:order-events',
    );
  });

  it('QA has dave as its only member', async () => {
    const { body } = await queryApi(
      store,
      `query($arn: String!) { group(arn: $arn) { ... on Group { members { name } } } }`,
      {
        arn: demo.qa,
      },
    );
    expect(body.data.group.members).toEqual([{ name: 'dave' }]);
  });

  it('ReportsReadOnly keeps its non-default v1 and is attached directly to carol', async () => {
    const { body } = await queryApi(
      store,
      `query($arn: String!) { policy(arn: $arn) { ... on Policy { defaultVersionId versions { versionId isDefault } attachedTo { arn kind as } } } }`,
      { arn: demo.reportsReadOnly },
    );
    expect(body.data.policy).toEqual({
      defaultVersionId: 'v2',
      versions: expect.arrayContaining([
        { versionId: 'v1', isDefault: false },
        { versionId: 'v2', isDefault: true },
      ]),
      attachedTo: [{ arn: demo.carol, kind: 'USER', as: 'POLICY' }],
    });
  });

  it('the graph around Engineering reaches its members and its policy', async () => {
    const { body } = await queryApi(
      store,
      `query($focus: String) { graph(focus: $focus, depth: 1) { ... on Graph { edges { source target kind } } } }`,
      { focus: demo.engineering },
    );
    const edges = new Set(body.data.graph.edges.map((e: any) => `${e.source} ${e.kind} ${e.target}`));
    for (const user of [demo.alice, demo.bob, demo.elena])
      expect(edges).toContain(`${user} MEMBER_OF ${demo.engineering}`);
    expect(edges).toContain(`${demo.engineering} HAS_POLICY ${demo.s3Full}`);
    expect(edges).not.toContain(`${demo.dave} MEMBER_OF ${demo.engineering}`);
  });

  it('an ARN of the demo account without snapshotId reads the current snapshot of that account', async () => {
    const { body } = await queryApi(
      store,
      `query($arn: String!) { principal(arn: $arn) { ... on QueryPrincipalSuccess { data { snapshotId } } } }`,
      {
        arn: demo.dave,
      },
    );
    expect(body.data.principal.data.snapshotId).toBe(info.id);
  });
});
