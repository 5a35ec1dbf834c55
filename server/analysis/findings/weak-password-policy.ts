/**
 * The account password policy against CIS AWS Foundations: minimum length 14 (1.8), reuse prevention of 24
 * (1.9), and the character classes of CIS v1.2 (1.5–1.8: upper, lower, number, symbol).
 */
import type { PasswordPolicy } from '../../../schema/snapshot.ts';
import type { Check } from './finding.ts';

export const CIS_MIN_LENGTH = 14;
export const CIS_REUSE_PREVENTION = 24;

export function passwordPolicyGaps(p: PasswordPolicy): string[] {
  const gaps: string[] = [];
  if ((p.minimumPasswordLength ?? 8) < CIS_MIN_LENGTH)
    gaps.push(`minimum length ${p.minimumPasswordLength ?? 8} < ${CIS_MIN_LENGTH}`);
  if ((p.passwordReusePrevention ?? 0) < CIS_REUSE_PREVENTION)
    gaps.push(
      p.passwordReusePrevention
        ? `reuse prevention ${p.passwordReusePrevention} < ${CIS_REUSE_PREVENTION}`
        : 'no reuse prevention',
    );
  if (!p.requireUppercaseCharacters) gaps.push('no upper-case letter required');
  if (!p.requireLowercaseCharacters) gaps.push('no lower-case letter required');
  if (!p.requireNumbers) gaps.push('no number required');
  if (!p.requireSymbols) gaps.push('no symbol required');
  return gaps;
}

export const weakPasswordPolicy: Check = ({ snapshot }) => {
  if (!snapshot.passwordPolicy) return [];
  const gaps = passwordPolicyGaps(snapshot.passwordPolicy);
  if (gaps.length === 0) return [];
  return [
    {
      kind: 'weak-password-policy',
      severity: 'medium',
      entities: [`arn:${snapshot.partition}:iam::${snapshot.accountId}:root`],
      message: `the password policy is weaker than CIS: ${gaps.join(', ')}`,
      fix: `aws iam update-account-password-policy --minimum-password-length ${CIS_MIN_LENGTH} --password-reuse-prevention ${CIS_REUSE_PREVENTION} --require-uppercase-characters --require-lowercase-characters --require-numbers --require-symbols`,
    },
  ];
};
