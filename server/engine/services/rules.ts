/**
 * Service rules: requests a service decides whatever the policies say. The engine still evaluates every layer
 * (the explanation shows what the policies would have said) and then gives the rule's answer.
 */
import {
  isAwsManagedPolicy,
  MANAGED_POLICY_WRITES,
  PROTECTED_ROLE_WRITES,
  protectedRoleKind,
} from './iam.ts';
import { isReservedKmsAlias, KMS_ALIAS_ACTIONS } from './kms.ts';

export interface ServiceRule {
  /** Allow: no permission is needed, not even past an explicit Deny. Deny: no policy can allow it. */
  effect: 'Allow' | 'Deny';
  /** Stable id for tests and `--json` consumers. */
  id:
    | 'no-permission-needed'
    | 'aws-managed-policy'
    | 'service-linked-role'
    | 'aws-reserved-role'
    | 'reserved-kms-alias';
  /** One sentence for people: why the policies do not decide. */
  reason: string;
  /** The AWS page that documents the rule. */
  doc: string;
}

const GET_CALLER_IDENTITY: ServiceRule = {
  effect: 'Allow',
  id: 'no-permission-needed',
  reason:
    'sts:GetCallerIdentity needs no permission and works even under an explicit Deny (the same answer is in the access-denied message)',
  doc: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html',
};

const AWS_MANAGED_POLICY: ServiceRule = {
  effect: 'Deny',
  id: 'aws-managed-policy',
  reason: 'AWS managed policies cannot be changed: AWS creates and updates them',
  doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies',
};

const SERVICE_LINKED_ROLE: ServiceRule = {
  effect: 'Deny',
  id: 'service-linked-role',
  reason:
    'service-linked roles are protected: only the service that depends on the role can change or delete it',
  doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-permissions.html',
};

const AWS_RESERVED_ROLE: ServiceRule = {
  effect: 'Deny',
  id: 'aws-reserved-role',
  reason:
    'roles under /aws-reserved/ (IAM Identity Center permission sets) are protected: only AWS can change them, through IAM Identity Center',
  doc: 'https://repost.aws/knowledge-center/identity-center-aws-reserved-sso',
};

const RESERVED_KMS_ALIAS: ServiceRule = {
  effect: 'Deny',
  id: 'reserved-kms-alias',
  reason:
    'the alias/aws/ prefix is reserved for AWS managed keys: their aliases cannot be created, changed or deleted',
  doc: 'https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html',
};

/** The rule deciding `service:name` on `resource` (lower-case service and name), if any. */
export function serviceRuleFor(
  serviceLower: string,
  nameLower: string,
  resource: string,
): ServiceRule | undefined {
  if (needsNoPermission(serviceLower, nameLower)) return GET_CALLER_IDENTITY;
  if (serviceLower === 'iam') {
    if (MANAGED_POLICY_WRITES.has(nameLower) && isAwsManagedPolicy(resource)) return AWS_MANAGED_POLICY;
    if (PROTECTED_ROLE_WRITES.has(nameLower)) {
      const kind = protectedRoleKind(resource);
      if (kind === 'service-linked') return SERVICE_LINKED_ROLE;
      if (kind === 'aws-reserved') return AWS_RESERVED_ROLE;
    }
    return undefined;
  }
  if (serviceLower === 'kms' && KMS_ALIAS_ACTIONS.has(nameLower) && isReservedKmsAlias(resource))
    return RESERVED_KMS_ALIAS;
  return undefined;
}

/**
 * Whether a service rule can decide `service:name` on some resource (the KMS alias actions included, whose key
 * half also depends on the resource). Callers grouping actions keep these apart (`actionRuleKey` in index.ts).
 */
export function mayHaveServiceRule(serviceLower: string, nameLower: string): boolean {
  if (needsNoPermission(serviceLower, nameLower)) return true;
  if (serviceLower === 'iam')
    return MANAGED_POLICY_WRITES.has(nameLower) || PROTECTED_ROLE_WRITES.has(nameLower);
  return serviceLower === 'kms' && KMS_ALIAS_ACTIONS.has(nameLower);
}

/** Actions that need no permission at all: every authenticated principal may call them. */
export function needsNoPermission(serviceLower: string, nameLower: string): boolean {
  return serviceLower === 'sts' && nameLower === 'getcalleridentity';
}
