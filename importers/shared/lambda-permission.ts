/**
 * A Lambda permission (AWS's `AddPermission`, Terraform's `aws_lambda_permission`, CloudFormation's
 * `AWS::Lambda::Permission`) as the one statement Lambda writes into the function's resource policy: the
 * principal (an account id becomes its root ARN, a service its `Service`), the action on the function, and a
 * condition per optional parameter (https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html; the
 * statements `get-policy` prints, https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html,
 * and a function URL's, https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html).
 */

export interface LambdaPermission {
  /** The statement's `Sid`; absent when the tool generates it at apply. */
  statementId?: string;
  action: string;
  /** An account id, a principal ARN, a service (`s3.amazonaws.com`) or `*`. */
  principal: string;
  sourceArn?: string;
  sourceAccount?: string;
  principalOrgId?: string;
  eventSourceToken?: string;
  functionUrlAuthType?: 'NONE' | 'AWS_IAM';
  invokedViaFunctionUrl?: boolean;
}

/**
 * A tool's attributes as AddPermission's parameters: `names` maps each parameter to the tool's attribute name.
 * Empty strings are unset; undefined without an action and a principal.
 */
export function lambdaPermissionFrom(
  side: Record<string, unknown>,
  names: Record<Exclude<keyof LambdaPermission, 'invokedViaFunctionUrl'>, string> & {
    invokedViaFunctionUrl: string;
  },
): LambdaPermission | undefined {
  const text = (key: keyof typeof names): string | undefined => {
    const v = side[names[key]];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const action = text('action');
  const principal = text('principal');
  if (!action || !principal) return undefined;
  const statementId = text('statementId');
  const out: LambdaPermission = { ...(statementId ? { statementId } : {}), action, principal };
  for (const key of ['sourceArn', 'sourceAccount', 'principalOrgId', 'eventSourceToken'] as const) {
    const v = text(key);
    if (v) out[key] = v;
  }
  const auth = text('functionUrlAuthType');
  if (auth === 'NONE' || auth === 'AWS_IAM') out.functionUrlAuthType = auth;
  const via = side[names.invokedViaFunctionUrl];
  if (via === true || via === 'true') out.invokedViaFunctionUrl = true;
  return out;
}

/** The statement for a function (ARN, or name where the ARN is not known), in `partition`. */
export function lambdaPermissionStatement(
  p: LambdaPermission,
  resource: string,
  partition = 'aws',
): Record<string, unknown> {
  const principal =
    p.principal === '*'
      ? '*'
      : /^\d{12}$/.test(p.principal)
        ? { AWS: `arn:${partition}:iam::${p.principal}:root` }
        : p.principal.startsWith('arn:')
          ? { AWS: p.principal }
          : { Service: p.principal };
  const condition: Record<string, Record<string, string>> = {};
  const put = (operator: string, key: string, value: string | undefined) => {
    if (value !== undefined && value !== '') (condition[operator] ??= {})[key] = value;
  };
  put('StringEquals', 'AWS:SourceAccount', p.sourceAccount);
  put('StringEquals', 'aws:PrincipalOrgID', p.principalOrgId);
  put('StringEquals', 'lambda:EventSourceToken', p.eventSourceToken);
  put('StringEquals', 'lambda:FunctionUrlAuthType', p.functionUrlAuthType);
  put('ArnLike', 'AWS:SourceArn', p.sourceArn);
  if (p.invokedViaFunctionUrl) put('Bool', 'lambda:InvokedViaFunctionUrl', 'true');
  return {
    ...(p.statementId ? { Sid: p.statementId } : {}),
    Effect: 'Allow',
    Principal: principal,
    Action: p.action,
    Resource: resource,
    ...(Object.keys(condition).length ? { Condition: condition } : {}),
  };
}

/** The statement as a policy document of its own (JSON text), as the exposure check reads one. */
export function lambdaPermissionDocument(p: LambdaPermission, resource: string, partition = 'aws'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [lambdaPermissionStatement(p, resource, partition)],
  });
}
