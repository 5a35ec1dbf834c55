/**
 * A CloudFormation change set (`aws cloudformation describe-change-set --include-property-values`) → what-if
 * change operations, each tagged with the logical resource id it came from; the same result shape as a Terraform
 * plan's (importers/terraform-plan/translate.ts), so the CLI treats both alike.
 *
 * Properties come from each change's `BeforeContext` / `AfterContext` (encoded JSON, present with
 * `--include-property-values`). A value CloudFormation knows only after execution (`{{changeSet:KNOWN_AFTER_APPLY}}`,
 * or a name it generates because the template gives none) is reported with a warning naming the logical id,
 * never guessed; a removed or modified resource is named by its `PhysicalResourceId`.
 */
import { z } from 'zod';
import type { Diagnostic } from '../../schema/diagnostics.ts';
import type { ChangeInput } from '../../server/analysis/what-if/changes.ts';
import { parseJsonText } from '../shared/json-text.ts';
import { decodeFileText } from '../shared/decode-text.ts';
import {
  lambdaPermissionDocument,
  lambdaPermissionFrom,
  type LambdaPermission,
} from '../shared/lambda-permission.ts';
import {
  ACCOUNT_IN_ARN,
  PHASE,
  membershipChanges,
  sameJson,
  type Phase,
  type PlanTranslation,
} from '../terraform-plan/translate.ts';

const UNKNOWN = '{{changeSet:KNOWN_AFTER_APPLY}}';

const ChangeSetShape = z.looseObject({
  StackName: z.string().optional(),
  Changes: z.array(
    z.looseObject({
      ResourceChange: z
        .looseObject({
          Action: z.string(),
          LogicalResourceId: z.string(),
          PhysicalResourceId: z.string().optional(),
          ResourceType: z.string(),
          Replacement: z.string().optional(),
          BeforeContext: z.unknown().optional(),
          AfterContext: z.unknown().optional(),
        })
        .optional(),
    }),
  ),
});
export type ChangeSet = z.infer<typeof ChangeSetShape>;

const HINT =
  'save `aws cloudformation describe-change-set --change-set-name NAME --stack-name STACK --include-property-values --output json`';

export function readChangeSet(
  bytes: Uint8Array,
  file: string,
): { changeSet?: ChangeSet; diagnostics: Diagnostic[] } {
  const decoded = decodeFileText(bytes, file, 'change-set');
  if (!decoded.ok) return { diagnostics: [{ ...decoded.diagnostic, hint: HINT }] };
  const parsed = parseJsonText(decoded.text, file, 'change-set');
  if (!parsed.ok) return { diagnostics: [{ ...parsed.diagnostic, hint: HINT }] };
  const v = parsed.value as Record<string, unknown> | null;
  const error = (code: string, message: string, jsonPath?: string): { diagnostics: Diagnostic[] } => ({
    diagnostics: [
      {
        severity: 'error',
        code: `change-set.${code}`,
        message,
        file,
        ...(jsonPath ? { jsonPath } : {}),
        hint: HINT,
      },
    ],
  });
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return error('not-a-change-set', 'not a change set: the JSON is not an object');
  if ('Resources' in v || 'AWSTemplateFormatVersion' in v)
    return error('template', 'this is a CloudFormation template, not a change set');
  if (!Array.isArray(v.Changes))
    return error(
      'not-a-change-set',
      'not a change set: no `Changes` list (is it `describe-change-set` output?)',
    );
  const shaped = ChangeSetShape.safeParse(v);
  if (!shaped.success) {
    const issue = shaped.error.issues[0]!;
    return error(
      'invalid',
      issue.message,
      issue.path.reduce<string>(
        (p, k) => (typeof k === 'number' ? `${p}[${k}]` : p ? `${p}.${String(k)}` : String(k)),
        '',
      ),
    );
  }
  return { changeSet: shaped.data, diagnostics: [] };
}

type Props = Record<string, unknown>;
const isObj = (v: unknown): v is Props => typeof v === 'object' && v !== null && !Array.isArray(v);
const unknown = (v: unknown): boolean =>
  typeof v === 'string'
    ? v.includes(UNKNOWN)
    : Array.isArray(v)
      ? v.some(unknown)
      : isObj(v) && Object.values(v).some(unknown);
const doc = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : isObj(v) ? JSON.stringify(v) : undefined;
const names = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** The `Properties` of a context (an encoded JSON string, or the object itself). */
function propertiesOf(context: unknown): Props | undefined {
  let c = context;
  if (typeof c === 'string')
    try {
      c = JSON.parse(c);
    } catch {
      return undefined;
    }
  return isObj(c) ? (isObj(c.Properties) ? c.Properties : {}) : undefined;
}

const NAME_PROPERTY: Record<string, string> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
};
const INLINE_TYPES: Record<string, ['role' | 'user' | 'group', string]> = {
  'AWS::IAM::RolePolicy': ['role', 'RoleName'],
  'AWS::IAM::UserPolicy': ['user', 'UserName'],
  'AWS::IAM::GroupPolicy': ['group', 'GroupName'],
};
/** Resource policies: the property holding the document and the one naming the resource. */
const RESOURCE_POLICY: Record<string, [string, string]> = {
  'AWS::S3::BucketPolicy': ['PolicyDocument', 'Bucket'],
  'AWS::SNS::TopicPolicy': ['PolicyDocument', 'Topics'],
  'AWS::SQS::QueuePolicy': ['PolicyDocument', 'Queues'],
  'AWS::KMS::Key': ['KeyPolicy', 'KeyId'],
  'AWS::SecretsManager::ResourcePolicy': ['ResourcePolicy', 'SecretId'],
  'AWS::ECR::Repository': ['RepositoryPolicyText', 'RepositoryName'],
};

/** AddPermission's parameters as `AWS::Lambda::Permission` names them (it has no statement id property). */
const LAMBDA_PROPERTIES = {
  statementId: 'StatementId',
  action: 'Action',
  principal: 'Principal',
  sourceArn: 'SourceArn',
  sourceAccount: 'SourceAccount',
  principalOrgId: 'PrincipalOrgID',
  eventSourceToken: 'EventSourceToken',
  functionUrlAuthType: 'FunctionUrlAuthType',
  invokedViaFunctionUrl: 'InvokedViaFunctionUrl',
} as const;

class Translator {
  readonly out: { phase: Phase; order: number; change: PlanTranslation['changes'][number] }[] = [];
  readonly result: PlanTranslation = {
    changes: [],
    policies: [],
    accounts: [],
    summary: { resources: 0, iam: 0, unchanged: 0, ignored: {} },
    diagnostics: [],
  };
  private i = 0;
  private id = '';

  constructor(private readonly file: string) {}

  emit(phase: Phase, change: ChangeInput): void {
    this.out.push({
      phase,
      order: this.out.length,
      change: { address: this.id, jsonPath: `Changes[${this.i}].ResourceChange`, change },
    });
  }

  warn(code: string, message: string, property?: string): void {
    this.result.diagnostics.push({
      severity: 'warning',
      code: `change-set.${code}`,
      message: `\`${this.id}\`: ${message}`,
      file: this.file,
      jsonPath: `Changes[${this.i}].ResourceChange${property ? `.AfterContext.Properties.${property}` : ''}`,
    });
  }

  noteArn(property: string, arn: unknown): void {
    const id = typeof arn === 'string' ? ACCOUNT_IN_ARN.exec(arn)?.[1] : undefined;
    if (id)
      this.result.accounts.push({
        accountId: id,
        address: this.id,
        jsonPath: `Changes[${this.i}].ResourceChange.AfterContext.Properties.${property}`,
      });
  }

  /** A known string property, or undefined with a warning when CloudFormation decides it at execution. */
  known(props: Props, key: string, what: string): string | undefined {
    const v = props[key];
    if (typeof v === 'string' && !unknown(v)) return v;
    this.warn(
      'unknown-value',
      v === undefined
        ? `${what} (\`${key}\`) is not given: CloudFormation generates it at execution, so this change is left out`
        : `${what} (\`${key}\`) is known only after execution: this change is left out`,
      key,
    );
    return undefined;
  }

  translate(cs: ChangeSet): PlanTranslation {
    cs.Changes.forEach((c, i) => {
      const rc = c.ResourceChange;
      if (!rc) return;
      this.i = i;
      this.id = rc.LogicalResourceId;
      const s = this.result.summary;
      s.resources++;
      const iam =
        (rc.ResourceType.startsWith('AWS::IAM::') && rc.ResourceType !== 'AWS::IAM::InstanceProfile') ||
        rc.ResourceType === 'AWS::Lambda::Permission';
      if (!iam && !(rc.ResourceType in RESOURCE_POLICY)) {
        s.ignored[rc.ResourceType] = (s.ignored[rc.ResourceType] ?? 0) + 1;
        return;
      }
      if (!['Add', 'Modify', 'Remove'].includes(rc.Action)) {
        s.unchanged++;
        return;
      }
      s.iam++;
      const before = propertiesOf(rc.BeforeContext);
      const after = propertiesOf(rc.AfterContext);
      if (rc.Action !== 'Remove' && !after) {
        this.warn(
          'no-property-values',
          'the change set holds no property values for it: describe it with `--include-property-values`',
        );
        return;
      }
      const replace = rc.Action === 'Modify' && rc.Replacement === 'True';
      this.resource(rc.ResourceType, rc.Action, replace, rc.PhysicalResourceId, before ?? {}, after ?? {});
    });
    this.result.changes = this.out
      .sort((a, b) => a.phase - b.phase || a.order - b.order)
      .map((x) => x.change);
    return this.result;
  }

  private resource(
    type: string,
    action: string,
    replace: boolean,
    physical: string | undefined,
    before: Props,
    after: Props,
  ) {
    const kind =
      type === 'AWS::IAM::Role'
        ? 'role'
        : type === 'AWS::IAM::User'
          ? 'user'
          : type === 'AWS::IAM::Group'
            ? 'group'
            : undefined;
    if (kind) {
      const key = NAME_PROPERTY[type]!;
      const oldName = physical ?? (before[key] as string | undefined);
      if (action === 'Remove') {
        if (oldName)
          this.emit(PHASE.deletePrincipal, { op: 'deletePrincipal', target: `${kind}/${oldName}` });
        else this.warn('unknown-value', 'the removed resource has no physical id: left out');
        return;
      }
      const name = action === 'Add' || replace ? this.known(after, key, `the ${kind} name`) : oldName;
      if (!name) return;
      const ref = `${kind}/${name}`;
      const path = typeof after.Path === 'string' ? after.Path : undefined;
      const fresh = action === 'Add' || replace;
      const phase = action === 'Add' ? PHASE.create : replace ? PHASE.replace : PHASE.add;
      if (replace && oldName) this.emit(phase, { op: 'deletePrincipal', target: `${kind}/${oldName}` });
      if (kind === 'role') {
        const trust = doc(after.AssumeRolePolicyDocument);
        if (trust === undefined || unknown(after.AssumeRolePolicyDocument))
          return this.warn(
            'unknown-value',
            'the trust policy is known only after execution: left out',
            'AssumeRolePolicyDocument',
          );
        if (fresh) this.emit(phase, { op: 'createRole', name, ...(path ? { path } : {}), document: trust });
        else if (!sameJson(trust, doc(before.AssumeRolePolicyDocument)))
          this.emit(PHASE.update, { op: 'updateTrustPolicy', target: ref, document: trust });
        const prior = doc(before.AssumeRolePolicyDocument);
        if (fresh || !sameJson(trust, prior))
          this.result.policies.push({
            address: this.id,
            type,
            kind: 'trust',
            resource: ref,
            ...(prior && !fresh ? { before: prior } : {}),
            after: trust,
          });
      } else if (fresh)
        this.emit(phase, {
          op: kind === 'user' ? 'createUser' : 'createGroup',
          name,
          ...(path ? { path } : {}),
        });
      const was = fresh ? {} : before;
      if (kind !== 'group') {
        const b = was.PermissionsBoundary;
        const a = after.PermissionsBoundary;
        if (unknown(a))
          this.warn(
            'unknown-value',
            'the permissions boundary is known only after execution: left out',
            'PermissionsBoundary',
          );
        else if (a !== b) {
          if (typeof a === 'string') {
            this.noteArn('PermissionsBoundary', a);
            this.emit(phase, { op: 'setPermissionsBoundary', target: ref, policy: a });
          } else this.emit(PHASE.remove, { op: 'removePermissionsBoundary', target: ref });
        }
      }
      this.lists(
        phase,
        names(was.ManagedPolicyArns),
        after.ManagedPolicyArns,
        'ManagedPolicyArns',
        (arn, add) => {
          if (add) this.noteArn('ManagedPolicyArns', arn);
          return { op: add ? 'attachPolicy' : 'detachPolicy', policy: arn, target: ref };
        },
      );
      if (kind === 'user')
        this.lists(phase, names(was.Groups), after.Groups, 'Groups', (g, add) => ({
          op: add ? 'addUserToGroup' : 'removeUserFromGroup',
          user: ref,
          group: `group/${g}`,
        }));
      const inline = (p: Props) =>
        (Array.isArray(p.Policies) ? (p.Policies as Props[]) : []).filter(
          (x) => typeof x.PolicyName === 'string',
        );
      if (unknown(after.Policies))
        this.warn(
          'unknown-value',
          'the inline policies are known only after execution: left out',
          'Policies',
        );
      else {
        for (const x of inline(was))
          if (!inline(after).some((y) => y.PolicyName === x.PolicyName))
            this.emit(PHASE.remove, { op: 'deleteInlinePolicy', target: ref, name: x.PolicyName as string });
        for (const y of inline(after)) {
          const x = inline(was).find((z) => z.PolicyName === y.PolicyName);
          if (!x || !sameJson(doc(x.PolicyDocument), doc(y.PolicyDocument)))
            this.emit(phase, {
              op: 'putInlinePolicy',
              target: ref,
              name: y.PolicyName as string,
              document: doc(y.PolicyDocument)!,
            });
        }
      }
      return;
    }
    if (type === 'AWS::IAM::ManagedPolicy') {
      if (action === 'Remove')
        return physical ? this.emit(PHASE.deletePolicy, { op: 'deletePolicy', policy: physical }) : undefined;
      const document = doc(after.PolicyDocument);
      if (!document || unknown(after.PolicyDocument))
        return this.warn(
          'unknown-value',
          'the policy document is known only after execution: left out',
          'PolicyDocument',
        );
      let policy: string;
      if (action === 'Add') {
        const name = this.known(after, 'ManagedPolicyName', 'the policy name');
        if (!name) return;
        policy = name;
        const path = typeof after.Path === 'string' ? after.Path : undefined;
        this.emit(PHASE.createPolicy, { op: 'createPolicy', name, ...(path ? { path } : {}), document });
      } else {
        policy = physical ?? String(before.ManagedPolicyName);
        if (!sameJson(document, doc(before.PolicyDocument)))
          this.emit(PHASE.update, { op: 'updatePolicy', policy, document });
      }
      const was = action === 'Add' ? {} : before;
      for (const [key, k] of [
        ['Roles', 'role'],
        ['Users', 'user'],
        ['Groups', 'group'],
      ] as const)
        this.lists(PHASE.add, names(was[key]), after[key], key, (n, add) => ({
          op: add ? 'attachPolicy' : 'detachPolicy',
          policy,
          target: `${k}/${n}`,
        }));
      return;
    }
    if (type === 'AWS::IAM::Policy' || type in INLINE_TYPES) {
      const targets = (p: Props): string[] =>
        type === 'AWS::IAM::Policy'
          ? [
              ...names(p.Roles).map((n) => `role/${n}`),
              ...names(p.Users).map((n) => `user/${n}`),
              ...names(p.Groups).map((n) => `group/${n}`),
            ]
          : typeof p[INLINE_TYPES[type]![1]] === 'string'
            ? [`${INLINE_TYPES[type]![0]}/${p[INLINE_TYPES[type]![1]] as string}`]
            : [];
      const oldName = before.PolicyName as string | undefined;
      if (action !== 'Add' && oldName)
        for (const t of targets(before))
          if (action === 'Remove' || after.PolicyName !== oldName || !targets(after).includes(t))
            this.emit(PHASE.remove, { op: 'deleteInlinePolicy', target: t, name: oldName });
      if (action === 'Remove') {
        if (!oldName)
          this.warn(
            'no-property-values',
            'the change set holds no property values for the removed policy: left out',
          );
        return;
      }
      const name = this.known(after, 'PolicyName', 'the policy name');
      const document = doc(after.PolicyDocument);
      if (!name) return;
      if (!document || unknown(after.PolicyDocument) || unknown(targets(after)))
        return this.warn(
          'unknown-value',
          'the document or the principals are known only after execution: left out',
          'PolicyDocument',
        );
      for (const t of targets(after))
        if (
          action === 'Add' ||
          name !== oldName ||
          !targets(before).includes(t) ||
          !sameJson(document, doc(before.PolicyDocument))
        )
          this.emit(PHASE.add, { op: 'putInlinePolicy', target: t, name, document });
      return;
    }
    if (type === 'AWS::IAM::UserToGroupAddition') {
      const group = (p: Props) => p.GroupName as string | undefined;
      const pairs = (p: Props) => (group(p) ? names(p.Users).map((u) => `${u}\n${group(p)}`) : []);
      const was = pairs(before);
      const now = action === 'Remove' ? [] : pairs(after);
      for (const change of membershipChanges(was, now))
        this.emit(change.op === 'addUserToGroup' ? PHASE.add : PHASE.remove, change);
      return;
    }
    if (type === 'AWS::Lambda::Permission') return this.lambdaPermission(action, physical, before, after);
    const policy = RESOURCE_POLICY[type];
    if (policy) return this.resourcePolicy(type, action, physical, before, after, policy);
    this.result.summary.iam--;
    this.result.summary.ignored[type] = (this.result.summary.ignored[type] ?? 0) + 1;
  }

  /** Add and remove the members of a list property (known names only). */
  private lists(
    phase: Phase,
    was: string[],
    now: unknown,
    key: string,
    op: (name: string, add: boolean) => ChangeInput,
  ) {
    if (unknown(now))
      return this.warn('unknown-value', `\`${key}\` is known only after execution: left out`, key);
    const after = names(now);
    for (const n of was.filter((x) => !after.includes(x))) this.emit(PHASE.remove, op(n, false));
    for (const n of after.filter((x) => !was.includes(x))) this.emit(phase, op(n, true));
  }

  private resourcePolicy(
    type: string,
    action: string,
    physical: string | undefined,
    before: Props,
    after: Props,
    [docKey, resKey]: [string, string],
  ) {
    const was = action === 'Add' ? undefined : doc(before[docKey]);
    let now: string | undefined;
    if (action !== 'Remove') {
      if (unknown(after[docKey]))
        this.warn('unknown-value', 'the policy is known only after execution: it is not checked', docKey);
      else now = doc(after[docKey]);
    }
    if (now === undefined || (was !== undefined && sameJson(now, was))) return;
    const r = after[resKey] ?? before[resKey] ?? physical ?? this.id;
    // The access it grants principals of the snapshot, per resource it names (a topic or queue policy names several).
    if (!unknown(r))
      for (const resource of Array.isArray(r) ? r : [r])
        if (typeof resource === 'string')
          this.emit(PHASE.add, { op: 'putResourcePolicy', resource, document: now });
    this.pushPolicy(
      type,
      unknown(r)
        ? `${this.id} (${resKey} known after execution)`
        : Array.isArray(r)
          ? r.join(', ')
          : String(r),
      was,
      now,
    );
  }

  private pushPolicy(type: string, resource: string, before: string | undefined, after: string | undefined) {
    this.result.policies.push({
      address: this.id,
      type,
      kind: 'resource',
      resource,
      ...(before !== undefined ? { before } : {}),
      ...(after !== undefined ? { after } : {}),
    });
  }

  /**
   * `AWS::Lambda::Permission`: one statement of the function's policy. CloudFormation names the statement itself
   * (the template gives no id), so an added one has none yet; a removed or replaced one goes by its physical id
   * (`function|statement id`, or the statement id alone).
   */
  private lambdaPermission(action: string, physical: string | undefined, before: Props, after: Props) {
    const permissionOf = (p: Props): (LambdaPermission & { function: string }) | undefined => {
      const permission = lambdaPermissionFrom(p, LAMBDA_PROPERTIES);
      if (typeof p.FunctionName !== 'string' || !permission) return undefined;
      const fn = unknown(p.FunctionName) ? `${this.id} (FunctionName known after execution)` : p.FunctionName;
      return { function: fn, ...permission };
    };
    const old = action === 'Add' ? undefined : permissionOf(before);
    let next: ReturnType<typeof permissionOf>;
    // A condition value known only after execution still tells the exposure check who is let in, and that a
    // condition narrows it; the access diff needs the value, so the statement is not added there.
    let evaluated = true;
    if (action !== 'Remove') {
      const late = ['FunctionName', ...Object.values(LAMBDA_PROPERTIES)].filter((k) => unknown(after[k]));
      const core = late.filter((k) => k === 'Principal' || k === 'Action');
      if (late.length) {
        evaluated = false;
        this.warn(
          'unknown-value',
          `the permission's ${late.map((k) => `\`${k}\``).join(', ')} ${late.length > 1 ? 'are' : 'is'} known only after execution: ${core.length ? 'it is left out' : 'what it grants is not evaluated'}`,
          late[0],
        );
      }
      if (!core.length) next = permissionOf(after);
    }
    if (old && next && sameJson(JSON.stringify(old), JSON.stringify(next))) return;
    const statement = (p: typeof old) => p && lambdaPermissionDocument(p, p.function);
    if (old || next)
      this.pushPolicy('AWS::Lambda::Permission', (next ?? old)!.function, statement(old), statement(next));
    if (action !== 'Add') {
      const bar = physical?.lastIndexOf('|') ?? -1;
      const fn = bar > 0 ? physical!.slice(0, bar) : old?.function;
      const statementId = bar > 0 ? physical!.slice(bar + 1) : physical;
      if (fn && statementId)
        this.emit(PHASE.remove, { op: 'removeLambdaPermission', function: fn, statementId });
      else this.warn('unknown-value', 'the removed permission names no function or statement id: left out');
    }
    if (next && evaluated) this.emit(PHASE.add, { op: 'addLambdaPermission', ...next });
  }
}

export function translateChangeSet(changeSet: ChangeSet, file: string): PlanTranslation {
  return new Translator(file).translate(changeSet);
}
