import type { Operator } from './operator.ts';

/**
 * reference_policies_elements_condition_operators, "Date condition operators": values are W3C/ISO 8601 dates
 * (`2026-01-01`, `2026-01-01T12:00:00Z`) or epoch (UNIX) time in seconds. Returns milliseconds, NaN if invalid.
 */
export function parseAwsDate(s: string): number {
  const t = s.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return NaN;
  return Date.parse(t);
}

function date(cmp: (r: number, p: number) => boolean) {
  return (pv: string) => {
    const p = parseAwsDate(pv);
    if (Number.isNaN(p)) return () => false;
    return (rv: string) => {
      const r = parseAwsDate(rv);
      return !Number.isNaN(r) && cmp(r, p);
    };
  };
}

export const dateOperators: Operator[] = [
  { name: 'DateEquals', negated: false, variables: false, match: date((r, p) => r === p) },
  { name: 'DateNotEquals', negated: true, variables: false, match: date((r, p) => r === p) },
  { name: 'DateLessThan', negated: false, variables: false, match: date((r, p) => r < p) },
  { name: 'DateLessThanEquals', negated: false, variables: false, match: date((r, p) => r <= p) },
  { name: 'DateGreaterThan', negated: false, variables: false, match: date((r, p) => r > p) },
  { name: 'DateGreaterThanEquals', negated: false, variables: false, match: date((r, p) => r >= p) },
];
