import type { SetQualifier } from '../policy/model.ts';

/**
 * How one operator's result over the request's values is combined (reference_policies_condition-single-vs-multi-
 * valued-context-keys, reference_policies_elements_condition_operators):
 * - no qualifier: a positive operator matches when some request value matches some policy value; a negated one
 *   when no request value matches any policy value (values of one key are ORed; the negation wraps the OR);
 * - `ForAnyValue:` some request value satisfies the operator (negated per value);
 * - `ForAllValues:` every request value satisfies it.
 * `anyPolicyValue(rv)` is the positive match of one request value against the policy's values.
 */
export function combineValues(
  qualifier: SetQualifier | undefined,
  negated: boolean,
  requestValues: readonly string[],
  anyPolicyValue: (rv: string) => boolean,
): boolean {
  if (qualifier === 'ForAnyValue') return requestValues.some((rv) => anyPolicyValue(rv) !== negated);
  if (qualifier === 'ForAllValues') return requestValues.every((rv) => anyPolicyValue(rv) !== negated);
  return requestValues.some(anyPolicyValue) !== negated;
}

/**
 * The result when the key is missing from the request context (or present with no values):
 * - `...IfExists`: true ("If the policy key is not present in the request context, the condition evaluates to
 *   true", condition_operators, "...IfExists condition operators");
 * - `ForAllValues:`: true — the documented trap: "if the key is missing or its value is an empty set, the
 *   condition returns true" (single-vs-multi-valued-context-keys);
 * - `ForAnyValue:`: false ("If the context key is not present, the condition returns false");
 * - negated operators (`StringNotEquals`, `NotIpAddress`, `ArnNotLike`, …): true;
 * - everything else: false.
 */
export function missingKeyResult(
  qualifier: SetQualifier | undefined,
  negated: boolean,
  ifExists: boolean,
): boolean {
  if (ifExists) return true;
  if (qualifier === 'ForAllValues') return true;
  if (qualifier === 'ForAnyValue') return false;
  return negated;
}
