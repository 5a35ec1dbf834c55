/**
 * Effective permissions of one principal (`principal(arn).access`): per service and access level the actions it
 * is allowed (ALLOWED, or CONDITIONAL with the residual), each with its resource scopes; and per known resource of
 * the snapshot (buckets, topics, … with their resource policies) what it can do there. How it avoids evaluating
 * every catalog action against every resource (action signatures, partial scopes): README.md, "Effective
 * permissions".
 */
import type { OrgPolicyType, Principal, Resource } from '../../schema/snapshot.ts';
import {
  arnAccount,
  compilePolicySet,
  evaluateCompiled,
  globMatches,
  globsOverlap,
  loadCatalog,
  PolicyParseError,
  renderCondition,
  actionRuleKey,
  type ActionCatalog,
  type CompiledPolicySet,
  type ConditionExpr,
  type Decision,
  type EvaluationResult,
  type Layer,
  type PolicyInput,
  type Statement,
} from '../engine/index.ts';
import { patternFitsAction, widenVariables } from './arn-patterns.ts';
import { principalsNamed } from './policy-principals.ts';
import { askedBy, requestPrincipalOf } from './candidate-index.ts';
import { answerWarnings } from './completeness.ts';
import { hasRcps, principalPolicySet, rcpSupport, resourceSideFor } from './policy-set.ts';
import { memoKey, type SnapshotAnalysis } from './snapshot-analysis.ts';
import { renderPath, type ContextValues } from './who-can.ts';

export const ACCESS_LEVELS = ['Read', 'Write', 'List', 'Tagging', 'Permissions management'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export interface AccessQuery {
  /** Only this service prefix (`s3`), for both sections. */
  service?: string;
  context?: ContextValues;
  /** The context is complete: keys not given are absent and nothing is CONDITIONAL. */
  strictContext?: boolean;
  /** `services`: only the per-service section (`resources` left empty), for callers that need no resources. */
  sections?: 'all' | 'services';
}

/** What narrows a scope: a Deny cutting part of it out, or a limiting layer allowing only part of it. */
export interface ScopeCut {
  how: 'except' | 'within';
  pattern: string;
  layer: Layer;
  level?: number;
  /** The cutting statement has conditions: the cut applies only when they hold. */
  conditional: boolean;
  /** `boundary PowerUserAccess → Statement[0]`. */
  path: string;
}

export interface ActionScope {
  /** The Resource pattern as the granting statement wrote it (or the narrower pattern that is allowed). */
  pattern: string;
  decision: Exclude<Decision, 'DENIED'>;
  conditions?: string;
  residual?: ConditionExpr;
  /** Only part of `pattern` is allowed: see `cuts`. */
  partial: boolean;
  cuts: ScopeCut[];
  /** The identity statements that grant it. */
  grantedBy: string[];
}

export interface ActionAccess {
  action: string;
  /** ALLOWED when some scope is allowed outright; CONDITIONAL when every scope needs a condition. */
  decision: Exclude<Decision, 'DENIED'>;
  conditions?: string;
  scopes: ActionScope[];
}

export interface LevelAccess {
  level: AccessLevel;
  actions: ActionAccess[];
  conditional: number;
}

export interface ServiceAccess {
  service: string;
  actions: number;
  levels: LevelAccess[];
}

/** Actions of one level decided alike on a resource (one evaluation answers for all of them). */
export interface ResourceGrant {
  /** Sorted. */
  actions: string[];
  decision: Exclude<Decision, 'DENIED'>;
  conditions?: string;
  residual?: ConditionExpr;
  /** The ARN (or for an S3 bucket's objects `bucket/*`, or the narrower pattern allowed) evaluated. */
  scope: string;
  /** Allowed on part of the bucket's objects only (`scope` says which). */
  partial: boolean;
  /** The resource policy granted it (no identity Allow needed). */
  viaResourcePolicy: boolean;
}

export interface ResourceAccess {
  arn: string;
  service: string;
  type: string;
  name: string;
  resourcePolicyId?: string;
  levels: { level: AccessLevel; grants: ResourceGrant[] }[];
}

export interface AccessAnswer {
  principal: { arn: string; name: string; kind: 'user' | 'role' };
  evaluatedAs: string;
  services: ServiceAccess[];
  resources: ResourceAccess[];
  /** Engine evaluations made (the grouping saves the rest). */
  evaluations: number;
  /** What the answer could not account for: missing policies, no SCP data, policies that did not parse. */
  notes: string[];
}

/** One statement of the principal's layers (or a resource policy), with its actions expanded. */
export interface Stmt {
  id: number;
  layer: Layer;
  level?: number;
  statement: Statement;
  path: string;
  /** Its Action/NotAction as text: statements with equal keys match the same actions. */
  actionKey: string;
  matches(actionLower: string): boolean;
}

/** The catalog's level, the most sensitive first when iam-data joins two (`Permissions management, Write`). */
export function accessLevelOf(catalog: ActionCatalog, action: string): AccessLevel {
  const raw = catalog.accessLevel(action) ?? 'Write';
  const first = raw.split(',')[0]!.trim();
  return (ACCESS_LEVELS as readonly string[]).includes(first) ? (first as AccessLevel) : 'Write';
}

interface Expansion {
  /** The catalog's spelling, sorted. */
  names: string[];
  lower: Set<string>;
}

/** Catalog actions a pattern list matches; cached per list (AdministratorAccess's `*` expands once). */
const expansions = new WeakMap<ActionCatalog, Map<string, Expansion>>();
function expansion(catalog: ActionCatalog, patterns: readonly string[]): Expansion {
  let perCatalog = expansions.get(catalog);
  if (!perCatalog) expansions.set(catalog, (perCatalog = new Map()));
  const key = patterns.map((p) => p.toLowerCase()).join('\u0000');
  let hit = perCatalog.get(key);
  if (!hit) {
    const names = [...new Set(patterns.flatMap((p) => catalog.expandAction(p)))].sort();
    hit = { names, lower: new Set(names.map((a) => a.toLowerCase())) };
    if (perCatalog.size > 20_000) perCatalog.clear();
    perCatalog.set(key, hit);
  }
  return hit;
}

function expand(catalog: ActionCatalog, patterns: readonly string[]): Set<string> {
  return expansion(catalog, patterns).lower;
}

/** What the catalog says about an action, looked up once per catalog. */
export interface ActionMeta {
  level: AccessLevel;
  templates: string[];
  /** The templates joined: actions with equal keys fit the same Resource patterns. */
  templatesKey: string;
  /** Resource type names, lower-case. */
  types: string[];
}
const metas = new WeakMap<ActionCatalog, Map<string, ActionMeta>>();
export function metaOf(catalog: ActionCatalog, action: string): ActionMeta {
  let perCatalog = metas.get(catalog);
  if (!perCatalog) metas.set(catalog, (perCatalog = new Map()));
  let m = perCatalog.get(action);
  if (!m) {
    const types = catalog.resourceTypes(action);
    const templates = types.map((t) => t.arn).filter((a): a is string => a !== undefined);
    m = {
      level: accessLevelOf(catalog, action),
      templates,
      templatesKey: templates.join(' '),
      types: types.map((t) => t.name.toLowerCase()),
    };
    perCatalog.set(action, m);
  }
  return m;
}

function stmtsOf(
  catalog: ActionCatalog,
  compiled: CompiledPolicySet | undefined,
  resource?: CompiledPolicySet['resource'],
  firstId = 0,
): Stmt[] {
  const out: Stmt[] = [];
  const add = (p: CompiledPolicySet['identity'][number], layer: Layer, level?: number) => {
    for (const st of p.policy.statements) {
      const set = expand(catalog, st.action ?? st.notAction ?? []);
      const not = st.notAction !== undefined;
      out.push({
        id: firstId + out.length,
        layer,
        ...(level !== undefined ? { level } : {}),
        statement: st,
        // Rendered on first read: most statements never appear in an answer.
        get path(): string {
          return renderPath(
            {
              policyId: p.source.id,
              ...(p.source.name ? { policyName: p.source.name } : {}),
              statementIndex: st.index,
              ...(st.sid ? { sid: st.sid } : {}),
              attachedVia: p.source.attachedVia ?? [],
            },
            layer,
          );
        },
        actionKey: `${not ? '!' : ''}${(st.action ?? st.notAction ?? []).join(',').toLowerCase()}`,
        matches: not ? (a) => !set.has(a) : (a) => set.has(a),
      });
    }
  };
  if (compiled) {
    for (const p of compiled.identity) add(p, 'identity');
    if (compiled.boundary) add(compiled.boundary, 'boundary');
    compiled.scps?.forEach((l, i) => l.forEach((p) => add(p, 'scp', i)));
    compiled.rcps?.forEach((l, i) => l.forEach((p) => add(p, 'rcp', i)));
    if (compiled.session) add(compiled.session, 'session');
  }
  if (resource) add(resource, 'resource');
  return out;
}

/** Layers that allow only what they list (an implicit deny there narrows a scope to their patterns). */
const LIMITING: ReadonlySet<Layer> = new Set<Layer>(['boundary', 'scp', 'rcp', 'session']);

export interface Evaluator {
  compiled: CompiledPolicySet;
  principal: Principal;
  /** Who asks and when (candidate-index.ts `askedBy`). */
  asked: ReturnType<typeof askedBy>;
  context: ContextValues;
  strict: boolean;
  count: number;
  /** The account owning the resource being asked about (S3 ARNs do not say), when known. */
  resourceAccount?: string;
}

function evaluateAt(e: Evaluator, action: string, resource: string, compiled = e.compiled): EvaluationResult {
  e.count++;
  return evaluateCompiled(
    {
      ...e.asked,
      action,
      resource: substituteKnown(resource, e),
      ...(e.resourceAccount ? { resourceAccount: e.resourceAccount } : {}),
      context: e.context,
      ...(e.strict ? { strictContext: true } : {}),
    },
    compiled,
  );
}

/** `${aws:username}` and context keys the caller gave: what the principal itself would substitute. */
function substituteKnown(pattern: string, e: Evaluator): string {
  if (!pattern.includes('${')) return pattern;
  return pattern.replace(/\$\{([^}]+)\}/g, (whole, key: string) => {
    const lower = key.toLowerCase();
    if (lower === 'aws:username' && e.principal.kind === 'user') return e.principal.name;
    const hit = Object.entries(e.context).find(([k]) => k.toLowerCase() === lower)?.[1];
    return typeof hit === 'string' ? hit : whole;
  });
}

/** The patterns an Allow grants: its Resource, or `*` for NotResource (whose list is then cut out). */
export function patternsOf(st: Statement): string[] {
  return st.resource ?? ['*'];
}

function cutFor(s: Stmt, how: ScopeCut['how'], pattern: string): ScopeCut {
  return {
    how,
    pattern,
    layer: s.layer,
    ...(s.level !== undefined ? { level: s.level } : {}),
    conditional: s.statement.conditions.length > 0,
    path: s.path,
  };
}

/** Deny statements whose patterns name part of `pattern` but not the pattern text itself (the literal check). */
function denyCuts(e: Evaluator, pattern: string, group: Stmt[]): ScopeCut[] {
  const cuts: ScopeCut[] = [];
  const literal = substituteKnown(pattern, e);
  const wide = widenVariables(pattern);
  for (const s of group) {
    if (s.statement.effect !== 'Deny' || !s.statement.resource) continue;
    for (const q of s.statement.resource)
      if (!globMatches(widenVariables(q), literal) && globsOverlap(widenVariables(q), wide))
        cuts.push(cutFor(s, 'except', q));
  }
  return cuts;
}

interface ScopeVerdict {
  pattern: string;
  result: EvaluationResult;
  cuts: ScopeCut[];
}

/**
 * Decide one scope pattern for a group's representative action: the literal evaluation, then the partial cases
 * it cannot see. Undefined when nothing of the pattern is allowed.
 */
export function decideScope(
  e: Evaluator,
  action: string,
  pattern: string,
  group: Stmt[],
  compiled?: CompiledPolicySet,
): ScopeVerdict | undefined {
  const result = evaluateAt(e, action, pattern, compiled);
  const wide = widenVariables(pattern);
  if (result.decision !== 'DENIED') return { pattern, result, cuts: denyCuts(e, pattern, group) };
  // Denied as a whole: a narrower pattern may still be allowed — what a limiting layer allows, or what a
  // NotResource Deny leaves out.
  const narrower: { s: Stmt; pattern: string }[] = [];
  const limiting = result.deniedBy?.kind === 'implicit' && LIMITING.has(result.deniedBy.layer);
  for (const s of group) {
    const st = s.statement;
    const fromLimit = limiting && st.effect === 'Allow' && s.layer === result.deniedBy!.layer;
    const fromNotResource = st.effect === 'Deny' && st.notResource !== undefined;
    if (!fromLimit && !fromNotResource) continue;
    for (const q of (fromNotResource ? st.notResource : st.resource) ?? [])
      if (q !== pattern && globsOverlap(widenVariables(q), wide)) narrower.push({ s, pattern: q });
  }
  for (const n of narrower.slice(0, 8)) {
    const again = evaluateAt(e, action, n.pattern, compiled);
    if (again.decision !== 'DENIED')
      return {
        pattern: n.pattern,
        result: again,
        cuts: [cutFor(n.s, 'within', n.pattern), ...denyCuts(e, n.pattern, group)],
      };
  }
  return undefined;
}

/**
 * Sets `decision`, `conditions` and `residual` on `target`. The condition is rendered on first read (an enumerable
 * getter, so JSON and structural equality still see it): an answer holds thousands of residuals and a caller
 * typically reads a few. Never spread the result of a residual-carrying object before reading: that renders it.
 */
function withVerdict<T extends object>(
  target: T,
  r: EvaluationResult,
): T & { decision: Exclude<Decision, 'DENIED'>; conditions?: string; residual?: ConditionExpr } {
  const out = target as T & {
    decision: Exclude<Decision, 'DENIED'>;
    conditions?: string;
    residual?: ConditionExpr;
  };
  out.decision = r.decision === 'ALLOWED' ? 'ALLOWED' : 'CONDITIONAL';
  const residual = r.conditions;
  if (residual) {
    let text: string | undefined;
    Object.defineProperty(out, 'conditions', {
      enumerable: true,
      configurable: true,
      get: () => (text ??= renderCondition(residual)),
    });
    out.residual = residual;
  }
  return out;
}

function byAction(x: { action: string }, y: { action: string }): number {
  return x.action < y.action ? -1 : x.action > y.action ? 1 : 0;
}

/** Groups actions by the statements that match them and the ARN formats they take. */
/** The principal's statements matching each action, computed once per action and answer. */
export class Signatures {
  private readonly cache = new Map<string, { key: string; stmts: Stmt[] }>();
  constructor(readonly stmts: Stmt[]) {}
  of(action: string): { key: string; stmts: Stmt[] } {
    let hit = this.cache.get(action);
    if (!hit) {
      const lower = action.toLowerCase();
      const stmts = this.stmts.filter((s) => s.matches(lower));
      // The KMS key-policy, role-trust and service rules depend on the action, not only its statements.
      hit = {
        key: `${actionRuleKey(action)}|${stmts.map((s) => s.id).join(',')}`,
        stmts,
      };
      this.cache.set(action, hit);
    }
    return hit;
  }
}

/**
 * Groups actions by the statements that match them — the principal's (`base`) and a resource policy's (`extra`)
 * — and `extraKey`.
 */
function groupActions(
  actions: Iterable<string>,
  base: Signatures,
  extra: Stmt[],
  extraKey: (action: string) => string,
): Map<string, { actions: string[]; stmts: Stmt[] }> {
  const groups = new Map<string, { actions: string[]; stmts: Stmt[] }>();
  for (const action of actions) {
    const sig = base.of(action);
    const lower = action.toLowerCase();
    const more = extra.length > 0 ? extra.filter((s) => s.matches(lower)) : extra;
    const key = `${sig.key}|${more.map((s) => s.id).join(',')}|${extraKey(action)}`;
    const g = groups.get(key);
    if (g) g.actions.push(action);
    else groups.set(key, { actions: [action], stmts: more.length > 0 ? [...sig.stmts, ...more] : sig.stmts });
  }
  return groups;
}

function candidateActions(
  catalog: ActionCatalog,
  stmts: Stmt[],
  layers: ReadonlySet<Layer>,
  service: string | undefined,
): Set<string> {
  const out = new Set<string>();
  const svc = service?.toLowerCase();
  const all = expansion(catalog, [svc ? `${svc}:*` : '*']).names;
  for (const s of stmts) {
    if (s.statement.effect !== 'Allow' || !layers.has(s.layer)) continue;
    if (s.statement.notAction) {
      for (const a of all) if (s.matches(a.toLowerCase())) out.add(a);
      continue;
    }
    const prefix = svc ? `${svc}:` : '';
    for (const a of expansion(catalog, s.statement.action ?? []).names)
      if (!svc || a.toLowerCase().startsWith(prefix)) out.add(a);
  }
  return out;
}

/** Whether a Resource pattern fits the action's ARN formats, decided once per formats and pattern in `fits`. */
function fitsAction(fits: Map<string, Map<string, boolean>>, meta: ActionMeta, pattern: string): boolean {
  let here = fits.get(meta.templatesKey);
  if (!here) fits.set(meta.templatesKey, (here = new Map()));
  let fit = here.get(pattern);
  if (fit === undefined) here.set(pattern, (fit = patternFitsAction(pattern, meta.templates)));
  return fit;
}

function servicesSection(
  catalog: ActionCatalog,
  e: Evaluator,
  signatures: Signatures,
  service: string | undefined,
): ServiceAccess[] {
  const stmts = signatures.stmts;
  const actions = candidateActions(catalog, stmts, new Set<Layer>(['identity']), service);
  const perAction: ActionAccess[] = [];
  const fits = new Map<string, Map<string, boolean>>();
  for (const g of groupActions(actions, signatures, [], () => '').values()) {
    const rep = g.actions[0]!;
    const grants = new Map<string, Stmt[]>();
    for (const s of g.stmts) {
      if (s.layer !== 'identity' || s.statement.effect !== 'Allow') continue;
      for (const p of patternsOf(s.statement)) {
        const list = grants.get(p);
        if (list) list.push(s);
        else grants.set(p, [s]);
      }
    }
    // One evaluation per granted pattern answers for every action of the group; each action then keeps the
    // scopes that fit its resource types.
    const decided = new Map<string, ActionScope | null>();
    const scopeOf = (pattern: string, by: Stmt[]): ActionScope | null => {
      let scope = decided.get(pattern);
      if (scope !== undefined) return scope;
      const v = decideScope(e, rep, pattern, g.stmts);
      scope = null;
      if (v) {
        const cuts = [...v.cuts];
        // An Allow with NotResource grants everything but its list.
        for (const s of by) for (const q of s.statement.notResource ?? []) cuts.push(cutFor(s, 'except', q));
        scope = withVerdict(
          { pattern: v.pattern, partial: cuts.length > 0, cuts, grantedBy: by.map((s) => s.path) },
          v.result,
        );
      }
      decided.set(pattern, scope);
      return scope;
    };
    for (const action of g.actions) {
      const meta = metaOf(catalog, action);
      const scopes: ActionScope[] = [];
      for (const [pattern, by] of grants) {
        if (!fitsAction(fits, meta, pattern)) continue;
        const scope = scopeOf(pattern, by);
        if (scope) scopes.push(scope);
      }
      if (scopes.length === 0) continue;
      const allowed = scopes.some((s) => s.decision === 'ALLOWED');
      const conditions = [...new Set(scopes.flatMap((s) => (s.conditions ? [s.conditions] : [])))];
      perAction.push({
        action,
        decision: allowed ? 'ALLOWED' : 'CONDITIONAL',
        ...(!allowed && conditions.length > 0
          ? { conditions: conditions.map((c) => (conditions.length > 1 ? `(${c})` : c)).join(' OR ') }
          : {}),
        scopes,
      });
    }
  }
  const bySvc = new Map<string, Map<AccessLevel, ActionAccess[]>>();
  for (const a of perAction) {
    const svc = a.action.slice(0, a.action.indexOf(':'));
    const levels = bySvc.get(svc) ?? new Map<AccessLevel, ActionAccess[]>();
    bySvc.set(svc, levels);
    const level = metaOf(catalog, a.action).level;
    const list = levels.get(level);
    if (list) list.push(a);
    else levels.set(level, [a]);
  }
  return [...bySvc.keys()].sort().map((svc) => {
    const levels = bySvc.get(svc)!;
    const out = ACCESS_LEVELS.filter((l) => levels.has(l)).map((level) => {
      const actions = levels.get(level)!.sort((x, y) => byAction(x, y));
      return { level, actions, conditional: actions.filter((a) => a.decision === 'CONDITIONAL').length };
    });
    return { service: svc, actions: out.reduce((n, l) => n + l.actions.length, 0), levels: out };
  });
}

export interface LevelledGroup {
  actions: string[];
  stmts: Stmt[];
  /** The actions by access level, each list sorted. */
  levels: Map<AccessLevel, string[]>;
}

function byLevelOf(catalog: ActionCatalog, actions: string[]): Map<AccessLevel, string[]> {
  const out = new Map<AccessLevel, string[]>();
  for (const a of actions) {
    const level = metaOf(catalog, a).level;
    const list = out.get(level);
    if (list) list.push(a);
    else out.set(level, [a]);
  }
  for (const list of out.values()) list.sort();
  return out;
}

/** Per identity group and list of resource-side action keys: how its actions split (many buckets share one). */
type Splits = Map<LevelledGroup, Map<string, { mask: string; group: LevelledGroup }[]>>;

function splitByResourceStmts(
  catalog: ActionCatalog,
  splits: Splits,
  g: LevelledGroup,
  extra: Stmt[],
): LevelledGroup[] {
  let perGroup = splits.get(g);
  if (!perGroup) splits.set(g, (perGroup = new Map()));
  const sig = extra.map((s) => s.actionKey).join('\u0000');
  let parts = perGroup.get(sig);
  if (!parts) {
    const byMask = new Map<string, string[]>();
    for (const a of g.actions) {
      const lower = a.toLowerCase();
      let mask = '';
      for (const s of extra) mask += s.matches(lower) ? '1' : '0';
      const list = byMask.get(mask);
      if (list) list.push(a);
      else byMask.set(mask, [a]);
    }
    parts = [...byMask].map(([mask, actions]) => ({
      mask,
      group: byMask.size === 1 ? g : { actions, stmts: g.stmts, levels: byLevelOf(catalog, actions) },
    }));
    perGroup.set(sig, parts);
  }
  return parts.map(({ mask, group }) =>
    mask.includes('1')
      ? { ...group, stmts: [...g.stmts, ...extra.filter((_, i) => mask[i] === '1')] }
      : group,
  );
}

const RESOURCE_STMT_IDS = 1_000_000;

/** The ARNs a known resource is asked about: itself, and for a bucket its objects. */
function targetsOf(r: Resource): { arn: string; type: string }[] {
  const own = { arn: r.arn, type: r.type.toLowerCase() };
  return r.service === 's3' && r.type.toLowerCase() === 'bucket'
    ? [own, { arn: `${r.arn}/*`, type: 'object' }]
    : [own];
}

/**
 * A resource policy compiled once per analysis (every principal's access reads the same ones), with its
 * statements expanded on first use.
 */
export interface CompiledResource {
  compiled: NonNullable<CompiledPolicySet['resource']>;
  stmts: (c: ActionCatalog) => Stmt[];
}

/** Compiled resource policies by id (null: did not compile), per analysis. */
const COMPILED_RESOURCES = memoKey<Map<string, CompiledResource | null>>(
  'access: compiled resource policies',
);

function compiledResourcePolicy(
  analysis: SnapshotAnalysis,
  input: PolicyInput | undefined,
  notes: string[],
): CompiledResource | undefined {
  if (!input) return undefined;
  const memo = analysis.memo(COMPILED_RESOURCES, () => new Map());
  let hit = memo.get(input.id);
  if (hit === undefined) {
    hit = null;
    try {
      const compiled = compilePolicySet({ identity: [], resource: input }).resource;
      let stmts: Stmt[] | undefined;
      // Ids far above any principal's statement count keep group keys distinct from the identity side's.
      if (compiled)
        hit = { compiled, stmts: (c) => (stmts ??= stmtsOf(c, undefined, compiled, RESOURCE_STMT_IDS)) };
    } catch (err) {
      notes.push(
        `resource policy of ${input.id} left out: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    memo.set(input.id, hit);
  }
  return hit ?? undefined;
}

/**
 * The SCP or RCP levels over one account (policy-set.ts `orgLevels`), compiled once per analysis, with their
 * statements for grouping: the one home of compiled organization layers (the access panel's resources, what-if).
 */
export interface CompiledOrgLayers {
  compiled: NonNullable<CompiledPolicySet['scps']>;
  stmts: (c: ActionCatalog) => Stmt[];
}

/** Compiled organization layers by policy type and account id, per analysis. */
const COMPILED_ORG_LAYERS = memoKey<Map<string, CompiledOrgLayers>>('access: compiled SCPs and RCPs');

export function compiledOrgLayers(
  analysis: SnapshotAnalysis,
  type: OrgPolicyType,
  account: string,
  levels: PolicyInput[][],
): CompiledOrgLayers {
  // A what-if changes no organization policy: its "after" shares the base's compiled layers.
  const base = analysis.derivation?.from;
  if (base && base.snapshot.organization === analysis.snapshot.organization)
    return compiledOrgLayers(base, type, account, levels);
  const memo = analysis.memo(COMPILED_ORG_LAYERS, () => new Map());
  const key = `${type}:${account}`;
  let hit = memo.get(key);
  if (!hit) {
    const set = compilePolicySet(
      type === 'SERVICE_CONTROL_POLICY' ? { identity: [], scps: levels } : { identity: [], rcps: levels },
    );
    let stmts: Stmt[] | undefined;
    hit = {
      compiled: (set.scps ?? set.rcps)!,
      stmts: (c) => (stmts ??= stmtsOf(c, set, undefined, RESOURCE_STMT_IDS * 2)),
    };
    memo.set(key, hit);
  }
  return hit;
}

/** The principal's side of the per-resource loop, cached across resources (and, in the resource view, across
 * principals whose policies are the same compiled documents). */
export interface IdentitySide {
  signatures: Signatures;
  byService: Map<string, Set<string>>;
  groups: Map<string, LevelledGroup[]>;
  splits: Splits;
  /** Only these actions (lower-case) are asked about; undefined: every action. */
  actions?: ReadonlySet<string>;
}

export function identitySideOf(catalog: ActionCatalog, compiled: CompiledPolicySet): IdentitySide {
  return identitySide(new Signatures(stmtsOf(catalog, compiled)));
}

function identitySide(signatures: Signatures, actions?: ReadonlySet<string>): IdentitySide {
  return {
    signatures,
    byService: new Map(),
    groups: new Map(),
    splits: new Map(),
    ...(actions ? { actions } : {}),
  };
}

/** What the principal of `e` can do on one known resource, or undefined when nothing. */
export function resourceAccessOf(
  catalog: ActionCatalog,
  e: Evaluator,
  analysis: SnapshotAnalysis,
  r: Resource,
  id: IdentitySide,
  notes: string[],
  supportsRcp?: (service: string) => boolean,
): ResourceAccess | undefined {
  const signatures = id.signatures;
  // The resource's side: its policy, its account, and the RCPs over that account (policy-set.ts).
  const side = resourceSideFor(analysis.snapshot, r.arn, supportsRcp);
  const policy = compiledResourcePolicy(analysis, side.resource, notes);
  const rcps = side.rcps
    ? compiledOrgLayers(analysis, 'RESOURCE_CONTROL_POLICY', side.resourceAccount ?? '', side.rcps)
    : undefined;
  const compiled =
    policy || rcps
      ? {
          ...e.compiled,
          ...(policy ? { resource: policy.compiled } : {}),
          ...(rcps ? { rcps: rcps.compiled } : {}),
        }
      : e.compiled;
  const resourceStmts = [...(policy ? policy.stmts(catalog) : []), ...(rcps ? rcps.stmts(catalog) : [])];
  if (side.resourceAccount) e.resourceAccount = side.resourceAccount;
  else delete e.resourceAccount;
  const asked = (actions: Set<string>): Set<string> =>
    id.actions ? new Set([...actions].filter((a) => id.actions!.has(a.toLowerCase()))) : actions;
  let fromIdentity = id.byService.get(r.service);
  if (!fromIdentity)
    id.byService.set(
      r.service,
      (fromIdentity = asked(candidateActions(catalog, signatures.stmts, IDENTITY, r.service))),
    );
  const byLevel = new Map<AccessLevel, ResourceGrant[]>();
  for (const target of targetsOf(r)) {
    // The identity side's groups depend only on the service and resource type: computed once.
    const cacheKey = `${r.service}|${target.type}`;
    let base = id.groups.get(cacheKey);
    if (!base) {
      const fitting = [...fromIdentity].filter((a) => metaOf(catalog, a).types.includes(target.type));
      base = [...groupActions(fitting, signatures, [], () => target.type).values()].map((g) => ({
        ...g,
        levels: byLevelOf(catalog, g.actions),
      }));
      id.groups.set(cacheKey, base);
    }
    let groups = base;
    if (resourceStmts.length > 0) {
      // Split each identity group by which resource-policy statements match its actions, and add the actions
      // only the resource policy names.
      groups = base.flatMap((g) => splitByResourceStmts(catalog, id.splits, g, resourceStmts));
      const extra = [
        ...asked(candidateActions(catalog, resourceStmts, new Set<Layer>(['resource']), r.service)),
      ].filter((a) => !fromIdentity.has(a) && metaOf(catalog, a).types.includes(target.type));
      for (const g of groupActions(extra, signatures, resourceStmts, () => target.type).values())
        groups.push({ ...g, levels: byLevelOf(catalog, g.actions) });
    }
    for (const g of groups) {
      const v = decideResource(e, g.actions[0]!, target.arn, g.stmts, compiled);
      if (!v) continue;
      // The explanation is built only when a resource-policy Allow could have matched at all.
      const viaResourcePolicy =
        g.stmts.some((s) => s.layer === 'resource' && s.statement.effect === 'Allow') &&
        v.result.explanation.layers.some(
          (l) => l.layer === 'resource' && l.statements.some((m) => m.effect === 'Allow'),
        );
      for (const [level, actions] of g.levels) {
        const grant = withVerdict(
          {
            actions,
            scope: v.pattern,
            partial: v.pattern !== target.arn,
            viaResourcePolicy,
          },
          v.result,
        );
        const list = byLevel.get(level);
        if (list) list.push(grant);
        else byLevel.set(level, [grant]);
      }
    }
  }
  if (byLevel.size === 0) return undefined;
  return {
    arn: r.arn,
    service: r.service,
    type: r.type,
    name: r.name,
    ...(policy && side.resource ? { resourcePolicyId: side.resource.id } : {}),
    levels: ACCESS_LEVELS.filter((l) => byLevel.has(l)).map((level) => ({
      level,
      grants: byLevel.get(level)!.sort((x, y) => (x.actions[0]! < y.actions[0]! ? -1 : 1)),
    })),
  };
}

function resourcesSection(
  catalog: ActionCatalog,
  e: Evaluator,
  analysis: SnapshotAnalysis,
  signatures: Signatures,
  service: string | undefined,
  notes: string[],
  supportsRcp?: (service: string) => boolean,
): ResourceAccess[] {
  const svc = service?.toLowerCase();
  const id = identitySide(signatures);
  const out: ResourceAccess[] = [];
  for (const r of analysis.snapshot.resources) {
    if (svc && r.service.toLowerCase() !== svc) continue;
    const ra = resourceAccessOf(catalog, e, analysis, r, id, notes, supportsRcp);
    if (ra) out.push(ra);
  }
  return out;
}

/**
 * What the principal can do on the known resources `arns` (those the snapshot has), only `actions` (lower-case)
 * when given: the resources section for those resources alone, every grant listed (the diff's grants on a
 * resource whose policy changed). Undefined: no such principal, or its policies do not parse.
 */
export function resourcesAccessWithCatalog(
  catalog: ActionCatalog,
  analysis: SnapshotAnalysis,
  principalArn: string,
  arns: Iterable<string>,
  actions?: ReadonlySet<string>,
  supportsRcp?: (service: string) => boolean,
): ResourceAccess[] | undefined {
  const p = prepare(catalog, analysis, principalArn, {});
  if (!p || !('e' in p)) return undefined;
  const id = identitySide(p.signatures, actions);
  const out: ResourceAccess[] = [];
  for (const arn of arns) {
    const r = analysis.lookups.resources.get(arn);
    const ra = r && resourceAccessOf(catalog, p.e, analysis, r, id, p.notes, supportsRcp);
    if (ra) out.push(ra);
  }
  return out;
}

/**
 * Whether an Allow statement could grant a request on `arn` (or part of the `bucket/*` pattern): an identity Allow
 * whose Resource overlaps it, or a resource-policy Allow that could name the principal. Conservative: true when
 * unsure, since it only decides whether to evaluate.
 */
function couldGrant(e: Evaluator, s: Stmt, arn: string): boolean {
  const st = s.statement;
  if (st.effect !== 'Allow') return false;
  if (s.layer === 'identity')
    return st.resource === undefined || st.resource.some((q) => globsOverlap(widenVariables(q), arn));
  if (s.layer !== 'resource') return false;
  const named = principalsNamed(st);
  if (named === 'all') return true;
  const { arn: own, name } = e.principal;
  const account = arnAccount(own) ?? '';
  return (
    named.arns.includes(own) ||
    named.accounts.includes(account) ||
    named.sessions.some((x) => x.account === account && x.role === name)
  );
}

/**
 * One known resource (or `bucket/*`): the ARN itself, else — for the objects of a bucket — a narrower Allow
 * pattern (`bucket/reports/*`) that is allowed, reported as partial.
 */
function decideResource(
  e: Evaluator,
  action: string,
  arn: string,
  group: Stmt[],
  compiled: CompiledPolicySet,
): ScopeVerdict | undefined {
  // Nothing can allow it without an Allow that could apply: skip the evaluation (most of 500 buckets, for a
  // principal whose grants name a few).
  if (!group.some((s) => couldGrant(e, s, arn))) return undefined;
  const result = evaluateAt(e, action, arn, compiled);
  if (result.decision !== 'DENIED') return { pattern: arn, result, cuts: [] };
  if (!arn.includes('*')) return undefined;
  for (const s of group) {
    if (s.statement.effect !== 'Allow' || (s.layer !== 'identity' && s.layer !== 'resource')) continue;
    for (const q of s.statement.resource ?? []) {
      if (q === arn || globMatches(widenVariables(q), arn) || !globsOverlap(widenVariables(q), arn)) continue;
      const v = decideScope(e, action, q, group, compiled);
      if (v) return v;
    }
  }
  return undefined;
}

/** How one principal's requests are evaluated (its compiled set, its session, the query's context). */
export function evaluatorFor(
  principal: Principal,
  compiled: CompiledPolicySet,
  query: Pick<AccessQuery, 'context' | 'strictContext'>,
  at: string | undefined,
): Evaluator {
  const context = { ...(query.context ?? {}) };
  // A role session's aws:PrincipalArn is the role ARN with its path (as in who-can).
  if (principal.kind === 'role' && !Object.keys(context).some((k) => k.toLowerCase() === 'aws:principalarn'))
    context['aws:PrincipalArn'] = principal.arn;
  return {
    compiled,
    principal,
    asked: askedBy(principal, at),
    context,
    strict: query.strictContext === true,
    count: 0,
  };
}

export async function access(
  analysis: SnapshotAnalysis,
  principalArn: string,
  query: AccessQuery = {},
): Promise<AccessAnswer | undefined> {
  const supportsRcp = hasRcps(analysis.snapshot) ? await rcpSupport() : undefined;
  return accessWithCatalog(await loadCatalog(), analysis, principalArn, query, supportsRcp);
}

export function accessWithCatalog(
  catalog: ActionCatalog,
  analysis: SnapshotAnalysis,
  principalArn: string,
  query: AccessQuery = {},
  /** policy-set.ts `rcpSupport()`: which services RCPs apply to; without it none are applied. */
  supportsRcp?: (service: string) => boolean,
): AccessAnswer | undefined {
  const p = prepare(catalog, analysis, principalArn, query);
  if (!p) return undefined;
  const { base, notes } = p;
  if (!('e' in p)) return { ...base, services: [], resources: [], evaluations: 0, notes };
  const { e, signatures } = p;
  const services = servicesSection(catalog, e, signatures, query.service);
  const resources =
    query.sections === 'services'
      ? []
      : resourcesSection(catalog, e, analysis, signatures, query.service, notes, supportsRcp);
  return { ...base, services, resources, evaluations: e.count, notes };
}

const IDENTITY: ReadonlySet<Layer> = new Set<Layer>(['identity']);

/**
 * What both answers start from: the principal, the notes on what is missing, and its compiled evaluator and
 * statement signatures — or only the notes when a policy does not parse. Undefined: no such principal.
 */
export function prepare(
  catalog: ActionCatalog,
  analysis: SnapshotAnalysis,
  principalArn: string,
  query: AccessQuery,
):
  | { base: Pick<AccessAnswer, 'principal' | 'evaluatedAs'>; notes: string[] }
  | {
      base: Pick<AccessAnswer, 'principal' | 'evaluatedAs'>;
      notes: string[];
      e: Evaluator;
      signatures: Signatures;
    }
  | undefined {
  const snapshot = analysis.snapshot;
  const l = analysis.lookups;
  const principal = l.principals.get(principalArn);
  const set = principal && principalPolicySet(snapshot, principal.arn);
  if (!principal || !set) return undefined;
  const notes: string[] = [];
  const base = {
    principal: { arn: principal.arn, name: principal.name, kind: principal.kind },
    evaluatedAs: requestPrincipalOf(principal),
  };
  if (principal.permissionsBoundary && !set.boundary)
    notes.push(
      `permissions boundary ${principal.permissionsBoundary} is not in the snapshot: its limits are not applied, so this may over-claim`,
    );
  const groups =
    principal.kind === 'user' ? snapshot.groups.filter((g) => principal.groups.includes(g.arn)) : [];
  const absent = [principal, ...groups].flatMap((x) => x.attachedPolicies.filter((a) => !l.policies.has(a)));
  if (absent.length > 0)
    notes.push(`attached policies not in the snapshot, their grants are not listed: ${absent.join(', ')}`);
  // SCPs not collected, or the organization unknown for a member account (completeness.ts), as who-can says it.
  notes.push(...answerWarnings(snapshot, [principal.arn]));
  let compiled: CompiledPolicySet;
  try {
    compiled = compilePolicySet(set);
  } catch (err) {
    if (!(err instanceof PolicyParseError)) throw err;
    return { base, notes: [...notes, err.message] };
  }
  const e = evaluatorFor(principal, compiled, query, snapshot.collectedAt);
  return { base, notes, e, signatures: new Signatures(stmtsOf(catalog, compiled)) };
}
