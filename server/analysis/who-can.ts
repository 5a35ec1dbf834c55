/**
 * who-can: every user and role whose request `action` on `resource` would be ALLOWED or CONDITIONAL, with the
 * statements that decided it and the path by which each policy applies (user → group → policy → Statement[i]).
 *
 * Pure analysis over a SnapshotAnalysis. The candidate index (candidate-index.ts) is built once per analysis; a
 * query evaluates only the candidates for the action's service plus the principals the resource policy could
 * name. Why Neo4j answers from a snapshot read back once: README.md, "who-can on Neo4j".
 */
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import {
  arnAccount,
  compilePolicySet,
  evaluateCompiled,
  hasWildcard,
  loadCatalog,
  parsePolicy,
  permissionRequired,
  readsCallerIdentity,
  renderCondition,
  ruleDependsOnResource,
  summarizeResult,
  type CompiledPolicySet,
  type ConditionExpr,
  type Decision,
  type EvaluationResult,
  type Layer,
  type Policy,
  type PolicyInput,
  type StatementMatch,
} from '../engine/index.ts';
import {
  askedBy,
  buildCandidateIndex,
  deriveCandidateIndex,
  type CandidateIndex,
  type IndexedPrincipal,
} from './candidate-index.ts';
import { policyNames } from './policy-principals.ts';
import { policiesOf, ResourcePatterns } from './resource-patterns.ts';
import { memoKey, SnapshotAnalysis } from './snapshot-analysis.ts';
import { hasRcps, orgContextFor, principalPolicySet, rcpSupport, resourceSideFor } from './policy-set.ts';
import { answerWarnings } from './completeness.ts';

export type ContextValues = Record<string, string | string[]>;

export interface WhoCanQuery {
  /** `svc:Action`, or a pattern (`s3:Put*`) answered per matching catalog action. */
  action: string;
  /** ARN (an S3 object ARN finds its bucket's policy). */
  resource: string;
  context?: ContextValues;
  /** Also list the principals that are DENIED, with why (evaluates every principal, not only candidates). */
  includeDenied?: boolean;
  /** The context is complete: keys not given are absent (AWS semantics) and nothing is CONDITIONAL. */
  strictContext?: boolean;
  /** Also list principals that reach the permission by assuming a role that has it (see `withIndirect`). */
  includeIndirect?: boolean;
  /** Role hops followed for `includeIndirect` (default 3). */
  maxDepth?: number;
}

export interface MatchedStatement {
  layer: Layer;
  level?: number;
  effect: 'Allow' | 'Deny';
  policyId: string;
  policyName?: string;
  statementIndex: number;
  sid?: string;
  /** The attachment path from the principal: `[user ARN, group ARN]`; empty for the resource policy. */
  attachedVia: string[];
  /** Only under a residual condition. */
  conditional: boolean;
  /** `user alice → group Engineering → AmazonS3FullAccess → Statement[0]`. */
  path: string;
}

export interface WhoCanEntry {
  principal: { arn: string; name: string; kind: 'user' | 'role' };
  /** The ARN the request was evaluated as (a role session for roles). */
  evaluatedAs: string;
  action: string;
  decision: Decision;
  /** When CONDITIONAL: the condition under which it is allowed, rendered. */
  conditions?: string;
  residual?: ConditionExpr;
  deniedBy?: EvaluationResult['deniedBy'];
  /** One line: `ALLOWED`, `ALLOWED if aws:SecureTransport = true`, `DENIED: no Allow in …`. */
  summary: string;
  /** Statements that matched, Allow and Deny, every layer (for an indirect entry: of its first hop). */
  matched: MatchedStatement[];
  /** Reached by assuming roles, not by its own policies. */
  indirect?: boolean;
  /** For an indirect entry, ARNs from the principal through each role assumed to the role holding the permission. */
  path?: string[];
}

export interface WhoCanAnswer {
  /** The concrete actions asked (the pattern expanded through the catalog). */
  actions: string[];
  entries: WhoCanEntry[];
  /** The resource policy applied, if the snapshot has one for the resource. */
  resourcePolicyId?: string;
  /** Principals evaluated / in the snapshot: how much the index saved. */
  evaluated: number;
  principals: number;
  /**
   * Things the answer could not account for (unknown action, principals whose policies did not parse), and
   * completeness warnings (`incomplete: …`: SCPs, RCPs or the resource policy not collected).
   */
  notes: string[];
}

/** Resolves `s3:Put*` to the catalog's actions; a literal action is answered as given. */
export async function expandActions(action: string): Promise<string[]> {
  if (!hasWildcard(action)) return [action];
  const catalog = await loadCatalog();
  return catalog.expandAction(action);
}

const CANDIDATE_INDEX = memoKey<CandidateIndex>('who-can: candidate index');

/**
 * The analysis's who-can candidate index, built once: derived from the base analysis's when this one is a
 * what-if's "after" and the base's is built (compiling only the overlay's affected principals).
 */
export function candidateIndex(analysis: SnapshotAnalysis): CandidateIndex {
  return analysis.memo(CANDIDATE_INDEX, () => {
    const d = analysis.derivation;
    const base = d?.from.peek(CANDIDATE_INDEX);
    return d && base
      ? deriveCandidateIndex(base, analysis.snapshot, d.overlay.affected, principalPolicySet)
      : buildCandidateIndex(analysis.snapshot, principalPolicySet);
  });
}

/** The snapshot's who-can index (kept by its SnapshotAnalysis). */
export function candidateIndexOf(snapshot: AccountSnapshot): CandidateIndex {
  return candidateIndex(SnapshotAnalysis.of(snapshot));
}

export async function whoCan(analysis: SnapshotAnalysis, query: WhoCanQuery): Promise<WhoCanAnswer> {
  const actions = await expandActions(query.action);
  const supportsRcp = hasRcps(analysis.snapshot) ? await rcpSupport() : undefined;
  const answer = whoCanActions(analysis, actions, query, supportsRcp);
  return query.includeIndirect ? withIndirect(analysis, answer, query, supportsRcp) : answer;
}

export const DEFAULT_INDIRECT_DEPTH = 3;

/**
 * Indirect access: principals that get the permission by assuming a role that has it (id_roles_use), found
 * backwards from the roles in the direct answer — who can `sts:AssumeRole` on each (its trust policy is the
 * resource policy there, so who-can's own evaluation decides each hop), then who can assume those, breadth
 * first up to `maxDepth` hops. A principal already answered directly, or reached by a shorter chain, is not
 * repeated; a chain never revisits a principal (cycles). An entry is CONDITIONAL when any hop or the final
 * permission is, under all their conditions together. Every hop is evaluated with the query's context: AWS drops
 * some keys on chained sessions (aws:MultiFactorAuthPresent is absent after role chaining — id_roles_terms-and-
 * concepts "role chaining"), which the answer cannot know, so a note says so.
 */
export function withIndirect(
  analysis: SnapshotAnalysis,
  answer: WhoCanAnswer,
  query: WhoCanQuery,
  supportsRcp?: (service: string) => boolean,
): WhoCanAnswer {
  const maxDepth = query.maxDepth ?? DEFAULT_INDIRECT_DEPTH;
  const assumers = new Map<string, WhoCanEntry[]>();
  const assumersOf = (roleArn: string): WhoCanEntry[] => {
    let list = assumers.get(roleArn);
    if (!list) {
      list = whoCanActions(
        analysis,
        ['sts:AssumeRole'],
        {
          action: 'sts:AssumeRole',
          resource: roleArn,
          ...(query.context ? { context: query.context } : {}),
          ...(query.strictContext ? { strictContext: true } : {}),
        },
        supportsRcp,
      ).entries.filter((e) => e.decision !== 'DENIED');
      assumers.set(roleArn, list);
    }
    return list;
  };
  interface Reach {
    /** From the current principal to the holder. */
    path: string[];
    residuals: ConditionExpr[];
    conditional: boolean;
  }
  const indirect: WhoCanEntry[] = [];
  let chained = false;
  for (const action of answer.actions) {
    const direct = answer.entries.filter((e) => e.action === action && e.decision !== 'DENIED');
    const known = new Set(direct.map((e) => e.principal.arn));
    let frontier: Reach[] = direct
      .filter((e) => e.principal.kind === 'role')
      .map((e) => ({
        path: [e.principal.arn],
        residuals: e.residual ? [e.residual] : [],
        conditional: e.decision === 'CONDITIONAL',
      }));
    for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
      const next: Reach[] = [];
      for (const r of frontier)
        for (const a of assumersOf(r.path[0]!)) {
          const arn = a.principal.arn;
          if (r.path.includes(arn) || known.has(arn)) continue;
          known.add(arn);
          const reach: Reach = {
            path: [arn, ...r.path],
            residuals: a.residual ? [a.residual, ...r.residuals] : r.residuals,
            conditional: r.conditional || a.decision === 'CONDITIONAL',
          };
          if (reach.path.length > 2) chained = true;
          const residual: ConditionExpr | undefined =
            reach.residuals.length === 0
              ? undefined
              : reach.residuals.length === 1
                ? reach.residuals[0]
                : { and: reach.residuals };
          const via = reach.path.slice(1).map(shortName).join(' → ');
          indirect.push({
            principal: a.principal,
            evaluatedAs: a.evaluatedAs,
            action,
            decision: reach.conditional ? 'CONDITIONAL' : 'ALLOWED',
            ...(residual ? { conditions: renderCondition(residual), residual } : {}),
            summary: `${reach.conditional ? 'CONDITIONAL' : 'ALLOWED'} by assuming ${via}`,
            matched: a.matched,
            indirect: true,
            path: reach.path,
          });
          if (a.principal.kind === 'role') next.push(reach);
        }
      frontier = next;
    }
  }
  const notes = [...answer.notes];
  if (chained)
    notes.push(
      'indirect chains of more than one role are role chaining: AWS drops aws:MultiFactorAuthPresent (and other session keys) on chained sessions, which conditions on them may not survive',
    );
  return { ...answer, entries: [...answer.entries, ...indirect], notes };
}

/**
 * Which principals the resource policy could grant without an identity Allow (policy-principals.ts): those it
 * names (user ARN, role ARN, a session of the role), or everyone. Naming an account (`123456789012`, `:root`)
 * delegates to identity policies (reference_policies_elements_principal), which the index already covers.
 */
export function resourceCandidates(index: CandidateIndex, policy: Policy): IndexedPrincipal[] | 'all' {
  const named = policyNames(policy);
  if (named === 'all') return 'all';
  const out: IndexedPrincipal[] = [];
  for (const arn of named.arns) {
    const exact = index.byArn.get(arn);
    if (exact) out.push(exact);
  }
  if (named.sessions.length > 0) {
    const roles = new Set(named.sessions.map((s) => s.role));
    for (const p of index.principals)
      if (p.principal.kind === 'role' && roles.has(p.principal.name)) out.push(p);
  }
  return out;
}

/** The engine's role-trust actions (services/sts.ts): the trust policy must allow them. */
const TRUST_ACTION =
  /^sts:(assumerole|assumerolewithsaml|assumerolewithwebidentity|tagsession|setsourceidentity|setcontext)$/i;

/** A role's trust policy, as the resource policy of a request on the role (the id simulate uses too). */
export function trustPolicyFor(snapshot: AccountSnapshot, roleArn: string): PolicyInput | undefined {
  if (!/^arn:[^:]+:iam::\d{12}:role\//.test(roleArn)) return undefined;
  const role = snapshot.roles.find((r) => r.arn === roleArn);
  return role
    ? { id: `${role.arn}#trust-policy`, name: `${role.name} trust policy`, document: role.trustPolicy }
    : undefined;
}

/** A compiled resource or trust layer and the document it was compiled from. */
interface ResourceLayer {
  document: string;
  compiled: CompiledPolicySet['resource'];
  named: IndexedPrincipal[] | 'all';
}

/** who-can's resource and trust layers, by policy id. */
const RESOURCE_LAYERS = memoKey<Map<string, ResourceLayer>>('who-can: resource layers');

/** A resource or trust policy compiled once per analysis, with the principals it could grant directly. */
function resourceLayer(analysis: SnapshotAnalysis, input: PolicyInput): ResourceLayer {
  const document = typeof input.document === 'string' ? input.document : JSON.stringify(input.document);
  const layers = analysis.memo(RESOURCE_LAYERS, () => new Map());
  const hit = layers.get(input.id);
  if (hit && hit.document === document) return hit;
  const compiled = compilePolicySet({ identity: [], resource: input }).resource;
  const parsed = parsePolicy(document, { kind: 'resource' }).policy;
  const named = parsed ? resourceCandidates(candidateIndex(analysis), parsed) : ('all' as const);
  const entry = { document, compiled, named };
  layers.set(input.id, entry);
  return entry;
}

function withResource(
  compiled: CompiledPolicySet,
  resource: CompiledPolicySet['resource'],
  rcps: CompiledPolicySet['rcps'],
): CompiledPolicySet {
  if (!resource && !rcps) return compiled;
  return { ...compiled, ...(resource ? { resource } : {}), ...(rcps ? { rcps } : {}) };
}

function shortName(arn: string): string {
  return arn.split('/').pop() ?? arn;
}

function kindOfArn(arn: string): string {
  const m = /:(user|group|role|policy)\//.exec(arn);
  return m ? m[1]! : '';
}

/** `user alice → group Engineering → AmazonS3FullAccess → Statement[0]` (effective permissions reuse it). */
export function renderPath(
  m: Pick<StatementMatch, 'policyId' | 'policyName' | 'statementIndex' | 'sid' | 'attachedVia'>,
  layer: Layer,
): string {
  const statement = `Statement[${m.statementIndex}]${m.sid ? ` "${m.sid}"` : ''}`;
  const policy = m.policyId.includes('#inline/')
    ? `inline ${m.policyName ?? m.policyId.split('#inline/')[1]}`
    : (m.policyName ?? shortName(m.policyId));
  if (layer === 'resource') return `resource policy ${m.policyId} → ${statement}`;
  const via = (m.attachedVia ?? []).map((a) => `${kindOfArn(a)} ${shortName(a)}`.trim());
  const prefix = layer === 'identity' ? '' : `${layer} `;
  return [...via, `${prefix}${policy}`, statement].join(' → ');
}

/** The statements the evaluation matched, every layer, in explanation order; `keep` narrows them (e.g. to Allows). */
export function matchedStatements(
  result: EvaluationResult,
  keep: (layer: Layer, m: StatementMatch) => boolean = () => true,
): MatchedStatement[] {
  return result.explanation.layers.flatMap((l) =>
    l.statements
      .filter((m) => keep(l.layer, m))
      .map((m) => ({
        layer: l.layer,
        ...(l.level !== undefined ? { level: l.level } : {}),
        effect: m.effect,
        policyId: m.policyId,
        ...(m.policyName ? { policyName: m.policyName } : {}),
        statementIndex: m.statementIndex,
        ...(m.sid ? { sid: m.sid } : {}),
        attachedVia: m.attachedVia ?? [],
        conditional: m.conditional,
        path: renderPath(m, l.layer),
      })),
  );
}

/** `context` plus the derived keys it does not already give (condition keys are case-insensitive). */
function withDerived(context: ContextValues, derived: ContextValues): ContextValues {
  const missing = Object.entries(derived).filter(([k]) => !hasKey(context, k));
  return missing.length === 0 ? context : { ...context, ...Object.fromEntries(missing) };
}

function hasKey(context: ContextValues, key: string): boolean {
  const lower = key.toLowerCase();
  return Object.keys(context).some((k) => k.toLowerCase() === lower);
}

/** What two questions with the same `answerKey` share: the entries (never mutated) and the count evaluated. */
interface SharedAnswer {
  entries: WhoCanEntry[];
  evaluated: number;
}

/**
 * who-can's answers by `answerKey`, least recently used first: at most `KEPT_ANSWERS` answers and, past the most
 * recent one, `KEPT_ENTRIES` entries in all (an answer on a public resource lists every principal).
 */
const ANSWERS = memoKey<Map<string, SharedAnswer>>('who-can: answers by matched resource patterns');
const KEPT_ANSWERS = 32;
const KEPT_ENTRIES = 50_000;

/** The Resource/NotResource patterns of every indexed principal's statements that can apply to a service. */
const IDENTITY_PATTERNS = memoKey<Map<string, ResourcePatterns>>("who-can: principals' resource patterns");

function principalPatterns(analysis: SnapshotAnalysis, service: string): ResourcePatterns {
  const byService = analysis.memo(IDENTITY_PATTERNS, () => new Map());
  let patterns = byService.get(service);
  if (!patterns) {
    patterns = new ResourcePatterns(service);
    for (const c of candidateIndex(analysis).principals)
      for (const policy of policiesOf(c.compiled)) patterns.add(policy);
    byService.set(service, patterns);
  }
  return patterns;
}

/**
 * What decides a who-can answer besides the snapshot: the actions, the question's options and context, the
 * resource's side (its policy, trust policy, account, whether RCPs apply) and which of the statements' resource
 * patterns the resource matches (resource-patterns.ts). Questions about objects of one bucket that its policies
 * treat alike share one answer. The resource ARN itself is part of the key when a service rule reads it or a
 * pattern with a policy variable could match it.
 */
function answerKey(
  analysis: SnapshotAnalysis,
  actions: readonly string[],
  query: WhoCanQuery,
  side: ReturnType<typeof resourceSideFor>,
  resourceSide: (CompiledPolicySet['resource'] | undefined)[],
): string {
  const options = JSON.stringify([
    actions,
    query.context ?? {},
    query.includeDenied === true,
    query.strictContext === true,
    side.resourceAccount ?? null,
    side.rcps !== undefined,
    resourceSide.map((p) => p?.source.id ?? null),
  ]);
  const byResource = `${options}\n=${query.resource}`;
  if (actions.some(ruleDependsOnResource)) return byResource;
  const signatures: string[] = [];
  for (const service of new Set(actions.map((a) => (a.split(':')[0] ?? '').toLowerCase()))) {
    const own = new ResourcePatterns(service);
    for (const p of resourceSide) own.add(p);
    const principals = principalPatterns(analysis, service).signature(query.resource);
    const resource = own.signature(query.resource);
    if (principals === undefined || resource === undefined) return byResource;
    signatures.push(`${service}:${principals};${resource}`);
  }
  return `${options}\n${signatures.join('\n')}`;
}

/**
 * Callers the policies cannot tell apart: principals of one kind, account and ARN path whose layers hold the same
 * compiled policies attached the same way, their own ARN aside (a user's inline policy id and attachment path
 * start with it). When none of those policies reads the caller's identity for the action (the engine's
 * `readsCallerIdentity`), such principals get the same evaluation, and the explanation differs only where it names
 * the principal. `classOf` numbers the classes (memo of the analysis): each string and policy of the layers is
 * numbered once, and a class is the list of those numbers.
 */
interface PrincipalClass {
  id: number;
  policies: CompiledPolicy[];
}
type CompiledPolicy = CompiledPolicySet['identity'][number];

interface Classes {
  of: Map<IndexedPrincipal, PrincipalClass | undefined>;
  numbers: Map<unknown, number>;
  ids: Map<string, number>;
}
const CLASSES = memoKey<Classes>('who-can: principals evaluated alike');

function classOf(analysis: SnapshotAnalysis, c: IndexedPrincipal): PrincipalClass | undefined {
  const memo = analysis.memo(CLASSES, () => ({ of: new Map(), numbers: new Map(), ids: new Map() }));
  if (memo.of.has(c)) return memo.of.get(c);
  const { arn, name } = c.principal;
  let found: PrincipalClass | undefined;
  if (arn.endsWith(`/${name}`)) {
    const numbers: number[] = [];
    const number = (x: unknown) => {
      let n = memo.numbers.get(x);
      if (n === undefined) memo.numbers.set(x, (n = memo.numbers.size));
      numbers.push(n);
    };
    // The principal's own ARN is -1, and an id under it (its inline policies) -1 then the rest.
    const own = (s: string) => {
      if (s === arn) numbers.push(-1);
      else if (s.startsWith(`${arn}#`)) {
        numbers.push(-1);
        number(s.slice(arn.length));
      } else number(s);
    };
    // The ARN without the name: partition, account, kind and path.
    number(arn.slice(0, arn.length - name.length));
    const set = c.compiled;
    const policies: CompiledPolicy[] = [];
    const layer = (marker: number, list: readonly CompiledPolicy[]) => {
      numbers.push(marker);
      for (const policy of list) {
        policies.push(policy);
        numbers.push(-7);
        number(policy.policy);
        own(policy.source.id);
        number(policy.source.name);
        for (const via of policy.source.attachedVia ?? []) own(via);
      }
    };
    layer(-2, set.identity);
    if (set.boundary) layer(-3, [set.boundary]);
    for (const level of set.scps ?? []) layer(-4, level);
    for (const level of set.rcps ?? []) layer(-5, level);
    if (set.session) layer(-6, [set.session]);
    const key = numbers.join(',');
    let id = memo.ids.get(key);
    if (id === undefined) memo.ids.set(key, (id = memo.ids.size));
    found = { id, policies };
  }
  memo.of.set(c, found);
  return found;
}

/** The entry of the principal an evaluation was made for, and what of it names that principal. */
interface Template {
  arn: string;
  entry: WhoCanEntry;
  /** Indexes into `entry.matched` of the statements attached through the principal itself. */
  own: number[];
}

/** A class left out of the answer (DENIED, and the query does not list the denied). */
const DENIED = Symbol('denied');

function template(entry: WhoCanEntry): Template | undefined {
  const arn = entry.principal.arn;
  // A summary naming the principal (a Deny in its own unnamed inline policy) is not rewritten: no template.
  if (entry.summary.includes(arn)) return undefined;
  const own: number[] = [];
  entry.matched.forEach((m, i) => {
    if (m.attachedVia[0] === arn || m.policyId.startsWith(`${arn}#`)) own.push(i);
  });
  return { arn, entry, own };
}

/** `t`'s entry for another principal of its class: the statements attached through it re-attached to `c`. */
function fromTemplate(t: Template, c: IndexedPrincipal): WhoCanEntry {
  const p = c.principal;
  let matched = t.entry.matched;
  if (t.own.length > 0) {
    matched = [...matched];
    const own = (s: string) =>
      s === t.arn ? p.arn : s.startsWith(`${t.arn}#`) ? p.arn + s.slice(t.arn.length) : s;
    for (const i of t.own) {
      const m = matched[i]!;
      const rebased = { ...m, policyId: own(m.policyId), attachedVia: m.attachedVia.map(own) };
      matched[i] = { ...rebased, path: renderPath(rebased, m.layer) };
    }
  }
  return {
    ...t.entry,
    principal: { arn: p.arn, name: p.name, kind: p.kind },
    evaluatedAs: c.requestPrincipal,
    matched,
  };
}

/**
 * `supportsRcp` (policy-set.ts `rcpSupport()`, async) says which services RCPs apply to; without it, RCPs are
 * not applied. Answers are shared between questions with the same `answerKey`, and within an answer between the
 * principals of one `classOf` class when the resource's side does not read the caller's identity either.
 */
export function whoCanActions(
  analysis: SnapshotAnalysis,
  actions: string[],
  query: WhoCanQuery,
  supportsRcp?: (service: string) => boolean,
): WhoCanAnswer {
  const snapshot = analysis.snapshot;
  const index = candidateIndex(analysis);
  const notes: string[] = [];
  if (actions.length === 0) notes.push(`no action in the catalog matches \`${query.action}\``);
  for (const f of index.failures) notes.push(`${f.arn} left out: ${f.message}`);
  const side = resourceSideFor(snapshot, query.resource, supportsRcp);
  const resourceInput: PolicyInput | undefined = side.resource;
  // RCPs are the resource's: the same for every principal, compiled once per query.
  const rcpsCompiled = side.rcps ? compilePolicySet({ identity: [], rcps: side.rcps }).rcps : undefined;
  const defaultLayer = resourceInput
    ? resourceLayer(analysis, resourceInput)
    : { compiled: undefined, named: [] as IndexedPrincipal[] };
  // sts:AssumeRole (and its family) on a role: the role's trust policy is the resource policy
  // (id_roles_use_permissions-to-switch), and the engine requires it to allow.
  const trustInput = trustPolicyFor(snapshot, query.resource);
  const trustLayer = trustInput ? resourceLayer(analysis, trustInput) : undefined;
  const context = query.context ?? {};
  const key = answerKey(analysis, actions, query, side, [
    defaultLayer.compiled,
    trustLayer?.compiled,
    ...(rcpsCompiled?.flat() ?? []),
  ]);
  const answers = analysis.memo(ANSWERS, () => new Map());
  let shared = answers.get(key);
  answers.delete(key);
  if (!shared) {
    const entries: WhoCanEntry[] = [];
    const evaluatedSet = new Set<IndexedPrincipal>();
    for (const action of actions) {
      const service = action.split(':')[0] ?? '';
      const { compiled: resourceCompiled, named } =
        trustLayer && TRUST_ACTION.test(action) ? trustLayer : defaultLayer;
      const reads = (p: CompiledPolicy) => readsCallerIdentity(p, action);
      const templates =
        (resourceCompiled && reads(resourceCompiled)) || (rcpsCompiled?.flat() ?? []).some(reads)
          ? undefined
          : new Map<number, Template | typeof DENIED | undefined>();
      let candidates: IndexedPrincipal[];
      // An action that needs no permission (sts:GetCallerIdentity) is allowed to everyone, policies or not.
      if (query.includeDenied || named === 'all' || !permissionRequired(action))
        candidates = index.principals;
      else if (named.length === 0) candidates = index.candidatesFor(service);
      else {
        const set = new Set([...index.candidatesFor(service), ...named]);
        candidates = index.principals.filter((p) => set.has(p));
      }
      for (const c of candidates) {
        evaluatedSet.add(c);
        const p = c.principal;
        const cls = templates && classOf(analysis, c);
        const sk = cls && !cls.policies.some(reads) ? cls.id : undefined;
        const t = sk !== undefined ? templates!.get(sk) : undefined;
        if (t === DENIED) continue;
        if (t) {
          entries.push(fromTemplate(t, c));
          continue;
        }
        // A role session's aws:PrincipalArn is the role ARN (reference_policies_condition-keys#condition-keys-principalarn);
        // the engine derives it without the role's path, so the full ARN is given here. The organization keys
        // (aws:PrincipalOrgID, …) come from the org data. What the caller gives wins.
        const derived: ContextValues = orgContextFor(snapshot, arnAccount(p.arn) ?? '', side.resourceAccount);
        if (p.kind === 'role') derived['aws:PrincipalArn'] = p.arn;
        const ctx = withDerived(context, derived);
        const result = evaluateCompiled(
          {
            ...askedBy(p, c.at),
            action,
            resource: query.resource,
            ...(side.resourceAccount ? { resourceAccount: side.resourceAccount } : {}),
            context: ctx,
            ...(query.strictContext ? { strictContext: true } : {}),
          },
          withResource(c.compiled, resourceCompiled, rcpsCompiled),
        );
        if (result.decision === 'DENIED' && !query.includeDenied) {
          if (sk !== undefined) templates!.set(sk, DENIED);
          continue;
        }
        const entry: WhoCanEntry = {
          principal: { arn: p.arn, name: p.name, kind: p.kind },
          evaluatedAs: c.requestPrincipal,
          action,
          decision: result.decision,
          ...(result.conditions
            ? { conditions: renderCondition(result.conditions), residual: result.conditions }
            : {}),
          ...(result.deniedBy ? { deniedBy: result.deniedBy } : {}),
          summary: summarizeResult(result),
          matched: matchedStatements(result),
        };
        if (sk !== undefined) templates!.set(sk, template(entry));
        entries.push(entry);
      }
    }
    shared = { entries, evaluated: evaluatedSet.size };
  }
  answers.set(key, shared);
  let kept = 0;
  for (const a of answers.values()) kept += a.entries.length;
  while (answers.size > 1 && (answers.size > KEPT_ANSWERS || kept > KEPT_ENTRIES)) {
    const oldest = answers.keys().next().value as string;
    kept -= answers.get(oldest)!.entries.length;
    answers.delete(oldest);
  }
  const { entries, evaluated } = shared;
  notes.push(
    ...answerWarnings(
      snapshot,
      entries.map((e) => e.principal.arn),
      { arn: query.resource, ...(side.resourceAccount ? { account: side.resourceAccount } : {}) },
    ),
  );
  return {
    actions,
    entries,
    ...(trustInput && actions.some((a) => TRUST_ACTION.test(a))
      ? { resourcePolicyId: trustInput.id }
      : resourceInput
        ? { resourcePolicyId: resourceInput.id }
        : {}),
    evaluated,
    principals: index.principals.length,
    notes,
  };
}
