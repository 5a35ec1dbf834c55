import type { CompiledPolicy } from '../../compile/policy.ts';
import { callerIsServiceLinked, type PreparedRequest } from '../request.ts';
import { evaluatePolicies, type LayerResult } from './layer.ts';

/**
 * Resource control policies, one result per org level (orgs_manage_policies_rcps): every level must Allow, on
 * the resource's side; they limit anyone calling the resource, external accounts and anonymous callers included.
 * RCPs don't affect service-linked roles or their sessions. The caller passes RCPs only for services that support them and for
 * resources in member accounts (the catalog's `servicesWithRcpSupport` can tell).
 */
export function rcpsApply(req: PreparedRequest): boolean {
  return !callerIsServiceLinked(req);
}

export function evaluateRcps(
  levels: readonly (readonly CompiledPolicy[])[],
  req: PreparedRequest,
): LayerResult[] {
  return levels.map((level) => evaluatePolicies(level, req));
}
