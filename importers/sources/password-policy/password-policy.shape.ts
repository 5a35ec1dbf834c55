/**
 * `aws iam get-account-password-policy --output json` (API GetAccountPasswordPolicy). When the account has no
 * password policy AWS answers `NoSuchEntity` and the CLI prints nothing on stdout: the file is then left out.
 */
import { z } from 'zod';

export const passwordPolicyShape = z.object({
  PasswordPolicy: z.object({
    MinimumPasswordLength: z.number().int().optional(),
    RequireSymbols: z.boolean().optional(),
    RequireNumbers: z.boolean().optional(),
    RequireUppercaseCharacters: z.boolean().optional(),
    RequireLowercaseCharacters: z.boolean().optional(),
    AllowUsersToChangePassword: z.boolean().optional(),
    ExpirePasswords: z.boolean().optional(),
    MaxPasswordAge: z.number().int().optional(),
    PasswordReusePrevention: z.number().int().optional(),
    HardExpiry: z.boolean().optional(),
  }),
});

export type PasswordPolicyOutput = z.infer<typeof passwordPolicyShape>;
