/**
 * Admin-equivalence for callers that hold a Principal and want the policies that grant it: a thin adapter over
 * the engine-based decision in escalation/admin.ts (every permission-granting IAM action allowed on `*`, boundary,
 * denies and SCPs applied). Findings and what-if use it; there is one definition, in escalation/admin.ts.
 */
import type { AccountSnapshot, Principal } from '../../schema/snapshot.ts';
import { adminEquivalence as adminVerdict } from './escalation/admin.ts';

export interface AdminEquivalence {
  /** ALLOWED: admin-equivalent; CONDITIONAL: only when `conditions` hold (e.g. with MFA). */
  decision: 'ALLOWED' | 'CONDITIONAL';
  /** Rendered residual conditions of the probes that were only CONDITIONAL. */
  conditions: string[];
  /** Ids (ARNs, or inline policy ids) of the policies whose Allow statements grant the probes. */
  grantedBy: string[];
}

/** undefined when the principal is not admin-equivalent, or is not in the snapshot. */
export function adminEquivalence(
  snapshot: AccountSnapshot,
  principal: Principal,
): AdminEquivalence | undefined {
  const v = adminVerdict(snapshot, principal.arn);
  if (!v) return undefined;
  const grantedBy = new Set(
    v.evidence.filter((m) => m.effect === 'Allow' && m.layer === 'identity').map((m) => m.policyId),
  );
  return { decision: v.decision, conditions: v.conditions, grantedBy: [...grantedBy].sort() };
}
