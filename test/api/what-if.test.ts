/** whatIf and diff through GraphQL over the embedded store loaded with the demo (examples/demo/README.md). */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseChanges } from '../../server/analysis/what-if/changes.ts';
import { applyChanges } from '../../server/analysis/what-if/overlay.ts';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import type { GraphStore, SnapshotInfo } from '../../server/graph/store.ts';
import { queryApi } from './api-fixture.ts';
import { demo, importDemo } from './demo-fixture.ts';
import { DIFF, WHAT_IF } from './what-if-queries.ts';

let store: GraphStore;
let before: SnapshotInfo;
let after: SnapshotInfo;

const ATTACH_S3_TO_QA = [{ op: 'attachPolicy', policy: 'AmazonS3FullAccess', target: 'group/QA' }];

beforeAll(async () => {
  store = createMemoryStore();
  const snapshot = await importDemo();
  before = await store.load(snapshot);
  // "Next month's" snapshot: the same account after the change was really made.
  const changed = applyChanges(snapshot, parseChanges(ATTACH_S3_TO_QA).changes!).overlay!.after;
  after = await store.load({ ...changed, label: 'a month later' });
});

describe('whatIf', () => {
  it('attaching AmazonS3FullAccess to QA: dave gains s3 write, nobody loses anything', async () => {
    const { body } = await queryApi(store, WHAT_IF, { snapshotId: before.id, changes: ATTACH_S3_TO_QA });
    const r = body.data.whatIf;
    expect(r.__typename).toBe('WhatIfResult');
    expect(r.affected).toEqual([demo.dave]);
    expect(r.diff.principals.map((p: any) => [p.name, p.change, p.revoked.length])).toEqual([
      ['dave', 'modified', 0],
    ]);
    expect(r.diff.principals[0].byService).toContainEqual(
      expect.objectContaining({ service: 's3', level: 'Write', revoked: 0 }),
    );
    expect(r.diff.principals[0].granted).toContainEqual({
      action: 's3:PutObject',
      service: 's3',
      level: 'Write',
      resource: '*',
      known: false,
      before: null,
      after: { decision: 'ALLOWED', conditions: null },
    });
  });

  it('a bucket policy naming carol: she gains the write it grants (same account: identity or resource policy)', async () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: demo.carol },
          Action: 's3:PutObject',
          Resource: 'arn:aws:s3:::example-corp-reports/*',
        },
      ],
    });
    const { body } = await queryApi(store, WHAT_IF, {
      snapshotId: before.id,
      changes: [{ op: 'putResourcePolicy', resource: 'example-corp-reports', document }],
    });
    const r = body.data.whatIf;
    expect(r.affected).toEqual([demo.carol]);
    expect(
      r.diff.principals.map((p: any) =>
        p.granted.map((g: any) => `${p.name} ${g.action} ${g.resource} ${g.known}`),
      ),
    ).toEqual([['carol s3:PutObject arn:aws:s3:::example-corp-reports/* true']]);
  });

  it('attaching IAMFullAccess to carol: her blast radius now reaches admin and everyone (blast-radius deltas)', async () => {
    const { body } = await queryApi(store, WHAT_IF, {
      snapshotId: before.id,
      changes: [{ op: 'attachPolicy', policy: 'IAMFullAccess', target: 'user/carol' }],
    });
    const blast = body.data.whatIf.diff.blastRadius;
    const stored = await store.readSnapshot(before.id);
    expect(blast.principals.find((p: any) => p.arn === demo.carol)).toMatchObject({
      before: { admin: 'NONE' },
      after: { admin: 'ALLOWED', reachable: stored!.users.length + stored!.roles.length - 1 },
      lost: [],
    });
    expect(body.data.whatIf.diff.summary.blastRadiusChanged).toBe(blast.principals.length + blast.more);
  });

  it('the stored snapshot is untouched: the same question twice gives the same answer', async () => {
    const first = await queryApi(store, WHAT_IF, { snapshotId: before.id, changes: ATTACH_S3_TO_QA });
    const second = await queryApi(store, WHAT_IF, { snapshotId: before.id, changes: ATTACH_S3_TO_QA });
    expect(second.body).toEqual(first.body);
    const stored = await store.readSnapshot(before.id);
    expect(stored!.groups.find((g) => g.arn === demo.qa)!.attachedPolicies).not.toContain(demo.s3Full);
  });

  it('invalid changes are an InvalidChanges result naming each change and JSON path', async () => {
    const { body } = await queryApi(store, WHAT_IF, {
      snapshotId: before.id,
      changes: [
        { op: 'addUserToGroup', user: 'bob', group: 'QA2' },
        {
          op: 'putInlinePolicy',
          target: 'user/bob',
          name: 'x',
          document:
            '{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:*","Resource":"*"}]}',
        },
      ],
    });
    const r = body.data.whatIf;
    expect(r.__typename).toBe('InvalidChanges');
    expect(r.diagnostics.map((d: any) => [d.code, d.jsonPath])).toEqual([
      ['policy.invalid-effect', 'changes[1].document.Statement[0].Effect'],
    ]);
    // Names are checked once the documents parse: fix the JSON and the unknown group is reported.
    const again = await queryApi(store, WHAT_IF, {
      snapshotId: before.id,
      changes: [{ op: 'addUserToGroup', user: 'bob', group: 'QA2' }],
    });
    expect(again.body.data.whatIf).toMatchObject({
      __typename: 'InvalidChanges',
      message: 'change 0 (addUserToGroup): unknown group `QA2` (changes[0].group)',
    });
  });

  it("deactivateAccessKey by slot: the key is listed as deactivated, no principal's access changes", async () => {
    const { body } = await queryApi(
      store,
      /* GraphQL */ `
        query ($snapshotId: ID, $changes: [ChangeInput!]!) {
          whatIf(snapshotId: $snapshotId, changes: $changes) {
            ... on WhatIfResult {
              affected
              keysDeactivated {
                user
                slot
                accessKeyId
              }
              diff {
                summary {
                  principalsChanged
                }
              }
            }
          }
        }
      `,
      { snapshotId: before.id, changes: [{ op: 'deactivateAccessKey', user: 'svc-deploy', slot: 2 }] },
    );
    expect(body.data.whatIf).toEqual({
      affected: [],
      keysDeactivated: [
        { user: 'arn:aws:iam::111122223333:user/service-accounts/svc-deploy', slot: 2, accessKeyId: null },
      ],
      diff: { summary: { principalsChanged: 0 } },
    });
  });

  it('an unknown snapshot is SnapshotNotFound', async () => {
    const { body } = await queryApi(store, WHAT_IF, { snapshotId: 'nope', changes: ATTACH_S3_TO_QA });
    expect(body.data.whatIf.__typename).toBe('SnapshotNotFound');
  });
});

describe('escalation fan-out (a class-wide technique) in whatIf and diff', () => {
  // carol joins a group with iam:PassRole on *: one entry to every role trusting Lambda, three of them, one of
  // which (lambda-maintenance) can make itself admin.
  const CHANGES = (
    JSON.parse(
      readFileSync(new URL('../../examples/what-if/fan-out-path-to-admin.json', import.meta.url), 'utf8'),
    ) as { document?: object }[]
  ).map((c) => (c.document ? { ...c, document: JSON.stringify(c.document) } : c));
  const roles = ['lambda-maintenance', 'lambda-order-processor', 'lambda-reports'].map(
    (r) => `arn:aws:iam::111122223333:role/${r}`,
  );
  const carols = (diff: any) => diff.escalation.fanOutAdded.filter((f: any) => f.from === demo.carol);

  it('whatIf lists the entry once, its class as description, size and members, and carol’s new path to admin', async () => {
    const { body } = await queryApi(store, WHAT_IF, { snapshotId: before.id, changes: CHANGES });
    const diff = body.data.whatIf.diff;
    expect(carols(diff)).toEqual([
      {
        from: demo.carol,
        kind: 'escalate',
        technique: 'lambda-001',
        conditional: false,
        conditions: [],
        targetClass: {
          id: expect.stringMatching(/^accessgraph:class:[0-9a-f]{32}$/),
          description: 'every role trusting lambda.amazonaws.com',
          size: 3,
          first: [expect.any(String)],
          members: expect.arrayContaining(roles),
        },
      },
    ]);
    expect(diff.escalation.pathsToAdminGained).toContain(demo.carol);
    expect(diff.summary.fanOutAdded).toBe(diff.escalation.fanOutAdded.length);
    expect(diff.summary.fanOutRemoved).toBe(diff.escalation.fanOutRemoved.length);
  });

  it('diff between the snapshots before and after the change lists the same entry', async () => {
    const snapshot = await store.readSnapshot(before.id);
    const changed = applyChanges(snapshot!, parseChanges(CHANGES).changes!).overlay!.after;
    const later = await store.load({ ...changed, label: 'after the deployers group' });
    const predicted = (await queryApi(store, WHAT_IF, { snapshotId: before.id, changes: CHANGES })).body.data
      .whatIf.diff;
    const { body } = await queryApi(store, DIFF, { from: before.id, to: later.id });
    expect(carols(body.data.diff.diff)).toEqual(carols(predicted));
    expect(body.data.diff.diff.escalation.pathsToAdminGained).toContain(demo.carol);
  });
});

describe('diff between two snapshots', () => {
  it('finds the same grants as the what-if that predicted them, over every principal', async () => {
    const predicted = (await queryApi(store, WHAT_IF, { snapshotId: before.id, changes: ATTACH_S3_TO_QA }))
      .body.data.whatIf.diff;
    const { body } = await queryApi(store, DIFF, { from: before.id, to: after.id });
    const r = body.data.diff;
    expect(r.__typename).toBe('SnapshotDiff');
    expect(r.diff.principals).toEqual(predicted.principals);
    expect(r.diff.summary.principalsCompared).toBe(before.counts.users + before.counts.roles);
    const reverse = (await queryApi(store, DIFF, { from: after.id, to: before.id })).body.data.diff.diff;
    expect(reverse.summary.revoked).toBe(predicted.summary.granted);
  });

  it('snapshots of different accounts are an AccountMismatch', async () => {
    const other = await store.load({ ...(await importDemo()), accountId: '444455556666' });
    const { body } = await queryApi(store, DIFF, { from: before.id, to: other.id });
    expect(body.data.diff.__typename).toBe('AccountMismatch');
  });
});
