/**
 * What a snapshot cannot know, and therefore every answer depending on it must say. Pure
 * functions of the snapshot, shared by the importers (snapshot warnings) and the analyses (answer warnings).
 *
 * What is knowable about SCPs: with organization data, exactly which apply to each account in its tree. Without
 * it, a single account's IAM data cannot say whether the account is in an organization; some roles only exist in
 * member accounts (`OrganizationAccountAccessRole`, created in accounts the organization creates;
 * `AWSControlTowerExecution`; `stacksets-exec-*` of service-managed StackSets), so their presence is reported as
 * "looks like a member account, SCPs not collected". Several accounts imported together without organization
 * data are likely one organization's (member-account teams often cannot read Organizations): every account's
 * SCPs and RCPs are then unknown. A single account without such a role: nothing is said, no evidence either way.
 */
import type { AccountSnapshot, IamRole, Organization, OrgPolicyType } from '../../schema/snapshot.ts';

export interface Gap {
  code: string;
  message: string;
  hint?: string;
}

/** Roles AWS creates in an organization's member accounts: by name, and by the start of their name. */
export const MEMBER_ROLE_NAMES = ['OrganizationAccountAccessRole', 'AWSControlTowerExecution'];
export const MEMBER_ROLE_PREFIXES = ['stacksets-exec-'];
const isMemberRole = (name: string): boolean =>
  MEMBER_ROLE_NAMES.includes(name) || MEMBER_ROLE_PREFIXES.some((p) => name.startsWith(p));

/** Known: listed, or not enabled on the root (then it applies nowhere and there is nothing to collect). */
const collected = (org: Organization, type: OrgPolicyType) =>
  org.collectedPolicyTypes === undefined ||
  org.collectedPolicyTypes.includes(type) ||
  (org.enabledPolicyTypes !== undefined && !org.enabledPolicyTypes.includes(type));

/** Why the SCPs that apply to principals of `accountId` are unknown; undefined when they are known (or none apply). */
export function scpGap(
  snapshot: Pick<AccountSnapshot, 'organization' | 'roles' | 'accounts'>,
  accountId: string,
): Gap | undefined {
  const org = snapshot.organization;
  if (!org) {
    const hint = 'add the `organization/` outputs from the management account (README, "The bundle")';
    const role = snapshot.roles.find(
      (r: IamRole) => r.arn.split(':')[4] === accountId && isMemberRole(r.name),
    );
    if (role)
      return {
        code: 'organization.not-collected',
        message: `account \`${accountId}\` looks like a member of an organization (role \`${role.name}\`) but no organization data was imported: SCPs and RCPs are not applied`,
        hint,
      };
    if (snapshot.accounts.length < 2) return undefined;
    // One text for every account, so an answer naming several says it once.
    return {
      code: 'organization.not-collected',
      message: `accounts ${snapshot.accounts.map((a) => `\`${a.id}\``).join(', ')} were imported without organization data: the SCPs and RCPs that may apply to them are not applied`,
      hint,
    };
  }
  if (accountId === org.managementAccountId) return undefined; // SCPs never apply to it
  if (!org.nodes.some((n) => n.kind === 'account' && n.id === accountId))
    return {
      code: 'organization.account-not-in-org',
      message: `account \`${accountId}\` is not in organization \`${org.id}\`'s tree: no SCPs are applied to its principals`,
      hint: 'collect the organization again, or this account belongs to another organization',
    };
  if (!collected(org, 'SERVICE_CONTROL_POLICY'))
    return {
      code: 'organization.scps-not-collected',
      message: `the SCPs of organization \`${org.id}\` were not collected: none are applied to account \`${accountId}\``,
      hint: "add `organization/list-policies/SERVICE_CONTROL_POLICY.json` and each policy's describe-policy and list-targets-for-policy",
    };
  return undefined;
}

/** Why the RCPs over resources of `accountId` are unknown. Only said with organization data (else scpGap says it). */
export function rcpGap(snapshot: Pick<AccountSnapshot, 'organization'>, accountId: string): Gap | undefined {
  const org = snapshot.organization;
  if (!org || accountId === org.managementAccountId) return undefined;
  if (!org.nodes.some((n) => n.kind === 'account' && n.id === accountId)) return undefined;
  if (collected(org, 'RESOURCE_CONTROL_POLICY')) return undefined;
  return {
    code: 'organization.rcps-not-collected',
    message: `the RCPs of organization \`${org.id}\` were not collected: none are applied to resources of account \`${accountId}\``,
    hint: "add `organization/list-policies/RESOURCE_CONTROL_POLICY.json` and each policy's describe-policy and list-targets-for-policy",
  };
}

/** Services whose resource policies the importers read (bundle/layout.ts RESOURCE_POLICIES). */
const RESOURCE_POLICY_SERVICES = new Set(['s3', 'sns', 'sqs', 'kms', 'secretsmanager', 'lambda', 'ecr']);

/**
 * The resource whose policy AWS would evaluate for `resourceArn` (an S3 object's bucket; a Lambda version's
 * function), and whether the snapshot knows that policy.
 */
export function resourcePolicyGap(
  snapshot: Pick<AccountSnapshot, 'resources'>,
  resourceArn: string,
): Gap | undefined {
  const parts = resourceArn.split(':');
  const service = parts[2];
  if (parts[0] !== 'arn' || !service || !RESOURCE_POLICY_SERVICES.has(service)) return undefined;
  const owner = policyOwnerArn(resourceArn);
  const known = snapshot.resources.find((r) => r.arn === owner);
  if (known && known.attributes?.policyCollected !== false) return undefined;
  return {
    code: 'resource-policy.not-collected',
    message: `the resource policy of \`${owner}\` was not collected: principals it alone grants are missing, and its Deny statements are not applied`,
    hint: 'add its output under `resource-policies/` (README, "The bundle")',
  };
}

/** `arn:aws:s3:::bucket/key` → `arn:aws:s3:::bucket`; `…:function:name:qualifier` → `…:function:name`. */
export function policyOwnerArn(resourceArn: string): string {
  const s3 = /^(arn:[^:]+:s3:::[^/]+)\//.exec(resourceArn);
  if (s3) return s3[1]!;
  const fn = /^(arn:[^:]+:lambda:[^:]*:\d*:function:[^:]+):.+$/.exec(resourceArn);
  if (fn) return fn[1]!;
  return resourceArn;
}
