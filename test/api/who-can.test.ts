/** whoCan through GraphQL over the embedded store loaded with the demo bundle (examples/demo/README.md). */
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

const QUERY = `query($snapshotId: ID, $action: String!, $resource: String!, $context: [ContextEntryInput!],
    $includeDenied: Boolean, $includeIndirect: Boolean, $maxDepth: Int) {
  whoCan(snapshotId: $snapshotId, action: $action, resource: $resource, context: $context,
         includeDenied: $includeDenied, includeIndirect: $includeIndirect, maxDepth: $maxDepth) {
    __typename
    ... on Error { message }
    ... on WhoCanResult {
      snapshotId actions evaluated principals notes
      entries { principal { arn name kind } action decision conditions summary deniedBy { kind layer }
                matched { layer effect policyId statementIndex attachedVia path } indirect path }
    }
  }
}`;

describe('whoCan on the demo account', () => {
  it('s3:GetObject on the engineering bucket over TLS: Engineering, QA, the admins, the build agent (bucket policy) — not svc-notifier', async () => {
    const { body } = await queryApi(store, QUERY, {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::example-corp-engineering/x',
      // The bucket policy denies plain HTTP; pinning TLS makes the answers plain ALLOWED.
      context: [{ key: 'aws:SecureTransport', values: ['true'] }],
    });
    const r = body.data.whoCan;
    expect(r.__typename).toBe('WhoCanResult');
    expect(r.snapshotId).toBe(info.id);
    expect(r.entries.map((e: any) => e.principal.name).sort()).toEqual([
      'alice',
      'bob',
      'dave',
      'ec2-build-agent',
      'elena',
      'grace',
      'platform-admin',
    ]);
    const alice = r.entries.find((e: any) => e.principal.arn === demo.alice);
    expect(alice.decision).toBe('ALLOWED');
    expect(alice.matched).toContainEqual({
      layer: 'identity',
      effect: 'Allow',
      policyId: demo.s3Full,
      statementIndex: 0,
      attachedVia: [demo.alice, demo.engineering],
      path: 'user alice → group Engineering → AmazonS3FullAccess → Statement[0]',
    });
  });

  it('includeDenied says why svc-notifier cannot; includeIndirect adds nobody on the demo (only grace can assume platform-admin, and she has it directly)', async () => {
    const { body } = await queryApi(store, QUERY, {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::example-corp-engineering/x',
      includeDenied: true,
      includeIndirect: true,
    });
    const svc = body.data.whoCan.entries.find((e: any) => e.principal.arn === demo.svcNotifier);
    expect(svc).toMatchObject({ decision: 'DENIED', deniedBy: { kind: 'implicit', layer: 'identity' } });
    expect(svc.summary).toMatch(/^DENIED: /);
    expect(body.data.whoCan.entries.filter((e: any) => e.indirect)).toEqual([]);
  });

  it('sts:AssumeRole on platform-admin is decided by its trust policy: grace, CONDITIONAL on MFA', async () => {
    const role = 'arn:aws:iam::111122223333:role/platform-admin';
    const { body } = await queryApi(store, QUERY, { action: 'sts:AssumeRole', resource: role });
    const grace = body.data.whoCan.entries.find((e: any) => e.principal.name === 'grace');
    expect(grace).toMatchObject({
      decision: 'CONDITIONAL',
      conditions: 'aws:MultiFactorAuthPresent = true',
      indirect: false,
      path: null,
    });
    expect(grace.matched.map((m: any) => m.policyId)).toContain(`${role}#trust-policy`);
  });

  it('maxDepth outside 1..5 is InvalidArgument', async () => {
    const { body } = await queryApi(store, QUERY, {
      action: 's3:GetObject',
      resource: '*',
      includeIndirect: true,
      maxDepth: 9,
    });
    expect(body.data.whoCan).toMatchObject({ __typename: 'InvalidArgument' });
  });

  it('passes the request context and answers per service: sns:Publish is for svc-notifier, not QA', async () => {
    const { body } = await queryApi(store, QUERY, {
      action: 'sns:Publish',
      resource: 'arn:aws:sns:eu-central-1:111122223333:order-events',
      context: [{ key: 'aws:SourceIp', values: ['10.0.0.1'] }],
    });
    const names = body.data.whoCan.entries.map((e: any) => e.principal.name);
    expect(names).toContain('svc-notifier');
    expect(names).not.toContain('dave');
  });

  it('answers bad arguments and unknown snapshots as error results', async () => {
    const bad = await queryApi(store, QUERY, { action: 'GetObject', resource: '*' });
    expect(bad.body.data.whoCan).toEqual({
      __typename: 'InvalidArgument',
      message: '`GetObject` is not `service:Action`',
    });
    const missing = await queryApi(store, QUERY, {
      snapshotId: 'nope',
      action: 's3:GetObject',
      resource: '*',
    });
    expect(missing.body.data.whoCan.__typename).toBe('SnapshotNotFound');
  });
});
