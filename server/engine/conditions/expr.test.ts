import { describe, expect, it } from 'vitest';
import { and, not, or, renderCondition, residualKeys, type ConditionExpr } from './expr.ts';

const mfa: ConditionExpr = { operator: 'Bool', key: 'aws:MultiFactorAuthPresent', values: ['true'] };
const ip: ConditionExpr = { operator: 'IpAddress', key: 'aws:SourceIp', values: ['10.0.0.0/8'] };

describe('three-valued logic', () => {
  it('short-circuits on constants and flattens', () => {
    expect(and(true, mfa)).toEqual(mfa);
    expect(and(false, mfa)).toBe(false);
    expect(or(true, mfa)).toBe(true);
    expect(or(false, mfa)).toEqual(mfa);
    expect(and(and(mfa, ip), mfa)).toEqual({ and: [mfa, ip] });
    expect(not(not(mfa))).toEqual(mfa);
    expect(not(true)).toBe(false);
  });
});

describe('renderCondition', () => {
  it('renders the brief example on one line', () => {
    expect(renderCondition({ and: [mfa, ip] })).toBe(
      'aws:MultiFactorAuthPresent = true AND aws:SourceIp in 10.0.0.0/8',
    );
  });
  it('renders negation, alternatives, qualifiers, IfExists and Null', () => {
    expect(
      renderCondition({
        and: [
          mfa,
          {
            not: {
              or: [
                ip,
                {
                  operator: 'StringNotEquals',
                  key: 'aws:RequestedRegion',
                  values: ['us-east-1', 'eu-west-1'],
                },
              ],
            },
          },
        ],
      }),
    ).toBe(
      'aws:MultiFactorAuthPresent = true AND NOT (aws:SourceIp in 10.0.0.0/8 OR aws:RequestedRegion not in (us-east-1, eu-west-1))',
    );
    expect(
      renderCondition({
        operator: 'StringLike',
        key: 'aws:TagKeys',
        values: ['a*'],
        qualifier: 'ForAllValues',
        ifExists: true,
      }),
    ).toBe('all of aws:TagKeys like a* (if present)');
    expect(renderCondition({ operator: 'Null', key: 'aws:TokenIssueTime', values: ['true'] })).toBe(
      'aws:TokenIssueTime is absent',
    );
  });
  it('lists the residual keys including policy-variable keys', () => {
    expect(
      residualKeys({
        and: [
          mfa,
          {
            not: {
              operator: 'ResourceMatches',
              key: 'Resource',
              values: ['x'],
              variables: ['aws:PrincipalTag/team'],
            },
          },
        ],
      }),
    ).toEqual(['aws:multifactorauthpresent', 'aws:principaltag/team']);
  });
});
