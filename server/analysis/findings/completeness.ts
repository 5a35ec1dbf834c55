/**
 * Checks that could not run say so: without a credential report nothing is known about passwords, MFA and keys;
 * without password-policy.json the policy is unknown (or the account has none, and AWS's default applies:
 * 8 characters, no other rule — weaker than CIS).
 */
import { CREDENTIAL_REPORT_CSV, PASSWORD_POLICY } from '../../../importers/bundle/layout.ts';
import { hasCredentialReport, type Check, type Finding } from './finding.ts';

export const completeness: Check = ({ snapshot }) => {
  const out: Finding[] = [];
  const account = `arn:${snapshot.partition}:iam::${snapshot.accountId}:root`;
  if (!hasCredentialReport(snapshot))
    out.push({
      kind: 'credential-report-missing',
      severity: 'warning',
      entities: [account],
      message:
        'no credential report: console-without-mfa, access-key-not-rotated, two-active-access-keys, unused-credentials, technical-user-broad-rights and root-access-key were not checked',
      fix: `add ${CREDENTIAL_REPORT_CSV} to the bundle: aws iam generate-credential-report, then aws iam get-credential-report --query Content --output text | base64 --decode`,
    });
  if (!snapshot.passwordPolicy)
    out.push({
      kind: 'password-policy-missing',
      severity: 'warning',
      entities: [account],
      message:
        'no password policy in the snapshot: either it was not collected or the account has none (then AWS allows 8-character passwords with no other rule)',
      fix: `add ${PASSWORD_POLICY} (aws iam get-account-password-policy); if it fails with NoSuchEntity, set one with aws iam update-account-password-policy`,
    });
  return out;
};
