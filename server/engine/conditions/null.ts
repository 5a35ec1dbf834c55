import type { Operator } from './operator.ts';

/**
 * reference_policies_elements_condition_operators, "Condition operator to check existence of condition keys":
 * `Null: {key: true}` — the key is absent (or its value is null/empty); `false` — the key is present. It is
 * special-cased by the clause evaluator (it looks at presence, not values); this object only registers the name.
 */
export const nullOperator: Operator = {
  name: 'Null',
  negated: false,
  variables: false,
  match: () => () => false,
};
