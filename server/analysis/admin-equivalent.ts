/**
 * Is a user or role admin-equivalent? Decided by the engine over the principal's own policies (identity policies,
 * boundary applied; SCPs when the analysis passes them), never by policy names.
 *
 * Admin-equivalent = full control of IAM on every resource: whoever may attach or write any policy on any user,
 * group or role (and create policy versions) can give itself `*` on `*`, so `iam:*` on `*` is as good as `*` on `*`.
 * The question is asked with concrete actions, not the strings `*` / `iam:*`: a request for the action `*` would be
 * matched by `NotAction: iam:*` (PowerUserAccess) although that policy excludes IAM.
 *
 * NOTE for the merge with server/analysis/escalation/: that module decides admin-equivalence too (AdminVerdict);
 * when it exposes a function, findings should call it and this file should go.
 */
import type { AccountSnapshot, Principal } from '../../importers/snapshot/model.ts';
import {
  compilePolicySet,
  evaluateCompiled,
  renderCondition,
  PolicyParseError,
  type PolicySet,
} from '../engine/index.ts';
import { principalPolicySet } from './policy-set.ts';

/** The permission-granting IAM actions: allowed on `*` together, they let a principal grant itself anything. */
export const ADMIN_PROBE_ACTIONS = [
  'iam:AttachUserPolicy',
  'iam:PutUserPolicy',
  'iam:AttachGroupPolicy',
  'iam:PutGroupPolicy',
  'iam:AttachRolePolicy',
  'iam:PutRolePolicy',
  'iam:CreatePolicyVersion',
  'iam:UpdateAssumeRolePolicy',
] as const;

export interface AdminEquivalence {
  /** ALLOWED: admin-equivalent; CONDITIONAL: only when `conditions` hold (e.g. with MFA). */
  decision: 'ALLOWED' | 'CONDITIONAL';
  /** Rendered residual conditions of the probes that were only CONDITIONAL. */
  conditions: string[];
  /** Ids (ARNs, or inline policy ids) of the policies whose Allow statements grant the probes. */
  grantedBy: string[];
}

/**
 * undefined when the principal is not admin-equivalent (some probe action is DENIED), or is not in the snapshot.
 * `extra` adds layers the snapshot's principal set lacks (SCPs from the organization importer).
 */
export function adminEquivalence(
  snapshot: AccountSnapshot,
  principal: Principal,
  extra: Partial<PolicySet> = {},
): AdminEquivalence | undefined {
  const set = principalPolicySet(snapshot, principal.arn);
  if (!set) return undefined;
  let compiled;
  try {
    compiled = compilePolicySet({ ...set, ...extra });
  } catch (e) {
    // Importers validate every document; an invalid one here means the snapshot was built by hand.
    if (e instanceof PolicyParseError) return undefined;
    throw e;
  }
  const conditions = new Set<string>();
  const grantedBy = new Set<string>();
  let conditional = false;
  for (const action of ADMIN_PROBE_ACTIONS) {
    const r = evaluateCompiled(
      { principal: principal.arn, action, resource: '*', resourceAccount: snapshot.accountId },
      compiled,
    );
    if (r.decision === 'DENIED') return undefined;
    if (r.decision === 'CONDITIONAL') {
      conditional = true;
      conditions.add(renderCondition(r.conditions ?? true));
    }
    for (const l of r.explanation.layers)
      if (l.layer === 'identity')
        for (const st of l.statements) if (st.effect === 'Allow') grantedBy.add(st.policyId);
  }
  return {
    decision: conditional ? 'CONDITIONAL' : 'ALLOWED',
    conditions: [...conditions].sort(),
    grantedBy: [...grantedBy].sort(),
  };
}
