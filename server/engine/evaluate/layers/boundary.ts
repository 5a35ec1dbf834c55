import type { CompiledPolicy } from '../../compile/policy.ts';
import type { PreparedRequest } from '../request.ts';
import { evaluatePolicies, type LayerResult } from './layer.ts';

/**
 * Permissions boundary (access_policies_boundaries): sets the maximum the identity policies can grant. It never
 * grants by itself — decide.ts only ever ANDs `allow` into the result — and its explicit Deny wins.
 */
export function evaluateBoundary(boundary: CompiledPolicy, req: PreparedRequest): LayerResult {
  return evaluatePolicies([boundary], req);
}
