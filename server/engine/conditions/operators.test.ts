import { describe, expect, it } from 'vitest';
import { check } from '../test-support.ts';

type Row = [
  operator: string,
  policyValues: string | string[],
  requestValue: string | string[] | undefined,
  expected: boolean,
];
function table(rows: Row[]): void {
  it.each(rows)('%s %j vs %j → %s', (op, pv, rv, want) => {
    expect(check(op, 'k:key', pv, rv === undefined ? {} : { 'k:key': rv })).toBe(want);
  });
}

// All rows: reference_policies_elements_condition_operators.
describe('string operators', () =>
  table([
    ['StringEquals', 'abc', 'abc', true],
    ['StringEquals', 'abc', 'ABC', false],
    ['StringEquals', ['x', 'abc'], 'abc', true], // values of one key are ORed
    ['StringEquals', 'a*', 'abc', false], // no wildcards in StringEquals
    ['StringEquals', 'abc', undefined, false],
    ['StringNotEquals', 'abc', 'abd', true],
    ['StringNotEquals', ['x', 'abc'], 'abc', false],
    ['StringNotEquals', 'abc', undefined, true], // negated operator, missing key → true
    ['StringEqualsIgnoreCase', 'ABC', 'abc', true],
    ['StringNotEqualsIgnoreCase', 'ABC', 'abc', false],
    ['StringNotEqualsIgnoreCase', 'ABC', undefined, true],
    ['StringLike', 'a*c', 'abbbc', true],
    ['StringLike', 'a?c', 'abc', true],
    ['StringLike', 'a?c', 'abbc', false],
    ['StringLike', 'A*', 'abc', false], // case-sensitive
    ['StringLike', 'home/*', 'home/a/b', true],
    ['StringNotLike', 'a*', 'bcd', true],
    ['StringNotLike', 'a*', 'abc', false],
    ['StringNotLike', 'a*', undefined, true],
    ['StringEqualsIfExists', 'abc', undefined, true],
    ['StringEqualsIfExists', 'abc', 'abd', false],
    ['StringNotLikeIfExists', 'a*', 'abc', false],
  ]));

describe('numeric operators', () =>
  table([
    ['NumericEquals', '10', '10', true],
    ['NumericEquals', '10', '10.0', true],
    ['NumericEquals', '10', '11', false],
    ['NumericEquals', '10', 'ten', false], // not a number never matches
    ['NumericNotEquals', '10', '11', true],
    ['NumericNotEquals', '10', '10', false],
    ['NumericNotEquals', '10', undefined, true],
    ['NumericLessThan', '10', '9', true],
    ['NumericLessThan', '10', '10', false],
    ['NumericLessThanEquals', '10', '10', true],
    ['NumericGreaterThan', '10', '10.5', true],
    ['NumericGreaterThan', '10', '10', false],
    ['NumericGreaterThanEquals', '10', '10', true],
    ['NumericGreaterThanEquals', '10', '9', false],
    ['NumericLessThan', '10', undefined, false],
    ['NumericLessThanIfExists', '10', undefined, true],
    ['NumericLessThan', ['1', '100'], '50', true],
  ]));

describe('date operators (ISO 8601 and epoch seconds)', () =>
  table([
    ['DateEquals', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', true],
    ['DateEquals', '2026-01-01T00:00:00Z', '1767225600', true], // epoch seconds
    ['DateNotEquals', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', true],
    ['DateNotEquals', '2026-01-01T00:00:00Z', undefined, true],
    ['DateLessThan', '2026-01-01T00:00:00Z', '2025-12-31T23:59:59Z', true],
    ['DateLessThan', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', false],
    ['DateLessThanEquals', '2026-01-01', '2026-01-01T00:00:00Z', true],
    ['DateGreaterThan', '2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z', true],
    ['DateGreaterThan', '1767225600', '2025-06-01T00:00:00Z', false],
    ['DateGreaterThanEquals', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', true],
    ['DateLessThan', '2026-01-01T00:00:00Z', 'yesterday', false],
    ['DateLessThan', '2026-01-01T00:00:00Z', undefined, false],
  ]));

describe('Bool and BinaryEquals', () =>
  table([
    ['Bool', 'true', 'true', true],
    ['Bool', 'true', 'TRUE', true],
    ['Bool', 'true', 'false', false],
    ['Bool', 'false', 'false', true],
    ['Bool', 'true', undefined, false],
    ['BoolIfExists', 'true', undefined, true],
    ['BoolIfExists', 'true', 'false', false],
    ['BinaryEquals', 'QmluYXJ5VmFsdWU=', 'QmluYXJ5VmFsdWU=', true],
    ['BinaryEquals', 'QmluYXJ5VmFsdWU=', 'T3RoZXI=', false],
    ['BinaryEquals', 'QmluYXJ5VmFsdWU=', undefined, false],
  ]));

describe('IP address operators (IPv4 and IPv6 CIDR)', () =>
  table([
    ['IpAddress', '10.0.0.0/8', '10.1.2.3', true],
    ['IpAddress', '10.0.0.0/8', '11.1.2.3', false],
    ['IpAddress', '203.0.113.5', '203.0.113.5', true], // a bare address is /32
    ['IpAddress', '203.0.113.5', '203.0.113.6', false],
    ['IpAddress', ['192.168.0.0/16', '10.0.0.0/8'], '192.168.4.4', true],
    ['IpAddress', '2001:db8::/32', '2001:db8:1::1', true],
    ['IpAddress', '2001:db8::/32', '2001:db9::1', false],
    ['IpAddress', '10.0.0.0/8', '2001:db8::1', false], // families never mix
    ['IpAddress', '10.0.0.0/8', '::ffff:10.0.0.1', true], // IPv4-mapped IPv6
    ['IpAddress', '10.0.0.0/8', 'not-an-ip', false],
    ['IpAddress', '10.0.0.0/8', undefined, false],
    ['NotIpAddress', '10.0.0.0/8', '11.0.0.1', true],
    ['NotIpAddress', '10.0.0.0/8', '10.0.0.1', false],
    ['NotIpAddress', '10.0.0.0/8', undefined, true],
    ['IpAddressIfExists', '10.0.0.0/8', undefined, true],
  ]));

describe('ARN operators (six components, wildcards within each)', () =>
  table([
    ['ArnEquals', 'arn:aws:iam::111122223333:role/a', 'arn:aws:iam::111122223333:role/a', true],
    ['ArnEquals', 'arn:aws:iam::111122223333:role/*', 'arn:aws:iam::111122223333:role/a', true], // ArnEquals = ArnLike
    ['ArnLike', 'arn:aws:iam::*:role/dev-*', 'arn:aws:iam::111122223333:role/dev-x', true],
    ['ArnLike', 'arn:aws:iam::*:role/dev-*', 'arn:aws:iam::111122223333:role/prod', false],
    ['ArnLike', 'arn:aws:s3:::*', 'arn:aws:s3:::b/k', true],
    ['ArnLike', 'arn:aws:*', 'arn:aws:s3:::b', false], // "*" does not span the colon-separated components
    ['ArnLike', 'arn:aws:iam::111122223333:role/a', 'not-an-arn', false],
    ['ArnNotEquals', 'arn:aws:iam::111122223333:role/a', 'arn:aws:iam::111122223333:role/b', true],
    ['ArnNotLike', 'arn:aws:iam::*:role/dev-*', 'arn:aws:iam::111122223333:role/dev-x', false],
    ['ArnNotLike', 'arn:aws:iam::*:role/dev-*', undefined, true],
    ['ArnLikeIfExists', 'arn:aws:iam::*:role/dev-*', undefined, true],
  ]));

describe('Null', () =>
  table([
    ['Null', 'true', undefined, true],
    ['Null', 'true', 'x', false],
    ['Null', 'false', 'x', true],
    ['Null', 'false', undefined, false],
    ['Null', 'true', [], true], // an empty set counts as absent
  ]));

describe('policy variables in condition values [reference_policies_variables]', () => {
  it('substitutes ${aws:username} in StringEquals and StringLike', () => {
    expect(
      check('StringEquals', 's3:prefix', 'home/${aws:username}', {
        's3:prefix': 'home/alice',
        'aws:username': 'alice',
      }),
    ).toBe(true);
    expect(
      check('StringLike', 's3:prefix', 'home/${aws:username}/*', {
        's3:prefix': 'home/bob/x',
        'aws:username': 'alice',
      }),
    ).toBe(false);
  });
  it('is literal under 2008-10-17', () => {
    expect(
      check(
        'StringEquals',
        's3:prefix',
        'home/${aws:username}',
        { 's3:prefix': 'home/${aws:username}', 'aws:username': 'alice' },
        true,
        '2008-10-17',
      ),
    ).toBe(true);
  });
  it('an unknown variable makes the clause a residual that names the variable', () => {
    expect(
      check('StringEquals', 's3:prefix', 'home/${aws:username}', { 's3:prefix': 'home/alice' }, false),
    ).toEqual({
      operator: 'StringEquals',
      key: 's3:prefix',
      values: ['home/${aws:username}'],
      variables: ['aws:username'],
    });
  });
});

describe('condition keys are case-insensitive and unknown keys are residuals', () => {
  it('matches a key given in another case', () => {
    expect(
      check('StringEquals', 'AWS:RequestedRegion', 'us-east-1', { 'aws:requestedregion': 'us-east-1' }),
    ).toBe(true);
  });
  it('returns the clause as a residual leaf when the key is unknown', () => {
    expect(check('ForAnyValue:StringLikeIfExists', 'aws:TagKeys', ['a*'], {}, false)).toEqual({
      operator: 'StringLike',
      key: 'aws:TagKeys',
      values: ['a*'],
      qualifier: 'ForAnyValue',
      ifExists: true,
    });
  });
});
