/**
 * The IAM parts of several accounts → one snapshot's lists. Users, groups, roles and customer managed policies
 * are distinct by ARN (each names its account); AWS managed policies (`arn:aws:iam::aws:policy/…`) appear in
 * every account's GAAD and are kept once. Copies collected on different days can differ (AWS updated the
 * policy in between): the first account's is kept, with a warning.
 */
import type { Diagnostic } from '../../schema/diagnostics.ts';
import type { IamGroup, IamRole, IamUser, ManagedPolicy } from '../../schema/snapshot.ts';
import { defaultDocument } from '../../schema/snapshot.ts';

export interface AccountIam {
  users: IamUser[];
  groups: IamGroup[];
  roles: IamRole[];
  policies: ManagedPolicy[];
}

export function mergeAccounts(accounts: readonly AccountIam[]): AccountIam & { diagnostics: Diagnostic[] } {
  if (accounts.length === 1) return { ...accounts[0]!, diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  const policies = new Map<string, ManagedPolicy>();
  for (const a of accounts)
    for (const p of a.policies) {
      const kept = policies.get(p.arn);
      if (!kept) policies.set(p.arn, p);
      else if (defaultDocument(kept) !== defaultDocument(p))
        diagnostics.push({
          severity: 'warning',
          code: 'bundle.aws-policy-differs',
          message: `AWS managed policy \`${p.name}\` differs between accounts (collected at different times?): the first account's version \`${kept.defaultVersionId}\` is used`,
          hint: 'collect all accounts on the same day',
        });
    }
  return {
    users: accounts.flatMap((a) => a.users),
    groups: accounts.flatMap((a) => a.groups),
    roles: accounts.flatMap((a) => a.roles),
    policies: [...policies.values()],
    diagnostics,
  };
}
