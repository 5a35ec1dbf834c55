/**
 * What-if through resource policies: a change to a bucket policy shows in the access diff of the principals of the
 * account it grants, as AWS evaluates same-account access — allowed when the identity-based policy or the
 * resource-based policy allows, unless a Deny applies
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html, "Evaluating
 * identity-based and resource-based policies within a single account"). The incremental diff (affected principals,
 * filtered actions) is held to the from-scratch one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountSnapshot } from '../../../schema/snapshot.ts';
import { demo, importDemo } from '../../../test/api/demo-fixture.ts';
import { loadCatalog, type ActionCatalog } from '../../engine/catalog.ts';
import { parseChanges, type ChangeInput } from './changes.ts';
import { diffOverlay, diffSnapshots, type AccessDiff } from './diff.ts';
import { createGrantSource } from './grants.ts';
import { applyChanges, type Overlay } from './overlay.ts';

const REPORTS = 'arn:aws:s3:::example-corp-reports';
const ENGINEERING = 'arn:aws:s3:::example-corp-engineering';
const BUILD_AGENT = 'arn:aws:iam::111122223333:role/ec2-build-agent';
const PLATFORM_ADMIN = 'arn:aws:iam::111122223333:role/platform-admin';

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const carolMayWriteReports = policy({
  Effect: 'Allow',
  Principal: { AWS: demo.carol },
  Action: ['s3:PutObject', 's3:GetObject'],
  Resource: `${REPORTS}/*`,
});

let catalog: ActionCatalog;
let snapshot: AccountSnapshot;
beforeAll(async () => {
  catalog = await loadCatalog();
  snapshot = await importDemo();
}, 60_000);

function overlayOf(base: AccountSnapshot, input: ChangeInput[]): Overlay {
  const parsed = parseChanges(input);
  expect(parsed.diagnostics).toEqual([]);
  const r = applyChanges(base, parsed.changes!);
  expect(r.diagnostics).toEqual([]);
  return r.overlay!;
}

/** The what-if diff, checked against the diff of every principal and action of the two snapshots. */
async function diffOf(base: AccountSnapshot, input: ChangeInput[]): Promise<AccessDiff> {
  const overlay = overlayOf(base, input);
  const incremental = await diffOverlay(overlay, { source: createGrantSource(catalog) });
  const scratch = await diffSnapshots(overlay.before, structuredClone(overlay.after), {
    source: createGrantSource(catalog),
  });
  expect(incremental.principals).toEqual(scratch.principals);
  return incremental;
}

const lines = (d: AccessDiff) =>
  d.principals.flatMap((p) => [
    ...p.granted.map((g) => `${p.name} + ${g.action} ${g.resource}${g.known ? ' (known)' : ''}`),
    ...p.revoked.map((g) => `${p.name} - ${g.action} ${g.resource}${g.known ? ' (known)' : ''}`),
  ]);

describe('what-if: resource policies grant principals of the account', () => {
  it('a bucket policy naming carol grants her what her identity policies do not: PutObject, not GetObject', async () => {
    const d = await diffOf(snapshot, [
      { op: 'putResourcePolicy', resource: 'example-corp-reports', document: carolMayWriteReports },
    ]);
    // carol (finance) already reads the reports through ReportsReadOnly: only the write is new.
    expect(lines(d)).toEqual([`carol + s3:PutObject ${REPORTS}/* (known)`]);
  });

  it('deleting the engineering bucket policy revokes the build agent role’s reads there', async () => {
    const d = await diffOf(snapshot, [{ op: 'deleteResourcePolicy', resource: ENGINEERING }]);
    const agent = d.principals.find((p) => p.arn === BUILD_AGENT)!;
    expect(agent.granted).toEqual([]);
    expect(agent.revoked.map((g) => `${g.action} ${g.resource}`)).toEqual(
      expect.arrayContaining([`s3:GetObject ${ENGINEERING}/*`, `s3:ListBucket ${ENGINEERING}`]),
    );
    // The policy's DenyInsecureTransport (Deny s3:* unless aws:SecureTransport) goes with it: whoever its identity
    // policies let use the bucket no longer needs TLS there — CONDITIONAL becomes ALLOWED, on that bucket only.
    const others = d.principals.filter((p) => p.arn !== BUILD_AGENT);
    expect(others.map((p) => p.arn)).toContain(PLATFORM_ADMIN);
    for (const p of others) {
      expect(p.granted.concat(p.revoked), p.name).toEqual([]);
      for (const c of p.conditional) {
        expect(c.resource.startsWith(ENGINEERING), `${p.name} ${c.resource}`).toBe(true);
        expect(c.before).toMatchObject({
          decision: 'CONDITIONAL',
          conditions: expect.stringMatching(/SecureTransport/),
        });
        expect(c.after).toEqual({ decision: 'ALLOWED' });
      }
    }
  });

  it('a policy open to anyone reaches every principal not already allowed, never platform-admin', async () => {
    const d = await diffOf(snapshot, [
      {
        op: 'putResourcePolicy',
        resource: REPORTS,
        document: policy({
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: `${REPORTS}/*`,
        }),
      },
    ]);
    const gainers = d.principals.map((p) => p.arn);
    expect(gainers).toContain(demo.carol);
    expect(gainers).toContain(demo.partnerAuditor);
    // AdministratorAccess already allows it on `*`: the bucket policy adds nothing.
    expect(gainers).not.toContain(PLATFORM_ADMIN);
    expect(d.principals.every((p) => p.revoked.length === 0 && p.granted.length === 1)).toBe(true);
  });

  it('a change to a principal the policy names: an identity Deny revokes what the bucket policy granted', async () => {
    const withPolicy = overlayOf(snapshot, [
      { op: 'putResourcePolicy', resource: 'example-corp-reports', document: carolMayWriteReports },
    ]).after;
    const d = await diffOf(withPolicy, [
      {
        op: 'putInlinePolicy',
        target: 'user/carol',
        name: 'no-writes',
        document: policy({ Effect: 'Deny', Action: 's3:PutObject', Resource: '*' }),
      },
    ]);
    expect(lines(d)).toEqual([`carol - s3:PutObject ${REPORTS}/* (known)`]);
  });

  // "An explicit deny in any of these policies overrides the allow" —
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
  it('a Deny added to a bucket policy revokes what identity policies allowed there, on that bucket only', async () => {
    const d = await diffOf(snapshot, [
      {
        op: 'putResourcePolicy',
        resource: 'example-corp-reports',
        document: policy({
          Effect: 'Deny',
          Principal: { AWS: PLATFORM_ADMIN },
          Action: 's3:GetObject',
          Resource: `${REPORTS}/*`,
        }),
      },
    ]);
    // platform-admin (AdministratorAccess, `*`) loses GetObject on the reports' objects; its `*` scope stays.
    expect(lines(d)).toEqual([`platform-admin - s3:GetObject ${REPORTS}/* (known)`]);
  });

  it('a condition in the bucket policy makes the grant conditional', async () => {
    const d = await diffOf(snapshot, [
      {
        op: 'putResourcePolicy',
        resource: 'example-corp-reports',
        document: policy({
          Effect: 'Allow',
          Principal: { AWS: demo.carol },
          Action: 's3:PutObject',
          Resource: `${REPORTS}/*`,
          Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
        }),
      },
    ]);
    expect(d.principals[0]!.granted).toMatchObject([
      {
        action: 's3:PutObject',
        after: { decision: 'CONDITIONAL', conditions: expect.stringContaining('203.0.113.0/24') },
      },
    ]);
  });

  it('the overlay names the principals either version of the policy can name, and the resource', () => {
    const o = overlayOf(snapshot, [
      { op: 'putResourcePolicy', resource: 'example-corp-reports', document: carolMayWriteReports },
    ]);
    expect([...o.resourcesChanged]).toEqual([REPORTS]);
    expect([...o.affected]).toEqual([demo.carol]);
    // The engineering policy's Deny names `*`: replacing it reaches everyone, whatever the new one names.
    const all = overlayOf(snapshot, [
      { op: 'putResourcePolicy', resource: ENGINEERING, document: carolMayWriteReports },
    ]);
    expect(all.affected.size).toBe(snapshot.users.length + snapshot.roles.length);
    // The base snapshot is untouched; the other resources are the same objects.
    expect(snapshot.resources.find((r) => r.arn === ENGINEERING)!.policy).toContain('BuildAgentsReadInputs');
    expect(o.after.resources.find((r) => r.arn === ENGINEERING)).toBe(
      snapshot.resources.find((r) => r.arn === ENGINEERING),
    );
  });

  it('a resource the snapshot does not know is a warning, not applied; deleting no policy is a no-op', () => {
    const parsed = parseChanges([
      { op: 'putResourcePolicy', resource: 'no-such-bucket', document: carolMayWriteReports },
      { op: 'deleteResourcePolicy', resource: REPORTS },
    ]);
    const r = applyChanges(snapshot, parsed.changes!);
    expect(r.diagnostics.map((x) => `${x.severity} ${x.code} ${x.jsonPath}`)).toEqual([
      'warning change.unknown-resource changes[0].resource',
      'warning change.no-op changes[1].resource',
    ]);
    expect(r.overlay!.affected.size).toBe(0);
  });

  it('a document that is not a resource policy is refused with its JSON path', () => {
    const parsed = parseChanges([
      {
        op: 'putResourcePolicy',
        resource: REPORTS,
        document: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${REPORTS}/*` }),
      },
    ]);
    expect(parsed.changes).toBeUndefined();
    expect(parsed.diagnostics[0]!.jsonPath).toMatch(/^changes\[0\]\.document/);
  });
});
