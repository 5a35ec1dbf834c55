import type { Diagnostic } from '../../../schema/diagnostics.ts';
import type {
  ConditionClause,
  Effect,
  Policy,
  PolicyKind,
  PrincipalSpec,
  SetQualifier,
  Statement,
} from './model.ts';
import { isKnownOperator } from '../conditions/registry.ts';

/**
 * JSON → typed Policy, collecting every problem as a Diagnostic with a JSON path (docs/style.md §D).
 * Grammar: reference_policies_grammar and reference_policies_elements_* pages of the IAM User Guide.
 */
export interface ParseOptions {
  kind?: PolicyKind;
}

export interface ParseResult {
  policy?: Policy;
  diagnostics: Diagnostic[];
}

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const TOP_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const PRINCIPAL_TYPES: Record<string, keyof Omit<PrincipalSpec, 'any'>> = {
  AWS: 'aws',
  Service: 'service',
  Federated: 'federated',
  CanonicalUser: 'canonicalUser',
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + '...' : s;
}

class Collector {
  readonly diagnostics: Diagnostic[] = [];
  error(code: string, jsonPath: string | undefined, message: string, hint?: string): void {
    this.diagnostics.push({
      severity: 'error',
      code,
      message,
      ...(jsonPath ? { jsonPath } : {}),
      ...(hint ? { hint } : {}),
    });
  }
  warn(code: string, jsonPath: string | undefined, message: string, hint?: string): void {
    this.diagnostics.push({
      severity: 'warning',
      code,
      message,
      ...(jsonPath ? { jsonPath } : {}),
      ...(hint ? { hint } : {}),
    });
  }
}

/** An Action/NotAction pattern the grammar describes: `*` or `service:Action` with `*`/`?` wildcards. */
export function isActionPattern(a: string): boolean {
  return a === '*' || /^[A-Za-z0-9*?_.-]+:[A-Za-z0-9*?_.-]*$/.test(a);
}

/** String or non-empty array of strings (reference_policies_grammar: `<action_string>` or `[<action_string>, ...]`). */
function stringList(value: unknown, path: string, c: Collector, code: string): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) {
    if (value.length === 0) {
      c.error(code, path, `\`${path}\` must not be an empty array`);
      return undefined;
    }
    const out: string[] = [];
    value.forEach((v, i) => {
      if (typeof v === 'string') out.push(v);
      else c.error(code, `${path}[${i}]`, `\`${path}[${i}]\` must be a string, got \`${show(v)}\``);
    });
    return out;
  }
  c.error(code, path, `\`${path}\` must be a string or an array of strings, got \`${show(value)}\``);
  return undefined;
}

function parsePrincipal(value: unknown, path: string, c: Collector): PrincipalSpec | undefined {
  const spec: PrincipalSpec = { any: false, aws: [], service: [], federated: [], canonicalUser: [] };
  if (value === '*') {
    spec.any = true;
    return spec;
  }
  if (!isPlainObject(value)) {
    c.error(
      'policy.invalid-principal',
      path,
      `\`${path}\` must be \`*\` or an object such as {"AWS": ...}, got \`${show(value)}\``,
    );
    return undefined;
  }
  let ok = true;
  for (const [type, v] of Object.entries(value)) {
    const field = PRINCIPAL_TYPES[type];
    if (!field) {
      c.error(
        'policy.invalid-principal',
        `${path}.${type}`,
        `unknown principal type \`${type}\``,
        'use AWS, Service, Federated or CanonicalUser',
      );
      ok = false;
      continue;
    }
    const list = stringList(v, `${path}.${type}`, c, 'policy.invalid-principal');
    if (!list) {
      ok = false;
      continue;
    }
    // reference_policies_elements_principal: "Principal": {"AWS": "*"} is equivalent to "Principal": "*".
    if (field === 'aws' && list.includes('*')) spec.any = true;
    spec[field].push(...list);
  }
  return ok ? spec : undefined;
}

const OPERATOR_RE = /^(?:(ForAnyValue|ForAllValues):)?(.+?)(IfExists)?$/;

function parseCondition(value: unknown, path: string, c: Collector): ConditionClause[] | undefined {
  if (!isPlainObject(value)) {
    c.error(
      'policy.invalid-condition',
      path,
      `\`${path}\` must be an object of operators, got \`${show(value)}\``,
    );
    return undefined;
  }
  const out: ConditionClause[] = [];
  let ok = true;
  for (const [rawOperator, block] of Object.entries(value)) {
    const opPath = `${path}.${rawOperator}`;
    const m = OPERATOR_RE.exec(rawOperator);
    const operator = m?.[2] ?? rawOperator;
    const qualifier = m?.[1] as SetQualifier | undefined;
    let ifExists = Boolean(m?.[3]);
    // `Null` ends in neither; but an operator literally named like `...IfExists` whose base is unknown is an error.
    if (!m || !isKnownOperator(operator) || (operator === 'Null' && ifExists)) {
      c.error(
        'policy.unknown-condition-operator',
        opPath,
        `unknown condition operator \`${rawOperator}\``,
        'see reference_policies_elements_condition_operators; operator names are case-sensitive',
      );
      ok = false;
      continue;
    }
    if (operator === 'Null') ifExists = false;
    if (!isPlainObject(block)) {
      c.error(
        'policy.invalid-condition',
        opPath,
        `\`${opPath}\` must be an object of condition keys, got \`${show(block)}\``,
      );
      ok = false;
      continue;
    }
    for (const [key, raw] of Object.entries(block)) {
      const keyPath = `${opPath}.${key}`;
      const items = Array.isArray(raw) ? raw : [raw];
      if (items.length === 0) {
        c.error('policy.invalid-condition', keyPath, `\`${keyPath}\` must not be an empty array`);
        ok = false;
        continue;
      }
      const values: string[] = [];
      items.forEach((v, i) => {
        // JSON booleans and numbers are accepted by IAM (e.g. "aws:SecureTransport": false) and compared as text.
        if (typeof v === 'string') values.push(v);
        else if (typeof v === 'boolean' || typeof v === 'number') values.push(String(v));
        else {
          c.error(
            'policy.invalid-condition',
            Array.isArray(raw) ? `${keyPath}[${i}]` : keyPath,
            `condition values must be strings, numbers or booleans, got \`${show(v)}\``,
          );
          ok = false;
        }
      });
      out.push({ rawOperator, operator, ...(qualifier ? { qualifier } : {}), ifExists, key, values });
    }
  }
  return ok ? out : undefined;
}

function parseStatement(
  raw: unknown,
  index: number,
  path: string,
  kind: PolicyKind | undefined,
  c: Collector,
): Statement | undefined {
  if (!isPlainObject(raw)) {
    c.error('policy.invalid-statement', path, `\`${path}\` must be an object, got \`${show(raw)}\``);
    return undefined;
  }
  const before = c.diagnostics.filter((d) => d.severity === 'error').length;
  for (const key of Object.keys(raw)) {
    if (!STATEMENT_KEYS.has(key)) {
      c.error(
        'policy.unknown-element',
        `${path}.${key}`,
        `unknown statement element \`${key}\``,
        'elements are case-sensitive: Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource, Condition',
      );
    }
  }
  const st: Statement = { index, effect: 'Allow', conditions: [] };
  if (raw.Sid !== undefined) {
    if (typeof raw.Sid === 'string') st.sid = raw.Sid;
    else
      c.error(
        'policy.invalid-sid',
        `${path}.Sid`,
        `\`${path}.Sid\` must be a string, got \`${show(raw.Sid)}\``,
      );
  }
  if (raw.Effect === undefined) {
    c.error('policy.missing-effect', `${path}.Effect`, `\`${path}.Effect\` is required`);
  } else if (raw.Effect === 'Allow' || raw.Effect === 'Deny') {
    st.effect = raw.Effect as Effect;
  } else {
    c.error(
      'policy.invalid-effect',
      `${path}.Effect`,
      `\`${path}.Effect\` must be \`Allow\` or \`Deny\`, got \`${show(raw.Effect)}\``,
      typeof raw.Effect === 'string' && /^(allow|deny)$/i.test(raw.Effect)
        ? 'values are case-sensitive'
        : undefined,
    );
  }
  // Action/NotAction: exactly one (reference_policies_elements_action, _notaction).
  if (raw.Action !== undefined && raw.NotAction !== undefined) {
    c.error(
      'policy.action-and-notaction',
      path,
      `\`${path}\` must not have both \`Action\` and \`NotAction\``,
    );
  } else if (raw.Action === undefined && raw.NotAction === undefined) {
    c.error('policy.missing-action', path, `\`${path}\` must have \`Action\` or \`NotAction\``);
  } else {
    const field = raw.Action !== undefined ? 'Action' : 'NotAction';
    const list = stringList(raw[field], `${path}.${field}`, c, 'policy.invalid-action');
    if (list) {
      list.forEach((a, i) => {
        if (isActionPattern(a)) return;
        const p = Array.isArray(raw[field]) ? `${path}.${field}[${i}]` : `${path}.${field}`;
        // IAM refuses an action without a service prefix ("Actions/Conditions must be prefaced by a vendor") but
        // stores other strings the grammar does not describe (`s3:GetObject,s3:PutObject`, stray whitespace); a
        // stored policy must load, so those are a warning and match no action (compile/policy.ts).
        if (/^[^:\s]+:/.test(a.trimStart()))
          c.warn(
            'policy.unmatchable-action',
            p,
            `\`${p}\` is not one \`service:Action\` pattern, got \`${show(a)}\`: it matches no action`,
            field === 'Action'
              ? 'in Action it grants or denies nothing; write one action per string'
              : 'in NotAction it excludes nothing, so the statement applies to every action; write one action per string',
          );
        else
          c.error(
            'policy.invalid-action',
            p,
            `\`${p}\` must look like \`service:Action\`, got \`${show(a)}\``,
          );
      });
      if (field === 'Action') st.action = list;
      else st.notAction = list;
    }
  }
  if (raw.Resource !== undefined && raw.NotResource !== undefined) {
    c.error(
      'policy.resource-and-notresource',
      path,
      `\`${path}\` must not have both \`Resource\` and \`NotResource\``,
    );
  } else if (raw.Resource !== undefined) {
    st.resource = stringList(raw.Resource, `${path}.Resource`, c, 'policy.invalid-resource');
  } else if (raw.NotResource !== undefined) {
    st.notResource = stringList(raw.NotResource, `${path}.NotResource`, c, 'policy.invalid-resource');
  } else if (kind && kind !== 'trust' && kind !== 'resource') {
    // reference_policies_elements_resource: identity-based policies must include Resource or NotResource;
    // role trust policies omit it, and some resource policies (KMS key policies use "*") may.
    c.error('policy.missing-resource', path, `\`${path}\` must have \`Resource\` or \`NotResource\``);
  }
  if (raw.Principal !== undefined && raw.NotPrincipal !== undefined) {
    c.error(
      'policy.principal-and-notprincipal',
      path,
      `\`${path}\` must not have both \`Principal\` and \`NotPrincipal\``,
    );
  } else if (raw.Principal !== undefined || raw.NotPrincipal !== undefined) {
    const field = raw.Principal !== undefined ? 'Principal' : 'NotPrincipal';
    // RCPs carry `"Principal": "*"` (orgs_manage_policies_rcps_syntax); they restrict every caller alike.
    if (kind && kind !== 'resource' && kind !== 'trust' && kind !== 'rcp') {
      // reference_policies_elements_principal: "You cannot use the Principal element in an identity-based policy".
      c.error(
        'policy.principal-not-allowed',
        `${path}.${field}`,
        `\`${path}.${field}\` is not allowed in a${kind === 'identity' ? 'n' : ''} ${kind} policy`,
        'Principal belongs in resource-based and trust policies only',
      );
    } else {
      const spec = parsePrincipal(raw[field], `${path}.${field}`, c);
      if (spec) {
        if (field === 'Principal') st.principal = spec;
        else st.notPrincipal = spec;
      }
    }
  } else if (kind === 'resource' || kind === 'trust') {
    c.error(
      'policy.missing-principal',
      path,
      `\`${path}\` must have \`Principal\` or \`NotPrincipal\` in a ${kind} policy`,
    );
  }
  if (raw.Condition !== undefined) {
    const conds = parseCondition(raw.Condition, `${path}.Condition`, c);
    if (conds) st.conditions = conds;
  }
  const after = c.diagnostics.filter((d) => d.severity === 'error').length;
  return after === before ? st : undefined;
}

/** Parse a policy document (JSON text or an already-parsed value). Never throws. */
export function parsePolicy(document: string | object, options: ParseOptions = {}): ParseResult {
  const c = new Collector();
  let doc: unknown = document;
  if (typeof document === 'string') {
    try {
      doc = JSON.parse(document);
    } catch (e) {
      c.error('policy.invalid-json', undefined, `policy is not valid JSON: ${(e as Error).message}`);
      return { diagnostics: c.diagnostics };
    }
  }
  if (!isPlainObject(doc)) {
    c.error('policy.not-object', undefined, `policy must be a JSON object, got \`${show(doc)}\``);
    return { diagnostics: c.diagnostics };
  }
  for (const key of Object.keys(doc)) {
    if (!TOP_KEYS.has(key))
      c.error(
        'policy.unknown-element',
        key,
        `unknown policy element \`${key}\``,
        'top-level elements are Version, Id and Statement',
      );
  }
  let version: string | undefined;
  if (doc.Version !== undefined) {
    if (typeof doc.Version === 'string' && VERSIONS.has(doc.Version)) version = doc.Version;
    else
      c.error(
        'policy.invalid-version',
        'Version',
        `\`Version\` must be \`2012-10-17\` or \`2008-10-17\`, got \`${show(doc.Version)}\``,
      );
  }
  let id: string | undefined;
  if (doc.Id !== undefined) {
    if (typeof doc.Id === 'string') id = doc.Id;
    else c.error('policy.invalid-id', 'Id', `\`Id\` must be a string, got \`${show(doc.Id)}\``);
  }
  const statements: Statement[] = [];
  if (doc.Statement === undefined) {
    c.error('policy.missing-statement', 'Statement', '`Statement` is required');
  } else if (Array.isArray(doc.Statement)) {
    doc.Statement.forEach((s, i) => {
      const st = parseStatement(s, i, `Statement[${i}]`, options.kind, c);
      if (st) statements.push(st);
    });
  } else {
    const st = parseStatement(doc.Statement, 0, 'Statement', options.kind, c);
    if (st) statements.push(st);
  }
  const sids = new Map<string, number>();
  for (const st of statements) {
    // Empty Sids are common in real policies (the S3 console wrote `"Sid": ""`): not duplicates.
    if (st.sid === undefined || st.sid === '') continue;
    if (sids.has(st.sid))
      c.warn(
        'policy.duplicate-sid',
        `Statement[${st.index}].Sid`,
        `duplicate \`Sid\` \`${st.sid}\``,
        'Sids should be unique within a policy',
      );
    sids.set(st.sid, st.index);
  }
  if (c.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: c.diagnostics };
  return {
    policy: { ...(version ? { version } : {}), ...(id ? { id } : {}), statements },
    diagnostics: c.diagnostics,
  };
}
