/**
 * CloudFormation change sets → what-if changes: the DescribeChangeSet responses LocalStack recorded against AWS
 * (taken out of its snapshot wrapper), and a hand-made Modify/Remove change set on the demo account
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ResourceChange.html).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demo, importDemo } from '../../test/api/demo-fixture.ts';
import { whatIf } from '../../server/analysis/what-if/what-if.ts';
import { readChangeSet, translateChangeSet } from './index.ts';
import { SnapshotAnalysis } from '../../server/analysis/snapshot-analysis.ts';

const DIR = path.resolve(import.meta.dirname, '../../test/fixtures/cloudformation-change-sets');

/** One recorded API response out of a LocalStack snapshot file, as the `aws` CLI would have printed it. */
function recorded(file: string, test: string, step: string): Uint8Array {
  const snapshot = JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Record<
    string,
    { 'recorded-content': Record<string, unknown> }
  >;
  const key = Object.keys(snapshot).find((k) => k.includes(test))!;
  return new TextEncoder().encode(JSON.stringify(snapshot[key]!['recorded-content'][step]));
}

function translate(bytes: Uint8Array, name = 'cs.json') {
  const read = readChangeSet(bytes, name);
  expect(read.diagnostics).toEqual([]);
  return translateChangeSet(read.changeSet!, name);
}

const lines = (t: ReturnType<typeof translate>) =>
  t.changes.map(({ address, change }) => {
    const { op, document: _d, ...rest } = change as { op: string; document?: unknown };
    return `${address}: ${op} ${Object.values(rest).join(' ')}`;
  });

describe('real change sets (LocalStack recordings)', () => {
  it('SAM, with property values: the role has no RoleName (CloudFormation generates it): reported, not guessed; the Lambda permission is checked, not evaluated', () => {
    const t = translate(
      recorded(
        'localstack-sam-transform.snapshot.json',
        'test_serverless_fn',
        'describe-change-set-2-prop-values',
      ),
    );
    expect(t.changes).toEqual([]);
    expect(t.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      "change-set.unknown-value `HelloWorldFunctionApiEventPermissionProd`: the permission's `FunctionName`, `SourceArn` are known only after execution: what it grants is not evaluated",
      'change-set.unknown-value `HelloWorldFunctionRole`: the role name (`RoleName`) is not given: CloudFormation generates it at execution, so this change is left out',
    ]);
    // apigateway.amazonaws.com may invoke the function (the function, created by the stack, and SourceArn are known
    // after execution: who is let in is still decided by its principal, a service; the access diff needs them).
    expect(t.policies.map((p) => [p.address, p.kind])).toEqual([
      ['HelloWorldFunctionApiEventPermissionProd', 'resource'],
    ]);
    expect(JSON.parse(t.policies[0]!.after!).Statement[0]).toMatchObject({
      Principal: { Service: 'apigateway.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
    });
    expect(t.summary).toMatchObject({
      resources: 7,
      iam: 2,
      ignored: { 'AWS::Lambda::Function': 1, 'AWS::SSM::Parameter': 1 },
    });
  });

  it('SAM and CDK bootstrap without property values: each IAM change says to describe it with --include-property-values', () => {
    const sam = translate(
      recorded('localstack-sam-transform.snapshot.json', 'test_serverless_fn', 'describe-change-set-2'),
    );
    expect(sam.diagnostics.map((d) => d.code)).toEqual([
      'change-set.no-property-values',
      'change-set.no-property-values',
    ]);
    const cdk = translate(
      recorded(
        'localstack-cdk-bootstrap.snapshot.json',
        'test_cdk_bootstrap_redeploy[v20]',
        'describe-change-set',
      ),
    );
    expect(cdk.changes).toEqual([]);
    // 5 roles, 2 policies, 1 bucket policy, 1 ECR repository (its policy is a resource policy too).
    expect(cdk.summary.iam).toBe(9);
    expect(cdk.diagnostics).toHaveLength(9);
    expect(cdk.diagnostics[0]).toMatchObject({
      jsonPath: expect.stringMatching(/^Changes\[\d+\]\.ResourceChange$/),
    });
  });
});

describe('hand-made change set on the demo account', () => {
  it('Modify, Add and Remove become changes in an order AWS accepts; the diff is the expected one', async () => {
    const t = translate(readFileSync(path.join(DIR, 'handmade-modify-remove-demo.json')));
    expect(lines(t)).toEqual([
      'PartnerAuditorRole: updateTrustPolicy role/partner-auditor',
      'QaS3Access: putInlinePolicy group/QA qa-s3-write',
      'CarolToQa: addUserToGroup user/carol group/QA',
      'ReportsBucketPolicy: putResourcePolicy example-corp-reports',
      'BuildAgentRole: deletePrincipal role/ec2-build-agent',
    ]);
    expect(t.diagnostics.map((d) => `${d.code} ${d.jsonPath}`)).toEqual([
      'change-set.unknown-value Changes[4].ResourceChange.AfterContext.Properties.RoleName',
    ]);
    const outcome = await whatIf(
      SnapshotAnalysis.of(await importDemo()),
      t.changes.map((c) => c.change),
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    // dave (QA) and carol (joins QA) gain s3:PutObject on the reports bucket; the build agent role is deleted. The
    // bucket policy lets anyone read its objects: those of the account whose identity policies did not already
    // allow it gain s3:GetObject there (same-account requests are allowed when either policy allows:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
    const readers = [
      'cfn-deployer',
      'lambda-order-processor',
      'partner-auditor',
      'svc-deploy',
      'svc-notifier',
    ];
    expect(outcome.diff.principals.map((p) => `${p.name} ${p.change}`)).toEqual([
      'cfn-deployer modified',
      'ec2-build-agent deleted',
      'lambda-order-processor modified',
      'partner-auditor modified',
      'carol modified',
      'dave modified',
      'svc-deploy modified',
      'svc-notifier modified',
    ]);
    for (const p of outcome.diff.principals.filter((x) => readers.includes(x.name)))
      expect(p.granted.map((g) => `${g.action} ${g.resource}`)).toEqual([
        's3:GetObject arn:aws:s3:::example-corp-reports/*',
      ]);
    const dave = outcome.diff.principals.find((p) => p.arn === demo.dave)!;
    expect(dave.granted.map((g) => `${g.action} ${g.resource}`)).toEqual([
      's3:PutObject arn:aws:s3:::example-corp-reports/*',
    ]);
    expect(t.policies.map((p) => `${p.kind} ${p.resource}`)).toEqual([
      'trust role/partner-auditor',
      'resource example-corp-reports',
    ]);
  }, 60_000);
});

describe('AWS::Lambda::Permission', () => {
  // One statement of the function's policy (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-permission.html):
  // the template gives no statement id, so an added one has none until execution; a removed one goes by its
  // physical id.
  const changeSet = (changes: object[]) =>
    new TextEncoder().encode(
      JSON.stringify({
        StackName: 'handmade',
        Changes: changes.map((ResourceChange) => ({ Type: 'Resource', ResourceChange })),
      }),
    );
  it('Add, Remove and a replacement: removeLambdaPermission, then addLambdaPermission; each checked for exposure', () => {
    const t = translate(
      changeSet([
        {
          Action: 'Add',
          LogicalResourceId: 'PartnerInvoke',
          ResourceType: 'AWS::Lambda::Permission',
          AfterContext: JSON.stringify({
            Properties: {
              FunctionName: 'order-processor',
              Action: 'lambda:InvokeFunction',
              Principal: '999988887777',
            },
          }),
        },
        {
          Action: 'Remove',
          LogicalResourceId: 'S3Invoke',
          PhysicalResourceId: 'handmade-S3Invoke-1XYZ',
          ResourceType: 'AWS::Lambda::Permission',
          BeforeContext: JSON.stringify({
            Properties: {
              FunctionName: 'order-processor',
              Action: 'lambda:InvokeFunction',
              Principal: 's3.amazonaws.com',
              SourceAccount: '111122223333',
            },
          }),
        },
        {
          Action: 'Modify',
          Replacement: 'True',
          LogicalResourceId: 'UrlInvoke',
          PhysicalResourceId:
            'arn:aws:lambda:eu-west-1:111122223333:function:order-processor|handmade-UrlInvoke-2ABC',
          ResourceType: 'AWS::Lambda::Permission',
          BeforeContext: JSON.stringify({
            Properties: {
              FunctionName: 'order-processor',
              Action: 'lambda:InvokeFunctionUrl',
              Principal: '*',
              FunctionUrlAuthType: 'AWS_IAM',
            },
          }),
          AfterContext: JSON.stringify({
            Properties: {
              FunctionName: 'order-processor',
              Action: 'lambda:InvokeFunctionUrl',
              Principal: '*',
              FunctionUrlAuthType: 'NONE',
            },
          }),
        },
      ]),
    );
    expect(t.diagnostics).toEqual([]);
    expect(lines(t)).toEqual([
      'S3Invoke: removeLambdaPermission order-processor handmade-S3Invoke-1XYZ',
      'UrlInvoke: removeLambdaPermission arn:aws:lambda:eu-west-1:111122223333:function:order-processor handmade-UrlInvoke-2ABC',
      'PartnerInvoke: addLambdaPermission order-processor lambda:InvokeFunction 999988887777',
      'UrlInvoke: addLambdaPermission order-processor lambda:InvokeFunctionUrl * NONE',
    ]);
    expect(t.policies.map((p) => [p.address, p.before !== undefined, p.after !== undefined])).toEqual([
      ['PartnerInvoke', false, true],
      ['S3Invoke', true, false],
      ['UrlInvoke', true, true],
    ]);
    expect(JSON.parse(t.policies[0]!.after!).Statement[0].Principal).toEqual({
      AWS: 'arn:aws:iam::999988887777:root',
    });
  });
});

describe('not a change set', () => {
  const error = (text: string) =>
    readChangeSet(new TextEncoder().encode(text), 'x.json').diagnostics.find((d) => d.severity === 'error');
  it('a template, other JSON, not JSON', () => {
    expect(error('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}')).toMatchObject({
      code: 'change-set.template',
    });
    expect(error('{"StackName": "x"}')).toMatchObject({ code: 'change-set.not-a-change-set' });
    expect(error('{"Changes": [')).toMatchObject({
      code: 'change-set.truncated-json',
      hint: expect.stringContaining('--include-property-values'),
    });
    expect(error('{"Changes": [{"ResourceChange": {"Action": "Add"}}]}')).toMatchObject({
      code: 'change-set.invalid',
      jsonPath: 'Changes[0].ResourceChange.LogicalResourceId',
    });
  });
});
