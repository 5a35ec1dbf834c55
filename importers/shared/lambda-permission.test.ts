/**
 * The statement a Lambda permission writes, held to the statements AWS documents for AddPermission
 * (https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html, its examples "To grant Amazon S3
 * permission to invoke a function" and "To grant another account permission to invoke a function") and for a
 * public function URL (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html).
 */
import { describe, expect, it } from 'vitest';
import { lambdaPermissionStatement } from './lambda-permission.ts';

const FN = 'arn:aws:lambda:us-east-2:123456789012:function:my-function';

describe('lambdaPermissionStatement', () => {
  it('a service with source account and ARN: the service principal, StringEquals and ArnLike conditions', () => {
    const st = lambdaPermissionStatement(
      {
        statementId: 's3',
        action: 'lambda:InvokeFunction',
        principal: 's3.amazonaws.com',
        sourceAccount: '123456789012',
        sourceArn: 'arn:aws:s3:::my-bucket-1xpuxmplzrlbh',
      },
      FN,
    );
    expect(st).toEqual({
      Sid: 's3',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: FN,
      Condition: {
        StringEquals: { 'AWS:SourceAccount': '123456789012' },
        ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::my-bucket-1xpuxmplzrlbh' },
      },
    });
  });

  it('an account id: the account root in the function partition, no condition', () => {
    expect(
      lambdaPermissionStatement(
        { statementId: 'xaccount', action: 'lambda:InvokeFunction', principal: '223456789012' },
        FN,
        'aws',
      ),
    ).toEqual({
      Sid: 'xaccount',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::223456789012:root' },
      Action: 'lambda:InvokeFunction',
      Resource: FN,
    });
    expect(
      lambdaPermissionStatement({ action: 'lambda:InvokeFunction', principal: '223456789012' }, FN, 'aws-cn')
        .Principal,
    ).toEqual({ AWS: 'arn:aws-cn:iam::223456789012:root' });
  });

  it('a public function URL: principal `*` under lambda:FunctionUrlAuthType NONE; an organization; a token', () => {
    expect(
      lambdaPermissionStatement(
        { action: 'lambda:InvokeFunctionUrl', principal: '*', functionUrlAuthType: 'NONE' },
        FN,
      ),
    ).toMatchObject({
      Principal: '*',
      Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
    });
    expect(
      lambdaPermissionStatement(
        {
          action: 'lambda:InvokeFunction',
          principal: '*',
          principalOrgId: 'o-a1b2c3d4e5',
          eventSourceToken: 'tok',
          invokedViaFunctionUrl: true,
          sourceArn: '',
        },
        FN,
      ).Condition,
    ).toEqual({
      StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5', 'lambda:EventSourceToken': 'tok' },
      Bool: { 'lambda:InvokedViaFunctionUrl': 'true' },
    });
  });
});
