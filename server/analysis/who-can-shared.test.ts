/**
 * who-can shares one answer between resources that every statement's Resource/NotResource patterns treat alike
 * (two objects of one bucket), and only between those: a pattern naming one prefix, a NotResource, a bucket
 * policy naming one prefix, a policy variable (`home/${aws:username}/*`, reference_policies_variables) and an IAM
 * service rule (a protected role, iam.ts) keep their answers apart. Each answer is checked against a fresh
 * analysis, which has nothing to share.
 */
import { describe, expect, it } from 'vitest';
import type { AccountSnapshot, IamUser } from '../../schema/snapshot.ts';
import { SNAPSHOT_SCHEMA_VERSION } from '../../schema/snapshot.ts';
import { SnapshotAnalysis } from './snapshot-analysis.ts';
import { whoCan, type WhoCanQuery } from './who-can.ts';

const ACCOUNT = '111122223333';
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const user = (name: string, ...documents: string[]): IamUser => ({
  kind: 'user',
  arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
  name,
  id: `AIDA${name.toUpperCase()}`,
  path: '/',
  inlinePolicies: documents.map((document, i) => ({ name: `p${i}`, document })),
  attachedPolicies: [],
  groups: [],
  tags: {},
});

function account(): AccountSnapshot {
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    accountId: ACCOUNT,
    partition: 'aws',
    accounts: [{ id: ACCOUNT }],
    label: 'shared answers',
    sourceFiles: [],
    users: [
      user('reader', doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' })),
      user(
        'publisher',
        doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/public/*' }),
      ),
      user(
        'not-secret',
        doc({ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::data/secret/*' }),
      ),
      ...['alice', 'bob'].map((name) =>
        user(
          name,
          doc({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::data/home/${aws:username}/*',
          }),
        ),
      ),
      user('iam-admin', doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' })),
    ],
    groups: [],
    roles: [],
    policies: [],
    resources: [
      {
        arn: 'arn:aws:s3:::guarded',
        service: 's3',
        type: 'bucket',
        name: 'guarded',
        accountId: ACCOUNT,
        tags: {},
        policy: doc({
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::guarded/open/*',
        }),
      },
    ],
    warnings: [],
  };
}

/** Who is allowed, by name, from `analysis`; and from a fresh analysis of a copy, which must agree. */
async function who(analysis: SnapshotAnalysis, q: WhoCanQuery): Promise<string[]> {
  const shared = (await whoCan(analysis, q)).entries.map((e) => `${e.principal.name} ${e.decision}`);
  const fresh = (await whoCan(SnapshotAnalysis.of(account()), q)).entries.map(
    (e) => `${e.principal.name} ${e.decision}`,
  );
  expect(shared).toEqual(fresh);
  return shared;
}

const get = (resource: string): WhoCanQuery => ({ action: 's3:GetObject', resource });

describe('who-can answers shared between resources', () => {
  it('two objects no pattern tells apart share one answer (the same entries)', async () => {
    const analysis = SnapshotAnalysis.of(account());
    const a = await whoCan(analysis, get('arn:aws:s3:::data/reports/a.csv'));
    const b = await whoCan(analysis, get('arn:aws:s3:::data/reports/b.csv'));
    expect(b.entries).toBe(a.entries);
    expect(a.entries.map((e) => e.principal.name)).toEqual(['reader', 'not-secret']);
  });

  it('a Resource naming one prefix, and a NotResource, keep their objects apart', async () => {
    const analysis = SnapshotAnalysis.of(account());
    expect(await who(analysis, get('arn:aws:s3:::data/reports/a'))).toEqual([
      'reader ALLOWED',
      'not-secret ALLOWED',
    ]);
    expect(await who(analysis, get('arn:aws:s3:::data/public/a'))).toEqual([
      'reader ALLOWED',
      'publisher ALLOWED',
      'not-secret ALLOWED',
    ]);
    expect(await who(analysis, get('arn:aws:s3:::data/secret/a'))).toEqual(['reader ALLOWED']);
    expect(await who(analysis, get('arn:aws:s3:::data/reports/b'))).toEqual([
      'reader ALLOWED',
      'not-secret ALLOWED',
    ]);
  });

  it('a pattern with a policy variable answers per object', async () => {
    const analysis = SnapshotAnalysis.of(account());
    expect(await who(analysis, get('arn:aws:s3:::data/home/alice/x'))).toEqual([
      'reader ALLOWED',
      'not-secret ALLOWED',
      'alice ALLOWED',
    ]);
    expect(await who(analysis, get('arn:aws:s3:::data/home/bob/x'))).toEqual([
      'reader ALLOWED',
      'not-secret ALLOWED',
      'bob ALLOWED',
    ]);
  });

  it("a bucket policy's own Resource patterns keep its objects apart", async () => {
    const analysis = SnapshotAnalysis.of(account());
    expect(await who(analysis, get('arn:aws:s3:::guarded/open/x'))).toContain('alice ALLOWED');
    expect(await who(analysis, get('arn:aws:s3:::guarded/closed/x'))).not.toContain('alice ALLOWED');
  });

  it('a service rule reads the resource itself: protected roles are answered apart', async () => {
    // iam:DeleteRole on a service-linked role is refused by IAM whatever the policies say (services/iam.ts).
    const analysis = SnapshotAnalysis.of(account());
    const q = (role: string): WhoCanQuery => ({ action: 'iam:DeleteRole', resource: role });
    expect(await who(analysis, q(`arn:aws:iam::${ACCOUNT}:role/app`))).toEqual(['iam-admin ALLOWED']);
    expect(
      await who(analysis, q(`arn:aws:iam::${ACCOUNT}:role/aws-service-role/s3.amazonaws.com/AWSServiceRole`)),
    ).toEqual([]);
  });
});
