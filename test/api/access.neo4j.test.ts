/**
 * Effective permissions, the resource view and who-can answer identically from Neo4j and the embedded store
 * (both read the snapshot back into a `SnapshotAnalysis`): the demo with its engineering bucket policy.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import { createNeo4jStore } from '../../server/graph/neo4j/neo4j-store.ts';
import type { GraphStore, SnapshotInfo } from '../../server/graph/store.ts';
import { ACCESS_QUERY, ENG_BUCKET, RESOURCE_QUERY, withBucketPolicy } from './access-queries.ts';
import { queryApi } from './api-fixture.ts';
import { demo, importDemo } from './demo-fixture.ts';

let memory: GraphStore;
let neo: GraphStore;
let memoryInfo: SnapshotInfo;
let neoInfo: SnapshotInfo;

beforeAll(async () => {
  memory = createMemoryStore();
  neo = await createNeo4jStore({
    uri: inject('neo4jUri'),
    user: inject('neo4jUser'),
    password: inject('neo4jPassword'),
  });
  const snapshot = withBucketPolicy(await importDemo());
  memoryInfo = await memory.load(snapshot);
  neoInfo = await neo.load(snapshot);
}, 120_000);

afterAll(async () => {
  if (neoInfo) await neo.deleteSnapshot(neoInfo.id);
  await neo?.close();
  await memory?.close();
});

const WHO_CAN = `query($s: ID, $action: String!, $resource: String!) {
  whoCan(snapshotId: $s, action: $action, resource: $resource, includeIndirect: true) {
    __typename ... on WhoCanResult { actions evaluated principals notes resourcePolicyId
      entries { principal { arn name kind } action decision conditions summary matched { path } indirect path } }
  }
}`;

async function both(query: string, variables: Record<string, unknown>): Promise<[unknown, unknown]> {
  const strip = (body: any, id: string) => JSON.parse(JSON.stringify(body).split(id).join('<snapshot>'));
  const m = await queryApi(memory, query, { ...variables, s: memoryInfo.id });
  const n = await queryApi(neo, query, { ...variables, s: neoInfo.id });
  return [strip(m.body, memoryInfo.id), strip(n.body, neoInfo.id)];
}

describe('Neo4j and the embedded store agree', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['access of carol', ACCESS_QUERY, { arn: demo.carol }],
    ['access of alice on s3', ACCESS_QUERY, { arn: demo.alice, service: 's3' }],
    ['access of ec2-build-agent', ACCESS_QUERY, { arn: 'arn:aws:iam::111122223333:role/ec2-build-agent' }],
    ['access of lambda-order-processor', ACCESS_QUERY, { arn: demo.lambdaRole }],
    ['resource view of the engineering bucket', RESOURCE_QUERY, { arn: ENG_BUCKET }],
    ['who-can s3:GetObject', WHO_CAN, { action: 's3:GetObject', resource: `${ENG_BUCKET}/x` }],
    [
      'who-can sts:AssumeRole on platform-admin (its trust policy)',
      WHO_CAN,
      { action: 'sts:AssumeRole', resource: 'arn:aws:iam::111122223333:role/platform-admin' },
    ],
  ];
  for (const [name, query, variables] of cases)
    it(name, async () => {
      const [fromMemory, fromNeo4j] = await both(query, variables);
      expect(fromNeo4j).toEqual(fromMemory);
      const text = JSON.stringify(fromMemory);
      // Not vacuous: real answers, no errors.
      expect(text).not.toContain('"errors"');
      expect(text).not.toMatch(/NotFound|NoSnapshot|InvalidArgument/);
      expect(text).toMatch(/ALLOWED|CONDITIONAL/);
    });
});
