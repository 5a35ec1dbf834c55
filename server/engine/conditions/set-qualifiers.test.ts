import { describe, expect, it } from 'vitest';
import { check } from '../test-support.ts';

// reference_policies_condition-single-vs-multi-valued-context-keys and _condition_operators.
type Row = [
  name: string,
  operator: string,
  policy: string[],
  request: string[] | undefined,
  expected: boolean,
];
const rows: Row[] = [
  ['ForAnyValue: one request value matches', 'ForAnyValue:StringEquals', ['a', 'b'], ['x', 'b'], true],
  ['ForAnyValue: none matches', 'ForAnyValue:StringEquals', ['a', 'b'], ['x', 'y'], false],
  ['ForAnyValue: missing key is false', 'ForAnyValue:StringEquals', ['a'], undefined, false],
  ['ForAnyValue: empty set is false', 'ForAnyValue:StringEquals', ['a'], [], false],
  [
    'ForAllValues: every request value matches',
    'ForAllValues:StringEquals',
    ['a', 'b', 'c'],
    ['a', 'c'],
    true,
  ],
  ['ForAllValues: one value outside the set', 'ForAllValues:StringEquals', ['a', 'b'], ['a', 'z'], false],
  ['ForAllValues: missing key is TRUE (the trap)', 'ForAllValues:StringEquals', ['a'], undefined, true],
  ['ForAllValues: empty set is TRUE (the trap)', 'ForAllValues:StringEquals', ['a'], [], true],
  [
    'ForAllValues:StringLike with wildcards',
    'ForAllValues:StringLike',
    ['team-*'],
    ['team-a', 'team-b'],
    true,
  ],
  [
    'ForAnyValue:StringNotEquals: some value outside the set',
    'ForAnyValue:StringNotEquals',
    ['a'],
    ['a', 'b'],
    true,
  ],
  [
    'ForAnyValue:StringNotEquals: all values in the set',
    'ForAnyValue:StringNotEquals',
    ['a', 'b'],
    ['a', 'b'],
    false,
  ],
  [
    'ForAnyValue:StringNotEquals: missing key is false',
    'ForAnyValue:StringNotEquals',
    ['a'],
    undefined,
    false,
  ],
  [
    'ForAllValues:StringNotEquals: no value in the set',
    'ForAllValues:StringNotEquals',
    ['a'],
    ['b', 'c'],
    true,
  ],
  [
    'ForAllValues:StringNotEquals: one value in the set',
    'ForAllValues:StringNotEquals',
    ['a'],
    ['a', 'c'],
    false,
  ],
  [
    'ForAllValues:StringNotEquals: missing key is true',
    'ForAllValues:StringNotEquals',
    ['a'],
    undefined,
    true,
  ],
  [
    'no qualifier, multi-valued request: positive matches if any value matches',
    'StringEquals',
    ['a'],
    ['x', 'a'],
    true,
  ],
  [
    'no qualifier, multi-valued request: negated fails if any value matches',
    'StringNotEquals',
    ['a'],
    ['x', 'a'],
    false,
  ],
  [
    'ForAnyValue with IfExists on a missing key is true',
    'ForAnyValue:StringEqualsIfExists',
    ['a'],
    undefined,
    true,
  ],
  ['ForAllValues:NumericLessThan', 'ForAllValues:NumericLessThan', ['10'], ['1', '9'], true],
  ['ForAnyValue:IpAddress', 'ForAnyValue:IpAddress', ['10.0.0.0/8'], ['1.1.1.1', '10.2.2.2'], true],
];

describe('set qualifiers and missing keys', () => {
  it.each(rows)('%s', (_n, op, pv, rv, want) => {
    expect(check(op, 'aws:TagKeys', pv, rv === undefined ? {} : { 'aws:TagKeys': rv })).toBe(want);
  });
});
