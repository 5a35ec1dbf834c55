/**
 * What-if and `diff` apply the organization's layers as the access panel does: the SCPs of the principal's
 * account on every grant, the RCPs of the resource's account on a known resource's grants. Change sets cannot
 * change an SCP or RCP (no change operation edits the organization), so a changed SCP or RCP is tested through
 * `diff` between two snapshots.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountSnapshot } from '../../../schema/snapshot.ts';
import { demo, importDemo } from '../../../test/api/demo-fixture.ts';
import { loadCatalog, type ActionCatalog } from '../../engine/index.ts';
import { parseChanges, type ChangeInput } from './changes.ts';
import { diffOverlay, diffSnapshots, type AccessDiff } from './diff.ts';
import { createGrantSource } from './grants.ts';
import { applyChanges } from './overlay.ts';

let catalog: ActionCatalog;
let snapshot: AccountSnapshot;
beforeAll(async () => {
  catalog = await loadCatalog();
  snapshot = await importDemo();
});

async function whatIf(s: AccountSnapshot, input: ChangeInput[]): Promise<AccessDiff> {
  const parsed = parseChanges(input);
  expect(parsed.diagnostics).toEqual([]);
  const r = applyChanges(s, parsed.changes!);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return diffOverlay(r.overlay!, { source: createGrantSource(catalog) });
}

/** The demo with its organization's policies edited. */
function withOrganization(
  s: AccountSnapshot,
  edit: (org: NonNullable<AccountSnapshot['organization']>) => NonNullable<AccountSnapshot['organization']>,
): AccountSnapshot {
  return { ...s, organization: edit(s.organization!) };
}

/** The demo with SCP ProtectAccount's document replaced by `statement`. */
function withProtectAccount(s: AccountSnapshot, statement: object): AccountSnapshot {
  return withOrganization(s, (org) => ({
    ...org,
    policies: org.policies.map((p) =>
      p.name === 'ProtectAccount' ? { ...p, document: policy(statement) } : p,
    ),
  }));
}

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const TRAIL_DENIED = ['cloudtrail:DeleteTrail', 'cloudtrail:StopLogging', 'cloudtrail:UpdateTrail'];

describe('SCPs in what-if and diff', () => {
  // "SCPs affect all users and roles in attached accounts … even if the identity-based policy grants it, the
  // action is denied by the SCP's Deny" —
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
  it('AdministratorAccess on group QA does not give dave what the ProtectAccount SCP denies', async () => {
    const d = await whatIf(snapshot, [
      { op: 'attachPolicy', policy: 'AdministratorAccess', target: 'group/QA' },
    ]);
    const dave = d.principals.find((p) => p.arn === demo.dave)!;
    const granted = new Set(dave.granted.map((g) => g.action));
    for (const action of [...TRAIL_DENIED, 'organizations:LeaveOrganization'])
      expect(granted.has(action), action).toBe(false);
    // Not vacuous: the rest of CloudTrail and of IAM is granted, on `*`.
    expect(dave.granted).toContainEqual(
      expect.objectContaining({ action: 'cloudtrail:DescribeTrails', resource: '*' }),
    );
    expect(dave.granted).toContainEqual(expect.objectContaining({ action: 'iam:CreateUser', resource: '*' }));
  }, 60_000);

  it('a diff between snapshots shows an SCP Deny lifted as access granted to every admin, and nothing else', async () => {
    const lifted = withProtectAccount(snapshot, {
      Effect: 'Deny',
      Action: ['organizations:LeaveOrganization', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail'],
      Resource: '*',
    });
    const d = await diffSnapshots(snapshot, lifted, { source: createGrantSource(catalog) });
    // Grace (group Admins, AdministratorAccess) may stop logging once the SCP no longer denies it.
    expect(d.principals.map((p) => p.name)).toContain('grace');
    for (const p of d.principals) {
      expect(p.revoked, p.name).toEqual([]);
      expect(
        [...new Set(p.granted.map((g) => g.action))],
        `${p.name}: only what the SCP stopped denying`,
      ).toEqual(['cloudtrail:StopLogging']);
    }
  }, 60_000);

  it('an SCP level that stops allowing a service revokes it (every level must allow)', async () => {
    // orgs_manage_policies_scps_evaluation: "a permission must be allowed … at every level from the root".
    const narrowed = withOrganization(snapshot, (org) => ({
      ...org,
      policies: [
        ...org.policies.map((p) =>
          p.name === 'FullAWSAccess'
            ? { ...p, targets: p.targets.filter((t) => t !== 'ou-ec01-workload1') }
            : p,
        ),
        {
          id: 'p-ec01noiam',
          arn: 'arn:aws:organizations::123456789012:policy/o-examplecorp1/service_control_policy/p-ec01noiam',
          name: 'AllButIam',
          type: 'SERVICE_CONTROL_POLICY' as const,
          awsManaged: false,
          document: policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }),
          targets: ['ou-ec01-workload1'],
        },
      ],
    }));
    const d = await diffSnapshots(snapshot, narrowed, { source: createGrantSource(catalog) });
    const grace = d.principals.find((p) => p.name === 'grace')!;
    expect(grace.revoked).toContainEqual(
      expect.objectContaining({ action: 'iam:CreateUser', resource: '*' }),
    );
    for (const p of d.principals) {
      expect(p.granted, p.name).toEqual([]);
      expect(
        p.revoked.filter((g) => g.service !== 'iam'),
        p.name,
      ).toEqual([]);
    }
  }, 60_000);

  it('an SCP Deny with a break-glass exception: two members of one group get their own answers', async () => {
    // The same deciding statements, but the SCP's Condition (aws:PrincipalArn) holds for one member only.
    const u1 = 'arn:aws:iam::111122223333:user/u1';
    const excepted = withProtectAccount(snapshot, {
      Effect: 'Deny',
      Action: 'cloudtrail:StopLogging',
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': u1 } },
    });
    const d = await whatIf(excepted, [
      { op: 'createUser', name: 'u1' },
      { op: 'createUser', name: 'u2' },
      { op: 'addUserToGroup', user: 'u1', group: 'QA' },
      { op: 'addUserToGroup', user: 'u2', group: 'QA' },
      { op: 'attachPolicy', policy: 'AdministratorAccess', target: 'group/QA' },
    ]);
    const stops = (name: string) =>
      d.principals.find((p) => p.name === name)!.granted.some((g) => g.action === 'cloudtrail:StopLogging');
    expect(stops('u1')).toBe(true);
    expect(stops('u2')).toBe(false);
    expect(stops('dave')).toBe(false);
  }, 60_000);
});

describe('RCPs in what-if and diff', () => {
  // "RCPs … restrict access to resources in member accounts … an explicit Deny in an RCP applies even when the
  // resource-based policy allows" — https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
  it('an RCP denying s3:GetObject revokes the grant the engineering bucket policy gave, and only that', async () => {
    const objects = 'arn:aws:s3:::example-corp-engineering/*';
    const source = createGrantSource(catalog);
    const before = [...snapshot.users, ...snapshot.roles]
      .flatMap((p) => source.grants(snapshot, p.arn))
      .filter((g) => g.known && g.resource === objects && g.action === 's3:GetObject');
    // Not vacuous: the bucket's policy grants GetObject to the build agent.
    expect(before.length).toBeGreaterThan(0);
    const withRcp = withOrganization(snapshot, (org) => ({
      ...org,
      collectedPolicyTypes: [...(org.collectedPolicyTypes ?? []), 'RESOURCE_CONTROL_POLICY'],
      enabledPolicyTypes: [...(org.enabledPolicyTypes ?? []), 'RESOURCE_CONTROL_POLICY'],
      policies: [
        ...org.policies,
        {
          id: 'p-RCPFullAWSAccess',
          arn: 'arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess',
          name: 'RCPFullAWSAccess',
          type: 'RESOURCE_CONTROL_POLICY' as const,
          awsManaged: true,
          document: policy({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }),
          targets: ['r-ec01', 'ou-ec01-workload1', '111122223333'],
        },
        {
          id: 'p-ec01noget',
          arn: 'arn:aws:organizations::123456789012:policy/o-examplecorp1/resource_control_policy/p-ec01noget',
          name: 'NoGetObject',
          type: 'RESOURCE_CONTROL_POLICY' as const,
          awsManaged: false,
          document: policy({ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: '*' }),
          targets: ['ou-ec01-workload1'],
        },
      ],
    }));
    const d = await diffSnapshots(snapshot, withRcp, { source: createGrantSource(catalog) });
    const revoked = d.principals.flatMap((p) => p.revoked);
    expect(revoked.length).toBeGreaterThan(0);
    // Only known-resource grants (the bucket policy's statement names the bucket too): RCPs are the resource
    // account's, and an identity scope names no resource.
    for (const g of revoked)
      expect(g).toMatchObject({
        action: 's3:GetObject',
        resource: expect.stringMatching(/^arn:aws:s3:::example-corp-engineering/),
        known: true,
      });
    expect(revoked.map((g) => g.resource)).toContain(objects);
    expect(d.principals.flatMap((p) => p.granted)).toEqual([]);
  }, 60_000);
});
