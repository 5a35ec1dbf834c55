/**
 * Import-time completeness warnings about the organization: for each imported account, whether the SCPs that
 * apply to its principals and the RCPs over its resources are known (importers/snapshot/completeness.ts).
 */
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import type { IamRole, Organization } from '../../../schema/snapshot.ts';
import { rcpGap, scpGap } from '../../snapshot/completeness.ts';

export function organizationCompleteness(
  organization: Organization | undefined,
  accounts: readonly { accountId: string; roles: IamRole[]; where?: string }[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const snapshot = {
    ...(organization ? { organization } : {}),
    roles: accounts.flatMap((a) => a.roles),
    accounts: [...new Set(accounts.map((a) => a.accountId))].map((id) => ({ id })),
  };
  for (const a of accounts) {
    for (const gap of [
      scpGap(snapshot, a.accountId),
      rcpGap(organization ? { organization } : {}, a.accountId),
    ])
      // Without organization data the gap names every account: said once.
      if (gap && !seen.has(gap.message)) {
        seen.add(gap.message);
        out.push({
          severity: 'warning',
          code: gap.code,
          message: gap.message,
          ...(a.where ? { file: a.where } : {}),
          ...(gap.hint ? { hint: gap.hint } : {}),
        });
      }
  }
  return out;
}
