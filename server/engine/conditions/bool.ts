import type { Operator } from './operator.ts';

// reference_policies_elements_condition_operators, "Boolean condition operators": `true`/`false`, compared
// case-insensitively (IAM accepts JSON booleans too; the parser turns them into text).
export const boolOperators: Operator[] = [
  {
    name: 'Bool',
    negated: false,
    variables: true,
    match: (pv) => {
      const p = pv.toLowerCase();
      return (rv) => rv.toLowerCase() === p;
    },
  },
];
