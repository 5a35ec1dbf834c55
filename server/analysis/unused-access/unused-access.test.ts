/**
 * Unused access and right-sized proposals on the demo account (examples/demo/last-accessed/, README): QA's only
 * member dave reads S3 and never used IAM, partner-auditor was never assumed, svc-deploy's second key never used.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountSnapshot, LastAccessReport } from '../../../schema/snapshot.ts';
import { importDemo } from '../../../test/api/demo-fixture.ts';
import {
  aGroup,
  aPolicy,
  aSnapshot,
  allowDocument,
  aUser,
  ACCOUNT_ID,
} from '../../../test/support/builders.ts';
import { loadCatalog, type ActionCatalog } from '../../engine/catalog.ts';
import { accessWithCatalog } from '../access.ts';
import { applyChanges } from '../what-if/overlay.ts';
import { parseChanges } from '../what-if/changes.ts';
import { createGrantSource } from '../what-if/grants.ts';
import { diffOptionsWith } from '../what-if/what-if.ts';
import { rightsize, unusedAccessOf } from './index.ts';
import { SnapshotAnalysis } from '../snapshot-analysis.ts';

const A = (s: string) => `arn:aws:iam::${ACCOUNT_ID}:${s}`;
let demo: AccountSnapshot;
let catalog: ActionCatalog;
// Importing the demo takes seconds on a loaded host: more than the default hook timeout.
beforeAll(async () => {
  demo = await importDemo();
  catalog = await loadCatalog();
}, 60_000);

const report = (
  entityArn: string,
  services: LastAccessReport['services'],
  trackedSince = '2025-10-24T08:00:00Z',
) => ({
  entityArn,
  granularity: 'ACTION_LEVEL' as const,
  jobCreatedAt: '2026-11-28T08:00:00Z',
  jobCompletedAt: '2026-11-28T08:00:00Z',
  trackedSince,
  services,
});

describe('unused access (demo)', () => {
  it('dave: S3 used, IAM and S3 Object Lambda unused, the unused tracked actions listed', async () => {
    const u = await unusedAccessOf(SnapshotAnalysis.of(demo), { principals: ['dave'] });
    const dave = u.principals[0]!;
    expect(dave.services.map((s) => [s.service, s.status])).toEqual([
      ['iam', 'unused'],
      ['s3', 'used'],
      ['s3-object-lambda', 'unused'],
    ]);
    expect(dave.services.find((s) => s.service === 's3')!.unusedActions).toEqual(['s3:GetBucketPolicy']);
    expect(dave.sources).toMatchObject([{ kind: 'group', name: 'QA', status: 'used' }]);
    // His password was last used in July, but the evidence shows S3 use on 2026-11-20.
    expect(dave.activity.status).toBe('used');
    expect(u.groups.map((g) => [g.name, g.status])).toEqual([['QA', 'used']]);
  });

  it('partner-auditor was never assumed and uses nothing; svc-deploy has a key never used', async () => {
    const u = await unusedAccessOf(SnapshotAnalysis.of(demo), {
      principals: ['partner-auditor', 'svc-deploy'],
    });
    const auditor = u.principals.find((p) => p.name === 'partner-auditor')!;
    expect(auditor.activity).toEqual({
      status: 'unused',
      detail: 'never assumed in the tracking period (RoleLastUsed empty)',
    });
    expect(auditor.services.every((s) => s.status === 'unused')).toBe(true);
    expect(auditor.sources).toMatchObject([{ name: 'SecurityAudit', status: 'unused', awsManaged: true }]);
    const deploy = u.principals.find((p) => p.name === 'svc-deploy')!;
    expect(deploy.keys.map((k) => [k.slot, k.status])).toEqual([
      [1, 'used'],
      [2, 'unused'],
    ]);
  });

  it('counts only effective grants: a service an SCP-like Deny cuts is not listed', async () => {
    const s = aSnapshot({
      users: [
        aUser({
          name: 'u',
          inlinePolicies: [
            { name: 'p', document: allowDocument(['s3:GetObject', 'ec2:DescribeInstances']) },
            {
              name: 'deny',
              document: JSON.stringify({
                Version: '2012-10-17',
                Statement: [{ Effect: 'Deny', Action: 'ec2:*', Resource: '*' }],
              }),
            },
          ],
        }),
      ],
      lastAccess: [
        report(A('user/u'), [
          { service: 's3', name: 'Amazon S3' },
          { service: 'ec2', name: 'Amazon EC2' },
        ]),
      ],
    });
    const u = await unusedAccessOf(SnapshotAnalysis.of(s));
    expect(u.principals[0]!.services.map((x) => [x.service, x.status])).toEqual([['s3', 'unused']]);
  });

  it('missing evidence is unknown, and a short tracking period warns "not enough history": no proposal for either', async () => {
    const doc = allowDocument(['s3:GetObject', 'sqs:SendMessage']);
    const s = aSnapshot({
      users: [
        aUser({ name: 'none', inlinePolicies: [{ name: 'p', document: doc }] }),
        aUser({ name: 'young', inlinePolicies: [{ name: 'p', document: doc }] }),
      ],
      lastAccess: [
        report(
          A('user/young'),
          [
            { service: 's3', name: 'S3' },
            { service: 'sqs', name: 'SQS' },
          ],
          '2026-10-28T08:00:00Z',
        ),
      ],
    });
    const r = await rightsize(SnapshotAnalysis.of(s), {
      diff: diffOptionsWith(createGrantSource(catalog), { escalation: false }),
    });
    const none = r.usage.principals.find((p) => p.name === 'none')!;
    expect(none.services.every((x) => x.status === 'unknown')).toBe(true);
    expect(none.notes[0]).toMatch(/^no last-accessed report/);
    const young = r.usage.principals.find((p) => p.name === 'young')!;
    expect(young.services.every((x) => x.status === 'unknown')).toBe(true);
    expect(young.notes).toContain(
      'not enough history: 31 day(s) tracked, fewer than --unused-days 90; nothing is called unused',
    );
    expect(r.proposals).toEqual([]);
  });
});

describe('right-sized proposals (demo)', () => {
  it("QA: keeps S3 reads, detaches QAServiceAccountKeys, replaces the AWS managed policy with a copy; closes dave's path to admin", async () => {
    const r = await rightsize(SnapshotAnalysis.of(demo), { principals: ['dave'] });
    const qa = r.proposals.find((p) => p.target.name === 'QA')!;
    expect(qa.changes.map((c) => c.op)).toEqual([
      'createPolicy',
      'attachPolicy',
      'detachPolicy',
      'detachPolicy',
    ]);
    expect(qa.changes[2]).toEqual({
      op: 'detachPolicy',
      policy: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      target: A('group/QA'),
    });
    expect(qa.changes[3]).toEqual({
      op: 'detachPolicy',
      policy: A('policy/QAServiceAccountKeys'),
      target: A('group/QA'),
    });
    // The copy keeps the S3 reads dave uses and drops what nobody used.
    const copy = JSON.parse((qa.changes[0] as { document: string }).document) as {
      Statement: { Action: string | string[] }[];
    };
    const actions = copy.Statement.flatMap((s) => [s.Action].flat());
    // s3:List* loses nothing and stays as written; s3:Get* becomes its actions but GetBucketPolicy.
    expect(actions).toContain('s3:List*');
    expect(actions).toContain('s3:GetObject');
    expect(actions).not.toContain('s3:GetBucketPolicy');
    expect(actions.some((a) => a.startsWith('s3-object-lambda:'))).toBe(false);
    expect(qa.proof).toMatchObject({ ok: true, usedAccessLost: [], adminsLost: [] });
    expect(qa.proof!.pathsToAdminLost).toEqual([A('user/dave')]);
    expect(qa.proof!.escalationEdgesRemoved).toBeGreaterThan(0);
    expect(qa.proof!.blastRadius).toEqual([
      expect.objectContaining({ arn: A('user/dave'), adminBefore: 'ALLOWED', adminAfter: 'NONE' }),
    ]);
  }, 60_000);

  it('partner-auditor: the unused AWS managed policy is detached, never edited', async () => {
    const r = await rightsize(SnapshotAnalysis.of(demo), { principals: ['partner-auditor'] });
    expect(r.proposals.map((p) => [p.target.name, p.changes])).toEqual([
      [
        'partner-auditor',
        [
          {
            op: 'detachPolicy',
            policy: 'arn:aws:iam::aws:policy/SecurityAudit',
            target: A('role/partner-auditor'),
          },
        ],
      ],
    ]);
    expect(r.proposals[0]!.proof!.ok).toBe(true);
  }, 60_000);

  it('svc-deploy: its second key, never used, is deactivated by slot (the credential report shows no key ids)', async () => {
    const r = await rightsize(SnapshotAnalysis.of(demo), { principals: ['svc-deploy'] });
    const deploy = r.proposals.find((p) => p.target.name === 'svc-deploy')!;
    const keyChanges = deploy.changes.filter((c) => c.op === 'deactivateAccessKey');
    expect(keyChanges).toEqual([
      { op: 'deactivateAccessKey', user: A('user/service-accounts/svc-deploy'), slot: 2 },
    ]);
    expect(deploy.reasons.at(-1)).toMatch(/^access key #2 never used .*: deactivate it$/);
    expect(deploy.proof).toMatchObject({
      ok: true,
      keysDeactivated: [{ user: A('user/service-accounts/svc-deploy'), slot: 2 }],
    });
  }, 60_000);

  it('a customer managed policy attached elsewhere too is replaced by a copy, one attached only here is updated', async () => {
    const shared = aPolicy({ name: 'shared', document: allowDocument(['s3:GetObject', 'sqs:SendMessage']) });
    const own = aPolicy({ name: 'own', document: allowDocument(['sns:Publish', 'sqs:ReceiveMessage']) });
    const s = aSnapshot({
      users: [
        aUser({ name: 'a', attachedPolicies: [shared.arn, own.arn] }),
        aUser({ name: 'b', attachedPolicies: [shared.arn] }),
      ],
      policies: [shared, own],
      lastAccess: [
        report(A('user/a'), [
          { service: 's3', name: 'S3', lastAuthenticated: '2026-11-01T00:00:00Z' },
          { service: 'sqs', name: 'SQS' },
          { service: 'sns', name: 'SNS', lastAuthenticated: '2026-11-01T00:00:00Z' },
        ]),
      ],
    });
    const r = await rightsize(SnapshotAnalysis.of(s), {
      principals: ['a'],
      diff: diffOptionsWith(createGrantSource(catalog), { escalation: false }),
    });
    const a = r.proposals.find((p) => p.target.name === 'a')!;
    expect(a.changes.map((c) => c.op)).toEqual([
      'createPolicy',
      'attachPolicy',
      'detachPolicy',
      'updatePolicy',
    ]);
    expect(JSON.parse((a.changes[3] as { document: string }).document).Statement[0].Action).toBe(
      'sns:Publish',
    );
    expect(a.proof).toMatchObject({ ok: true });
    expect(a.proof!.removed.map((x) => x.principal)).toEqual([A('user/a')]);
  });
});

describe('group report', () => {
  it('per group: services no member used, memberships granting the member nothing used; --group restricts', async () => {
    const team = aGroup({
      name: 'team',
      inlinePolicies: [{ name: 'p', document: allowDocument(['s3:GetObject', 'sqs:SendMessage']) }],
    });
    const other = aGroup({ name: 'other' });
    const used = (service: string) => ({ service, name: service, lastAuthenticated: '2026-11-01T00:00:00Z' });
    const old = (service: string) => ({ service, name: service, lastAuthenticated: '2025-12-01T00:00:00Z' });
    const s = aSnapshot({
      users: [
        aUser({ name: 'reader', groups: [team.arn, other.arn] }),
        aUser({ name: 'idle', groups: [team.arn] }),
        aUser({ name: 'outsider', groups: [other.arn] }),
      ],
      groups: [team, other],
      lastAccess: [
        report(A('user/reader'), [used('s3'), old('sqs')]),
        report(A('user/idle'), [old('s3'), old('sqs')]),
      ],
    });
    const r = await rightsize(SnapshotAnalysis.of(s), {
      groups: ['team'],
      diff: diffOptionsWith(createGrantSource(catalog), { escalation: false }),
    });
    // Only the group asked for, and only its members.
    expect(r.usage.groups.map((g) => g.name)).toEqual(['team']);
    expect(r.usage.principals.map((p) => p.name)).toEqual(['reader', 'idle']);
    const [g] = r.usage.groups;
    expect(g!.services).toEqual([
      { service: 's3', status: 'used' },
      { service: 'sqs', status: 'unused' },
    ]);
    expect(g!.unusedMemberships).toEqual([A('user/idle')]);
    // idle loses the membership; the group keeps s3:GetObject for reader and drops SQS.
    expect(r.proposals.find((p) => p.target.name === 'idle')!.changes).toEqual([
      { op: 'removeUserFromGroup', user: A('user/idle'), group: team.arn },
    ]);
    const narrowed = r.proposals.find((p) => p.target.name === 'team')!.changes[0] as { document: string };
    expect(JSON.parse(narrowed.document).Statement[0].Action).toBe('s3:GetObject');
    expect(r.proposals.every((p) => p.proof!.ok)).toBe(true);
  });
});

/** The oracle: what the evidence says of one action, written out from the API reference's field meanings. */
function shownUsed(s: AccountSnapshot, arn: string, action: string, days: number): boolean {
  const r = s.lastAccess?.find((x) => x.entityArn === arn);
  if (!r) return true;
  const cutoff = Date.parse(r.jobCompletedAt) - days * 86_400_000;
  if (Date.parse(r.trackedSince) > cutoff) return true;
  const svc = r.services.find((x) => x.service === action.split(':')[0]!.toLowerCase());
  if (!svc) return true;
  if (!svc.lastAuthenticated || Date.parse(svc.lastAuthenticated) < cutoff) return false;
  const t = svc.trackedActions?.find((x) => x.action.toLowerCase() === action.toLowerCase());
  return !t || (t.lastAccessed !== undefined && Date.parse(t.lastAccessed) >= cutoff);
}

describe('property: applying a proposal never revokes an access the evidence shows used', () => {
  const SUBJECTS = [
    'dave',
    'carol',
    'bob',
    'svc-deploy',
    'svc-notifier',
    'lambda-order-processor',
    'cfn-deployer',
  ];
  const when = fc.constantFrom(undefined, '2026-11-20T00:00:00Z', '2026-05-01T00:00:00Z');
  it('random last-access evidence on the demo, effective access recomputed before and after', async () => {
    const options = diffOptionsWith(createGrantSource(catalog), { escalation: false });
    let proposals = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(when, fc.boolean(), when), { minLength: 64, maxLength: 64 }),
        fc.constantFrom(30, 90, 180),
        async (draws, days) => {
          let k = 0;
          const next = () => draws[k++ % draws.length]!;
          const lastAccess = demo.lastAccess!.flatMap((r) => {
            const [, keep] = next();
            if (!keep && !r.entityArn.includes(':group/')) return [];
            return [
              {
                ...r,
                services: r.services.map((svc) => {
                  const [last, , action] = next();
                  const { lastAuthenticated: _l, ...rest } = svc;
                  return {
                    ...rest,
                    ...(last ? { lastAuthenticated: last } : {}),
                    ...(svc.trackedActions
                      ? {
                          trackedActions: svc.trackedActions.map((t) => {
                            const { lastAccessed: _t, ...tr } = t;
                            const [tl] = next();
                            return { ...tr, ...((tl ?? action) ? { lastAccessed: (tl ?? action)! } : {}) };
                          }),
                        }
                      : {}),
                  };
                }),
              },
            ];
          });
          const s: AccountSnapshot = { ...demo, lastAccess };
          const r = await rightsize(SnapshotAnalysis.of(s), {
            principals: SUBJECTS,
            unusedDays: days,
            diff: options,
          });
          proposals += r.proposals.length;
          for (const p of r.proposals) {
            expect(p.proof!.ok, JSON.stringify(p.proof!.usedAccessLost.slice(0, 3))).toBe(true);
            const parsed = parseChanges(p.changes);
            const after = applyChanges(s, parsed.changes!).overlay!.after;
            for (const arn of [...s.users, ...s.roles].map((x) => x.arn)) {
              const actions = (x: AccountSnapshot) =>
                new Set(
                  (accessWithCatalog(catalog, SnapshotAnalysis.of(x), arn)?.services ?? []).flatMap((sv) =>
                    sv.levels.flatMap((l) => l.actions.map((a) => a.action)),
                  ),
                );
              const before = actions(s);
              if (before.size > 3000) continue; // the admins: nothing a subject's proposal touches
              const kept = actions(after);
              for (const a of before)
                if (!kept.has(a)) expect(shownUsed(s, arn, a, days), `${arn} loses ${a}`).toBe(false);
            }
          }
        },
      ),
      { numRuns: 4 },
    );
    // Not vacuous: the random evidence leaves things unused.
    expect(proposals).toBeGreaterThan(0);
  }, 300_000);
});
