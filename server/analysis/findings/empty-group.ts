/** A group without members grants nothing today but someone may be added to it tomorrow: remove or document it. */
import type { Check } from './finding.ts';

export const emptyGroup: Check = ({ snapshot }) => {
  const used = new Set(snapshot.users.flatMap((u) => u.groups));
  return snapshot.groups
    .filter((g) => !used.has(g.arn))
    .map((g) => ({
      kind: 'empty-group' as const,
      severity: 'low' as const,
      entities: [g.arn],
      message: `group \`${g.name}\` has no members`,
      fix: `delete \`${g.name}\` if it is no longer needed`,
    }));
};
