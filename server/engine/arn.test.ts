/**
 * The engine's ARN parser (reference-arns, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html):
 * `arn:partition:service:region:account-id:resource`, where the resource part may itself hold colons and slashes
 * and S3 ARNs have no region or account.
 */
import { describe, expect, it } from 'vitest';
import { arnAccount, arnService, parseArn } from './index.ts';

describe('parseArn', () => {
  it('splits at the first five colons only', () => {
    expect(parseArn('arn:aws:logs:us-east-1:111122223333:log-group:app:*')).toEqual({
      partition: 'aws',
      service: 'logs',
      region: 'us-east-1',
      account: '111122223333',
      resource: 'log-group:app:*',
    });
  });

  it('an S3 ARN has no account; a role ARN keeps its path', () => {
    expect(parseArn('arn:aws:s3:::bucket/key:with:colons')).toMatchObject({
      account: '',
      resource: 'bucket/key:with:colons',
    });
    expect(arnAccount('arn:aws:s3:::bucket')).toBeUndefined();
    expect(parseArn('arn:aws-cn:iam::111122223333:role/a/b/Deploy')?.resource).toBe('role/a/b/Deploy');
    expect(arnAccount('arn:aws-cn:iam::111122223333:role/a/b/Deploy')).toBe('111122223333');
  });

  it('anything else is not an ARN', () => {
    expect(parseArn('*')).toBeUndefined();
    expect(parseArn('arn:aws:s3')).toBeUndefined();
    expect(parseArn('urn:aws:s3:::bucket')).toBeUndefined();
    expect(arnService('*')).toBe('');
    expect(arnService('arn:aws:sns:eu-west-1:111122223333:topic')).toBe('sns');
  });
});
