import type { CompiledStatement } from '../compile/policy.ts';
import type { Tri } from '../conditions/expr.ts';
import { and, not } from '../conditions/expr.ts';
import type { PreparedRequest } from './request.ts';

/**
 * Does a statement apply to the request, ignoring Principal (the resource layer checks that first)?
 * Action and NotAction are exact; Resource may and Condition may leave a residual. Cheapest checks first.
 */
export function statementApplies(st: CompiledStatement, req: PreparedRequest): Tri {
  if (st.action.matches(req.serviceLower, req.nameLower) === st.notAction) return false;
  let result: Tri = true;
  if (st.resource) {
    const r = st.resource(req.resource, req.lookup);
    result = st.notResource ? not(r) : r;
    if (result === false) return false;
  }
  // reference_policies_condition-logic: operators in a block are ANDed, keys under an operator are ANDed.
  for (const c of st.conditions) {
    result = and(result, c.evaluate(req.lookup, req.facts));
    if (result === false) return false;
  }
  return result;
}
