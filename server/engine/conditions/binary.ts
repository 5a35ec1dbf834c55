import type { Operator } from './operator.ts';

// reference_policies_elements_condition_operators, "Binary condition operators": BinaryEquals compares the
// base64-encoded policy value byte-for-byte with the base64-encoded request value.
function normalizeBase64(s: string): string {
  return s.trim().replace(/=+$/, '');
}

export const binaryOperators: Operator[] = [
  {
    name: 'BinaryEquals',
    negated: false,
    variables: false,
    match: (pv) => {
      const p = normalizeBase64(pv);
      return (rv) => normalizeBase64(rv) === p;
    },
  },
];
