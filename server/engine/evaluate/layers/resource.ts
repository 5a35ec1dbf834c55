import type { CompiledPolicy } from '../../compile/policy.ts';
import type { Tri } from '../../conditions/expr.ts';
import { or } from '../../conditions/expr.ts';
import { matchNotPrincipal, matchPrincipal, type PrincipalMatch } from '../../compile/principal-matcher.ts';
import type { PreparedRequest } from '../request.ts';
import { statementApplies } from '../statement.ts';
import { toMatch, type LayerResult } from './layer.ts';

/**
 * Resource-based policy (bucket policy, role trust policy, KMS key policy, …). Allows are split by how the
 * Principal element named the caller, because that changes what else must allow (see decide.ts).
 */
export interface ResourceLayerResult extends LayerResult {
  /** Allow naming the exact user / session / federated user / service: not limited by boundary or session policy. */
  allowDirect: Tri;
  /** Allow naming the role ARN or `*`: limited by the boundary and session policy. */
  allowLimited: Tri;
  /** Allow naming the account: delegates to the account's identity policies. */
  allowAccount: Tri;
}

export function evaluateResource(policy: CompiledPolicy, req: PreparedRequest): ResourceLayerResult {
  let allowDirect: Tri = false;
  let allowLimited: Tri = false;
  let allowAccount: Tri = false;
  let deny: Tri = false;
  const matches: ResourceLayerResult['matches'] = [];
  for (const st of policy.candidates(req.serviceLower)) {
    const s = st.statement;
    // A statement without Principal/NotPrincipal cannot name anyone (the parser rejects it for resource policies).
    const pm: PrincipalMatch = s.principal ? matchPrincipal(s.principal, req.principal) : s.notPrincipal ? matchNotPrincipal(s.notPrincipal, req.principal) : 'none';
    if (pm === 'none') continue;
    const applies = statementApplies(st, req);
    if (applies === false) continue;
    matches.push(toMatch(policy, st, applies, pm));
    if (st.effect === 'Deny') deny = or(deny, applies);
    else if (pm === 'direct') allowDirect = or(allowDirect, applies);
    else if (pm === 'account') allowAccount = or(allowAccount, applies);
    else allowLimited = or(allowLimited, applies);
  }
  return { allow: or(or(allowDirect, allowLimited), allowAccount), deny, matches, allowDirect, allowLimited, allowAccount };
}
