/**
 * Where @cloud-copilot/iam-simulate and AWS's documentation disagree. Each entry names the corpus case
 * (`<file> > <case name>`), what iam-simulate answers, what AWS documents (and so what our engine must answer),
 * and the page that decides it. The differential tests fail on any disagreement not listed here, and on an entry
 * that no longer disagrees (delete it then).
 */
export type SimpleDecision = 'ALLOWED' | 'DENIED';

export interface KnownDisagreement {
  case: string;
  iamSimulate: SimpleDecision;
  aws: SimpleDecision;
  /** AWS documentation page slug that decides who is right. */
  doc: string;
  why: string;
}

export const knownDisagreements: KnownDisagreement[] = [
  {
    case: 'resource-policy/principal-matching.json > Deny with NotPrincipal denies every principal not listed',
    iamSimulate: 'ALLOWED',
    aws: 'DENIED',
    doc: 'reference_policies_elements_notprincipal',
    why:
      'NotPrincipal lists alice and the account root; AWS says the Deny applies to all principals except the ones ' +
      'specified, and its example lists a user plus the account ARN to exempt only that user. iam-simulate treats ' +
      'the listed account root as exempting every principal of the account, so bob escapes the Deny.',
  },
  {
    case: 'session/session-policies.json > same account: a resource policy naming the session ARN is not limited by the session policy',
    iamSimulate: 'DENIED',
    aws: 'ALLOWED',
    doc: 'access_policies',
    why:
      'Session policies: when a resource-based policy names the session ARN, its permissions are added after the ' +
      'session is created and are not limited by the session policy (likewise STS GetFederationToken: "granted in ' +
      'addition to the permissions that are granted by the session policies"). iam-simulate intersects them.',
  },
  {
    case: 'variables/policy-variables.json > Version 2008-10-17: ${aws:username} is literal text, not a variable',
    iamSimulate: 'ALLOWED',
    aws: 'DENIED',
    doc: 'reference_policies_variables',
    why: 'Policy variables are replaced only under Version 2012-10-17; under 2008-10-17 `${aws:username}` is literal text. iam-simulate replaces it regardless of Version.',
  },
  {
    case: 'variables/policy-variables.json > Version 2008-10-17: the literal text ${aws:username} is what matches',
    iamSimulate: 'DENIED',
    aws: 'ALLOWED',
    doc: 'reference_policies_variables',
    why: 'As above: under 2008-10-17 the resource pattern contains the literal characters `${aws:username}`.',
  },
  {
    case: 'variables/policy-variables.json > no Version element: ${aws:username} is literal text',
    iamSimulate: 'ALLOWED',
    aws: 'DENIED',
    doc: 'reference_policies_variables',
    why: 'Without a Version element the policy is evaluated as 2008-10-17, so variables are literal text.',
  },
  ...(
    [
      ['the trust policy of a service-linked role cannot be modified', 'id_roles_update-role-trust-policy'],
      [
        'the permissions policy of a service-linked role cannot be modified in IAM: AttachRolePolicy',
        'id_roles_update-role-permissions',
      ],
      [
        'the permissions policy of a service-linked role cannot be modified in IAM: PutRolePolicy',
        'id_roles_update-role-permissions',
      ],
      ['a service-linked role is not deleted with iam:DeleteRole (UnmodifiableEntity)', 'api_deleterole'],
    ] as const
  ).map(([name, doc]): KnownDisagreement => ({
    case: `services/protected-roles.json > ${name}`,
    iamSimulate: 'ALLOWED',
    aws: 'DENIED',
    doc,
    why:
      'Only the service that depends on a service-linked role can modify or delete it (IAM API reference, ' +
      'UnmodifiableEntityException); iam-simulate protects AWS managed policies and IAM Identity Center roles ' +
      'but lets an Allow on a service-linked role through.',
  })),
];

export function findDisagreement(caseId: string): KnownDisagreement | undefined {
  return knownDisagreements.find((d) => d.case === caseId);
}
