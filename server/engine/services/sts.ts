/**
 * Role trust (id_roles_terms-and-concepts, reference_policies_evaluation-logic-cross-account): for the
 * sts:AssumeRole family the role's trust policy is its resource policy and must always allow. Within one account,
 * a trust policy naming the caller's ARN (or the caller's role ARN) suffices on its own; a trust policy naming the
 * account root delegates, so an identity-policy Allow is needed too. Cross-account always needs both.
 */
const TRUST_ACTIONS = new Set([
  'assumerole',
  'assumerolewithsaml',
  'assumerolewithwebidentity',
  'tagsession',
  'setsourceidentity',
  'setcontext',
]);

export function isRoleTrustRequest(serviceLower: string, nameLower: string): boolean {
  return serviceLower === 'sts' && TRUST_ACTIONS.has(nameLower);
}
