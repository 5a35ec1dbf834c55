/**
 * The completeness warnings an answer depends on (issue 5, item 7): for the principals it lists, whether their
 * SCPs are known; for the resource asked about, whether its resource policy and its RCPs are known. The facts
 * come from importers/snapshot/completeness.ts, shared with the import-time snapshot warnings.
 */
import type { AccountSnapshot } from '../../importers/snapshot/model.ts';
import { rcpGap, resourcePolicyGap, scpGap, type Gap } from '../../importers/snapshot/completeness.ts';

export function answerWarnings(
  snapshot: AccountSnapshot,
  principalArns: Iterable<string>,
  resource?: { arn: string; account?: string },
): string[] {
  const gaps: Gap[] = [];
  const accounts = new Set<string>();
  for (const arn of principalArns) accounts.add(arn.split(':')[4] ?? '');
  for (const account of [...accounts].sort()) {
    const g = scpGap(snapshot, account);
    if (g) gaps.push(g);
  }
  if (resource && resource.arn !== '*') {
    const g = resourcePolicyGap(snapshot, resource.arn);
    if (g) gaps.push(g);
    const r = resource.account ? rcpGap(snapshot, resource.account) : undefined;
    if (r) gaps.push(r);
  }
  // Several accounts can share one gap text (organization not collected): say it once.
  return [...new Set(gaps.map((g) => `incomplete: ${g.message}`))];
}
