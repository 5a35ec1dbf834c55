/** CIS AWS Foundations 1.14: active access keys are rotated every 90 days or less. */
import { ageInDays, MAX_AGE_DAYS, type Check } from './finding.ts';

export const accessKeyNotRotated: Check = ({ snapshot, asOf }) =>
  snapshot.users.flatMap((u) =>
    (u.credentials?.accessKeys ?? []).flatMap((k) => {
      const age = ageInDays(k.lastRotated, asOf);
      if (!k.active || age === undefined || age <= MAX_AGE_DAYS) return [];
      return [
        {
          kind: 'access-key-not-rotated' as const,
          severity: 'medium' as const,
          entities: [u.arn],
          message: `\`${u.name}\`'s access key ${k.id ?? `#${k.slot}`} is ${age} days old (created ${k.lastRotated!.slice(0, 10)})`,
          fix: `create a new key for \`${u.name}\`, switch its clients over, then deactivate and delete the old one`,
        },
      ];
    }),
  );
