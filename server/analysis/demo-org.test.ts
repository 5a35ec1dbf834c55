/**
 * The demo's organization and resource policies in who-can (examples/demo/README.md "Questions it answers"):
 * each answer is checked against the same snapshot without the data that changes it, so an analysis that ignores
 * the SCP or a resource policy fails.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import { importDemo } from '../../test/api/demo-fixture.ts';
import { whoCan } from './who-can.ts';
import { SnapshotAnalysis } from './snapshot-analysis.ts';

const KEY = 'arn:aws:kms:eu-central-1:111122223333:key/3f0c2a8e-5b7d-4c1e-9a6f-2d4b8e1c7a90';
const SECRET = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:orders-db-Xk3P9q';
const TOPIC = 'arn:aws:sns:eu-central-1:111122223333:order-events';

let s: AccountSnapshot;
beforeAll(async () => {
  s = await importDemo();
});

const who = async (snap: AccountSnapshot, action: string, resource: string) =>
  (await whoCan(SnapshotAnalysis.of(snap), { action, resource })).entries.map((e) => e.principal.name).sort();

describe('demo: organization and resource policies', () => {
  it('the ProtectAccount SCP: nobody can stop the audit trail or leave the organization', async () => {
    const { organization: _org, ...withoutOrg } = s;
    expect(await who(withoutOrg, 'cloudtrail:StopLogging', '*')).toEqual(['grace', 'platform-admin']);
    expect(await who(s, 'cloudtrail:StopLogging', '*')).toEqual([]);
    expect(await who(s, 'organizations:LeaveOrganization', '*')).toEqual([]);
    // Other actions are untouched by it.
    expect(await who(s, 'cloudtrail:LookupEvents', '*')).toContain('grace');
  });

  it('the orders-db secret policy: only lambda-order-processor reads it, the admins are denied', async () => {
    const noPolicy = { ...s, resources: s.resources.filter((r) => r.arn !== SECRET) };
    expect(await who(noPolicy, 'secretsmanager:GetSecretValue', SECRET)).toEqual(['grace', 'platform-admin']);
    expect(await who(s, 'secretsmanager:GetSecretValue', SECRET)).toEqual(['lambda-order-processor']);
  });

  it('the KMS key policy: the admins through the account delegation, lambda-order-processor by name', async () => {
    expect(await who(s, 'kms:Decrypt', KEY)).toEqual(['grace', 'lambda-order-processor', 'platform-admin']);
    // Without its key policy nobody may use a KMS key, not even an admin (key-policies: the key policy is required).
    const noPolicy = { ...s, resources: s.resources.filter((r) => r.arn !== KEY) };
    expect(await who(noPolicy, 'kms:Decrypt', KEY)).toEqual([]);
  });

  it('the order-events topic: svc-notifier (its inline policy and the topic policy) and the admins', async () => {
    expect(await who(s, 'sns:Publish', TOPIC)).toEqual(['grace', 'platform-admin', 'svc-notifier']);
  });

  it('the finance bucket: the answer says that its policy was not collected', async () => {
    const answer = await whoCan(SnapshotAnalysis.of(s), {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::example-corp-reports/q1.csv',
    });
    expect(answer.notes).toEqual([
      'incomplete: the resource policy of `arn:aws:s3:::example-corp-reports` was not collected: principals it alone grants are missing, and its Deny statements are not applied',
    ]);
    const engineering = await whoCan(SnapshotAnalysis.of(s), {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::example-corp-engineering/x',
    });
    expect(engineering.notes).toEqual([]);
  });
});
