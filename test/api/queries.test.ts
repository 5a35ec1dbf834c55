/** The API over the embedded store, loaded with a small builder-made account (no importer involved). */
import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import type { GraphStore, SnapshotInfo } from '../../server/graph/store.ts';
import { MAX_QUERY_DEPTH, createYoga } from '../../server/api/yoga.ts';
import { alice, engineering, fixtureSnapshot, lambdaRole, queryApi, s3Full } from './api-fixture.ts';

let store: GraphStore;
let info: SnapshotInfo;

beforeAll(async () => {
  store = createMemoryStore();
  info = await store.load(fixtureSnapshot);
});

describe('snapshots', () => {
  it('lists the loaded snapshot as current with its counts', async () => {
    const { body } = await queryApi(
      store,
      '{ snapshots { id accountId label current counts { users groups roles policies } } }',
    );
    expect(body).toEqual({
      data: {
        snapshots: [
          {
            id: info.id,
            accountId: '111122223333',
            label: 'api-fixture',
            current: true,
            counts: { users: 2, groups: 1, roles: 1, policies: 2 },
          },
        ],
      },
    });
  });

  it('answers an unknown snapshot id with SnapshotNotFound, not an exception', async () => {
    const { body } = await queryApi(
      store,
      '{ snapshot(id: "nope") { __typename ... on Error { message } } }',
    );
    expect(body).toEqual({
      data: { snapshot: { __typename: 'SnapshotNotFound', message: 'snapshot `nope` not found' } },
    });
  });
});

describe('principal', () => {
  const query = `query($arn: String!, $snapshotId: ID) {
    principal(arn: $arn, snapshotId: $snapshotId) {
      __typename
      ... on Error { message }
      ... on QueryPrincipalSuccess { data {
        __typename arn name snapshotId boundaryArn
        tags { key value }
        boundary { id kind }
        policies { via policyId group { name } policy { kind document } }
        ... on User { groups { name } accessKeys { id active lastRotated } mfaActive }
        ... on Role { trustPolicy }
      } }
    }
  }`;

  it('returns a user with groups, tags, boundary, key and every policy with how it applies', async () => {
    const { body } = await queryApi(store, query, { arn: alice.arn });
    expect(body.errors).toBeUndefined();
    const p = body.data.principal.data;
    expect(p).toMatchObject({
      __typename: 'User',
      arn: alice.arn,
      name: 'alice',
      snapshotId: info.id,
      boundaryArn: 'arn:aws:iam::111122223333:policy/DevBoundary',
      boundary: { id: 'arn:aws:iam::111122223333:policy/DevBoundary', kind: 'CUSTOMER_MANAGED' },
      // Sorted by key, whatever the input order.
      tags: [
        { key: 'costCenter', value: '42' },
        { key: 'team', value: 'platform' },
      ],
      groups: [{ name: 'Engineering' }],
      accessKeys: [{ id: 'AKIAEXAMPLEALICE0001', active: true, lastRotated: '2024-01-02T03:04:05Z' }],
      mfaActive: false,
    });
    expect(p.policies).toEqual([
      {
        via: 'INLINE',
        policyId: `${alice.arn}#inline/PublishAlerts`,
        group: null,
        policy: {
          kind: 'INLINE',
          document: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: 'sns:Publish',
                Resource: 'arn:aws:sns:eu-west-1:111122223333:alerts',
              },
            ],
          },
        },
      },
      {
        via: 'GROUP_MANAGED',
        policyId: s3Full.arn,
        group: { name: 'Engineering' },
        // The default version (v2), not the older v1.
        policy: {
          kind: 'AWS_MANAGED',
          document: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
          },
        },
      },
      {
        via: 'GROUP_INLINE',
        policyId: `${engineering.arn}#inline/ReadLogs`,
        group: { name: 'Engineering' },
        policy: {
          kind: 'INLINE',
          document: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'logs:Get*', Resource: '*' }],
          },
        },
      },
    ]);
  });

  it('returns a role with its trust policy as JSON', async () => {
    const { body } = await queryApi(store, query, { arn: lambdaRole.arn });
    expect(body.data.principal.data).toMatchObject({
      __typename: 'Role',
      name: 'order-processor',
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
      policies: [{ via: 'MANAGED', policyId: s3Full.arn, group: null, policy: { kind: 'AWS_MANAGED' } }],
    });
  });

  it('answers an ARN absent from the snapshot with NotFound', async () => {
    const arn = 'arn:aws:iam::111122223333:user/mallory';
    const { body } = await queryApi(store, query, { arn });
    expect(body.data.principal).toEqual({
      __typename: 'NotFound',
      message: `principal \`${arn}\` not found in snapshot \`${info.id}\``,
    });
  });

  it('answers an unknown snapshotId with SnapshotNotFound', async () => {
    const { body } = await queryApi(store, query, { arn: alice.arn, snapshotId: 'missing' });
    expect(body.data.principal).toEqual({
      __typename: 'SnapshotNotFound',
      message: 'snapshot `missing` not found',
    });
  });
});

describe('principals', () => {
  const query = `query($first: Int, $after: String, $filter: PrincipalFilter) {
    principals(first: $first, after: $after, filter: $filter) {
      __typename
      ... on Error { message }
      ... on PrincipalPage { totalCount items { __typename name } pageInfo { endCursor hasNextPage } }
    }
  }`;

  it('pages through principals in ARN order with a cursor', async () => {
    const first = await queryApi(store, query, { first: 2 });
    expect(first.body.data.principals).toMatchObject({
      totalCount: 3,
      // Role ARNs sort before user ARNs (`:role/` < `:user/`).
      items: [
        { __typename: 'Role', name: 'order-processor' },
        { __typename: 'User', name: 'alice' },
      ],
      pageInfo: { hasNextPage: true },
    });
    const second = await queryApi(store, query, {
      first: 2,
      after: first.body.data.principals.pageInfo.endCursor,
    });
    expect(second.body.data.principals).toEqual({
      __typename: 'PrincipalPage',
      totalCount: 3,
      items: [{ __typename: 'User', name: 'bob' }],
      pageInfo: { endCursor: null, hasNextPage: false },
    });
  });

  it('filters by kind and search text', async () => {
    const { body } = await queryApi(store, query, { filter: { kind: 'USER', search: 'ALI' } });
    expect(body.data.principals.items).toEqual([{ __typename: 'User', name: 'alice' }]);
  });

  it('rejects a page size out of range as InvalidArgument', async () => {
    const { body } = await queryApi(store, query, { first: 0 });
    expect(body.data.principals).toEqual({
      __typename: 'InvalidArgument',
      message: '`first` must be between 1 and 500, got 0',
    });
  });
});

describe('group and policy', () => {
  it('returns a group with members and its own policies', async () => {
    const { body } = await queryApi(
      store,
      `query($arn: String!) { group(arn: $arn) { __typename ... on Group {
        name members { name } policies { via policyId policy { name } } } } }`,
      { arn: engineering.arn },
    );
    expect(body.data.group).toEqual({
      __typename: 'Group',
      name: 'Engineering',
      members: [{ name: 'alice' }, { name: 'bob' }],
      policies: [
        { via: 'MANAGED', policyId: s3Full.arn, policy: { name: 'AmazonS3FullAccess' } },
        { via: 'INLINE', policyId: `${engineering.arn}#inline/ReadLogs`, policy: { name: 'ReadLogs' } },
      ],
    });
  });

  it('returns a managed policy with every version and what it is attached to', async () => {
    const { body } = await queryApi(
      store,
      `query($arn: String!) { policy(arn: $arn) { __typename ... on Policy {
        arn kind defaultVersionId versions { versionId isDefault } attachedTo { arn kind as } } } }`,
      { arn: s3Full.arn },
    );
    expect(body.data.policy).toMatchObject({
      __typename: 'Policy',
      arn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess',
      kind: 'AWS_MANAGED',
      defaultVersionId: 'v2',
      versions: [
        { versionId: 'v2', isDefault: true },
        { versionId: 'v1', isDefault: false },
      ],
    });
    expect(new Set(body.data.policy.attachedTo.map((a: any) => `${a.kind} ${a.as} ${a.arn}`))).toEqual(
      new Set([`GROUP POLICY ${engineering.arn}`, `ROLE POLICY ${lambdaRole.arn}`]),
    );
  });

  it('shows a boundary policy as attached BOUNDARY', async () => {
    const { body } = await queryApi(
      store,
      `query($arn: String!) { policy(arn: $arn) { ... on Policy { attachedTo { arn kind as } } } }`,
      { arn: 'arn:aws:iam::111122223333:policy/DevBoundary' },
    );
    expect(body.data.policy.attachedTo).toEqual([{ arn: alice.arn, kind: 'USER', as: 'BOUNDARY' }]);
  });

  it('finds an inline policy by its id', async () => {
    const { body } = await queryApi(
      store,
      `query($arn: String!) { policy(arn: $arn) { __typename ... on Policy { id arn kind attachedTo { arn as } } } }`,
      { arn: `${alice.arn}#inline/PublishAlerts` },
    );
    expect(body.data.policy).toEqual({
      __typename: 'Policy',
      id: `${alice.arn}#inline/PublishAlerts`,
      arn: null,
      kind: 'INLINE',
      attachedTo: [{ arn: alice.arn, as: 'POLICY' }],
    });
  });
});

describe('graph', () => {
  const query = `query($focus: String, $depth: Int) { graph(focus: $focus, depth: $depth) {
    __typename ... on Error { message } ... on Graph { nodes { id kind label } edges { source target kind } } } }`;

  it('returns the neighbourhood of a focus with typed nodes and edges', async () => {
    const { body } = await queryApi(store, query, { focus: alice.arn, depth: 1 });
    const g = body.data.graph;
    expect(g.__typename).toBe('Graph');
    expect(g.edges).toContainEqual({ source: alice.arn, target: engineering.arn, kind: 'MEMBER_OF' });
    expect(g.edges).toContainEqual({
      source: alice.arn,
      target: 'arn:aws:iam::111122223333:policy/DevBoundary',
      kind: 'BOUNDED_BY',
    });
    expect(g.nodes).toContainEqual({ id: alice.arn, kind: 'USER', label: 'alice' });
    // Depth 1 stops at the group: the group's policy is two hops away.
    expect(g.nodes.map((n: any) => n.id)).not.toContain(s3Full.arn);
  });

  it('rejects a depth out of range as InvalidArgument', async () => {
    const { body } = await queryApi(store, query, { focus: alice.arn, depth: 99 });
    expect(body.data.graph).toEqual({
      __typename: 'InvalidArgument',
      message: '`depth` must be between 0 and 6, got 99',
    });
  });
});

describe('limits and errors', () => {
  it(`rejects queries nested deeper than ${MAX_QUERY_DEPTH}`, async () => {
    let sel = 'name';
    for (let i = 0; i < 6; i++) sel = `members { groups { ${sel} } }`;
    const { body } = await queryApi(
      store,
      `{ group(arn: "${engineering.arn}") { ... on Group { ${sel} } } }`,
    );
    expect(body.data).toBeUndefined();
    expect(body.errors[0].message).toMatch(/depth/i);
  });

  it('reads a group shared by several users once per request (DataLoader)', async () => {
    // The real store, wrapped to count calls (no behaviour changed).
    const calls: string[] = [];
    const counting = new Proxy(store, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (prop === 'getGroup' && typeof v === 'function') {
          return (snapshotId: string, arn: string) => {
            calls.push(arn);
            return v.call(target, snapshotId, arn);
          };
        }
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const { body } = await queryApi(
      counting,
      `{ principals(filter: { kind: USER }) { ... on PrincipalPage { items { ... on User { name groups { name } } } } } }`,
    );
    expect(body.data.principals.items).toEqual([
      { name: 'alice', groups: [{ name: 'Engineering' }] },
      { name: 'bob', groups: [{ name: 'Engineering' }] },
    ]);
    expect(calls).toEqual([engineering.arn]);
  });

  it('masks unexpected failures: the client sees neither the message nor the stack', async () => {
    // The real store with one lookup failing the way a broken environment would (not a typed result).
    const failing = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'getGroup') return () => Promise.reject(new Error('disk on fire at /var/secret'));
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const { body } = await queryApi(failing, `{ group(arn: "${engineering.arn}") { __typename } }`);
    expect(body.errors.map((e: any) => e.message)).toEqual(['Unexpected error.']);
    expect(JSON.stringify(body)).not.toContain('secret');
  });

  it('serves GraphiQL with the example operations on GET /graphql', async () => {
    const yoga = createYoga({ store });
    const res = await yoga.fetch('http://yoga/graphql', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('GraphiQL');
    expect(html).toContain('query Principal');
  });
});
