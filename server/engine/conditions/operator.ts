/**
 * One condition operator (reference_policies_elements_condition_operators). `match` compiles one policy value
 * into a predicate over one request value, always in the POSITIVE sense; negated operators (`StringNotEquals`,
 * `NotIpAddress`, `ArnNotLike`, …) set `negated` and the clause evaluator inverts — which is also what gives them
 * their documented "missing key → true" behaviour.
 */
export interface Operator {
  name: string;
  negated: boolean;
  /** Whether `${…}` policy variables are substituted in this operator's values (string and ARN operators). */
  variables: boolean;
  match(policyValue: string): (requestValue: string) => boolean;
}
