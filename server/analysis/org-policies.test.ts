/**
 * SCPs, RCPs and resource policies of a multi-account snapshot (test/fixtures/bundles/org-multi) in who-can and
 * simulate, through policy-set.ts. Each cut is checked against the same snapshot without its organization, so a
 * gathering that drops the org levels fails.
 *
 * The org: Root (SCP DenyIamUserCreation, RCP FreezeBucketPolicies) → management account 111111111111 (org-admin,
 * AdministratorAccess; bucket mgmt-trail), OU Prod (SCP ProtectProdData: Deny s3:DeleteObject) → 222222222222
 * (dev, AdministratorAccess; data-reader; bucket prod-data whose policy grants data-reader GetObject and
 * org-admin GetObject/DeleteObject).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importBundle } from '../../importers/index.ts';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import { orgContextFor, orgLevels, principalPolicySet, resourceSideFor } from './policy-set.ts';
import { whoCan } from './who-can.ts';
import { simulatePrincipal } from './evaluation.ts';
import { SnapshotAnalysis } from './snapshot-analysis.ts';

const ORG = path.resolve(import.meta.dirname, '../../test/fixtures/bundles/org-multi');
const ADMIN = 'arn:aws:iam::111111111111:user/org-admin';
const DEV = 'arn:aws:iam::222222222222:user/dev';
const READER = 'arn:aws:iam::222222222222:user/data-reader';

describe('organization policies in the analyses', async () => {
  const { snapshot } = await importBundle([ORG]);
  const s = snapshot!;
  const { organization: _dropped, ...rest } = s;
  const noOrg: AccountSnapshot = { ...rest };
  const names = (levels: { name?: string }[][] | undefined) => levels?.map((l) => l.map((p) => p.name));
  const who = async (snap: AccountSnapshot, action: string, resource: string) =>
    (await whoCan(SnapshotAnalysis.of(snap), { action, resource })).entries
      .map((e) => e.principal.arn)
      .sort();

  it('gathers one SCP layer per level, root → OU → account, and none for the management account', () => {
    expect(names(principalPolicySet(s, DEV)!.scps)).toEqual([
      ['FullAWSAccess', 'DenyIamUserCreation'],
      ['FullAWSAccess', 'ProtectProdData'],
      ['FullAWSAccess'],
    ]);
    expect(principalPolicySet(s, ADMIN)!.scps).toBeUndefined();
    expect(principalPolicySet(noOrg, DEV)!.scps).toBeUndefined();
    // RCPs are the resource account's, and the management account's resources are exempt.
    expect(names(orgLevels(s, 'RESOURCE_CONTROL_POLICY', '222222222222'))).toEqual([
      ['RCPFullAWSAccess', 'FreezeBucketPolicies'],
      ['RCPFullAWSAccess'],
      ['RCPFullAWSAccess'],
    ]);
    expect(orgLevels(s, 'RESOURCE_CONTROL_POLICY', '111111111111')).toBeUndefined();
    const side = resourceSideFor(s, 'arn:aws:s3:::prod-data/k', (svc) => svc === 's3');
    expect([side.resource?.id, side.resourceAccount, side.rcps?.length]).toEqual([
      'arn:aws:s3:::prod-data',
      '222222222222',
      3,
    ]);
  });

  it('an SCP Deny at the OU cuts a who-can answer; the management account is exempt', async () => {
    const resource = 'arn:aws:s3:::prod-data/reports/q1.csv';
    expect(await who(noOrg, 's3:DeleteObject', resource)).toEqual([ADMIN, DEV]);
    expect(await who(s, 's3:DeleteObject', resource)).toEqual([ADMIN]);
    const denied = await whoCan(SnapshotAnalysis.of(s), {
      action: 's3:DeleteObject',
      resource,
      includeDenied: true,
    });
    expect(denied.entries.find((e) => e.principal.arn === DEV)!.deniedBy).toEqual({
      kind: 'explicit',
      layer: 'scp',
      level: 1,
    });
  });

  it('an SCP at the root applies to every member account but not to the management account', async () => {
    expect(await who(noOrg, 'iam:CreateUser', '*')).toEqual([ADMIN, DEV]);
    expect(await who(s, 'iam:CreateUser', '*')).toEqual([ADMIN]);
  });

  it("an RCP cuts access to a member account's resource, not to the management account's", async () => {
    expect(await who(noOrg, 's3:PutBucketPolicy', 'arn:aws:s3:::prod-data')).toEqual([DEV]);
    expect(await who(s, 's3:PutBucketPolicy', 'arn:aws:s3:::prod-data')).toEqual([]);
    expect(await who(s, 's3:PutBucketPolicy', 'arn:aws:s3:::mgmt-trail')).toEqual([ADMIN]);
  });

  it('a bucket policy grants in its own account and across accounts (both sides must allow)', async () => {
    // data-reader has no identity policy: the bucket policy alone grants. org-admin: identity + bucket policy.
    expect(await who(s, 's3:GetObject', 'arn:aws:s3:::prod-data/k')).toEqual([ADMIN, READER, DEV]);
    // prod-logs has no policy: org-admin in the other account has no way in.
    expect(await who(s, 's3:GetObject', 'arn:aws:s3:::prod-logs/k')).toEqual([DEV]);
  });

  it('an answer on a bucket whose policy was not collected says so', async () => {
    const answer = await whoCan(SnapshotAnalysis.of(s), {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::mgmt-trail/x',
    });
    expect(answer.notes).toEqual([
      'incomplete: the resource policy of `arn:aws:s3:::mgmt-trail` was not collected: principals it alone grants are missing, and its Deny statements are not applied',
    ]);
    expect(
      (await whoCan(SnapshotAnalysis.of(s), { action: 's3:GetObject', resource: 'arn:aws:s3:::prod-logs/x' }))
        .notes,
    ).toEqual([]);
  });

  it('knows the organization condition keys of principals and resources in the tree', () => {
    expect(orgContextFor(s, '222222222222', '111111111111')).toEqual({
      'aws:PrincipalOrgID': 'o-exampleorgid',
      'aws:PrincipalOrgPaths': 'o-exampleorgid/r-ex12/ou-ex12-prod0001/',
      'aws:ResourceOrgID': 'o-exampleorgid',
      'aws:ResourceOrgPaths': 'o-exampleorgid/r-ex12/',
    });
    // An account outside the tree: unknown, so nothing is claimed.
    expect(orgContextFor(s, '444455556666')).toEqual({});
    expect(orgContextFor(noOrg, '222222222222')).toEqual({});
  });

  it('an identity-perimeter RCP (aws:PrincipalOrgID) lets the organization in without a residual condition', async () => {
    const perimeter = {
      id: 'p-perimeter1',
      arn: 'arn:aws:organizations::111111111111:policy/o-exampleorgid/resource_control_policy/p-perimeter1',
      name: 'IdentityPerimeter',
      type: 'RESOURCE_CONTROL_POLICY' as const,
      awsManaged: false,
      document: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: '*',
            Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-exampleorgid' } },
          },
        ],
      }),
      targets: ['r-ex12'],
    };
    const guarded: AccountSnapshot = {
      ...s,
      organization: { ...s.organization!, policies: [...s.organization!.policies, perimeter] },
    };
    const answer = await whoCan(SnapshotAnalysis.of(guarded), {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::prod-data/k',
    });
    expect(answer.entries.map((e) => [e.principal.arn, e.decision]).sort()).toEqual(
      [
        [ADMIN, 'ALLOWED'],
        [READER, 'ALLOWED'],
        [DEV, 'ALLOWED'],
      ].sort(),
    );
    // A caller from another organization (the context says so) is cut by the RCP.
    const outsider = await whoCan(SnapshotAnalysis.of(guarded), {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::prod-data/k',
      context: { 'aws:PrincipalOrgID': 'o-someoneelse' },
    });
    expect(outsider.entries).toEqual([]);
  });

  it('simulate applies the SCP levels and the RCPs, and names the layer that denied', async () => {
    const del = (await simulatePrincipal(SnapshotAnalysis.of(s), {
      principalArn: DEV,
      action: 's3:DeleteObject',
      resource: 'arn:aws:s3:::prod-data/k',
    }))!;
    expect(del.ok && [del.result.decision, del.result.deniedBy]).toEqual([
      'DENIED',
      { kind: 'explicit', layer: 'scp', level: 1 },
    ]);
    const put = (await simulatePrincipal(SnapshotAnalysis.of(s), {
      principalArn: DEV,
      action: 's3:PutBucketPolicy',
      resource: 'arn:aws:s3:::prod-data',
    }))!;
    expect(put.ok && [put.result.decision, put.result.deniedBy?.layer]).toEqual(['DENIED', 'rcp']);
    const admin = (await simulatePrincipal(SnapshotAnalysis.of(s), {
      principalArn: ADMIN,
      action: 's3:DeleteObject',
      resource: 'arn:aws:s3:::prod-data/k',
    }))!;
    expect(admin.ok && admin.result.decision).toBe('ALLOWED');
  });
});
