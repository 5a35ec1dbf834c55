import { describe, expect, it } from 'vitest';
import { prepareRequest } from './request.ts';

// Derived global keys, reference_policies_condition-keys ("Availability" of each key).
function keys(principal: string, resource = 'arn:aws:s3:::b/k', strictContext = true) {
  const r = prepareRequest({ principal, action: 's3:GetObject', resource, strictContext });
  const get = (k: string) => r.lookup(k.toLowerCase());
  return {
    arn: get('aws:PrincipalArn'),
    account: get('aws:PrincipalAccount'),
    username: get('aws:username'),
    userid: get('aws:userid'),
    type: get('aws:PrincipalType'),
    isService: get('aws:PrincipalIsAWSService'),
    serviceName: get('aws:PrincipalServiceName'),
    resourceAccount: get('aws:ResourceAccount'),
  };
}

describe('keys derived from the request', () => {
  it('an IAM user', () => {
    expect(keys('arn:aws:iam::111122223333:user/dev/alice')).toEqual({
      arn: ['arn:aws:iam::111122223333:user/dev/alice'],
      account: ['111122223333'],
      username: ['alice'],
      userid: null,
      type: ['User'],
      isService: ['false'],
      serviceName: null,
      resourceAccount: ['111122223333'], // S3 ARNs have no account: the principal's
    });
  });
  it('a role session: aws:PrincipalArn is the role ARN, no aws:username', () => {
    expect(
      keys('arn:aws:sts::111122223333:assumed-role/app/s1', `arn:aws:sqs:us-east-1:444455556666:q`),
    ).toMatchObject({
      arn: ['arn:aws:iam::111122223333:role/app'],
      username: null,
      type: ['AssumedRole'],
      resourceAccount: ['444455556666'],
    });
  });
  it('the root user: aws:userid is the account id', () => {
    expect(keys('111122223333')).toMatchObject({
      arn: ['arn:aws:iam::111122223333:root'],
      userid: ['111122223333'],
      type: ['Account'],
    });
  });
  it('a service principal: no principal ARN or account', () => {
    expect(keys('lambda.amazonaws.com')).toMatchObject({
      arn: null,
      account: null,
      isService: ['true'],
      serviceName: ['lambda.amazonaws.com'],
    });
  });
  it('without strictContext, what cannot be derived is unknown (undefined), not absent', () => {
    expect(keys('arn:aws:iam::111122223333:user/alice', 'arn:aws:s3:::b/k', false)).toMatchObject({
      userid: undefined,
      serviceName: undefined,
    });
  });
  it('caller context overrides derived keys, with case-insensitive names', () => {
    const r = prepareRequest({
      principal: 'arn:aws:iam::111122223333:user/alice',
      action: 'S3:GetObject',
      resource: '*',
      context: { 'AWS:UserName': 'mallory' },
    });
    expect(r.lookup('aws:username')).toEqual(['mallory']);
    expect([r.serviceLower, r.nameLower]).toEqual(['s3', 'getobject']);
  });
});
