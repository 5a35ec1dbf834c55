/**
 * SCPs and RCPs do not limit a service-linked role, whose session's ARN (the request principal the analyses ask
 * as) has no path to tell it by: "SCPs don't affect service-linked roles" —
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html. On the demo, whose
 * member account has SCP ProtectAccount (Deny cloudtrail:StopLogging, …), a role with AdministratorAccess under
 * the service-linked path keeps what the SCP denies the same role under an ordinary path, in the access panel
 * and in the what-if grant source alike.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountSnapshot, IamRole } from '../../schema/snapshot.ts';
import { importDemo } from '../../test/api/demo-fixture.ts';
import { loadCatalog, type ActionCatalog } from '../engine/index.ts';
import { accessWithCatalog } from './access.ts';
import { SnapshotAnalysis } from './snapshot-analysis.ts';
import { createGrantSource } from './what-if/grants.ts';

const ACCOUNT = '111122223333';
const linked = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`;
const ordinary = `arn:aws:iam::${ACCOUNT}:role/ordinary/AWSServiceRoleForElasticLoadBalancing2`;

let catalog: ActionCatalog;
let snapshot: AccountSnapshot;
beforeAll(async () => {
  catalog = await loadCatalog();
  const demo = await importDemo();
  const role = (arn: string): IamRole => ({
    kind: 'role',
    arn,
    name: arn.slice(arn.lastIndexOf('/') + 1),
    id: `AROA${arn.length}`,
    path: arn.slice(arn.indexOf(':role') + 5, arn.lastIndexOf('/') + 1),
    inlinePolicies: [],
    attachedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
    tags: {},
    trustPolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'elasticloadbalancing.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ],
    }),
    instanceProfiles: [],
  });
  snapshot = { ...demo, roles: [...demo.roles, role(linked), role(ordinary)] };
  // Not vacuous: the account is a member whose SCP denies what AdministratorAccess grants.
  expect(snapshot.organization?.policies.map((p) => p.name)).toContain('ProtectAccount');
  expect(snapshot.policies.map((p) => p.arn)).toContain('arn:aws:iam::aws:policy/AdministratorAccess');
});

const DENIED_BY_SCP = 'cloudtrail:StopLogging';

function panelActions(arn: string): Set<string> {
  const answer = accessWithCatalog(catalog, SnapshotAnalysis.of(snapshot), arn, { service: 'cloudtrail' })!;
  return new Set(answer.services.flatMap((s) => s.levels.flatMap((l) => l.actions.map((a) => a.action))));
}

describe('service-linked roles are outside SCPs', () => {
  it('the access panel lists for a service-linked role what the SCP denies the same role on another path', () => {
    expect(panelActions(linked).has(DENIED_BY_SCP)).toBe(true);
    expect(panelActions(ordinary).has(DENIED_BY_SCP)).toBe(false);
    // Both are otherwise granted CloudTrail.
    expect(panelActions(ordinary).has('cloudtrail:DescribeTrails')).toBe(true);
  });

  it('the what-if grant source agrees', () => {
    const source = createGrantSource(catalog);
    const stop = (arn: string) =>
      source.grants(snapshot, arn).some((g) => g.action === DENIED_BY_SCP && g.resource === '*');
    expect(stop(linked)).toBe(true);
    expect(stop(ordinary)).toBe(false);
  });
});
