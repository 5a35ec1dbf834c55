/**
 * What who asks and when settle, through who-can, access and the escalation graph (engine: evaluate/facts.ts and
 * the role-session principal match): iam-vulnerable-style roles whose permission is conditioned on
 * `aws:TokenIssueTime`, and a bucket policy and trust policy naming one session of a role.
 */
import { describe, expect, it } from 'vitest';
import { aBucket, aRole, aSnapshot, trustService } from '../../test/support/builders.ts';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import { ADMIN, buildEscalationGraph } from './escalation/index.ts';
import { whoCan } from './who-can.ts';
import { access } from './access.ts';
import { createGrantSource } from './what-if/grants.ts';
import { loadCatalog } from '../engine/index.ts';
import { SnapshotAnalysis } from './snapshot-analysis.ts';

const iam = (rest: string) => `arn:aws:iam::111122223333:${rest}`;
const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

// aws:TokenIssueTime is present only with temporary credentials, and a role session lasts at most 12 hours
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html).
const COLLECTED = '2026-12-01T00:00:00Z';
const selfPutRolePolicy = (name: string, condition: object) =>
  aRole({
    name,
    trustPolicy: trustService('ec2.amazonaws.com'),
    inlinePolicies: [
      {
        name: 'self',
        document: doc({
          Effect: 'Allow',
          Action: 'iam:PutRolePolicy',
          Resource: iam(`role/${name}`),
          Condition: condition,
        }),
      },
    ],
  });
const tokenRoles = [
  selfPutRolePolicy('since-2020', { DateGreaterThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:00Z' } }),
  selfPutRolePolicy('before-2020', { DateLessThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:00Z' } }),
  selfPutRolePolicy('future', { DateGreaterThan: { 'aws:TokenIssueTime': '2027-01-01T00:00:00Z' } }),
  // Issued within the last 4 hours: some sessions in use are, some are not.
  selfPutRolePolicy('fresh', { DateGreaterThan: { 'aws:TokenIssueTime': '2026-11-30T20:00:00Z' } }),
];

function toAdmin(graph: Awaited<ReturnType<typeof buildEscalationGraph>>, name: string) {
  return graph.edges.filter((e) => e.from === iam(`role/${name}`) && e.to === ADMIN);
}

describe('aws:TokenIssueTime settled by the snapshot time', () => {
  const snapshot: AccountSnapshot = aSnapshot({ roles: tokenRoles, collectedAt: COLLECTED });

  it('escalation: a certain path is not conditional, an impossible one is not drawn', async () => {
    const graph = await buildEscalationGraph(snapshot);
    expect(toAdmin(graph, 'since-2020').map((e) => e.conditional)).toEqual([false]);
    expect(toAdmin(graph, 'before-2020')).toEqual([]);
    expect(toAdmin(graph, 'future')).toEqual([]);
    const fresh = toAdmin(graph, 'fresh');
    expect(fresh.map((e) => e.conditional)).toEqual([true]);
    expect(fresh[0]!.conditions).toEqual(['aws:TokenIssueTime after 2026-11-30T20:00:00Z']);
  });

  it('who-can: the same answers', async () => {
    const decisions = new Map<string, string>();
    for (const r of tokenRoles) {
      const answer = await whoCan(SnapshotAnalysis.of(snapshot), {
        action: 'iam:PutRolePolicy',
        resource: r.arn,
      });
      const e = answer.entries.find((x) => x.principal.arn === r.arn);
      decisions.set(r.name, e?.decision ?? 'DENIED');
    }
    expect(Object.fromEntries(decisions)).toEqual({
      'since-2020': 'ALLOWED',
      'before-2020': 'DENIED',
      future: 'DENIED',
      fresh: 'CONDITIONAL',
    });
  });

  it('what-if grants: the same answers', async () => {
    const source = createGrantSource(await loadCatalog());
    const put = (name: string) =>
      source
        .grants(snapshot, iam(`role/${name}`), new Set(['iam:putrolepolicy']))
        .filter((g) => g.action === 'iam:PutRolePolicy')
        .map((g) => g.decision);
    expect(put('since-2020')).toEqual(['ALLOWED']);
    expect(put('before-2020')).toEqual([]);
    expect(put('fresh')).toEqual(['CONDITIONAL']);
  });

  it('without the snapshot time the value is unknown: conditional', async () => {
    const graph = await buildEscalationGraph(aSnapshot({ roles: tokenRoles }));
    expect(toAdmin(graph, 'since-2020').map((e) => e.conditional)).toEqual([true]);
    expect(toAdmin(graph, 'future').map((e) => e.conditional)).toEqual([true]);
  });
});

// "Role session principals": a policy can name one session, arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
describe('a policy naming one session of a role', () => {
  const session = 'arn:aws:sts::111122223333:assumed-role/etl/batch';
  const etl = aRole({ name: 'etl', trustPolicy: trustService('ec2.amazonaws.com') });
  const target = aRole({
    name: 'target',
    trustPolicy: doc({ Effect: 'Allow', Principal: { AWS: session }, Action: 'sts:AssumeRole' }),
  });
  const bucket = aBucket(
    'reports',
    doc({
      Effect: 'Allow',
      Principal: { AWS: session },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::reports/*',
    }),
  );
  const snapshot = aSnapshot({ roles: [etl, target], resources: [bucket] });

  it('who-can: the role is CONDITIONAL on the session name, not left out', async () => {
    const answer = await whoCan(SnapshotAnalysis.of(snapshot), {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::reports/x',
    });
    const e = answer.entries.find((x) => x.principal.arn === etl.arn);
    expect(e).toMatchObject({ decision: 'CONDITIONAL', conditions: 'the session is named batch' });
  });

  it('access: the bucket is readable if the session is named batch', async () => {
    const answer = await access(SnapshotAnalysis.of(snapshot), etl.arn);
    const reports = answer!.resources.find((r) => r.arn === bucket.arn);
    const grants = reports!.levels.flatMap((l) => l.grants);
    expect(grants.find((g) => g.actions.includes('s3:GetObject'))).toMatchObject({
      decision: 'CONDITIONAL',
      conditions: 'the session is named batch',
    });
  });

  it('what-if grants: the bucket is readable if the session is named batch', async () => {
    const source = createGrantSource(await loadCatalog());
    const read = source
      .grants(snapshot, etl.arn, new Set(['s3:getobject']))
      .filter((g) => g.action === 's3:GetObject');
    expect(read).toMatchObject([{ decision: 'CONDITIONAL', conditions: 'the session is named batch' }]);
  });

  it('escalation: assuming the role trusted for that session is a conditional edge', async () => {
    const graph = await buildEscalationGraph(snapshot);
    const assume = graph.edges.filter((e) => e.from === etl.arn && e.to === target.arn);
    expect(assume).toMatchObject([
      { kind: 'assume', conditional: true, conditions: ['the session is named batch'] },
    ]);
  });
});
