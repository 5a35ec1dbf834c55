/** unusedAccess and rightsize through GraphQL over the embedded store loaded with the demo and its evidence. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import type { GraphStore, SnapshotInfo } from '../../server/graph/store.ts';
import { queryApi } from './api-fixture.ts';
import { demo, importDemo } from './demo-fixture.ts';

let store: GraphStore;
let info: SnapshotInfo;
let snapshot: AccountSnapshot;
beforeAll(async () => {
  store = createMemoryStore();
  snapshot = await importDemo();
  info = await store.load(snapshot);
});

const UNUSED = /* GraphQL */ `
  query ($snapshotId: ID, $principals: [String!], $unusedDays: Int) {
    unusedAccess(snapshotId: $snapshotId, principals: $principals, unusedDays: $unusedDays) {
      __typename
      ... on UnusedAccess {
        unusedDays
        principals {
          name
          activity {
            status
            detail
          }
          services {
            service
            status
            unusedActions
            levels {
              level
              actions
              unused
            }
          }
          sources {
            kind
            name
            status
          }
          keys {
            slot
            status
          }
        }
        groups {
          name
          status
          services {
            service
            status
          }
        }
      }
      ... on Error {
        message
      }
    }
  }
`;

const RIGHTSIZE = /* GraphQL */ `
  query ($principals: [String!]) {
    rightsize(principals: $principals) {
      __typename
      ... on RightsizeResult {
        proposals {
          targetName
          targetKind
          reasons
          changes {
            op
            target
            policy
            name
            user
            group
            path
            document
          }
          proof {
            ok
            usedAccessLost {
              action
            }
            pathsToAdminLost
            escalationEdgesRemoved
            blastRadius {
              arn
              reachableBefore
              reachableAfter
            }
          }
        }
      }
    }
  }
`;

describe('unusedAccess', () => {
  it('dave: per service used/unused with levels, his group, through the API', async () => {
    const { body } = await queryApi(store, UNUSED, { snapshotId: info.id, principals: ['dave'] });
    const u = body.data.unusedAccess;
    expect(u.__typename).toBe('UnusedAccess');
    expect(u.unusedDays).toBe(90);
    const dave = u.principals[0];
    expect(dave.services.map((s: any) => [s.service, s.status])).toEqual([
      ['iam', 'UNUSED'],
      ['s3', 'USED'],
      ['s3-object-lambda', 'UNUSED'],
    ]);
    expect(dave.services[1].levels).toContainEqual({ level: 'READ', actions: expect.any(Number), unused: 1 });
    expect(u.groups).toEqual([
      {
        name: 'QA',
        status: 'USED',
        services: [
          { service: 'iam', status: 'UNUSED' },
          { service: 's3', status: 'USED' },
          { service: 's3-object-lambda', status: 'UNUSED' },
        ],
      },
    ]);
  }, 60_000);

  it('pages principals by ARN with first/after: every principal once, the cursor chain ends, totalCount fixed', async () => {
    const PAGE = /* GraphQL */ `
      query ($first: Int, $after: String) {
        unusedAccess(first: $first, after: $after) {
          __typename
          ... on UnusedAccess {
            totalCount
            pageInfo {
              endCursor
              hasNextPage
            }
            principals {
              arn
            }
            groups {
              name
            }
          }
          ... on InvalidArgument {
            argument
            message
          }
        }
      }
    `;
    const all = [...snapshot.users, ...snapshot.roles].map((p) => p.arn).sort();
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < all.length; pages++) {
      const { body } = await queryApi(store, PAGE, { first: 4, ...(after ? { after } : {}) });
      const u = body.data.unusedAccess;
      expect(u.totalCount).toBe(all.length);
      expect(u.principals.length).toBeLessThanOrEqual(4);
      seen.push(...u.principals.map((p: { arn: string }) => p.arn));
      if (!u.pageInfo.hasNextPage) {
        expect(u.pageInfo.endCursor).toBeNull();
        break;
      }
      after = u.pageInfo.endCursor;
    }
    // Pages follow ARN order; within a page, users come before roles as in the whole answer.
    expect(seen).toHaveLength(all.length);
    expect([...seen].sort()).toEqual(all);
    const bad = await queryApi(store, PAGE, { first: 4, after: 'bm90LWFuLWFybg' });
    expect(bad.body.data.unusedAccess).toMatchObject({ __typename: 'InvalidArgument', argument: 'after' });
    const big = await queryApi(store, PAGE, { first: 1000 });
    expect(big.body.data.unusedAccess).toMatchObject({ __typename: 'InvalidArgument', argument: 'first' });
  }, 120_000);

  it('groups: the group report with its members only', async () => {
    const { body } = await queryApi(
      store,
      /* GraphQL */ `
        {
          unusedAccess(groups: ["QA"]) {
            ... on UnusedAccess {
              totalCount
              principals {
                name
              }
              groups {
                name
                unusedMemberships
                services {
                  service
                  status
                }
              }
            }
          }
        }
      `,
    );
    const u = body.data.unusedAccess;
    expect(u.totalCount).toBe(1);
    expect(u.principals).toEqual([{ name: 'dave' }]);
    expect(u.groups.map((g: any) => [g.name, g.unusedMemberships])).toEqual([['QA', []]]);
  }, 60_000);

  it('unusedDays out of range is an InvalidArgument error', async () => {
    const { body } = await queryApi(
      store,
      UNUSED.replace('... on Error { message }', '... on InvalidArgument { message }'),
      { unusedDays: 0 },
    );
    expect(body.data.unusedAccess).toEqual({
      __typename: 'InvalidArgument',
      message: 'unusedDays must be a whole number from 1 to 400, got 0',
    });
  });
});

describe('rightsize', () => {
  it('the QA proposal with its changes (ready for whatIf) and proof', async () => {
    const { body } = await queryApi(store, RIGHTSIZE, { principals: ['dave'] });
    const [qa] = body.data.rightsize.proposals;
    expect(qa.targetName).toBe('QA');
    expect(qa.changes.map((c: any) => c.op)).toEqual([
      'createPolicy',
      'attachPolicy',
      'detachPolicy',
      'detachPolicy',
    ]);
    expect(qa.proof).toMatchObject({ ok: true, usedAccessLost: [], pathsToAdminLost: [demo.dave] });
    expect(qa.proof.blastRadius).toEqual([{ arn: demo.dave, reachableBefore: 12, reachableAfter: 0 }]);
  }, 60_000);
});
