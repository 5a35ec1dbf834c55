import { compileGlob } from '../compile/glob.ts';
import type { Operator } from './operator.ts';

/**
 * reference_policies_elements_condition_operators, "Amazon Resource Name (ARN) condition operators": "Each of
 * the six colon-delimited components of the ARN is checked separately and each can include multi-character
 * match wildcards (*) or single-character match wildcards (?)". ArnEquals and ArnLike behave the same.
 */
export function splitArn(arn: string): string[] | undefined {
  const parts: string[] = [];
  let rest = arn;
  for (let i = 0; i < 5; i++) {
    const at = rest.indexOf(':');
    if (at < 0) return undefined;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  parts.push(rest);
  return parts;
}

function arnLike(pv: string) {
  const pparts = splitArn(pv);
  if (!pparts) return () => false;
  const preds = pparts.map((p) => compileGlob(p, false));
  return (rv: string) => {
    const rparts = splitArn(rv);
    return rparts !== undefined && preds.every((m, i) => m(rparts[i]!));
  };
}

export const arnOperators: Operator[] = [
  { name: 'ArnEquals', negated: false, variables: true, match: arnLike },
  { name: 'ArnLike', negated: false, variables: true, match: arnLike },
  { name: 'ArnNotEquals', negated: true, variables: true, match: arnLike },
  { name: 'ArnNotLike', negated: true, variables: true, match: arnLike },
];
