/** The CLI's PascalCase output → `snapshot.passwordPolicy`; fields AWS left out stay undefined. */
import type { PasswordPolicy } from '../../../schema/snapshot.ts';
import type { PasswordPolicyOutput } from './password-policy.shape.ts';

export function normalizePasswordPolicy(output: PasswordPolicyOutput): PasswordPolicy {
  const p = output.PasswordPolicy;
  const policy: PasswordPolicy = {
    minimumPasswordLength: p.MinimumPasswordLength,
    requireSymbols: p.RequireSymbols,
    requireNumbers: p.RequireNumbers,
    requireUppercaseCharacters: p.RequireUppercaseCharacters,
    requireLowercaseCharacters: p.RequireLowercaseCharacters,
    allowUsersToChangePassword: p.AllowUsersToChangePassword,
    expirePasswords: p.ExpirePasswords,
    maxPasswordAge: p.MaxPasswordAge,
    passwordReusePrevention: p.PasswordReusePrevention,
    hardExpiry: p.HardExpiry,
  };
  for (const k of Object.keys(policy) as (keyof PasswordPolicy)[])
    if (policy[k] === undefined) delete policy[k];
  return policy;
}
