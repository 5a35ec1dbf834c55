/** CIS AWS Foundations 1.10: every user with a console password has MFA (id_credentials_mfa). */
import type { Check } from './finding.ts';

export const consoleWithoutMfa: Check = ({ snapshot }) =>
  snapshot.users
    .filter((u) => u.credentials?.passwordEnabled && !u.credentials.mfaActive)
    .map((u) => ({
      kind: 'console-without-mfa' as const,
      severity: 'high' as const,
      entities: [u.arn],
      message: `\`${u.name}\` can sign in to the console with a password alone (no MFA device)`,
      fix: `assign an MFA device to \`${u.name}\` (aws iam enable-mfa-device), or remove the login profile if unused`,
    }));
