import { compileGlob } from '../compile/glob.ts';
import type { Operator } from './operator.ts';

// reference_policies_elements_condition_operators, "String condition operators".
const equals = (pv: string) => (rv: string) => rv === pv;
const equalsIgnoreCase = (pv: string) => {
  const p = pv.toLowerCase();
  return (rv: string) => rv.toLowerCase() === p;
};
// StringLike: "case-sensitive matching; the values can include multi-character match wildcards (*) and
// single-character match wildcards (?) anywhere in the string".
const like = (pv: string) => compileGlob(pv, false);

export const stringOperators: Operator[] = [
  { name: 'StringEquals', negated: false, variables: true, match: equals },
  { name: 'StringNotEquals', negated: true, variables: true, match: equals },
  { name: 'StringEqualsIgnoreCase', negated: false, variables: true, match: equalsIgnoreCase },
  { name: 'StringNotEqualsIgnoreCase', negated: true, variables: true, match: equalsIgnoreCase },
  { name: 'StringLike', negated: false, variables: true, match: like },
  { name: 'StringNotLike', negated: true, variables: true, match: like },
];
