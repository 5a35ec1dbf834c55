import type { CompiledPolicy } from '../../compile/policy.ts';
import { callerIsServiceLinked, type PreparedRequest } from '../request.ts';
import { evaluatePolicies, type LayerResult } from './layer.ts';

/**
 * Service control policies, one result per org level, root first (orgs_manage_policies_scps_evaluation): every
 * level must Allow. SCPs do not apply to service principals, anonymous callers, or service-linked roles
 * or their sessions (orgs_manage_policies_scps: "SCPs don't affect service-linked roles"); the caller omits them
 * for the management account.
 */
export function scpsApply(req: PreparedRequest): boolean {
  const p = req.principal;
  if (p.kind === 'service' || p.kind === 'anonymous' || p.kind === 'identity-provider' || p.kind === 'other')
    return false;
  return !callerIsServiceLinked(req);
}

export function evaluateScps(
  levels: readonly (readonly CompiledPolicy[])[],
  req: PreparedRequest,
): LayerResult[] {
  return levels.map((level) => evaluatePolicies(level, req));
}
