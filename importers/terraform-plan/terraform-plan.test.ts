/**
 * Terraform plan JSON → what-if changes, on the real plans of test/fixtures/terraform-plans/ (expected change
 * lists checked by hand against each file's `resource_changes`) and the hand-made ones for what no real plan holds
 * (updates, replacements, values resolved through `configuration`). Format: Terraform's "JSON Output Format"
 * (https://developer.hashicorp.com/terraform/internals/json-format).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseChanges } from '../../server/analysis/what-if/changes.ts';
import { planAccountMismatch, readTerraformPlan, translatePlan, type PlanTranslation } from './index.ts';

const DIR = path.resolve(import.meta.dirname, '../../test/fixtures/terraform-plans');

function load(name: string): { translation: PlanTranslation; warnings: string[] } {
  const read = readTerraformPlan(readFileSync(path.join(DIR, name)), name);
  expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const translation = translatePlan(read.plan!, name);
  return {
    translation,
    warnings: [...read.diagnostics, ...translation.diagnostics].map((d) => `${d.code} ${d.jsonPath ?? ''}`),
  };
}

/** `address: op field…` with documents left out (checked apart). */
function lines(t: PlanTranslation): string[] {
  return t.changes.map(({ address, change }) => {
    const { op, document: _d, ...rest } = change as { op: string; document?: unknown };
    return `${address}: ${op} ${Object.entries(rest)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ')}`;
  });
}

function readBytes(text: string | Uint8Array, name = 'plan.json') {
  return readTerraformPlan(typeof text === 'string' ? new TextEncoder().encode(text) : text, name);
}

describe('real Terraform plans', () => {
  it('checkov-iam-policies-create: policies, groups, users; a role named only after apply is left out, with its inline policy', () => {
    const { translation, warnings } = load('checkov-iam-policies-create.json');
    expect(lines(translation)).toEqual([
      'aws_iam_policy.policy_pass: createPolicy name=policy_pass path=/',
      'aws_iam_group.fail_2: createGroup name=example path=/',
      'aws_iam_user.fail_3: createUser name=example path=/',
      'aws_iam_group_policy.fail_2: putInlinePolicy target=group/example name=example',
      'aws_iam_user_policy.fail_3: putInlinePolicy target=user/example name=example',
    ]);
    // aws_iam_role.example has no name (name_prefix unset: Terraform picks one at apply), so its name and the
    // inline policy's `role` (= aws_iam_role.example.id) are unknown.
    expect(warnings).toEqual([
      'terraform-plan.unknown-value resource_changes[3].change.after.name',
      'terraform-plan.unknown-value resource_changes[4].change.after.role',
    ]);
    expect(translation.summary).toEqual({ resources: 7, iam: 7, unchanged: 0, ignored: {} });
    // Every translated change is a valid change set: documents parse.
    expect(parseChanges(translation.changes.map((c) => c.change)).changes).toHaveLength(5);
  });

  it('checkov-mixed-tf012 (format 0.1): roles, inline policies, AWS managed attachments; 44 other types counted', () => {
    const { translation, warnings } = load('checkov-mixed-tf012.json');
    expect(lines(translation)).toEqual([
      'aws_iam_role.ec2role: createRole name=123456789123-acme-corp-role path=/',
      'aws_iam_role.iam_for_eks: createRole name=123456789123-acme-corp-iam-for-eks path=/',
      'aws_iam_role.iam_for_lambda: createRole name=123456789123-acme-corp-analysis-lambda path=/',
      'aws_iam_user.user: createUser name=123456789123-acme-corp-user path=/',
      'aws_iam_role_policy.ec2policy: putInlinePolicy target=role/123456789123-acme-corp-role name=123456789123-acme-corp-policy',
      'aws_iam_role_policy_attachment.policy_attachment-AmazonEKSClusterPolicy: attachPolicy target=role/123456789123-acme-corp-iam-for-eks policy=arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
      'aws_iam_role_policy_attachment.policy_attachment-AmazonEKSServicePolicy: attachPolicy target=role/123456789123-acme-corp-iam-for-eks policy=arn:aws:iam::aws:policy/AmazonEKSServicePolicy',
      'aws_iam_user_policy.userpolicy: putInlinePolicy target=user/123456789123-acme-corp-user name=excess_policy',
    ]);
    expect(warnings).toEqual([]);
    // 55 entries: 8 translated, the KMS key (policy unknown and not configured: the default key policy) checked
    // for nothing, iam_access_key and iam_instance_profile among the ignored.
    expect(translation.summary.resources).toBe(55);
    expect(translation.summary.ignored.aws_iam_access_key).toBe(1);
    expect(translation.summary.ignored.aws_iam_instance_profile).toBe(1);
    expect(Object.values(translation.summary.ignored).reduce((a, b) => a + b, 0)).toBe(55 - 9);
    expect(translation.accounts).toEqual([]);
  });

  it('checkov-oidc-trust-module: trust policies from data sources in a module, per for_each key', () => {
    const { translation, warnings } = load('checkov-oidc-trust-module.json');
    expect(lines(translation)).toEqual([
      'module.poc.aws_iam_role.r6["p1"]: createRole name=r8 path=/',
      'module.poc.aws_iam_role.r6["p1"]: putInlinePolicy target=role/r8 name=eks_s3_access',
      'module.poc.aws_iam_role.r6["p2"]: createRole name=r9 path=/',
      'module.poc.aws_iam_role.r6["p2"]: putInlinePolicy target=role/r9 name=eks_s3_access',
    ]);
    // r6's trust policy is data.aws_iam_policy_document.r4[each.key]: its statements are known, so the document is
    // rebuilt from them (the provider's JSON is unknown until the data source is read).
    const doc = JSON.parse((translation.changes[0]!.change as { document: string }).document);
    expect(doc.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Action: ['sts:AssumeRoleWithWebIdentity'],
      Principal: { Federated: ['cognito-identity.amazonaws.com'] },
      Condition: { StringEquals: { 'accounts.google.com:sub': ['system:serviceaccount:p1:default'] } },
    });
    expect(
      JSON.parse((translation.changes[2]!.change as { document: string }).document).Statement[0],
    ).toMatchObject({
      Condition: { StringEquals: { 'accounts.google.com:sub': ['system:serviceaccount:p2:default'] } },
    });
    // r1's data source (r3) names the OIDC provider's ARN, unknown until apply: the role is left out, said so.
    expect(warnings).toEqual([
      'terraform-plan.unknown-value resource_changes[7].change.after.assume_role_policy',
      'terraform-plan.unknown-value resource_changes[8].change.after.assume_role_policy',
    ]);
    expect(translation.summary).toEqual({
      resources: 9,
      iam: 4,
      unchanged: 4,
      ignored: { aws_iam_openid_connect_provider: 1 },
    });
  });

  it('checkov-utf16-role-policy: UTF-16LE with BOM and CRLF is read', () => {
    const { translation } = load('checkov-utf16-role-policy.json');
    expect(lines(translation)).toEqual([
      'aws_iam_role_policy.fail_1: putInlinePolicy target=role/some_role_id name=test_policy',
    ]);
    expect(translation.summary.ignored).toEqual({ aws_s3_bucket: 1, null_resource: 1 });
  });

  it('regula-group-membership-attachments: memberships and policy attachments resolved to policies of the plan', () => {
    const { translation, warnings } = load('regula-group-membership-attachments.json');
    const l = lines(translation);
    expect(l).toHaveLength(26);
    // Creates first (policies, then principals), then the additions, in plan order.
    expect(l.slice(0, 6).every((x) => x.includes('createPolicy'))).toBe(true);
    expect(l.slice(16)).toEqual([
      'aws_iam_group_membership.valid_group_blank_users_membership: addUserToGroup user=user/valid_group_blank_user group=group/valid_group_blank_users',
      'aws_iam_group_membership.valid_group_empty_list_users_membership: addUserToGroup user=user/valid_group_empty_list_user group=group/valid_group_empty_list_users',
      'aws_iam_group_membership.valid_group_missing_users_membership: addUserToGroup user=user/valid_group_missing_user group=group/valid_group_missing_users',
      // policy_arn is unknown (the policy is created by the plan): resolved to the policy's name.
      'aws_iam_policy_attachment.invalid_normal_policy_attachment: attachPolicy policy=invalid_normal_policy target=user/invalid_normal_policy_user',
      'aws_iam_policy_attachment.valid_group_policy_attachment_blank_users: attachPolicy policy=valid_group_blank_users_policy target=group/valid_group_blank_users',
      'aws_iam_policy_attachment.valid_group_policy_attachment_empty_list_users: attachPolicy policy=valid_group_empty_list_users_policy target=group/valid_group_empty_list_users',
      'aws_iam_policy_attachment.valid_group_policy_attachment_missing_users: attachPolicy policy=valid_group_missing_users_policy target=group/valid_group_missing_users',
      'aws_iam_policy_attachment.valid_role_policy_attachment: attachPolicy policy=valid_role_policy target=role/valid_role',
      'aws_iam_user_policy.invalid_user_policy: putInlinePolicy target=user/invalid_user_policy_user name=invalid_user_policy',
      'aws_iam_user_policy_attachment.invalid_user_policy_attachment: attachPolicy target=user/invalid_user_policy_attachment_user policy=invalid_user_policy_attachment_policy',
    ]);
    // `users = [""]`: AWS would refuse it; left out with a warning.
    expect(warnings).toEqual(['terraform-plan.empty-name resource_changes[13].change.after.users']);
  });

  it('snyk-destroy-roles: deletions in an order AWS accepts (inline and attachments before the roles)', () => {
    const { translation } = load('snyk-destroy-roles.json');
    expect(lines(translation)).toEqual([
      'aws_iam_role_policy.terra_ci_job: deleteInlinePolicy target=role/terra_ci_job name=terraform-20210505135914255500000001',
      'aws_iam_role_policy.terra_ci_runner: deleteInlinePolicy target=role/terra_ci_runner name=terraform-20210505135918902900000003',
      'aws_iam_role_policy_attachment.terra_ci_job_ecr_access: detachPolicy target=role/terra_ci_job policy=arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser',
      'aws_iam_role.terra_ci_job: deletePrincipal target=role/terra_ci_job',
      'aws_iam_role.terra_ci_runner: deletePrincipal target=role/terra_ci_runner',
    ]);
    expect(new Set(translation.accounts.map((a) => a.accountId))).toEqual(new Set(['719261439472']));
  });

  it('tfcompliance-nested-module-boundary: nested module, boundary, attachment to the count instance of the policy', () => {
    const { translation, warnings } = load('tfcompliance-nested-module-boundary.json');
    const m = 'module.apigw_test_1.module.api_gw_log_role';
    expect(lines(translation)).toEqual([
      `${m}.aws_iam_policy.default[0]: createPolicy name=cc-testapi-logs-eu-west-1 path=/`,
      `${m}.aws_iam_role.default: createRole name=cc-testapi-logs-eu-west-1 path=/`,
      `${m}.aws_iam_role.default: setPermissionsBoundary target=role/cc-testapi-logs-eu-west-1 policy=arn:aws:iam::123456789101:policy/product-pb`,
      // policy_arn = aws_iam_policy.default[count.index].arn, unknown: the policy of the same index.
      `${m}.aws_iam_role_policy_attachment.inline[0]: attachPolicy target=role/cc-testapi-logs-eu-west-1 policy=cc-testapi-logs-eu-west-1`,
    ]);
    expect(warnings).toEqual([]);
    expect(translation.accounts.map((a) => a.accountId)).toEqual(['123456789101']);
  });

  it('tfcompliance-noop-lambda-permission-drift: no-op entries and drift change nothing; a new Lambda permission is added', () => {
    const { translation } = load('tfcompliance-noop-lambda-permission-drift.json');
    // The statement id is Terraform's to generate (unknown), so the new statement has none; `source_arn` is "".
    expect(lines(translation)).toEqual([
      'aws_lambda_permission.allow_metric_event_bridge_to_call_monitor_metric_lambda: addLambdaPermission function=metrics-lambda-primary-lambda action=lambda:InvokeFunction principal=events.amazonaws.com',
    ]);
    expect(translation.summary.unchanged).toBe(7);
    expect(translation.policies.map((p) => [p.address, p.kind, p.resource])).toEqual([
      [
        'aws_lambda_permission.allow_metric_event_bridge_to_call_monitor_metric_lambda',
        'resource',
        'metrics-lambda-primary-lambda',
      ],
    ]);
    expect(JSON.parse(translation.policies[0]!.after!).Statement[0]).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
    });
  });

  it('awslabs-resource-policies: two roles, and the resource policies accessgraph models (others ignored)', () => {
    const { translation } = load('awslabs-resource-policies.json');
    expect(lines(translation)).toEqual([
      'aws_iam_role.default: createRole name=iam_for_lambda_with_sns path=/',
      'aws_iam_role.test_role: createRole name=test_role path=/',
      // What the bucket and topic policies and the Lambda permission (one statement of the function's policy)
      // grant principals of the account is evaluated too.
      'aws_lambda_permission.with_sns: addLambdaPermission function=lambda_called_from_sns statementId=AllowExecutionFromSNS action=lambda:InvokeFunction principal=*',
      'aws_s3_bucket_policy.allow_public_access: putResourcePolicy resource=my-tf-test-bucket',
      'aws_s3_bucket_policy.no_public_access_bucket: putResourcePolicy resource=my-private-test-bucket',
      'aws_sns_topic_policy.default: putResourcePolicy resource=arn:aws:sns:us-east-2:123456789012:my-topic-with-policy',
    ]);
    expect(translation.policies.map((p) => `${p.kind} ${p.address} ${p.resource}`)).toEqual([
      'trust aws_iam_role.default role/iam_for_lambda_with_sns',
      'trust aws_iam_role.test_role role/test_role',
      'resource aws_lambda_permission.with_sns lambda_called_from_sns',
      'resource aws_s3_bucket_policy.allow_public_access my-tf-test-bucket',
      'resource aws_s3_bucket_policy.no_public_access_bucket my-private-test-bucket',
      'resource aws_sns_topic_policy.default arn:aws:sns:us-east-2:123456789012:my-topic-with-policy',
    ]);
    expect(translation.summary.ignored.aws_dynamodb_resource_policy).toBe(1);
    expect(translation.summary.ignored.aws_kinesis_resource_policy).toBe(2);
  });

  it('checkov-bucket-policy-unknown: a bucket policy whose statements are unknown until apply is reported, not guessed', () => {
    const { translation, warnings } = load('checkov-bucket-policy-unknown.json');
    expect(translation.policies).toEqual([]);
    expect(warnings).toEqual(['terraform-plan.unknown-value resource_changes[1].change.after.policy']);
  });

  it('infracost-no-iam: no IAM change, every resource counted', () => {
    const { translation } = load('infracost-no-iam.json');
    expect(translation.changes).toEqual([]);
    expect(translation.summary).toEqual({
      resources: 5,
      iam: 0,
      unchanged: 0,
      ignored: { aws_instance: 2, aws_lambda_function: 2, aws_s3_bucket: 1 },
    });
  });

  it('infracost-wrapper-invalid: the plan line is read out of the setup-terraform wrapper output, with a warning', () => {
    const read = readTerraformPlan(readFileSync(path.join(DIR, 'infracost-wrapper-invalid.json')), 'w.json');
    expect(read.plan).toBeDefined();
    expect(read.diagnostics).toMatchObject([
      { severity: 'warning', code: 'terraform-plan.extracted', line: 2 },
    ]);
  });
});

describe('hand-made plans (updates and replacements: no real plan holds one)', () => {
  it('handmade-updates-demo: a new policy version, a trust change, a membership, a renamed inline policy, a boundary', () => {
    const { translation, warnings } = load('handmade-updates-demo.json');
    expect(lines(translation)).toEqual([
      'aws_iam_policy.reports_read_only: updatePolicy policy=arn:aws:iam::111122223333:policy/ReportsReadOnly',
      'aws_iam_role.partner_auditor: updateTrustPolicy target=role/partner-auditor',
      // replace (delete, create) of an inline policy under a new name: the old one goes first.
      'aws_iam_role_policy.orders: deleteInlinePolicy target=role/lambda-order-processor name=orders',
      'aws_iam_group_membership.qa: addUserToGroup user=user/carol group=group/QA',
      'aws_iam_role_policy.orders: putInlinePolicy target=role/lambda-order-processor name=orders-v2',
      'aws_iam_user.alice: setPermissionsBoundary target=user/alice policy=arn:aws:iam::aws:policy/ReadOnlyAccess',
      'aws_s3_bucket_policy.reports: putResourcePolicy resource=example-corp-reports',
    ]);
    expect(warnings).toEqual([]);
    expect(translation.policies.map((p) => `${p.kind} ${p.resource} ${p.before ? 'before' : ''}`)).toEqual([
      'trust role/partner-auditor before',
      'resource example-corp-reports ',
    ]);
  });

  it('handmade-path-to-admin: group, policy and membership names unknown until apply resolve through `configuration`', () => {
    const { translation, warnings } = load('handmade-path-to-admin.json');
    expect(lines(translation)).toEqual([
      'aws_iam_group.lambda_deployers: createGroup name=LambdaDeployers path=/',
      'aws_iam_role.lambda_admin: createRole name=lambda-admin path=/',
      'aws_iam_role.lambda_admin: attachPolicy policy=arn:aws:iam::aws:policy/AdministratorAccess target=role/lambda-admin',
      'aws_iam_group_policy.deploy: putInlinePolicy target=group/LambdaDeployers name=deploy',
      'aws_iam_user_group_membership.carol: addUserToGroup user=user/carol group=group/LambdaDeployers',
    ]);
    expect(warnings).toEqual([]);
  });

  it('handmade-lambda-permissions-demo: Lambda permissions as statements of the function policy, added and removed', () => {
    // AddPermission / RemovePermission (https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html,
    // https://docs.aws.amazon.com/lambda/latest/api/API_RemovePermission.html): one statement each, by statement id.
    const { translation, warnings } = load('handmade-lambda-permissions-demo.json');
    expect(lines(translation)).toEqual([
      'aws_lambda_permission.from_s3: removeLambdaPermission function=order-processor statementId=s3-invoke',
      // Replaced: the old statement goes before the new one (same id) comes.
      'aws_lambda_permission.partner: removeLambdaPermission function=order-processor statementId=partner-invoke',
      'aws_lambda_permission.public_url: addLambdaPermission function=order-processor statementId=FunctionURLAllowPublicAccess action=lambda:InvokeFunctionUrl principal=* functionUrlAuthType=NONE',
      'aws_lambda_permission.carol: addLambdaPermission function=order-processor statementId=carol-invoke action=lambda:InvokeFunction principal=arn:aws:iam::111122223333:user/carol',
      'aws_lambda_permission.partner: addLambdaPermission function=order-processor statementId=partner-invoke action=lambda:InvokeFunction principal=999988887777 principalOrgId=o-exampleorgid',
      // function_name = aws_lambda_function.reports.arn (unknown): the name of the function the plan creates.
      'aws_lambda_permission.reports_events: addLambdaPermission function=reports-export action=lambda:InvokeFunction principal=events.amazonaws.com sourceArn=arn:aws:events:eu-west-1:111122223333:rule/nightly',
    ]);
    expect(warnings).toEqual([
      // function_name = var.function_name: nothing in the plan says which function.
      'terraform-plan.unknown-value resource_changes[6].change.after.function_name',
      // source_arn = an API's execution ARN, known after apply: checked for exposure, not added to the diff.
      'terraform-plan.unknown-value resource_changes[7].change.after.source_arn',
    ]);
    const exposure = (address: string) => translation.policies.find((p) => p.address === address)!;
    expect(JSON.parse(exposure('aws_lambda_permission.public_url').after!).Statement).toEqual([
      {
        Sid: 'FunctionURLAllowPublicAccess',
        Effect: 'Allow',
        Principal: '*',
        Action: 'lambda:InvokeFunctionUrl',
        Resource: 'order-processor',
        Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
      },
    ]);
    // An account id as principal is its root (AddPermission's cross-account example).
    const partner = exposure('aws_lambda_permission.partner');
    expect(JSON.parse(partner.before!).Statement[0].Principal).toEqual({
      AWS: 'arn:aws:iam::444455556666:root',
    });
    expect(JSON.parse(partner.after!).Statement[0].Condition).toEqual({
      StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorgid' },
    });
    expect(exposure('aws_lambda_permission.api').after).toContain('apigateway.amazonaws.com');
    // Whatever function it is, sns.amazonaws.com is no outside account: checked all the same.
    expect(exposure('aws_lambda_permission.elsewhere').resource).toBe('(function_name known after apply)');
    expect(translation.summary.ignored).toEqual({ aws_lambda_function: 1 });
    expect(parseChanges(translation.changes.map((c) => c.change)).changes).toHaveLength(6);
  });

  it('update and replace of principals, policies and attachments', () => {
    const rc = (address: string, actions: string[], before: unknown, after: unknown, after_unknown = {}) => {
      const [type, name] = address.split('.');
      return { address, mode: 'managed', type, name, change: { actions, before, after, after_unknown } };
    };
    const doc = (action: string) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
      });
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    const plan = {
      format_version: '1.2',
      resource_changes: [
        // Same role name: deleted and created again, empty but for what the resource itself says.
        rc(
          'aws_iam_role.build',
          ['delete', 'create'],
          {
            name: 'build',
            path: '/',
            assume_role_policy: trust,
            permissions_boundary: 'arn:aws:iam::111122223333:policy/pb',
          },
          { name: 'build', path: '/ci/', assume_role_policy: trust, permissions_boundary: null },
        ),
        // Only the formatting of the document changed: nothing to do.
        rc(
          'aws_iam_policy.same',
          ['update'],
          { arn: 'arn:aws:iam::111122223333:policy/same', name: 'same', policy: doc('s3:GetObject') },
          {
            arn: 'arn:aws:iam::111122223333:policy/same',
            name: 'same',
            policy: JSON.stringify(JSON.parse(doc('s3:GetObject')), null, 2),
          },
        ),
        // A policy attachment moving from one role to another.
        rc(
          'aws_iam_role_policy_attachment.a',
          ['delete', 'create'],
          { role: 'build', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
          { role: 'deploy', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
        ),
        // aws_iam_policy_attachment: users list edited, roles list emptied.
        rc(
          'aws_iam_policy_attachment.shared',
          ['update'],
          {
            name: 'shared',
            policy_arn: 'arn:aws:iam::aws:policy/SecurityAudit',
            users: ['ann', 'ben'],
            roles: ['audit'],
            groups: null,
          },
          {
            name: 'shared',
            policy_arn: 'arn:aws:iam::aws:policy/SecurityAudit',
            users: ['ben', 'cid'],
            roles: [],
            groups: null,
          },
        ),
        rc(
          'aws_iam_user.ann',
          ['update'],
          { name: 'ann', path: '/', permissions_boundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
          { name: 'ann', path: '/', permissions_boundary: null },
        ),
        rc(
          'aws_iam_user_group_membership.ben',
          ['update'],
          { user: 'ben', groups: ['dev', 'qa'] },
          { user: 'ben', groups: ['dev', 'ops'] },
        ),
        rc('aws_iam_group.old', ['delete'], { name: 'old', path: '/' }, null),
        // UpdateUser renames in place: not modelled, said so; the user keeps its old name in the what-if.
        rc('aws_iam_user.renamed', ['update'], { name: 'zoe', path: '/' }, { name: 'zoey', path: '/' }),
        rc(
          'aws_iam_policy.gone',
          ['delete'],
          { arn: 'arn:aws:iam::111122223333:policy/gone', name: 'gone' },
          null,
        ),
      ],
    };
    const read = readBytes(JSON.stringify(plan));
    const t = translatePlan(read.plan!, 'plan.json');
    expect(lines(t)).toEqual([
      'aws_iam_role_policy_attachment.a: detachPolicy target=role/build policy=arn:aws:iam::aws:policy/ReadOnlyAccess',
      'aws_iam_policy_attachment.shared: detachPolicy policy=arn:aws:iam::aws:policy/SecurityAudit target=user/ann',
      'aws_iam_policy_attachment.shared: detachPolicy policy=arn:aws:iam::aws:policy/SecurityAudit target=role/audit',
      'aws_iam_user.ann: removePermissionsBoundary target=user/ann',
      'aws_iam_user_group_membership.ben: removeUserFromGroup user=user/ben group=group/qa',
      'aws_iam_role.build: deletePrincipal target=role/build',
      'aws_iam_role.build: createRole name=build path=/ci/',
      'aws_iam_role_policy_attachment.a: attachPolicy target=role/deploy policy=arn:aws:iam::aws:policy/ReadOnlyAccess',
      'aws_iam_policy_attachment.shared: attachPolicy policy=arn:aws:iam::aws:policy/SecurityAudit target=user/cid',
      'aws_iam_user_group_membership.ben: addUserToGroup user=user/ben group=group/ops',
      'aws_iam_group.old: deletePrincipal target=group/old',
      'aws_iam_policy.gone: deletePolicy policy=arn:aws:iam::111122223333:policy/gone',
    ]);
    expect(t.diagnostics.map((d) => `${d.code} ${d.jsonPath}`)).toEqual([
      'terraform-plan.unsupported-change resource_changes[7].change.after.name',
    ]);
  });
});

describe('not a plan', () => {
  const error = (r: ReturnType<typeof readBytes>) => r.diagnostics.find((d) => d.severity === 'error');

  it('not JSON: the line of the error', () => {
    const r = readBytes('{\n  "format_version": "1.2",\n  "resource_changes": [,]\n}');
    expect(r.plan).toBeUndefined();
    expect(error(r)).toMatchObject({ code: 'terraform-plan.invalid-json', file: 'plan.json', line: 3 });
  });

  it('an empty file', () => {
    expect(error(readBytes(''))).toMatchObject({ code: 'terraform-plan.empty-file' });
  });

  it('a state file (terraform.tfstate) and `terraform show -json` of a state', () => {
    const tfstate = {
      version: 4,
      terraform_version: '1.9.8',
      serial: 3,
      lineage: 'a1b2',
      outputs: {},
      resources: [],
    };
    expect(error(readBytes(JSON.stringify(tfstate)))).toMatchObject({
      code: 'terraform-plan.state-file',
      message: expect.stringContaining('state file'),
    });
    const shown = { format_version: '1.0', terraform_version: '1.9.8', values: { root_module: {} } };
    expect(error(readBytes(JSON.stringify(shown)))).toMatchObject({ code: 'terraform-plan.state-file' });
  });

  it('random JSON and a JSON array', () => {
    expect(error(readBytes('{"hello": "world"}'))).toMatchObject({ code: 'terraform-plan.not-a-plan' });
    expect(error(readBytes('[1, 2]'))).toMatchObject({ code: 'terraform-plan.not-a-plan' });
  });

  it('an unknown major format version is refused, as the format page asks', () => {
    expect(error(readBytes('{"format_version": "2.0", "resource_changes": []}'))).toMatchObject({
      code: 'terraform-plan.unsupported-version',
      jsonPath: 'format_version',
    });
    expect(readBytes('{"format_version": "1.9", "resource_changes": [], "new_key": 1}').plan).toBeDefined();
  });

  it('a resource change with no actions: the JSON path', () => {
    const r = readBytes(
      JSON.stringify({
        format_version: '1.2',
        resource_changes: [
          { address: 'a.b', mode: 'managed', type: 'a', name: 'b', change: { actions: ['explode'] } },
        ],
      }),
    );
    expect(error(r)).toMatchObject({
      code: 'terraform-plan.invalid',
      jsonPath: 'resource_changes[0].change.actions[0]',
    });
  });

  it('CI log lines around a plan that is not there: refused with the wrapper hint', () => {
    const r = readBytes('[command]/usr/bin/terraform show -json plan\n::debug::exitcode: 1\n');
    expect(error(r)).toMatchObject({
      code: 'terraform-plan.invalid-json',
      hint: expect.stringContaining('terraform_wrapper'),
    });
  });

  it('Latin-1 bytes are refused with the line, not read with replacement characters', () => {
    const bytes = Buffer.from('{"format_version":"1.2",\n"resource_changes":[],\n"x":"José"}', 'latin1');
    const r = readBytes(bytes);
    expect(r.plan).toBeUndefined();
    expect(error(r)).toMatchObject({ code: 'terraform-plan.invalid-encoding', file: 'plan.json', line: 3 });
  });

  it('UTF-16 big-endian with BOM is read too', () => {
    const text = '{"format_version":"1.2","resource_changes":[]}';
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set([0xfe, 0xff]);
    for (let i = 0; i < text.length; i++) bytes[2 + 2 * i + 1] = text.charCodeAt(i);
    expect(readBytes(bytes).plan).toBeDefined();
  });
});

describe('planAccountMismatch', () => {
  it('a plan naming another account than the snapshot is an error at the ARN that says so', () => {
    const { translation } = load('snyk-destroy-roles.json');
    expect(planAccountMismatch(translation, '111122223333', 'plan.json')).toMatchObject([
      {
        severity: 'error',
        code: 'terraform-plan.account-mismatch',
        file: 'plan.json',
        jsonPath: expect.stringMatching(/^resource_changes\[\d+\]\.change\.before\.arn$/),
      },
    ]);
    expect(planAccountMismatch(translation, '719261439472', 'plan.json')).toEqual([]);
  });

  it('AWS managed policy ARNs name no account', () => {
    const { translation } = load('handmade-attach-s3-to-qa.json');
    expect(translation.accounts).toEqual([]);
  });
});
