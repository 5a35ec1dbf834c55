/**
 * whatIf and diff answer identically from Neo4j and the embedded store: both read the snapshot back (the analysis
 * runs on the AccountSnapshot), so this checks that Neo4j returns everything the what-if needs.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import { parseChanges } from '../../server/analysis/what-if/changes.ts';
import { applyChanges } from '../../server/analysis/what-if/overlay.ts';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import { createNeo4jStore } from '../../server/graph/neo4j/neo4j-store.ts';
import type { GraphStore } from '../../server/graph/store.ts';
import { queryApi } from './api-fixture.ts';
import { importDemo } from './demo-fixture.ts';
import { DIFF, WHAT_IF } from './what-if-queries.ts';

// A distinct account, so these snapshots never become another test's current demo snapshot.
const ACCOUNT = '999900007777';
const CHANGES = [
  { op: 'attachPolicy', policy: 'AmazonS3FullAccess', target: 'group/QA' },
  { op: 'addUserToGroup', user: 'carol', group: 'Engineering' },
  { op: 'setPermissionsBoundary', target: 'user/alice', policy: 'AmazonS3ReadOnlyAccess' },
  // A class-wide technique: carol's fan-out entry to every role trusting Lambda, listed with its class.
  {
    op: 'putInlinePolicy',
    target: 'user/carol',
    name: 'deploy',
    document: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'],
          Resource: '*',
        },
      ],
    }),
  },
];

let memory: GraphStore;
let neo: GraphStore;
const ids: Record<'memory' | 'neo', { before: string; after: string }> = {
  memory: { before: '', after: '' },
  neo: { before: '', after: '' },
};

beforeAll(async () => {
  memory = createMemoryStore();
  neo = await createNeo4jStore({
    uri: inject('neo4jUri'),
    user: inject('neo4jUser'),
    password: inject('neo4jPassword'),
  });
  const before = JSON.parse(
    JSON.stringify(await importDemo())
      .split('111122223333')
      .join(ACCOUNT),
  ) as AccountSnapshot;
  const after = applyChanges(before, parseChanges(CHANGES).changes!).overlay!.after;
  for (const [name, store] of [
    ['memory', memory],
    ['neo', neo],
  ] as const) {
    ids[name].before = (await store.load(before)).id;
    ids[name].after = (await store.load({ ...after, label: 'later' })).id;
  }
});

afterAll(async () => {
  for (const id of Object.values(ids.neo)) if (id) await neo.deleteSnapshot(id);
  await neo?.close();
  await memory?.close();
});

const withoutIds = (body: any) =>
  JSON.parse(
    JSON.stringify(body).replaceAll(/"(fromSnapshotId|toSnapshotId|snapshotId)":"[^"]*"/g, '"$1":"<id>"'),
  );

describe('what-if and diff: Neo4j answers as the embedded store does', () => {
  it('whatIf', async () => {
    const m = await queryApi(memory, WHAT_IF, { snapshotId: ids.memory.before, changes: CHANGES });
    const n = await queryApi(neo, WHAT_IF, { snapshotId: ids.neo.before, changes: CHANGES });
    expect(m.body.data.whatIf.__typename).toBe('WhatIfResult');
    expect(m.body.data.whatIf.diff.summary.principalsChanged).toBe(3);
    expect(m.body.data.whatIf.diff.escalation.fanOutAdded).toContainEqual(
      expect.objectContaining({
        technique: 'lambda-001',
        targetClass: expect.objectContaining({ description: 'every role trusting lambda.amazonaws.com' }),
      }),
    );
    expect(withoutIds(n.body)).toEqual(withoutIds(m.body));
  });

  it('diff', async () => {
    const m = await queryApi(memory, DIFF, { from: ids.memory.before, to: ids.memory.after });
    const n = await queryApi(neo, DIFF, { from: ids.neo.before, to: ids.neo.after });
    expect(m.body.data.diff.__typename).toBe('SnapshotDiff');
    expect(m.body.data.diff.diff.summary.principalsChanged).toBe(3);
    expect(m.body.data.diff.diff.summary.fanOutAdded).toBeGreaterThan(0);
    expect(withoutIds(n.body)).toEqual(withoutIds(m.body));
  });
});
