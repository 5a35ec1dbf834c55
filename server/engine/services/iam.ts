/**
 * IAM resources that no policy can open to writes, because AWS manages them.
 *
 * - AWS managed policies (`arn:aws:iam::aws:policy/…`): "You cannot change the permissions defined in AWS managed
 *   policies" (IAM user guide, access_policies_managed-vs-inline#aws-managed-policies); TagPolicy and UntagPolicy
 *   act on customer managed policies only (IAM API reference, API_TagPolicy, API_UntagPolicy).
 * - Service-linked roles (`role/aws-service-role/…`): "Only the service that depends on the service-linked role
 *   can modify or delete the role" (IAM API reference, UnmodifiableEntityException; id_roles_update-role-trust-policy:
 *   "You cannot modify the trust policy for a service-linked role").
 * - IAM Identity Center's roles (`role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_*`): "Cannot perform the
 *   operation on the protected role … this role is only modifiable by AWS"; they change through permission sets.
 */

/** The kind of AWS-managed role an ARN names, or undefined for a customer's role. */
export type ProtectedRoleKind = 'service-linked' | 'aws-reserved';

export function protectedRoleKind(roleArn: string): ProtectedRoleKind | undefined {
  if (roleArn.includes(':role/aws-service-role/')) return 'service-linked';
  if (roleArn.includes(':role/aws-reserved/')) return 'aws-reserved';
  return undefined;
}

/**
 * A role whose trust and permissions no IAM principal of the account can change (service-linked, or reserved for
 * an AWS service such as IAM Identity Center). The escalation analysis skips them as targets for the same reason.
 */
export function isProtectedRole(roleArn: string): boolean {
  return protectedRoleKind(roleArn) !== undefined;
}

/** Whether an ARN names an AWS managed policy (any partition). */
export function isAwsManagedPolicy(arn: string): boolean {
  return /^arn:[^:]+:iam::aws:policy\//.test(arn);
}

/** Writes to a managed policy's document or tags (lower-case action names, `iam` prefix). */
export const MANAGED_POLICY_WRITES: ReadonlySet<string> = new Set([
  'createpolicyversion',
  'deletepolicy',
  'deletepolicyversion',
  'setdefaultpolicyversion',
  'tagpolicy',
  'untagpolicy',
]);

/**
 * Writes to a role's permissions, trust, boundary or existence (lower-case, `iam` prefix). Descriptions stay
 * editable ("You can edit the description of any role", id_roles_update-service-linked-role), and a
 * service-linked role is deleted with `iam:DeleteServiceLinkedRole`, which the service checks itself.
 */
export const PROTECTED_ROLE_WRITES: ReadonlySet<string> = new Set([
  'attachrolepolicy',
  'detachrolepolicy',
  'putrolepolicy',
  'deleterolepolicy',
  'updateassumerolepolicy',
  'putrolepermissionsboundary',
  'deleterolepermissionsboundary',
  'updaterole',
  'deleterole',
]);
