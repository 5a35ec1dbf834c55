/**
 * CIS AWS Foundations 1.12 (there 45 days; the seed article says 90): passwords and active access keys unused for
 * 90 days or more. A credential never used counts from when it was created.
 */
import type { IamUser } from '../../../schema/snapshot.ts';
import { ageInDays, MAX_AGE_DAYS, type Check } from './finding.ts';

function unused(u: IamUser, asOf: number | undefined): string[] {
  const c = u.credentials;
  if (!c) return [];
  const out: string[] = [];
  if (c.passwordEnabled) {
    const age = ageInDays(c.passwordLastUsed ?? c.passwordLastChanged ?? u.createDate, asOf);
    if (age !== undefined && age >= MAX_AGE_DAYS)
      out.push(c.passwordLastUsed ? `password unused for ${age} days` : `password never used in ${age} days`);
  }
  for (const k of c.accessKeys) {
    if (!k.active) continue;
    const age = ageInDays(k.lastUsedDate ?? k.lastRotated, asOf);
    if (age !== undefined && age >= MAX_AGE_DAYS)
      out.push(
        k.lastUsedDate
          ? `access key ${k.id ?? `#${k.slot}`} unused for ${age} days`
          : `access key ${k.id ?? `#${k.slot}`} never used in ${age} days`,
      );
  }
  return out;
}

export const unusedCredentials: Check = ({ snapshot, asOf }) =>
  snapshot.users.flatMap((u) => {
    const what = unused(u, asOf);
    if (what.length === 0) return [];
    return [
      {
        kind: 'unused-credentials' as const,
        severity: 'medium' as const,
        entities: [u.arn],
        message: `\`${u.name}\`: ${what.join(', ')}`,
        fix: `disable what \`${u.name}\` does not use: delete the login profile, deactivate the access key`,
      },
    ];
  });
