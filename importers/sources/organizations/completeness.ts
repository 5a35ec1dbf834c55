/**
 * Import-time completeness warnings about the organization: for each imported account, whether the SCPs that
 * apply to its principals and the RCPs over its resources are known (importers/snapshot/completeness.ts).
 */
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import type { IamRole, Organization, OrgNode } from '../../../schema/snapshot.ts';
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
    const empty = organization && levelWithoutScp(organization, a.accountId);
    if (empty)
      out.push({
        severity: 'warning',
        code: 'organization.level-without-scp',
        message:
          `${empty.kind === 'account' ? 'account' : empty.kind === 'root' ? 'the root' : 'OU'} \`${empty.id}\`` +
          `${empty.kind === 'account' ? '' : ` (above account \`${a.accountId}\`)`} has no SCP attached, which AWS ` +
          `never allows (every root, OU and account keeps at least one; FullAWSAccess unless replaced): as imported, ` +
          `every request of account \`${a.accountId}\`'s principals is denied by the SCPs`,
        ...(a.where ? { file: a.where } : {}),
        hint: `collect \`organization/targets-for-policy/<policy>.json\` (list-targets-for-policy) again for every SCP: one of them targets \`${empty.id}\``,
      });
  }
  return out;
}

/**
 * The first level on the path from the root to `accountId` that no SCP targets, when the SCPs are collected and
 * enabled. AWS keeps at least one SCP on every root, OU and account (Organizations API reference, DetachPolicy:
 * "Every root, OU, and account must have at least one SCP attached"), and a level with none denies everything
 * below it (orgs_manage_policies_scps_evaluation), so such a level means the targets were not all collected.
 */
function levelWithoutScp(org: Organization, accountId: string): OrgNode | undefined {
  if (accountId === org.managementAccountId) return undefined;
  if (org.collectedPolicyTypes && !org.collectedPolicyTypes.includes('SERVICE_CONTROL_POLICY'))
    return undefined;
  if (org.enabledPolicyTypes && !org.enabledPolicyTypes.includes('SERVICE_CONTROL_POLICY')) return undefined;
  const nodes = new Map(org.nodes.map((n) => [n.id, n]));
  const targeted = new Set(
    org.policies.filter((p) => p.type === 'SERVICE_CONTROL_POLICY').flatMap((p) => p.targets),
  );
  const chain: OrgNode[] = [];
  // The importer rejects cycles; the bound keeps a hand-made tree from looping.
  for (
    let n = nodes.get(accountId);
    n && chain.length <= nodes.size;
    n = n.parentId ? nodes.get(n.parentId) : undefined
  )
    chain.unshift(n);
  if (chain.at(-1)?.kind !== 'account') return undefined;
  return chain.find((n) => !targeted.has(n.id));
}
