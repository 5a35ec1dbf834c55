import type { Operator } from './operator.ts';
import { stringOperators } from './string.ts';
import { numericOperators } from './numeric.ts';
import { dateOperators } from './date.ts';
import { boolOperators } from './bool.ts';
import { binaryOperators } from './binary.ts';
import { ipOperators } from './ip.ts';
import { arnOperators } from './arn.ts';
import { nullOperator } from './null.ts';

/** Every operator on the AWS "Condition operators" page, by exact (case-sensitive) name. */
export const OPERATORS: ReadonlyMap<string, Operator> = new Map(
  [
    ...stringOperators,
    ...numericOperators,
    ...dateOperators,
    ...boolOperators,
    ...binaryOperators,
    ...ipOperators,
    ...arnOperators,
    nullOperator,
  ].map((o) => [o.name, o]),
);

export function isKnownOperator(name: string): boolean {
  return OPERATORS.has(name);
}

export function getOperator(name: string): Operator {
  const op = OPERATORS.get(name);
  // INVARIANT: the parser rejects unknown operators, so compiled clauses only name registered ones.
  if (!op) throw new Error(`unknown condition operator ${name}`);
  return op;
}
