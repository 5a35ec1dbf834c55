/**
 * Inline policies are invisible to reuse and review (access_policies_managed-vs-inline: "we recommend using
 * managed policies instead of inline policies"). One finding per inline policy, on users, groups and roles.
 */
import { inlinePolicyId } from '../../../schema/snapshot.ts';
import type { Check } from './finding.ts';

export const inlinePolicy: Check = ({ snapshot }) =>
  [...snapshot.users, ...snapshot.groups, ...snapshot.roles].flatMap((owner) =>
    owner.inlinePolicies.map((p) => ({
      kind: 'inline-policy' as const,
      severity: 'low' as const,
      entities: [owner.arn, inlinePolicyId(owner.arn, p.name)],
      message: `${owner.kind} \`${owner.name}\` has the inline policy \`${p.name}\``,
      fix: `move \`${p.name}\` into a customer managed policy and attach that instead`,
    })),
  );
