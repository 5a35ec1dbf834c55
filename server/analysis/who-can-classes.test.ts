/**
 * who-can evaluates once for principals the policies cannot tell apart (same kind, account, path and policies)
 * and gives each its own entry. Every entry is held to the answer for a snapshot holding that principal alone,
 * where nothing is shared: members of one group, roles with the same inline document (whose ids and paths name
 * the role), and policies that read the caller — a condition on aws:username or aws:PrincipalArn
 * (reference_policies_condition-keys), a policy variable (reference_policies_variables), a bucket policy naming
 * one user (reference_policies_elements_principal) — which must not be shared.
 */
import { describe, expect, it } from 'vitest';
import type { AccountSnapshot, IamGroup, IamRole, IamUser } from '../../schema/snapshot.ts';
import { SNAPSHOT_SCHEMA_VERSION } from '../../schema/snapshot.ts';
import { SnapshotAnalysis } from './snapshot-analysis.ts';
import { whoCan, type WhoCanEntry, type WhoCanQuery } from './who-can.ts';

const ACCOUNT = '111122223333';
const iam = (rest: string) => `arn:aws:iam::${ACCOUNT}:${rest}`;
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

const group = (name: string, document: string): IamGroup => ({
  kind: 'group',
  arn: iam(`group/${name}`),
  name,
  id: `AGPA${name.toUpperCase()}`,
  path: '/',
  inlinePolicies: [{ name: `${name}-policy`, document }],
  attachedPolicies: [],
});

const user = (name: string, groups: string[], ...documents: string[]): IamUser => ({
  kind: 'user',
  arn: iam(`user/${name}`),
  name,
  id: `AIDA${name.toUpperCase()}`,
  path: '/',
  inlinePolicies: documents.map((document, i) => ({ name: `own${i}`, document })),
  attachedPolicies: [],
  groups: groups.map((g) => iam(`group/${g}`)),
  tags: {},
});

const OPS = doc(
  { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' },
  { Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::b/keep/*' },
);

const role = (name: string, path = '/'): IamRole => ({
  kind: 'role',
  arn: iam(`role${path}${name}`),
  name,
  id: `AROA${name.toUpperCase()}`,
  path,
  inlinePolicies: [{ name: 'ops', document: OPS }],
  attachedPolicies: [],
  tags: {},
  trustPolicy: doc({
    Effect: 'Allow',
    Principal: { Service: 'ec2.amazonaws.com' },
    Action: 'sts:AssumeRole',
  }),
  instanceProfiles: [],
});

function account(): AccountSnapshot {
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    accountId: ACCOUNT,
    partition: 'aws',
    accounts: [{ id: ACCOUNT }],
    label: 'principal classes',
    sourceFiles: [],
    users: [
      ...['alice', 'bob', 'carol'].map((n) => user(n, ['readers'])),
      ...['dave', 'erin'].map((n) => user(n, ['readers', 'homes', 'writers'])),
      user('frank', ['readers'], doc({ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' })),
      user('grace', ['readers'], doc({ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' })),
    ],
    groups: [
      group('readers', doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' })),
      group(
        'homes',
        doc({ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/home/${aws:username}/*' }),
      ),
      group(
        'writers',
        doc({
          Effect: 'Allow',
          Action: 's3:DeleteObject',
          Resource: 'arn:aws:s3:::b/*',
          Condition: { StringEquals: { 'aws:username': 'dave' } },
        }),
      ),
    ],
    roles: [role('ops-1'), role('ops-2'), role('ops-3'), role('ops-4', '/service-role/')],
    policies: [],
    resources: [
      {
        arn: 'arn:aws:s3:::b',
        service: 's3',
        type: 'bucket',
        name: 'b',
        accountId: ACCOUNT,
        tags: {},
        policy: doc(
          { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/public/*' },
          {
            Effect: 'Allow',
            Principal: { AWS: iam('user/bob') },
            Action: 's3:ListBucket',
            Resource: 'arn:aws:s3:::b',
          },
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:PutObject',
            Resource: 'arn:aws:s3:::b/*',
            Condition: { ArnEquals: { 'aws:PrincipalArn': iam('role/ops-2') } },
          },
        ),
      },
    ],
    warnings: [],
  };
}

/** The snapshot with only the principal `arn`: nothing to share its evaluation with. */
function alone(snapshot: AccountSnapshot, arn: string): AccountSnapshot {
  return {
    ...snapshot,
    users: snapshot.users.filter((u) => u.arn === arn),
    roles: snapshot.roles.filter((r) => r.arn === arn),
  };
}

const QUERIES: WhoCanQuery[] = [
  { action: 's3:GetObject', resource: 'arn:aws:s3:::b/x' },
  { action: 's3:GetObject', resource: 'arn:aws:s3:::b/public/x' },
  { action: 's3:PutObject', resource: 'arn:aws:s3:::b/home/dave/x', includeDenied: true },
  { action: 's3:PutObject', resource: 'arn:aws:s3:::b/x' },
  { action: 's3:DeleteObject', resource: 'arn:aws:s3:::b/keep/x', includeDenied: true },
  { action: 's3:DeleteObject', resource: 'arn:aws:s3:::b/x' },
  { action: 's3:ListBucket', resource: 'arn:aws:s3:::b', includeDenied: true },
];

describe('who-can: principals evaluated alike', () => {
  it.each(QUERIES)('gives each principal its own answer: $action on $resource', async (query) => {
    const snapshot = account();
    const answer = await whoCan(SnapshotAnalysis.of(snapshot), query);
    const expected: WhoCanEntry[] = [];
    for (const p of [...snapshot.users, ...snapshot.roles]) {
      const single = await whoCan(SnapshotAnalysis.of(alone(snapshot, p.arn)), query);
      expected.push(...single.entries);
    }
    expect(answer.entries).toEqual(expected);
  });

  it('names each role in its own inline policy, and keeps apart what reads the caller', async () => {
    const snapshot = account();
    const analysis = SnapshotAnalysis.of(snapshot);
    const put = await whoCan(analysis, { action: 's3:PutObject', resource: 'arn:aws:s3:::b/home/dave/x' });
    const byName = new Map(put.entries.map((e) => [e.principal.name, e]));
    // The ${aws:username} home and the PrincipalArn Deny decide per principal.
    expect([...byName.keys()].sort()).toEqual(['dave', 'frank', 'grace', 'ops-1', 'ops-3', 'ops-4']);
    const ops3 = byName.get('ops-3')!.matched.find((m) => m.layer === 'identity')!;
    expect(ops3.policyId).toBe(`${iam('role/ops-3')}#inline/ops`);
    expect(ops3.attachedVia).toEqual([iam('role/ops-3')]);
    expect(ops3.path).toBe('role ops-3 → inline ops → Statement[0]');
    const del = await whoCan(analysis, { action: 's3:DeleteObject', resource: 'arn:aws:s3:::b/x' });
    // The aws:username condition of the writers group lets dave delete, not erin.
    expect(del.entries.map((e) => e.principal.name).sort()).toEqual([
      'dave',
      'ops-1',
      'ops-2',
      'ops-3',
      'ops-4',
    ]);
    const dave = del.entries.find((e) => e.principal.name === 'dave')!;
    expect(dave.matched.map((m) => m.path)).toEqual([
      'user dave → group writers → inline writers-policy → Statement[0]',
    ]);
  });
});
