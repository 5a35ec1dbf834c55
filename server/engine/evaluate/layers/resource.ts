import type { CompiledPolicy } from '../../compile/policy.ts';
import type { Tri } from '../../conditions/expr.ts';
import { and, not, or, type ConditionLeaf } from '../../conditions/expr.ts';
import {
  matchNotPrincipal,
  matchPrincipal,
  sessionNamesFor,
  type PrincipalMatch,
} from '../../compile/principal-matcher.ts';
import type { PreparedRequest } from '../request.ts';
import { statementApplies } from '../statement.ts';
import type { LayerResult } from './layer.ts';

/**
 * Resource-based policy (bucket policy, role trust policy, KMS key policy, …). Allows are split by how the
 * Principal element named the caller, because that changes what else must allow (see decide.ts).
 */
export interface ResourceLayerResult extends LayerResult {
  /** Allow naming the exact user / session / federated user / service: not limited by boundary or session policy. */
  allowDirect: Tri;
  /** Allow naming the role ARN (matching the role's sessions): limited by the boundary and session policy. */
  allowLimited: Tri;
  /** Allow naming the account: delegates to the account's identity policies. */
  allowAccount: Tri;
}

/** `hasBoundary`: the principal has a permissions boundary (changes how a NotPrincipal Deny applies). */
export function evaluateResource(
  policy: CompiledPolicy,
  req: PreparedRequest,
  hasBoundary = false,
): ResourceLayerResult {
  let allowDirect: Tri = false;
  let allowLimited: Tri = false;
  let allowAccount: Tri = false;
  let deny: Tri = false;
  const matches: ResourceLayerResult['matches'] = [];
  for (const st of policy.candidates(req.serviceLower)) {
    const s = st.statement;
    // A statement without Principal/NotPrincipal cannot name anyone (the parser rejects it for resource policies).
    let pm: PrincipalMatch = s.principal
      ? matchPrincipal(s.principal, req.principal)
      : s.notPrincipal
        ? matchNotPrincipal(s.notPrincipal, req.principal)
        : 'none';
    // access_policies_boundaries: "The NotPrincipal element with a Deny effect will always deny any IAM principal
    // that has a permissions boundary policy attached, regardless of the values specified in the NotPrincipal".
    const boundaryDeny = s.notPrincipal !== undefined && st.effect === 'Deny' && hasBoundary;
    if (boundaryDeny) pm = 'any';
    // A caller whose session name is unknown is named by an entry for one session of its role only under that
    // name: as the session itself (`direct`), if the session is so named.
    const names =
      req.sessionNameUnknown && s.principal && pm !== 'direct' && pm !== 'any'
        ? sessionNamesFor(s.principal, req.principal)
        : [];
    if (pm === 'none' && names.length === 0) continue;
    let applies = statementApplies(st, req);
    if (applies === false) continue;
    if (names.length) {
      const asSession = and(sessionNamed(names), applies);
      if (pm === 'none') [pm, applies] = ['direct', asSession];
      else if (st.effect === 'Allow') allowDirect = or(allowDirect, asSession);
    }
    // NotPrincipal listing one session of the caller's role leaves the caller out only under that name.
    const excluded =
      req.sessionNameUnknown && s.notPrincipal && pm === 'any' && !boundaryDeny
        ? sessionNamesFor(s.notPrincipal, req.principal)
        : [];
    if (excluded.length) applies = and(not(sessionNamed(excluded)), applies);
    if (applies === false) continue;
    matches.push({ policy, statement: st, applies, principalMatch: pm });
    if (st.effect === 'Deny') deny = or(deny, applies);
    // A Principal of "*" names every caller, the user or the role session itself included: it grants past an
    // implicit deny in the boundary or session policy as naming the user / session ARN does
    // (access_policies_boundaries, "Resource-based policies"; iam-simulate agrees). Only the role ARN is limited.
    else if (pm === 'direct' || pm === 'any') allowDirect = or(allowDirect, applies);
    else if (pm === 'account') allowAccount = or(allowAccount, applies);
    else allowLimited = or(allowLimited, applies);
  }
  return {
    allow: or(or(allowDirect, allowLimited), allowAccount),
    deny,
    matches,
    allowDirect,
    allowLimited,
    allowAccount,
  };
}

/** The residual "the session is named …" for a caller whose session name is unknown. */
function sessionNamed(names: string[]): ConditionLeaf {
  return { operator: 'SessionNamed', key: 'RoleSessionName', values: names };
}
