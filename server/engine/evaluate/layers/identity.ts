import type { CompiledPolicy } from '../../compile/policy.ts';
import type { PreparedRequest } from '../request.ts';
import { evaluatePolicies, type LayerResult } from './layer.ts';

/**
 * Identity-based policies: inline and managed, the user's groups' too (reference_policies_evaluation-logic).
 * The root user has no identity policies and needs none: it is allowed everything in its account unless an
 * SCP or explicit deny says otherwise (id_root-user), so its identity layer is an Allow.
 */
export function evaluateIdentity(policies: readonly CompiledPolicy[], req: PreparedRequest): LayerResult {
  const r = evaluatePolicies(policies, req);
  if (req.principal.kind === 'root') return { ...r, allow: true };
  // Service principals and anonymous callers have no identity policies at all.
  if (
    req.principal.kind === 'service' ||
    req.principal.kind === 'anonymous' ||
    req.principal.kind === 'identity-provider'
  )
    return { allow: false, deny: r.deny, matches: r.matches };
  return r;
}
