import { describe, expect, it } from 'vitest';
import { exposureOf, newExposure } from './policy-exposure.ts';

const OWN = '111122223333';
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const read = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };

describe('exposureOf', () => {
  it('any principal is public; another account by id or ARN is cross-account; the own account and services are neither', () => {
    expect(exposureOf(policy({ ...read, Principal: '*' }), 'resource', OWN)).toEqual([
      { who: '*', conditional: false },
    ]);
    expect(
      exposureOf(
        policy({
          ...read,
          Principal: {
            AWS: ['444455556666', `arn:aws:iam::${OWN}:root`, 'arn:aws:iam::777788889999:role/x'],
          },
        }),
        'resource',
        OWN,
      ),
    ).toEqual([
      { who: '444455556666', conditional: false },
      { who: '777788889999', conditional: false },
    ]);
    expect(
      exposureOf(policy({ ...read, Principal: { Service: 'sns.amazonaws.com' } }), 'resource', OWN),
    ).toEqual([]);
  });

  it('conditions (aws:PrincipalOrgID, …) make it conditional; a Deny lets nobody in', () => {
    expect(
      exposureOf(
        policy({ ...read, Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } }),
        'resource',
        OWN,
      ),
    ).toEqual([{ who: '*', conditional: true }]);
    expect(exposureOf(policy({ ...read, Effect: 'Deny', Principal: '*' }), 'resource', OWN)).toEqual([]);
  });

  it('in a trust policy only statements that allow assuming the role count', () => {
    const trust = (Action: string) => policy({ Effect: 'Allow', Principal: { AWS: '444455556666' }, Action });
    expect(exposureOf(trust('sts:AssumeRole'), 'trust', OWN)).toEqual([
      { who: '444455556666', conditional: false },
    ]);
    expect(exposureOf(trust('sts:TagSession'), 'trust', OWN)).toEqual([]);
  });
});

describe('newExposure', () => {
  it('only what the after policy adds, or makes unconditional', () => {
    const partner = { ...read, Principal: { AWS: '444455556666' } };
    const conditionalPublic = {
      ...read,
      Principal: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': OWN } },
    };
    expect(newExposure(policy(partner), policy(partner), 'resource', OWN)).toEqual([]);
    expect(newExposure(undefined, policy(partner), 'resource', OWN)).toEqual([
      { who: '444455556666', conditional: false },
    ]);
    expect(
      newExposure(policy(conditionalPublic), policy({ ...read, Principal: '*' }), 'resource', OWN),
    ).toEqual([{ who: '*', conditional: false }]);
    expect(newExposure(policy(partner), undefined, 'resource', OWN)).toEqual([]);
  });
});
