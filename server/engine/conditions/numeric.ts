import type { Operator } from './operator.ts';

// reference_policies_elements_condition_operators, "Numeric condition operators". A value that is not a number
// (on either side) never matches.
function numeric(cmp: (r: number, p: number) => boolean) {
  return (pv: string) => {
    const p = pv.trim() === '' ? NaN : Number(pv);
    if (Number.isNaN(p)) return () => false;
    return (rv: string) => {
      const r = rv.trim() === '' ? NaN : Number(rv);
      return !Number.isNaN(r) && cmp(r, p);
    };
  };
}

export const numericOperators: Operator[] = [
  { name: 'NumericEquals', negated: false, variables: false, match: numeric((r, p) => r === p) },
  { name: 'NumericNotEquals', negated: true, variables: false, match: numeric((r, p) => r === p) },
  { name: 'NumericLessThan', negated: false, variables: false, match: numeric((r, p) => r < p) },
  { name: 'NumericLessThanEquals', negated: false, variables: false, match: numeric((r, p) => r <= p) },
  { name: 'NumericGreaterThan', negated: false, variables: false, match: numeric((r, p) => r > p) },
  { name: 'NumericGreaterThanEquals', negated: false, variables: false, match: numeric((r, p) => r >= p) },
];
