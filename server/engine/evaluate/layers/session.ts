import type { CompiledPolicy } from '../../compile/policy.ts';
import type { PreparedRequest } from '../request.ts';
import { evaluatePolicies, type LayerResult } from './layer.ts';

/**
 * Session policy (access_policies, "Session policies"): passed with AssumeRole/GetFederationToken; the session's
 * permissions are the intersection of the identity policies and the session policy, and it never grants alone.
 */
export function evaluateSession(session: CompiledPolicy, req: PreparedRequest): LayerResult {
  return evaluatePolicies([session], req);
}
