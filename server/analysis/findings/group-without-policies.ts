/** A group with no policies gives its members nothing: a leftover, or a grant someone forgot. */
import type { Check } from './finding.ts';

export const groupWithoutPolicies: Check = ({ snapshot }) =>
  snapshot.groups
    .filter((g) => g.attachedPolicies.length === 0 && g.inlinePolicies.length === 0)
    .map((g) => ({
      kind: 'group-without-policies' as const,
      severity: 'low' as const,
      entities: [g.arn],
      message: `group \`${g.name}\` has no policies: membership grants nothing`,
      fix: `attach the policies \`${g.name}\` is meant to grant, or delete the group`,
    }));
