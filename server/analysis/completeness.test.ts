/**
 * Completeness warnings shown with who-can answers: what the snapshot cannot know and the
 * answer depends on.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importBundle } from '../../importers/index.ts';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import { whoCan } from './who-can.ts';
import { SnapshotAnalysis } from './snapshot-analysis.ts';

const ORG = path.resolve(import.meta.dirname, '../../test/fixtures/bundles/org-multi');
const DEV = 'arn:aws:iam::222222222222:user/dev';

describe('completeness warnings in answers', async () => {
  const s = (await importBundle([ORG])).snapshot!;
  const { organization: _o, ...noOrg } = s;

  it('a listed principal whose boundary is absent from the snapshot', async () => {
    const missing = 'arn:aws:iam::222222222222:policy/DevBoundary';
    const snap: AccountSnapshot = {
      ...s,
      users: s.users.map((u) => (u.arn === DEV ? { ...u, permissionsBoundary: missing } : u)),
    };
    const answer = await whoCan(SnapshotAnalysis.of(snap), {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::prod-logs/k',
    });
    expect(answer.entries.map((e) => e.principal.arn)).toEqual([DEV]);
    expect(answer.notes).toEqual([
      `incomplete: the permissions boundary \`${missing}\` of \`${DEV}\` is not in the snapshot: it is not applied, so this principal may be allowed less`,
    ]);
  });

  it('no organization data, but a role only member accounts have: SCPs were not collected', async () => {
    const snap: AccountSnapshot = {
      ...noOrg,
      roles: [
        {
          kind: 'role',
          arn: 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole',
          name: 'OrganizationAccountAccessRole',
          id: 'AROAEXAMPLEORGACCESS1',
          path: '/',
          inlinePolicies: [],
          attachedPolicies: [],
          tags: {},
          trustPolicy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: 'arn:aws:iam::111111111111:root' },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
          instanceProfiles: [],
        },
      ],
    };
    const answer = await whoCan(SnapshotAnalysis.of(snap), { action: 'iam:CreateUser', resource: '*' });
    expect(answer.entries.map((e) => e.principal.arn)).toContain(DEV);
    // Several accounts without organization data: every account's SCPs are unknown; 222222222222's role says more.
    const several =
      'incomplete: accounts `111111111111`, `222222222222`, `333333333333` were imported without organization data: the SCPs and RCPs that may apply to them are not applied';
    expect(answer.notes).toEqual([
      several,
      'incomplete: account `222222222222` looks like a member of an organization (role `OrganizationAccountAccessRole`) but no organization data was imported: SCPs and RCPs are not applied',
    ]);
    // Without the member-only role, only the accounts' shared gap remains.
    const admin = await whoCan(SnapshotAnalysis.of(noOrg), { action: 'iam:CreateUser', resource: '*' });
    expect(admin.entries.map((e) => e.principal.arn)).toContain('arn:aws:iam::111111111111:user/org-admin');
    expect(admin.notes).toEqual([several]);
  });
});
