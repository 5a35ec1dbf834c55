/** CIS AWS Foundations 1.15: users receive permissions only through groups (managed policies attached to users). */
import type { Check } from './finding.ts';

export const userWithDirectPolicies: Check = ({ snapshot }) =>
  snapshot.users
    .filter((u) => u.attachedPolicies.length > 0)
    .map((u) => ({
      kind: 'user-with-direct-policies' as const,
      severity: 'low' as const,
      entities: [u.arn, ...u.attachedPolicies],
      message: `\`${u.name}\` has ${u.attachedPolicies.length} managed polic${u.attachedPolicies.length > 1 ? 'ies' : 'y'} attached directly: ${u.attachedPolicies.map((a) => `\`${a.slice(a.lastIndexOf('/') + 1)}\``).join(', ')}`,
      fix: `attach the policies to a group for \`${u.name}\`'s job and add the user to it`,
    }));
