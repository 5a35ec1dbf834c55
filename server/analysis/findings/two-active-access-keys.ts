/** One active key per user: a second one is usually a rotation left half done (CIS AWS Foundations 1.13). */
import type { Check } from './finding.ts';

export const twoActiveAccessKeys: Check = ({ snapshot }) =>
  snapshot.users
    .filter((u) => (u.credentials?.accessKeys ?? []).filter((k) => k.active).length > 1)
    .map((u) => ({
      kind: 'two-active-access-keys' as const,
      severity: 'low' as const,
      entities: [u.arn],
      message: `\`${u.name}\` has two active access keys`,
      fix: `finish the rotation: deactivate the key \`${u.name}\`'s clients no longer use, then delete it`,
    }));
