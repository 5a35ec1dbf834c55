/**
 * A Terraform plan's IAM resource changes → what-if change operations (docs/what-if.md), each tagged with the plan
 * resource address it came from. Pure: the plan in, changes, policy documents to check for exposure, counts and
 * diagnostics out.
 *
 * Values known only after apply (`after_unknown`) are resolved within the plan through the `configuration`
 * section's references (a policy ARN of an `aws_iam_policy` the plan creates → its name; a trust policy from a
 * `data.aws_iam_policy_document` → the document its `statement` blocks describe). What cannot be resolved is left
 * out with a warning naming the resource address, never guessed.
 */
import type { Diagnostic } from '../../schema/diagnostics.ts';
import type { ChangeInput } from '../../server/analysis/what-if/changes.ts';
import {
  lambdaPermissionDocument,
  lambdaPermissionFrom,
  type LambdaPermission,
} from '../shared/lambda-permission.ts';
import type { ConfigModule, PlanAction, ResourceChange, TerraformPlan } from './plan.shape.ts';

/** One what-if change and the plan resource it came from. */
export interface PlannedChange {
  address: string;
  /** `resource_changes[i]` in the plan file. */
  jsonPath: string;
  change: ChangeInput;
}

/** A resource policy or trust policy the plan sets or removes (JSON text), for public / cross-account checks. */
export interface PlannedPolicy {
  address: string;
  type: string;
  kind: 'resource' | 'trust';
  /** The resource (ARN, name or URL, as the plan gives it). */
  resource: string;
  before?: string;
  after?: string;
}

export interface PlanSummary {
  /** `resource_changes` entries read. */
  resources: number;
  /** IAM-relevant entries that change something (translated or warned about). */
  iam: number;
  /** Entries with nothing to do (`no-op`) or data sources read. */
  unchanged: number;
  /** Other resource types, counted and ignored. */
  ignored: Record<string, number>;
}

export interface PlanTranslation {
  changes: PlannedChange[];
  policies: PlannedPolicy[];
  /** Account ids named by the IAM ARNs of the plan (AWS managed policies aside), where they were seen. */
  accounts: { accountId: string; address: string; jsonPath: string }[];
  summary: PlanSummary;
  diagnostics: Diagnostic[];
}

/** Resource types whose policy is a resource policy, and the attribute naming the resource. */
const RESOURCE_POLICY_TYPES: Record<string, string> = {
  aws_s3_bucket_policy: 'bucket',
  aws_sns_topic_policy: 'arn',
  aws_sqs_queue_policy: 'queue_url',
  aws_kms_key: 'arn',
  aws_secretsmanager_secret_policy: 'secret_arn',
  aws_ecr_repository_policy: 'repository',
  aws_lambda_permission: 'function_name',
};

const IAM_TYPES = new Set([
  'aws_iam_user',
  'aws_iam_group',
  'aws_iam_role',
  'aws_iam_policy',
  'aws_iam_role_policy',
  'aws_iam_user_policy',
  'aws_iam_group_policy',
  'aws_iam_role_policy_attachment',
  'aws_iam_user_policy_attachment',
  'aws_iam_group_policy_attachment',
  'aws_iam_policy_attachment',
  'aws_iam_user_group_membership',
  'aws_iam_group_membership',
]);

/**
 * Changes apply in this order, so that each names what exists at that point: new policies, new principals (with
 * their boundary, inline and attached policies), new documents, removals, replaced principals, additions, deleted
 * principals, deleted policies. A detach comes before an attach, so a plan moving an attachment between two
 * resource addresses ends attached.
 */
export const PHASE = {
  createPolicy: 0,
  create: 1,
  update: 2,
  remove: 3,
  replace: 4,
  add: 5,
  deletePrincipal: 6,
  deletePolicy: 7,
} as const;
export type Phase = (typeof PHASE)[keyof typeof PHASE];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const anyTrue = (u: unknown): boolean =>
  u === true || (Array.isArray(u) ? u.some(anyTrue) : isObj(u) && Object.values(u).some(anyTrue));

export const ACCOUNT_IN_ARN = /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/;

/** `module.a["x"].module.b.aws_iam_role.r[0]` → module instance prefix, module names, resource part, index. */
function splitAddress(address: string) {
  const m = /^((?:module\.[^.[]+(?:\[[^\]]*\])?\.)*)(.*)$/.exec(address)!;
  const prefix = m[1]!;
  const modules = [...prefix.matchAll(/module\.([^.[]+)/g)].map((x) => x[1]!);
  const index = /(\[[^\]]*\])$/.exec(m[2]!)?.[1];
  return { prefix, modules, resource: m[2]!, index };
}

/** The policy document a `data.aws_iam_policy_document` describes, when its statements are all known. */
function documentFromDataSource(after: Obj, unknown: unknown): string | undefined {
  if (!Array.isArray(after.statement) || anyTrue(isObj(unknown) ? unknown.statement : undefined))
    return undefined;
  for (const k of ['source_json', 'override_json', 'source_policy_documents', 'override_policy_documents'])
    if (after[k] !== null && after[k] !== undefined && !(Array.isArray(after[k]) && after[k].length === 0))
      return undefined;
  const list = (v: unknown) => (Array.isArray(v) && v.length ? (v as string[]) : undefined);
  const principals = (v: unknown) => {
    if (!Array.isArray(v) || !v.length) return undefined;
    const out: Record<string, string[]> = {};
    for (const p of v as { type: string; identifiers: string[] }[]) {
      if (p.type === '*') return '*';
      out[p.type] = [...(out[p.type] ?? []), ...p.identifiers];
    }
    return out;
  };
  const statements = (after.statement as Obj[]).map((s) => {
    const st: Obj = { Effect: s.effect ?? 'Allow' };
    if (typeof s.sid === 'string' && s.sid) st.Sid = s.sid;
    const fields: [string, unknown][] = [
      ['Action', list(s.actions)],
      ['NotAction', list(s.not_actions)],
      ['Resource', list(s.resources)],
      ['NotResource', list(s.not_resources)],
      ['Principal', principals(s.principals)],
      ['NotPrincipal', principals(s.not_principals)],
    ];
    for (const [k, v] of fields) if (v !== undefined) st[k] = v;
    if (Array.isArray(s.condition) && s.condition.length) {
      const cond: Record<string, Record<string, string[]>> = {};
      for (const c of s.condition as { test: string; variable: string; values: string[] }[])
        (cond[c.test] ??= {})[c.variable] = c.values;
      st.Condition = cond;
    }
    return st;
  });
  return JSON.stringify({ Version: (after.version as string | null) ?? '2012-10-17', Statement: statements });
}

class Translator {
  readonly out: { phase: Phase; order: number; change: PlannedChange }[] = [];
  readonly policies: PlannedPolicy[] = [];
  readonly accounts: PlanTranslation['accounts'] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly summary: PlanSummary = { resources: 0, iam: 0, unchanged: 0, ignored: {} };
  private readonly byAddress = new Map<string, ResourceChange>();
  private readonly indexOf = new Map<ResourceChange, number>();

  constructor(
    private readonly plan: TerraformPlan,
    private readonly file: string,
  ) {
    (plan.resource_changes ?? []).forEach((rc, i) => {
      this.indexOf.set(rc, i);
      this.byAddress.set(this.addressOf(rc), rc);
    });
  }

  /** Terraform 0.12–1.0 files may lack `address` on some entries: rebuilt from the module address and name. */
  addressOf(rc: ResourceChange): string {
    if (rc.address) return rc.address;
    const index =
      rc.index === undefined ? '' : typeof rc.index === 'number' ? `[${rc.index}]` : `["${rc.index}"]`;
    return `${rc.module_address ? `${rc.module_address}.` : ''}${rc.mode === 'data' ? 'data.' : ''}${rc.type}.${rc.name}${index}`;
  }

  emit(phase: Phase, rc: ResourceChange, change: ChangeInput): void {
    this.out.push({
      phase,
      order: this.out.length,
      change: { address: this.addressOf(rc), jsonPath: `resource_changes[${this.indexOf.get(rc)}]`, change },
    });
  }

  warn(rc: ResourceChange, code: string, message: string, attr?: string, hint?: string): void {
    const i = this.indexOf.get(rc)!;
    this.diagnostics.push({
      severity: 'warning',
      code: `terraform-plan.${code}`,
      message: `\`${this.addressOf(rc)}\`: ${message}`,
      file: this.file,
      jsonPath: `resource_changes[${i}].change${attr ? `.after.${attr}` : ''}`,
      ...(hint ? { hint } : {}),
    });
  }

  /** Record the account of an IAM ARN (AWS managed policies, `arn:aws:iam::aws:…`, name no account). */
  noteArn(rc: ResourceChange, side: 'before' | 'after', attr: string, arn: unknown): void {
    if (typeof arn !== 'string') return;
    const id = ACCOUNT_IN_ARN.exec(arn)?.[1];
    if (id)
      this.accounts.push({
        accountId: id,
        address: this.addressOf(rc),
        jsonPath: `resource_changes[${this.indexOf.get(rc)}].change.${side}.${attr}`,
      });
  }

  private configOf(rc: ResourceChange): Obj | undefined {
    const { modules } = splitAddress(this.addressOf(rc));
    let mod: ConfigModule | undefined = this.plan.configuration?.root_module;
    for (const m of modules) mod = mod?.module_calls?.[m]?.module;
    const r = mod?.resources?.find(
      (x) => x.type === rc.type && x.name === rc.name && (x.mode ?? 'managed') === rc.mode,
    );
    return isObj(r?.expressions) ? r.expressions : undefined;
  }

  /** The plan resources an attribute's configuration expression refers to, nearest first. */
  referenced(rc: ResourceChange, attr: string): ResourceChange[] {
    const expr = this.configOf(rc)?.[attr];
    const refs = isObj(expr) && Array.isArray(expr.references) ? (expr.references as string[]) : [];
    const { prefix, index } = splitAddress(this.addressOf(rc));
    const perInstance = refs.some((r) => /^(count\.index|each\.(key|value))$/.test(r));
    const found: ResourceChange[] = [];
    for (const ref of refs) {
      const m = /^((?:data\.)?[a-z0-9_]+\.[\w-]+)(\[[^\]]*\])?/.exec(ref);
      if (!m || /^(var|local|each|count|module|path|self|terraform)\./.test(ref)) continue;
      const base = `${prefix}${m[1]}`;
      const candidates = m[2]
        ? [`${base}${m[2]}`]
        : perInstance && index
          ? [`${base}${index}`, base]
          : [base];
      let hit = candidates.map((a) => this.byAddress.get(a)).find(Boolean);
      if (!hit && !m[2]) {
        const instances = [...this.byAddress.entries()].filter(([a]) => a.startsWith(`${base}[`));
        if (instances.length === 1) hit = instances[0]![1];
      }
      if (hit && !found.includes(hit)) found.push(hit);
    }
    return found;
  }

  /**
   * An attribute of the planned state: its value when known, else what the plan's own resources say it will be
   * (`resolve` maps a referenced resource to the value), else undefined with a warning.
   */
  value(
    rc: ResourceChange,
    attr: string,
    resolve: (ref: ResourceChange) => string | undefined,
    what: string,
  ): string | undefined {
    const after = isObj(rc.change.after) ? rc.change.after : {};
    const unknown = isObj(rc.change.after_unknown) ? rc.change.after_unknown[attr] : undefined;
    if (!anyTrue(unknown)) return after[attr] as string | undefined;
    for (const ref of this.referenced(rc, attr)) {
      const v = resolve(ref);
      if (v !== undefined) return v;
    }
    this.warn(
      rc,
      'unknown-value',
      `${what} (\`${attr}\`) is known only after apply and no resource of the plan says what it will be: this change is left out`,
      attr,
      'the what-if needs the value: set it literally, or refer to a resource of the same plan',
    );
    return undefined;
  }

  /** The name a referenced IAM resource will have (roles, users, groups, policies). */
  static nameOf(ref: ResourceChange): string | undefined {
    const a = isObj(ref.change.after) ? ref.change.after : undefined;
    const u = isObj(ref.change.after_unknown) ? ref.change.after_unknown : {};
    return ref.type.startsWith('aws_iam_') && a && typeof a.name === 'string' && !anyTrue(u.name)
      ? a.name
      : undefined;
  }

  /** A policy document a referenced resource holds: a policy document data source, or an IAM policy's text. */
  static documentOf(ref: ResourceChange): string | undefined {
    const a = isObj(ref.change.after) ? ref.change.after : undefined;
    if (!a) return undefined;
    const u = isObj(ref.change.after_unknown) ? ref.change.after_unknown : {};
    if (ref.mode === 'data' && ref.type === 'aws_iam_policy_document')
      return typeof a.json === 'string' && !anyTrue(u.json) ? a.json : documentFromDataSource(a, u);
    return typeof a.policy === 'string' && !anyTrue(u.policy) ? a.policy : undefined;
  }

  name(rc: ResourceChange, attr: string, what: string): string | undefined {
    return this.value(rc, attr, Translator.nameOf, what);
  }

  document(rc: ResourceChange, attr: string, what: string): string | undefined {
    return this.value(rc, attr, Translator.documentOf, what);
  }

  /** A managed policy reference: the ARN when known (its account noted), else the name of a policy the plan creates. */
  policyRef(rc: ResourceChange, attr = 'policy_arn'): string | null | undefined {
    const v = this.value(rc, attr, Translator.nameOf, 'the policy ARN') as string | null | undefined;
    const u = isObj(rc.change.after_unknown) ? rc.change.after_unknown : {};
    if (!anyTrue(u[attr])) this.noteArn(rc, 'after', attr, v);
    return v;
  }

  translate(): void {
    for (const rc of this.plan.resource_changes ?? []) {
      this.summary.resources++;
      const actions = rc.change.actions;
      if (rc.mode === 'data' || actions.every((a) => a === 'no-op' || a === 'read')) {
        this.summary.unchanged++;
        continue;
      }
      if (!IAM_TYPES.has(rc.type) && !(rc.type in RESOURCE_POLICY_TYPES)) {
        this.summary.ignored[rc.type] = (this.summary.ignored[rc.type] ?? 0) + 1;
        continue;
      }
      this.summary.iam++;
      const kind: 'create' | 'delete' | 'update' | 'replace' =
        actions.includes('create') && actions.includes('delete')
          ? 'replace'
          : (actions.find((a): a is Exclude<PlanAction, 'no-op' | 'read'> => a !== 'no-op' && a !== 'read') ??
            'update');
      const before = isObj(rc.change.before) ? rc.change.before : {};
      const after = isObj(rc.change.after) ? rc.change.after : {};
      if (typeof before.arn === 'string') this.noteArn(rc, 'before', 'arn', before.arn);
      if (rc.type === 'aws_lambda_permission') this.lambdaPermission(rc, kind, before, after);
      else if (rc.type in RESOURCE_POLICY_TYPES) this.resourcePolicy(rc, kind, before, after);
      else this.iam(rc, kind, before, after);
    }
  }

  private iam(
    rc: ResourceChange,
    kind: 'create' | 'delete' | 'update' | 'replace',
    before: Obj,
    after: Obj,
  ): void {
    const t = rc.type;
    if (t === 'aws_iam_user' || t === 'aws_iam_group' || t === 'aws_iam_role')
      return this.principal(rc, kind, before, after);
    if (t === 'aws_iam_policy') return this.managedPolicy(rc, kind, before, after);
    const inline = /^aws_iam_(role|user|group)_policy$/.exec(t);
    if (inline) return this.inlinePolicy(rc, kind, before, inline[1] as 'role' | 'user' | 'group');
    const attach = /^aws_iam_(role|user|group)_policy_attachment$/.exec(t);
    if (attach) {
      const k = attach[1]!;
      const old =
        kind === 'create'
          ? undefined
          : { target: `${k}/${String(before[k])}`, policy: String(before.policy_arn) };
      let next: { target: string; policy: string } | undefined;
      if (kind !== 'delete') {
        const target = this.name(rc, k, `the ${k}`);
        const policy = this.policyRef(rc) ?? undefined;
        if (target !== undefined && policy !== undefined) next = { target: `${k}/${target}`, policy };
      }
      if (old && next && old.target === next.target && old.policy === next.policy) return;
      if (old) this.emit(PHASE.remove, rc, { op: 'detachPolicy', ...old });
      if (next) this.emit(PHASE.add, rc, { op: 'attachPolicy', ...next });
      return;
    }
    if (t === 'aws_iam_policy_attachment') {
      const oldPolicy = kind === 'create' ? undefined : String(before.policy_arn);
      const newPolicy = kind === 'delete' ? undefined : (this.policyRef(rc) ?? undefined);
      for (const [attr, k] of [
        ['users', 'user'],
        ['groups', 'group'],
        ['roles', 'role'],
      ] as const) {
        const was = oldPolicy ? this.names(rc, before, attr) : [];
        const now = newPolicy !== undefined ? this.nameList(rc, attr, k) : [];
        for (const n of was)
          if (oldPolicy !== newPolicy || !now.includes(n))
            this.emit(PHASE.remove, rc, { op: 'detachPolicy', policy: oldPolicy!, target: `${k}/${n}` });
        for (const n of now)
          if (oldPolicy !== newPolicy || !was.includes(n))
            this.emit(PHASE.add, rc, { op: 'attachPolicy', policy: newPolicy!, target: `${k}/${n}` });
      }
      return;
    }
    if (t === 'aws_iam_user_group_membership' || t === 'aws_iam_group_membership') {
      const perUser = t === 'aws_iam_user_group_membership';
      const one = perUser ? 'user' : 'group';
      const many = perUser ? 'groups' : 'users';
      const pairs = (fixed: string | undefined, list: string[]) =>
        fixed === undefined ? [] : list.map((n) => (perUser ? `${fixed}\n${n}` : `${n}\n${fixed}`));
      const was = kind === 'create' ? [] : pairs(before[one] as string, this.names(rc, before, many));
      const now =
        kind === 'delete'
          ? []
          : pairs(this.name(rc, one, `the ${one}`), this.nameList(rc, many, perUser ? 'group' : 'user'));
      for (const change of membershipChanges(was, now))
        this.emit(change.op === 'addUserToGroup' ? PHASE.add : PHASE.remove, rc, change);
    }
  }

  /** Names in a list attribute of `before` (blank entries dropped with a warning). */
  private names(rc: ResourceChange, side: Obj, attr: string): string[] {
    const list = Array.isArray(side[attr]) ? (side[attr] as unknown[]) : [];
    const out = list.filter((n): n is string => typeof n === 'string' && n !== '');
    if (out.length !== list.length)
      this.warn(
        rc,
        'empty-name',
        `\`${attr}\` holds an empty name: it is left out`,
        attr,
        'AWS refuses an empty name at apply',
      );
    return out;
  }

  /** Names in a list attribute of `after`, each resolved within the plan when unknown. */
  private nameList(rc: ResourceChange, attr: string, kind: string): string[] {
    const after = isObj(rc.change.after) ? rc.change.after : {};
    const unknown = isObj(rc.change.after_unknown) ? rc.change.after_unknown[attr] : undefined;
    if (!anyTrue(unknown)) return this.names(rc, after, attr);
    const resolved = this.referenced(rc, attr).map(Translator.nameOf);
    const known = Array.isArray(after[attr]) ? (after[attr] as unknown[]) : [];
    const unknownCount = Array.isArray(unknown) ? unknown.filter((u) => u === true).length : 1;
    if (resolved.length < unknownCount || resolved.some((n) => n === undefined)) {
      this.warn(
        rc,
        'unknown-value',
        `some ${kind} names (\`${attr}\`) are known only after apply and not from the plan's resources: they are left out`,
        attr,
      );
    }
    return [
      ...known.filter((n): n is string => typeof n === 'string' && n !== ''),
      ...resolved.filter((n): n is string => n !== undefined),
    ].filter((n, i, all) => all.indexOf(n) === i);
  }

  private principal(
    rc: ResourceChange,
    kind: 'create' | 'delete' | 'update' | 'replace',
    before: Obj,
    after: Obj,
  ): void {
    const k = rc.type.slice('aws_iam_'.length) as 'user' | 'group' | 'role';
    const oldRef = `${k}/${String(before.name)}`;
    if (kind === 'delete')
      return this.emit(PHASE.deletePrincipal, rc, { op: 'deletePrincipal', target: oldRef });
    const name = this.name(rc, 'name', `the ${k} name`);
    if (name === undefined) return;
    const ref = `${k}/${name}`;
    const path = typeof after.path === 'string' ? after.path : undefined;
    if (kind === 'create' || kind === 'replace') {
      const phase = kind === 'create' ? PHASE.create : PHASE.replace;
      if (kind === 'replace') {
        this.emit(phase, rc, { op: 'deletePrincipal', target: oldRef });
        if (k === 'role') this.policies.push(this.trustChange(rc, before, undefined));
      }
      if (k === 'role') {
        const trust = this.document(rc, 'assume_role_policy', 'the trust policy');
        if (trust === undefined) return;
        this.emit(phase, rc, { op: 'createRole', name, ...(path ? { path } : {}), document: trust });
        this.policies.push(this.trustChange(rc, {}, trust));
      } else
        this.emit(phase, rc, {
          op: k === 'user' ? 'createUser' : 'createGroup',
          name,
          ...(path ? { path } : {}),
        });
      this.boundary(rc, phase, ref, {}, after);
      this.roleExclusive(rc, phase, ref, {}, after);
      return;
    }
    // update in place
    if (before.name !== name || (path && before.path !== path))
      this.warn(
        rc,
        'unsupported-change',
        `renaming or moving a ${k} (\`${String(before.name)}\` → \`${name}\`) is not modelled: the ${k} is compared under its old name`,
        'name',
      );
    const target = oldRef;
    if (k === 'role') {
      const u = isObj(rc.change.after_unknown) ? rc.change.after_unknown : {};
      const trust = anyTrue(u.assume_role_policy)
        ? this.document(rc, 'assume_role_policy', 'the trust policy')
        : (after.assume_role_policy as string);
      if (trust !== undefined && !sameJson(trust, before.assume_role_policy)) {
        this.emit(PHASE.update, rc, { op: 'updateTrustPolicy', target, document: trust });
        this.policies.push(this.trustChange(rc, before, trust));
      }
    }
    this.boundary(rc, PHASE.add, target, before, after);
    this.roleExclusive(rc, PHASE.add, target, before, after);
  }

  private trustChange(rc: ResourceChange, before: Obj, after: string | undefined): PlannedPolicy {
    const b = before.assume_role_policy;
    return {
      address: this.addressOf(rc),
      type: rc.type,
      kind: 'trust',
      resource: `role/${String((isObj(rc.change.after) && rc.change.after.name) || before.name)}`,
      ...(typeof b === 'string' ? { before: b } : {}),
      ...(after !== undefined ? { after } : {}),
    };
  }

  /** `permissions_boundary` of a user or role: set, replaced or removed. */
  private boundary(rc: ResourceChange, phase: Phase, target: string, before: Obj, after: Obj): void {
    if (rc.type === 'aws_iam_group') return;
    const u = isObj(rc.change.after_unknown) ? rc.change.after_unknown : {};
    if (!('permissions_boundary' in after) && !anyTrue(u.permissions_boundary)) return;
    const now = this.policyRef(rc, 'permissions_boundary');
    const was = before.permissions_boundary as string | null | undefined;
    if ((now ?? null) === (was ?? null) || (anyTrue(u.permissions_boundary) && now === undefined)) return;
    if (now) this.emit(phase, rc, { op: 'setPermissionsBoundary', target, policy: now });
    else this.emit(PHASE.remove, rc, { op: 'removePermissionsBoundary', target });
  }

  /** A role's exclusive `inline_policy` blocks and `managed_policy_arns`, when configured. */
  private roleExclusive(rc: ResourceChange, phase: Phase, target: string, before: Obj, after: Obj): void {
    if (rc.type !== 'aws_iam_role') return;
    const u = isObj(rc.change.after_unknown) ? rc.change.after_unknown : {};
    const config = this.configOf(rc) ?? {};
    if (anyTrue(u.inline_policy)) {
      if (config.inline_policy !== undefined)
        this.warn(
          rc,
          'unknown-value',
          'the inline policies (`inline_policy`) are known only after apply: they are left out',
          'inline_policy',
        );
    } else if (Array.isArray(after.inline_policy)) {
      const blocks = (side: Obj) =>
        (Array.isArray(side.inline_policy) ? (side.inline_policy as Obj[]) : []).filter(
          (b) =>
            typeof b.name === 'string' && b.name !== '' && typeof b.policy === 'string' && b.policy !== '',
        ) as { name: string; policy: string }[];
      const was = blocks(before);
      const now = blocks(after);
      for (const b of was)
        if (!now.some((x) => x.name === b.name))
          this.emit(PHASE.remove, rc, { op: 'deleteInlinePolicy', target, name: b.name });
      for (const b of now)
        if (!was.some((x) => x.name === b.name && sameJson(x.policy, b.policy)))
          this.emit(phase, rc, { op: 'putInlinePolicy', target, name: b.name, document: b.policy });
    }
    if (anyTrue(u.managed_policy_arns)) {
      if (config.managed_policy_arns !== undefined)
        this.warn(
          rc,
          'unknown-value',
          'the attached policies (`managed_policy_arns`) are known only after apply: they are left out',
          'managed_policy_arns',
        );
    } else if (Array.isArray(after.managed_policy_arns)) {
      const was = Array.isArray(before.managed_policy_arns) ? (before.managed_policy_arns as string[]) : [];
      const now = after.managed_policy_arns as string[];
      now.forEach((arn, i) => this.noteArn(rc, 'after', `managed_policy_arns[${i}]`, arn));
      for (const arn of was.filter((a) => !now.includes(a)))
        this.emit(PHASE.remove, rc, { op: 'detachPolicy', policy: arn, target });
      for (const arn of now.filter((a) => !was.includes(a)))
        this.emit(phase, rc, { op: 'attachPolicy', policy: arn, target });
    }
  }

  private managedPolicy(
    rc: ResourceChange,
    kind: 'create' | 'delete' | 'update' | 'replace',
    before: Obj,
    after: Obj,
  ): void {
    const oldRef = typeof before.arn === 'string' ? before.arn : String(before.name);
    if (kind === 'delete') return this.emit(PHASE.deletePolicy, rc, { op: 'deletePolicy', policy: oldRef });
    const name = this.name(rc, 'name', 'the policy name');
    const document = this.document(rc, 'policy', 'the policy document');
    if (name === undefined || document === undefined) return;
    const path = typeof after.path === 'string' ? after.path : undefined;
    if (kind === 'create' || (kind === 'replace' && before.name !== name)) {
      if (kind === 'replace') this.emit(PHASE.deletePolicy, rc, { op: 'deletePolicy', policy: oldRef });
      this.emit(PHASE.createPolicy, rc, { op: 'createPolicy', name, ...(path ? { path } : {}), document });
      return;
    }
    if (!sameJson(document, before.policy))
      this.emit(PHASE.update, rc, { op: 'updatePolicy', policy: oldRef, document });
  }

  private inlinePolicy(
    rc: ResourceChange,
    kind: 'create' | 'delete' | 'update' | 'replace',
    before: Obj,
    k: 'role' | 'user' | 'group',
  ): void {
    const old =
      kind === 'create' ? undefined : { target: `${k}/${String(before[k])}`, name: String(before.name) };
    let next: { target: string; name: string; document: string } | undefined;
    if (kind !== 'delete') {
      const target = this.name(rc, k, `the ${k}`);
      const name = this.value(rc, 'name', () => undefined, 'the inline policy name');
      const document = this.document(rc, 'policy', 'the policy document');
      if (target !== undefined && name !== undefined && document !== undefined)
        next = { target: `${k}/${target}`, name, document };
    }
    if (old && next && old.target === next.target && old.name === next.name) {
      if (!sameJson(next.document, before.policy))
        this.emit(PHASE.add, rc, { op: 'putInlinePolicy', ...next });
      return;
    }
    if (old) this.emit(PHASE.remove, rc, { op: 'deleteInlinePolicy', ...old });
    if (next) this.emit(PHASE.add, rc, { op: 'putInlinePolicy', ...next });
  }

  private resourcePolicy(
    rc: ResourceChange,
    kind: 'create' | 'delete' | 'update' | 'replace',
    before: Obj,
    after: Obj,
  ): void {
    const attr = RESOURCE_POLICY_TYPES[rc.type]!;
    const u = isObj(rc.change.after_unknown) ? rc.change.after_unknown : {};
    const resource = String(
      (kind !== 'delete' && !anyTrue(u[attr]) && after[attr]) ||
        before[attr] ||
        (anyTrue(u[attr]) ? `(${attr} known after apply)` : this.addressOf(rc)),
    );
    const was = kind === 'create' ? undefined : ((before.policy as string | null | undefined) ?? undefined);
    let now: string | undefined;
    if (kind !== 'delete') {
      if (anyTrue(u.policy)) {
        if (rc.type === 'aws_kms_key' && this.configOf(rc)?.policy === undefined) now = undefined;
        else now = this.document(rc, 'policy', 'the resource policy');
      } else now = (after.policy as string | null | undefined) ?? undefined;
    }
    if (now === undefined && was === undefined) return;
    if (now !== undefined && was !== undefined && sameJson(now, was)) return;
    for (const [side, v] of [
      ['before', before[attr]],
      ['after', after[attr]],
    ] as const)
      this.noteResourceArn(rc, side, attr, v);
    this.policies.push({
      address: this.addressOf(rc),
      type: rc.type,
      kind: 'resource',
      resource,
      ...(was !== undefined ? { before: was } : {}),
      ...(now !== undefined ? { after: now } : {}),
    });
    // The access it grants principals of the snapshot; a resource known only after apply cannot be named.
    if (!anyTrue(u[attr]) && (before[attr] ?? after[attr]) !== undefined)
      this.emit(
        PHASE.add,
        rc,
        now !== undefined
          ? { op: 'putResourcePolicy', resource, document: now }
          : { op: 'deleteResourcePolicy', resource },
      );
  }

  /**
   * `aws_lambda_permission`: one statement of the function's policy, removed (the old statement id) and added.
   * The function's name known only after apply comes from the plan's `aws_lambda_function` it refers to; an
   * unknown statement id is one Terraform generates (`statement_id_prefix`, or none given), never in use.
   */
  private lambdaPermission(
    rc: ResourceChange,
    kind: 'create' | 'delete' | 'update' | 'replace',
    before: Obj,
    after: Obj,
  ): void {
    const u = isObj(rc.change.after_unknown) ? rc.change.after_unknown : {};
    const old = kind === 'create' ? undefined : lambdaPermissionOf(before);
    let next: (LambdaPermission & { function: string }) | undefined;
    // A function or condition value known only after apply: the exposure check still reads who is let in, and
    // whether a condition narrows it; the access diff needs the value, so the statement is not added there.
    let evaluated = true;
    if (kind !== 'delete') {
      const late = [...Object.values(LAMBDA_ATTRIBUTES), 'qualifier'].filter(
        (a) => a !== 'statement_id' && anyTrue(u[a]),
      );
      const decided = !late.some((a) => a === 'principal' || a === 'action');
      const fn = decided
        ? this.value(rc, 'function_name', Translator.functionNameOf, 'the function')
        : undefined;
      if (late.length)
        this.warn(
          rc,
          'unknown-value',
          `the permission's ${late.map((a) => `\`${a}\``).join(', ')} ${late.length > 1 ? 'are' : 'is'} known only after apply: ${decided ? 'what it grants is not evaluated' : 'it is left out'}`,
          late[0],
          'the what-if needs the value: set it literally, or refer to a resource of the same plan',
        );
      evaluated = late.length === 0 && fn !== undefined;
      if (decided)
        next = lambdaPermissionOf(
          {
            ...after,
            ...Object.fromEntries(late.map((a) => [a, KNOWN_AFTER_APPLY])),
            function_name: fn ?? '(function_name known after apply)',
          },
          anyTrue(u.statement_id),
        );
    }
    if (old && next && sameJson(JSON.stringify(old), JSON.stringify(next))) return;
    for (const [side, p] of [
      ['before', old],
      ['after', next],
    ] as const)
      if (p) this.noteResourceArn(rc, side, 'function_name', p.function);
    const statement = (p: (LambdaPermission & { function: string }) | undefined) =>
      p && lambdaPermissionDocument(p, p.function);
    if (old || next)
      this.policies.push({
        address: this.addressOf(rc),
        type: rc.type,
        kind: 'resource',
        resource: (next ?? old)!.function,
        ...(old ? { before: statement(old) } : {}),
        ...(next ? { after: statement(next) } : {}),
      });
    if (old?.statementId)
      this.emit(PHASE.remove, rc, {
        op: 'removeLambdaPermission',
        function: old.function,
        statementId: old.statementId,
      });
    if (next && evaluated) this.emit(PHASE.add, rc, { op: 'addLambdaPermission', ...next });
  }

  /** The name a referenced `aws_lambda_function` will have. */
  static functionNameOf(ref: ResourceChange): string | undefined {
    const a = isObj(ref.change.after) ? ref.change.after : undefined;
    const u = isObj(ref.change.after_unknown) ? ref.change.after_unknown : {};
    return ref.type === 'aws_lambda_function' &&
      typeof a?.function_name === 'string' &&
      !anyTrue(u.function_name)
      ? a.function_name
      : undefined;
  }

  private noteResourceArn(rc: ResourceChange, side: 'before' | 'after', attr: string, v: unknown): void {
    if (typeof v === 'string' && ACCOUNT_IN_ARN.test(v)) this.noteArn(rc, side, attr, v);
  }

  result(): PlanTranslation {
    const changes = [...this.out].sort((a, b) => a.phase - b.phase || a.order - b.order).map((x) => x.change);
    return {
      changes,
      policies: this.policies,
      accounts: this.accounts,
      summary: this.summary,
      diagnostics: this.diagnostics,
    };
  }
}

/**
 * Group membership changes between two lists of `user\ngroup` pairs: the pairs lost leave, the pairs gained join
 * (names given as `user/NAME`, `group/NAME`).
 */
export function membershipChanges(was: readonly string[], now: readonly string[]): ChangeInput[] {
  const change = (op: 'addUserToGroup' | 'removeUserFromGroup', pair: string): ChangeInput => {
    const [user, group] = pair.split('\n') as [string, string];
    return { op, user: `user/${user}`, group: `group/${group}` };
  };
  return [
    ...was.filter((p) => !now.includes(p)).map((p) => change('removeUserFromGroup', p)),
    ...now.filter((p) => !was.includes(p)).map((p) => change('addUserToGroup', p)),
  ];
}

/** Two policy documents (JSON text) with the same meaning as JSON: formatting and key order aside. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return a === b;
  try {
    return canonical(JSON.parse(a)) === canonical(JSON.parse(b));
  } catch {
    return a === b;
  }
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObj(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** A value known only after apply, where the exposure check may read it as a condition's (never evaluated). */
const KNOWN_AFTER_APPLY = '(known after apply)';

/** AddPermission's parameters as `aws_lambda_permission` names them. */
const LAMBDA_ATTRIBUTES = {
  statementId: 'statement_id',
  action: 'action',
  principal: 'principal',
  sourceArn: 'source_arn',
  sourceAccount: 'source_account',
  principalOrgId: 'principal_org_id',
  eventSourceToken: 'event_source_token',
  functionUrlAuthType: 'function_url_auth_type',
  invokedViaFunctionUrl: 'invoked_via_function_url',
} as const;

/**
 * One side (before/after) of an `aws_lambda_permission` as AddPermission's parameters, the function named with its
 * qualifier (`name:alias`); undefined without a principal, action and function.
 */
function lambdaPermissionOf(
  side: Obj,
  generatedId = false,
): (LambdaPermission & { function: string }) | undefined {
  const fn = side.function_name;
  const p = lambdaPermissionFrom(side, LAMBDA_ATTRIBUTES);
  if (typeof fn !== 'string' || !fn || !p) return undefined;
  if (generatedId) delete p.statementId;
  const qualifier = side.qualifier;
  return { function: typeof qualifier === 'string' && qualifier ? `${fn}:${qualifier}` : fn, ...p };
}

export function translatePlan(plan: TerraformPlan, file: string): PlanTranslation {
  const t = new Translator(plan, file);
  t.translate();
  return t.result();
}

/**
 * A plan is for one account: an IAM ARN of another account than the snapshot's means the plan and the snapshot
 * do not match, and every answer would be wrong.
 */
export function planAccountMismatch(
  translation: PlanTranslation,
  accountId: string,
  file: string,
): Diagnostic[] {
  const foreign = translation.accounts.filter((a) => a.accountId !== accountId);
  if (!foreign.length) return [];
  const first = foreign[0]!;
  return [
    {
      severity: 'error',
      code: 'terraform-plan.account-mismatch',
      message: `the plan is for account \`${first.accountId}\` (\`${first.address}\`), the snapshot is of \`${accountId}\``,
      file,
      jsonPath: first.jsonPath,
      hint: `run the what-if on a snapshot of account ${first.accountId}, or plan against account ${accountId}`,
    },
  ];
}
