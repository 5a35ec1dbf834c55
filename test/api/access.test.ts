/** Principal.access and resource(arn) through GraphQL over the embedded store loaded with the demo. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import type { GraphStore, SnapshotInfo } from '../../server/graph/store.ts';
import { ACCESS_QUERY, ENG_BUCKET, RESOURCE_QUERY, withBucketPolicy } from './access-queries.ts';
import { queryApi } from './api-fixture.ts';
import { demo, importDemo } from './demo-fixture.ts';

let store: GraphStore;
let info: SnapshotInfo;

beforeAll(async () => {
  store = createMemoryStore();
  info = await store.load(withBucketPolicy(await importDemo()));
}, 60_000);

describe('principal(arn) { access }', () => {
  it('carol: s3 read on the reports bucket with the statement that grants it', async () => {
    const { body } = await queryApi(store, ACCESS_QUERY, { arn: demo.carol, service: 's3' });
    expect(body.errors).toBeUndefined();
    const access = body.data.principal.data.access;
    expect(access.evaluatedAs).toBe(demo.carol);
    const s3 = access.services.find((s: any) => s.service === 's3');
    expect(s3.levels.map((l: any) => l.level)).toEqual(['READ', 'LIST']);
    const get = s3.levels[0].actions.find((a: any) => a.action === 's3:GetObject');
    expect(get.decision).toBe('ALLOWED');
    expect(get.scopes).toEqual([
      expect.objectContaining({
        pattern: 'arn:aws:s3:::example-corp-reports/*',
        partial: false,
        cuts: [],
        grantedBy: [expect.stringMatching(/^user carol → ReportsReadOnly → Statement\[\d\]/)],
      }),
    ]);
  });

  it('a role: ec2-build-agent reads the engineering bucket only through its bucket policy, CONDITIONAL on TLS', async () => {
    const { body } = await queryApi(store, ACCESS_QUERY, {
      arn: 'arn:aws:iam::111122223333:role/ec2-build-agent',
      service: 's3',
    });
    const access = body.data.principal.data.access;
    expect(access.evaluatedAs).toBe('arn:aws:sts::111122223333:assumed-role/ec2-build-agent/accessgraph');
    expect(access.services).toEqual([]);
    const bucket = access.resources.find((r: any) => r.arn === ENG_BUCKET);
    expect(bucket.resourcePolicyId).toBe(ENG_BUCKET);
    const grants = bucket.levels.flatMap((l: any) => l.grants);
    expect(grants.flatMap((g: any) => g.actions).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    for (const g of grants) {
      expect(g).toMatchObject({ decision: 'CONDITIONAL', viaResourcePolicy: true });
      expect(g.conditions).toContain('aws:SecureTransport');
    }
  });

  it('the context pins conditions: over TLS (strict) the same grants are ALLOWED', async () => {
    const { body } = await queryApi(store, ACCESS_QUERY, {
      arn: 'arn:aws:iam::111122223333:role/ec2-build-agent',
      service: 's3',
      context: [{ key: 'aws:SecureTransport', values: ['true'] }],
      strict: true,
    });
    const grants = body.data.principal.data.access.resources[0].levels.flatMap((l: any) => l.grants);
    expect(grants.map((g: any) => g.decision)).toEqual(grants.map(() => 'ALLOWED'));
  });
});

describe('resource(arn)', () => {
  it('the engineering bucket: its policy and who can read it, by level', async () => {
    const { body } = await queryApi(store, RESOURCE_QUERY, { arn: ENG_BUCKET });
    const r = body.data.resource;
    expect(r.__typename).toBe('ResourceView');
    expect(r.snapshotId).toBe(info.id);
    expect(r.policy.Statement[0].Sid).toBe('BuildAgentsReadInputs');
    const read = r.whoCan.find((l: any) => l.level === 'READ');
    const names = read.principals.map((p: any) => p.name).sort();
    // Engineering, QA, the admins, the role the bucket policy names, and partner-auditor (SecurityAudit reads the
    // bucket's configuration, not its objects); not svc-notifier, not carol.
    expect(names).toEqual([
      'alice',
      'bob',
      'dave',
      'ec2-build-agent',
      'elena',
      'grace',
      'partner-auditor',
      'platform-admin',
    ]);
    const actionsOf = (name: string) => read.principals.find((p: any) => p.name === name).actions;
    expect(actionsOf('dave')).toContain('s3:GetObject');
    expect(actionsOf('partner-auditor')).toContain('s3:GetBucketPolicy');
    expect(actionsOf('partner-auditor')).not.toContain('s3:GetObject');
    // dave (QA, AmazonS3ReadOnlyAccess) has no writes.
    const write = r.whoCan.find((l: any) => l.level === 'WRITE');
    expect(write.principals.map((p: any) => p.name)).not.toContain('dave');
    // lambda-order-processor writes only under reports/: listed, and marked partial with the pattern.
    const lambda = write.principals.find((p: any) => p.name === 'lambda-order-processor');
    expect(lambda).toMatchObject({
      actions: ['s3:PutObject'],
      partial: ['s3:PutObject'],
      scopes: [`${ENG_BUCKET}/reports/*`],
    });
  });

  it('an unknown resource is NotFound', async () => {
    const { body } = await queryApi(store, RESOURCE_QUERY, { arn: 'arn:aws:s3:::no-such-bucket' });
    expect(body.data.resource).toMatchObject({ __typename: 'NotFound' });
    expect(body.data.resource.message).toContain('no-such-bucket');
  });
});
