/**
 * The completeness warnings an answer depends on: for the principals it lists, whether their
 * SCPs and their permissions boundary are known; for the resource asked about, whether its resource policy and
 * its RCPs are known. The facts come from importers/snapshot/completeness.ts, shared with the import-time
 * snapshot warnings.
 */
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import { arnAccount } from '../engine/index.ts';
import { SnapshotAnalysis } from './snapshot-analysis.ts';
import { rcpGap, resourcePolicyGap, scpGap, type Gap } from '../../importers/snapshot/completeness.ts';

export function answerWarnings(
  snapshot: AccountSnapshot,
  principalArns: Iterable<string>,
  resource?: { arn: string; account?: string },
): string[] {
  const gaps: Gap[] = [];
  const principals = [...principalArns];
  const accounts = new Set<string>();
  for (const arn of principals) accounts.add(arnAccount(arn) ?? '');
  for (const account of [...accounts].sort()) {
    const g = scpGap(snapshot, account);
    if (g) gaps.push(g);
  }
  // A boundary absent from the GAAD (gaad.policy-missing) is not applied: the principal may be allowed less.
  const missing = SnapshotAnalysis.of(snapshot).missingBoundaries;
  for (const arn of principals) {
    const b = missing.get(arn);
    if (b)
      gaps.push({
        code: 'gaad.policy-missing',
        message: `the permissions boundary \`${b}\` of \`${arn}\` is not in the snapshot: it is not applied, so this principal may be allowed less`,
      });
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
