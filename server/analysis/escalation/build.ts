/**
 * The edge builder: every CAN_ASSUME and CAN_ESCALATE edge of a snapshot, and its admin-equivalent principals,
 * each decided by the engine per principal — all of its policies together (an escalation split over two
 * policies is found), explicit denies, its boundary and its SCPs (`principalPolicySet`) — with residual
 * conditions kept on the edge and the Allow statements that grant each needed permission as evidence. How it
 * avoids principals × principals × techniques, and the choices it makes: README.md, "The builder".
 */
import type { AccountSnapshot, IamGroup, IamRole, IamUser, Principal } from '../../../schema/snapshot.ts';
import { defaultDocument } from '../../../schema/snapshot.ts';
import {
  arnAccount,
  compileGlob,
  compilePolicySet,
  evaluateCompiled,
  globMatches,
  hasWildcard,
  isProtectedRole,
  type CompiledPolicySet,
  type EvaluationResult,
  type PolicyInput,
  type StringPredicate,
} from '../../engine/index.ts';
import { widenVariables } from '../arn-patterns.ts';
import type { CandidateIndex, IndexedPrincipal } from '../candidate-index.ts';
import { candidateIndexOf, type MatchedStatement } from '../who-can.ts';
import {
  ADMIN_PROBE_ACTIONS,
  adminVerdictOf,
  Conjunction,
  deleteBoundaryAction,
  evaluateAs,
} from './admin.ts';
import {
  ADMIN,
  type AdminVerdict,
  type EscalationEdge,
  type EscalationGraph,
  type FanOutEdge,
  trustPolicyName,
} from './graph.ts';
import { loadTechniques } from './techniques/load.ts';
import type { Requirement, TechniqueRule } from './techniques/rules.ts';

export const ASSUME_TECHNIQUE = 'sts:AssumeRole';

export interface BuildOptions {
  /** The technique catalog; default: `loadTechniques()` (pathfinding.cloud + ours). */
  techniques?: TechniqueRule[];
  /** Called after each phase (`admins`, `assume`, then each technique id) for progress bars. */
  onProgress?: (done: number, total: number, phase: string) => void;
}

export async function buildEscalationGraph(
  snapshot: AccountSnapshot,
  options: BuildOptions = {},
): Promise<EscalationGraph> {
  const techniques = options.techniques ?? (await loadTechniques());
  return buildEscalationGraphWith(snapshot, techniques, options.onProgress);
}

type Compiled = CompiledPolicySet['identity'][number];
type TrustLayer = CompiledPolicySet['resource'];

/** A role's trust policy evaluated for a service principal (null: the policy does not compile), per role object. */
const serviceTrust = new WeakMap<IamRole, Map<string, EvaluationResult | null>>();

/** Everything the techniques share for one snapshot, computed once. */
class Builder {
  readonly index: CandidateIndex;
  readonly edges: EscalationEdge[] = [];
  readonly fanOut: FanOutEdge[] = [];
  readonly admins = new Map<string, AdminVerdict>();
  readonly roles: IamRole[];
  readonly users: IamUser[];
  readonly groups: Map<string, IamGroup>;
  /**
   * (source ARN) → (role ARN) → the CAN_ASSUME evaluation, when not DENIED; a function for an answer known
   * alike from another caller, evaluated when a technique reads it (`assumeResult`).
   */
  readonly assume = new Map<string, Map<string, EvaluationResult | (() => EvaluationResult)>>();

  assumeResult(from: string, role: string): EvaluationResult | undefined {
    const m = this.assume.get(from);
    const r = m?.get(role);
    if (typeof r !== 'function') return r;
    const result = r();
    m!.set(role, result);
    return result;
  }
  private readonly trust = new Map<string, TrustLayer | null>();
  private readonly trusting = new Map<string, { role: IamRole; result: EvaluationResult }[]>();
  private readonly groupCompiled = new Map<string, Compiled[] | null>();

  /**
   * Every (source, target) pair asked of the engine, no class shortcuts: the reference the property tests hold
   * the class-based build to.
   */
  constructor(
    readonly snapshot: AccountSnapshot,
    readonly perPair = false,
  ) {
    this.index = candidateIndexOf(snapshot);
    this.roles = snapshot.roles;
    this.users = snapshot.users;
    this.groups = new Map(snapshot.groups.map((g) => [g.arn, g]));
  }

  /** What CAN_ASSUME reads of the whole snapshot (`assumePlan`), computed on first use. */
  plan?: AssumePlan;

  private byAccount?: Map<string, IndexedPrincipal[]>;

  /** The index's principals of `account`, in index order. */
  principalsOf(account: string): IndexedPrincipal[] {
    if (!this.byAccount) {
      this.byAccount = new Map();
      for (const p of this.index.principals) pushTo(this.byAccount, accountOf(p.principal.arn), p);
    }
    return this.byAccount.get(account) ?? [];
  }

  /** The accounts of the index's principals, in the order their first principal comes. */
  accounts(): string[] {
    this.principalsOf('');
    return [...this.byAccount!.keys()];
  }

  private readonly candidatesByAccount = new Map<string, Map<string, IndexedPrincipal[]>>();

  /** `index.candidatesFor(service)` of `account`, in the same order. */
  candidatesIn(service: string, account: string): IndexedPrincipal[] {
    let m = this.candidatesByAccount.get(service);
    if (!m) {
      this.candidatesByAccount.set(service, (m = new Map()));
      for (const c of this.index.candidatesFor(service)) pushTo(m, accountOf(c.principal.arn), c);
    }
    return m.get(account) ?? [];
  }

  /**
   * Forget what only the sources of one account read, once that account is built: their CAN_ASSUME answers, the
   * cross-account outcomes (keyed by their caller signature, which holds their account), their classes and the
   * (from, to, technique) index of their edges.
   */
  releaseSources(): void {
    this.assume.clear();
    this.crossOutcomes.clear();
    this.crossClasses.clear();
    this.pushed.clear();
  }

  private rolesByName?: Map<string, IndexedPrincipal[]>;

  /**
   * The principals a trust policy names directly (who-can's `resourceCandidates`, with the role-name map built
   * once per snapshot instead of once per policy), or 'all' for `*`, NotPrincipal and patterns.
   */
  namedBy(policy: Compiled['policy']): IndexedPrincipal[] | 'all' {
    if (!this.rolesByName) {
      this.rolesByName = new Map();
      for (const p of this.index.principals)
        if (p.principal.kind === 'role') {
          const list = this.rolesByName.get(p.principal.name);
          if (list) list.push(p);
          else this.rolesByName.set(p.principal.name, [p]);
        }
    }
    const out: IndexedPrincipal[] = [];
    for (const st of policy.statements) {
      if (st.effect !== 'Allow') continue;
      if (st.notPrincipal || st.principal?.any) return 'all';
      for (const value of st.principal?.aws ?? []) {
        if (value === '*') return 'all';
        if (/^\d{12}$/.test(value) || value.endsWith(':root')) continue;
        const exact = this.index.byArn.get(value);
        if (exact) {
          out.push(exact);
          continue;
        }
        const session = /^arn:[^:]+:sts::\d{12}:assumed-role\/([^/]+)\//.exec(value);
        if (session) {
          out.push(...(this.rolesByName.get(session[1]!) ?? []));
          continue;
        }
        if (hasWildcard(value) || !value.startsWith('arn:')) return 'all';
      }
    }
    return out;
  }

  trustOf(role: IamRole): TrustLayer | undefined {
    let t = this.trust.get(role.arn);
    if (t === undefined) {
      try {
        t =
          compilePolicySet({
            identity: [],
            resource: { id: role.arn, name: trustPolicyName(role.name), document: role.trustPolicy },
          }).resource ?? null;
      } catch {
        t = null; // An invalid trust policy grants nothing; the importer reports it.
      }
      this.trust.set(role.arn, t);
    }
    return t ?? undefined;
  }

  /**
   * Roles of `account` whose trust policy lets `service` assume them (with the trust policy's residual, if any):
   * a role is passed only to a service of its own account, so a source reaches its own account's roles.
   */
  rolesTrusting(service: string, account: string): { role: IamRole; result: EvaluationResult }[] {
    let byAccount = this.trustingByAccount.get(service);
    if (!byAccount) {
      this.trustingByAccount.set(service, (byAccount = new Map()));
      for (const x of this.allRolesTrusting(service)) pushTo(byAccount, accountOf(x.role.arn), x);
    }
    return byAccount.get(account) ?? [];
  }
  private readonly trustingByAccount = new Map<
    string,
    Map<string, { role: IamRole; result: EvaluationResult }[]>
  >();

  private usersByAccount?: Map<string, IamUser[]>;
  private rolesByAccount?: Map<string, IamRole[]>;

  /** The snapshot's users or roles of `account`, in snapshot order. */
  principalsOfKind(kind: 'user' | 'role', account: string): Principal[] {
    if (!this.usersByAccount || !this.rolesByAccount) {
      this.usersByAccount = new Map();
      this.rolesByAccount = new Map();
      for (const u of this.users) pushTo(this.usersByAccount, accountOf(u.arn), u);
      for (const r of this.roles) pushTo(this.rolesByAccount, accountOf(r.arn), r);
    }
    return (kind === 'user' ? this.usersByAccount : this.rolesByAccount).get(account) ?? [];
  }

  private rolePositions?: Map<string, number>;

  /** The roles `arns` names, in snapshot order. */
  rolesAmong(arns: Iterable<string>): IamRole[] {
    this.rolePositions ??= new Map(this.roles.map((r, i) => [r.arn, i]));
    const at: number[] = [];
    for (const arn of arns) {
      const i = this.rolePositions.get(arn);
      if (i !== undefined) at.push(i);
    }
    return at.sort((x, y) => x - y).map((i) => this.roles[i]!);
  }

  /** `rolesTrusting` over every account of the snapshot. */
  allRolesTrusting(service: string): { role: IamRole; result: EvaluationResult }[] {
    let list = this.trusting.get(service);
    if (!list) {
      list = [];
      for (const role of this.roles) {
        // A service-linked or Identity Center role is used by its AWS service only: no customer resource runs as
        // it and no principal can rewrite it (the engine's protected-role rule), so it is no target here either.
        if (isProtectedRole(role.arn)) continue;
        // Per role object: a what-if's after snapshot shares its unchanged roles with the before snapshot, so
        // the incremental update (incremental.ts) reuses the before build's answers.
        let answers = serviceTrust.get(role);
        if (!answers) serviceTrust.set(role, (answers = new Map()));
        let result = answers.get(service);
        if (result === undefined) {
          const trust = this.trustOf(role);
          // The service acts for a resource of the role's own account (a role is passed within its account), so
          // the usual confused-deputy condition `aws:SourceAccount` holds; `aws:SourceArn` stays a residual.
          result = trust
            ? evaluateCompiled(
                {
                  principal: service,
                  action: 'sts:AssumeRole',
                  resource: role.arn,
                  context: { 'aws:SourceAccount': accountOf(role.arn) },
                },
                { identity: [], resource: trust, diagnostics: [] },
              )
            : null;
          answers.set(service, result);
        }
        if (result && result.decision !== 'DENIED') list.push({ role, result });
      }
      this.trusting.set(service, list);
    }
    return list;
  }

  /** The identity policies of a group, compiled once (for "add the source to this group"). */
  compiledGroup(group: IamGroup): Compiled[] | undefined {
    let c = this.groupCompiled.get(group.arn);
    if (c === undefined) {
      const inputs: PolicyInput[] = [
        ...group.inlinePolicies.map((p) => ({
          id: `${group.arn}#inline/${p.name}`,
          name: p.name,
          document: p.document,
          attachedVia: [group.arn],
        })),
        ...group.attachedPolicies.flatMap((arn) => {
          const p = this.snapshot.policies.find((x) => x.arn === arn);
          return p ? [{ id: arn, name: p.name, document: defaultDocument(p), attachedVia: [group.arn] }] : [];
        }),
      ];
      try {
        c = compilePolicySet({ identity: inputs }).identity;
      } catch {
        c = null;
      }
      this.groupCompiled.set(group.arn, c);
    }
    return c ?? undefined;
  }

  /** Per class of `crossAccountAssume`, per caller signature: each role's outcome (undefined: DENIED). */
  readonly crossOutcomes = new Map<
    IamRole[],
    Map<string, ({ shape: string; conditions: string[] } | undefined)[]>
  >();

  private readonly crossClasses = new Map<
    string,
    { targets: string[]; name: string; memberConditions?: ReadonlyMap<string, readonly string[]> }
  >();

  /**
   * The class of roles of `account` that a caller of `callerAccount` assumes with the same statements: one
   * `targets` array and member-conditions map for every caller answered alike (the traversal and the stores
   * index classes by the array).
   */
  crossAccountClass(
    account: string,
    callerAccount: string,
    members: { role: IamRole; conditions: string[] }[],
  ): { targets: string[]; name: string; memberConditions?: ReadonlyMap<string, readonly string[]> } {
    const conditions = members.map((m) => m.conditions);
    const key = JSON.stringify([callerAccount, members.map((m) => m.role.arn), conditions]);
    let cls = this.crossClasses.get(key);
    if (!cls) {
      const memberConditions = new Map<string, readonly string[]>();
      members.forEach((m, i) => {
        if (conditions[i]!.length) memberConditions.set(m.role.arn, conditions[i]!);
      });
      const name =
        `every role (${members.length}) of account ${account} trusting account ${callerAccount}` +
        (memberConditions.size ? ', each under its own trust conditions' : '');
      cls = {
        targets: members.map((m) => m.role.arn),
        name,
        ...(memberConditions.size ? { memberConditions } : {}),
      };
      this.crossClasses.set(key, cls);
    }
    return cls;
  }

  fill(template: string, account: string): string {
    return template.replaceAll('${Partition}', this.snapshot.partition).replaceAll('${Account}', account);
  }

  /** Evidence statements by what they say: each (source, statement) is one object, however many edges show it. */
  private readonly statements = new Map<string, MatchedStatement>();
  /** Evidence lists by their statements' objects: edges granted alike share one list. */
  private readonly lists = new Map<string, MatchedStatement[]>();
  private readonly ids = new Map<MatchedStatement, number>();

  /** `list` as shared objects (an evidence list is read-only once on an edge). */
  intern(list: readonly MatchedStatement[]): MatchedStatement[] {
    const shared = list.map((e) => {
      const key = `${e.layer}\u0000${e.level ?? ''}\u0000${e.effect}\u0000${e.policyId}\u0000${e.statementIndex}\u0000${e.attachedVia.join(',')}\u0000${e.conditional}`;
      let x = this.statements.get(key);
      if (!x) {
        this.statements.set(key, (x = e));
        this.ids.set(x, this.ids.size);
      }
      return x;
    });
    const key = shared.map((x) => this.ids.get(x)).join(',');
    let out = this.lists.get(key);
    if (!out) this.lists.set(key, (out = shared));
    return out;
  }

  /** (from, to, technique) → index in `edges`: one edge per technique and pair. */
  private readonly pushed = new Map<string, number>();

  /**
   * One edge per (from, to, technique): several targets can lead to ADMIN by the same technique (any role
   * without a boundary); an unconditional way replaces a conditional one found first.
   */
  push(rule: TechniqueRule | typeof ASSUME_TECHNIQUE, from: string, to: string, conj: Conjunction): void {
    if (from === to) return;
    const technique = rule === ASSUME_TECHNIQUE ? ASSUME_TECHNIQUE : rule.id;
    const key = `${from}\u0000${to}\u0000${technique}`;
    const at = this.pushed.get(key);
    if (at !== undefined && (!this.edges[at]!.conditional || conj.conditional)) return;
    const edge: EscalationEdge = {
      from,
      to,
      kind: rule === ASSUME_TECHNIQUE ? 'assume' : 'escalate',
      technique,
      conditional: conj.conditional,
      conditions: [...conj.conditions].sort(),
      evidence: this.intern(conj.evidence),
    };
    if (at !== undefined) this.edges[at] = edge;
    else {
      this.pushed.set(key, this.edges.push(edge) - 1);
      if (this.place) this.edgePlaces.push(this.place);
    }
  }

  addFanOut(entry: FanOutEdge): void {
    this.fanOut.push(entry);
    if (this.place) this.fanOutPlaces.push(this.place);
  }

  /**
   * Per-account build: where what is pushed now comes in a whole-snapshot build (phase, then position), so the
   * edges can be put back in that order (`inSnapshotOrder`); shared by everything one source pushes in one step.
   */
  place?: readonly number[];
  private readonly edgePlaces: (readonly number[])[] = [];
  private readonly fanOutPlaces: (readonly number[])[] = [];

  /** The edges and fan-out entries in the order a whole-snapshot build pushes them. */
  inSnapshotOrder(): { edges: EscalationEdge[]; fanOut: FanOutEdge[] } {
    const sorted = <T>(items: T[], places: (readonly number[])[]): T[] =>
      items
        .map((item, i) => ({ item, place: places[i]! }))
        .sort((x, y) => {
          for (let k = 0; k < x.place.length && k < y.place.length; k++)
            if (x.place[k] !== y.place[k]) return x.place[k]! - y.place[k]!;
          return x.place.length - y.place.length;
        })
        .map((x) => x.item);
    return { edges: sorted(this.edges, this.edgePlaces), fanOut: sorted(this.fanOut, this.fanOutPlaces) };
  }

  private positions?: Map<IndexedPrincipal, number>;

  /** A principal's position in the index (the order a whole-snapshot build visits sources in). */
  position(c: IndexedPrincipal): number {
    this.positions ??= new Map(this.index.principals.map((p, i) => [p, i]));
    return this.positions.get(c)!;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Syntactic pre-checks over a principal's identity statements (sound: they never drop a principal the engine
// would allow; the engine decides).

const statementActions = new WeakMap<Compiled['policy']['statements'][number], Map<string, boolean>>();

/** The statement's Action (or NotAction) matches `action` (memoized: compiled statements are shared). */
export function statementMatchesAction(
  st: Compiled['policy']['statements'][number],
  action: string,
): boolean {
  let m = statementActions.get(st);
  if (!m) statementActions.set(st, (m = new Map()));
  let v = m.get(action);
  if (v === undefined) {
    v = st.notAction
      ? !st.notAction.some((p) => globMatches(p, action, true))
      : (st.action ?? []).some((p) => globMatches(p, action, true));
    m.set(action, v);
  }
  return v;
}

const policyAllows = new WeakMap<Compiled['policy'], Map<string, boolean>>();

/** Some Allow statement of `policy` could match `action` (memoized: policies are shared between principals). */
function policyMayAllow(policy: Compiled['policy'], action: string): boolean {
  let m = policyAllows.get(policy);
  if (!m) policyAllows.set(policy, (m = new Map()));
  let v = m.get(action);
  if (v === undefined) {
    v = policy.statements.some((st) => st.effect === 'Allow' && statementMatchesAction(st, action));
    m.set(action, v);
  }
  return v;
}

/** Some identity Allow statement could match `action`. */
function mayAllow(c: IndexedPrincipal, action: string): boolean {
  return c.compiled.identity.some((p) => policyMayAllow(p.policy, action));
}

/**
 * A test that keeps every ARN some identity Allow statement for `action` could match (variables widened to `*`,
 * NotResource to everything); undefined when any ARN could match.
 */
function resourceFilter(c: IndexedPrincipal, action: string): ((arn: string) => boolean) | undefined {
  const patterns: StringPredicate[] = [];
  for (const p of c.compiled.identity)
    for (const st of p.policy.statements) {
      if (st.effect !== 'Allow' || !statementMatchesAction(st, action)) continue;
      if (!st.resource) return undefined;
      for (const r of st.resource) {
        const widened = widenVariables(r);
        if (widened === '*') return undefined;
        patterns.push(compileGlob(widened));
      }
    }
  return (arn) => patterns.some((m) => m(arn));
}

// ---------------------------------------------------------------------------------------------------------------

/** The ARN's account field ('' when there is none); the engine's reading for every well-formed ARN. */
function accountOf(arn: string): string {
  return arnAccount(arn) ?? arn.split(':')[4] ?? '';
}

function withTrust(compiled: CompiledPolicySet, trust: TrustLayer): CompiledPolicySet {
  return { ...compiled, resource: trust };
}

/** Roles of one account sharing one trust policy, and what that trust names. */
interface TrustGroup {
  /** Its place in `AssumePlan.groups`. */
  index: number;
  key: string;
  roles: IamRole[];
  targets: string[];
  account: string;
  named: IndexedPrincipal[] | 'all';
  namedSet: Set<IndexedPrincipal>;
  /** Accounts the trust names (it delegates to their principals' identity policies). */
  accounts: Set<string>;
  /** It names other accounts and no principal: their callers go through `crossAccountAssume`. */
  delegates: boolean;
}

/** What CAN_ASSUME reads of the whole snapshot, computed once: the trust groups and who they may admit. */
interface AssumePlan {
  /** The callers whose own policies could allow sts:AssumeRole, by account. */
  stsByAccount: Map<string, IndexedPrincipal[]>;
  groups: TrustGroup[];
  /** Per caller account: the groups that may admit one of its principals, in `groups` order. */
  groupsByCaller: Map<string, TrustGroup[]>;
  /** (role account, caller account) → the roles of the first whose trust delegates to the second. */
  delegating: Map<string, IamRole[]>;
}

/** (role account, caller account) → the roles of `groups` of the first whose trust delegates to the second. */
function delegatingOf(groups: readonly TrustGroup[]): Map<string, IamRole[]> {
  const delegating = new Map<string, IamRole[]>();
  for (const g of groups)
    if (g.delegates)
      for (const other of g.accounts)
        if (other !== g.account) {
          const k = `${g.account}\u0000${other}`;
          const list = delegating.get(k);
          if (list) list.push(...g.roles);
          else delegating.set(k, [...g.roles]);
        }
  return delegating;
}

function assumePlan(b: Builder): AssumePlan {
  const stsByAccount = new Map<string, IndexedPrincipal[]>();
  for (const c of b.index.candidatesFor('sts')) {
    if (!mayAllow(c, 'sts:AssumeRole')) continue;
    pushTo(stsByAccount, accountOf(c.principal.arn), c);
  }
  // Roles with the same trust policy (and account) answer alike for a caller whose sts:AssumeRole grant is
  // uniform: one evaluation and one fan-out entry per group (a trust policy names no role ARN of its own).
  const byKey = new Map<string, IamRole[]>();
  for (const role of b.roles) pushTo(byKey, `${accountOf(role.arn)}\u0000${role.trustPolicy}`, role);
  const groups: TrustGroup[] = [];
  const groupsByCaller = new Map<string, TrustGroup[]>();
  for (const [key, roles] of byKey) {
    const trust = b.trustOf(roles[0]!);
    if (!trust) continue;
    const named = b.namedBy(trust.policy);
    const accounts = new Set<string>();
    for (const st of trust.policy.statements)
      if (st.effect === 'Allow')
        for (const v of st.principal?.aws ?? []) {
          if (/^\d{12}$/.test(v)) accounts.add(v);
          else if (v.endsWith(':root')) accounts.add(accountOf(v));
        }
    const account = accountOf(roles[0]!.arn);
    const delegates = !b.perPair && named !== 'all' && named.length === 0;
    const group: TrustGroup = {
      index: groups.length,
      key,
      roles,
      targets: roles.map((r) => r.arn),
      account,
      named,
      namedSet: new Set(named === 'all' ? [] : named),
      accounts,
      delegates,
    };
    groups.push(group);
    const callers =
      named === 'all'
        ? b.accounts()
        : new Set([...named.map((c) => accountOf(c.principal.arn)), ...accounts]);
    for (const a of callers) pushTo(groupsByCaller, a, group);
  }
  return { stsByAccount, groups, groupsByCaller, delegating: delegatingOf(groups) };
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The callers a group's trust may admit (the principals it names, and the sts callers of the accounts it names),
 * in that order, each with its place in that order; only those of `callerAccount` when given.
 */
function groupCandidates(
  b: Builder,
  plan: AssumePlan,
  g: TrustGroup,
  callerAccount: string | undefined,
): Map<IndexedPrincipal, readonly number[]> {
  const out = new Map<IndexedPrincipal, readonly number[]>();
  if (g.named === 'all') {
    for (const c of callerAccount === undefined ? b.index.principals : b.principalsOf(callerAccount))
      out.set(c, [0, g.index, 0, b.position(c)]);
    return out;
  }
  g.named.forEach((c, i) => {
    if ((callerAccount === undefined || accountOf(c.principal.arn) === callerAccount) && !out.has(c))
      out.set(c, [0, g.index, 0, i]);
  });
  [...g.accounts].forEach((account, tier) => {
    if (callerAccount === undefined || account === callerAccount)
      for (const c of plan.stsByAccount.get(account) ?? [])
        if (!out.has(c)) out.set(c, [0, g.index, 1 + tier, b.position(c)]);
  });
  return out;
}

/**
 * CAN_ASSUME: `sts:AssumeRole` on every role, its trust policy as the resource policy; for the callers of
 * `callerAccount` only when given (the per-account build).
 */
function assumeEdges(
  b: Builder,
  classes: TargetClasses,
  only?: AssumeRestriction,
  callerAccount?: string,
): void {
  if (only && only.sources.size === 0 && only.roles.size === 0) return;
  const plan = (b.plan ??= assumePlan(b));
  const groups = callerAccount === undefined ? plan.groups : (plan.groupsByCaller.get(callerAccount) ?? []);
  for (const g of groups) {
    const { roles, targets, account, named, namedSet, delegates } = g;
    // Restricted: a group with a listed role for every caller, else only the listed callers.
    const wholeGroup = !only || roles.some((r) => only.roles.has(r.arn));
    if (!wholeGroup && only.sources.size === 0) continue;
    const label = (members: IamRole[]) =>
      `every role (${members.length}) whose trust policy is that of ${members[0]!.name}`;
    for (const [c, place] of groupCandidates(b, plan, g, callerAccount)) {
      if (callerAccount !== undefined) b.place = place;
      const from = c.principal.arn;
      if (!wholeGroup && !only!.sources.has(from)) continue;
      if (delegates && accountOf(from) !== account) continue;
      if (!b.perPair && roles.length > 1) {
        if (uniform(c, 'sts:AssumeRole')) {
          assumeClass(b, c, roles, targets, label(roles));
          continue;
        }
        // A trust that delegates to the caller's account (and does not name the caller): the caller's own
        // policies decide, alike for the roles their statements' resources do not tell apart.
        const split =
          named !== 'all' && !namedSet.has(c) && accountOf(from) === account
            ? targetSplit(c, [ASSUME_TECHNIQUE])
            : undefined;
        if (split === 'uniform') {
          assumeClass(b, c, roles, targets, label(roles));
          continue;
        }
        if (split) {
          for (const part of classes.partition(`assume\u0000${g.key}`, () => roles, split)) {
            const members = part.members as IamRole[];
            if (members.length === 1) assumeOne(b, c, members[0]!);
            else
              assumeClass(
                b,
                c,
                members,
                classes.get(part.key, () => members.map((r) => r.arn)).targets,
                `${label(members)}, ${part.description}`,
              );
          }
          continue;
        }
      }
      for (const role of roles) assumeOne(b, c, role);
    }
  }
  // A trust that names other accounts and no principal: their callers are evaluated with every role of this
  // account delegating to theirs (`crossAccountAssume`).
  // Restricted to listed roles only: the groups holding one.
  const delegating =
    only && only.sources.size === 0
      ? delegatingOf(plan.groups.filter((g) => g.roles.some((r) => only.roles.has(r.arn))))
      : plan.delegating;
  [...delegating].forEach(([key, roles], k) => {
    const [account, other] = key.split('\u0000') as [string, string];
    if (callerAccount !== undefined && other !== callerAccount) return;
    const wholeClass = !only || roles.some((r) => only.roles.has(r.arn));
    if (!wholeClass && only.sources.size === 0) return;
    for (const c of plan.stsByAccount.get(other) ?? [])
      if (wholeClass || only!.sources.has(c.principal.arn)) {
        if (callerAccount !== undefined) b.place = [1, k, b.position(c)];
        crossAccountAssume(b, c, roles, account);
      }
  });
}

/**
 * CAN_ASSUME from `c` into the roles of another account whose trust delegates to `c`'s account: any principal of
 * that account whose own policies allow sts:AssumeRole on the role may assume it (IAM user guide,
 * id_roles_common-scenarios_aws-accounts; both sides must allow, reference_policies_evaluation-logic-cross-account).
 * The roles that answer with the same statements (the caller's, and the trust statement at the same position)
 * are one fan-out entry whose class keeps each role's own residual (`memberConditions`: a trust's
 * `sts:ExternalId` differs per role), shared by every caller answered alike. Each role is asked of the engine
 * once per caller signature (`callerSignature`), else once per caller.
 */
function crossAccountAssume(b: Builder, c: IndexedPrincipal, roles: IamRole[], account: string): void {
  const from = c.principal.arn;
  let m = b.assume.get(from);
  if (!m) b.assume.set(from, (m = new Map()));
  const assume = m;
  const evaluate = (role: IamRole) =>
    evaluateAs(c, 'sts:AssumeRole', role.arn, withTrust(c.compiled, b.trustOf(role)!));
  const sig = callerSignature(b, c, roles);
  let outcomes = sig === undefined ? undefined : b.crossOutcomes.get(roles)?.get(sig);
  const results = new Map<IamRole, { result: EvaluationResult; conj: Conjunction }>();
  if (!outcomes) {
    // Ask the engine about every role; a caller answered like this one reads the outcomes.
    outcomes = roles.map((role) => {
      const result = evaluate(role);
      if (result.decision === 'DENIED') return undefined;
      const conj = new Conjunction();
      conj.add(result);
      results.set(role, { result, conj });
      // The evidence as the step into any member shows it (`stepEvidence` names the member's trust policy).
      const shape = JSON.stringify(
        conj.evidence.map((e) =>
          e.layer === 'resource'
            ? [e.layer, e.effect, e.statementIndex, e.sid, e.conditional]
            : [e.layer, e.level, e.effect, e.policyId, e.statementIndex, e.attachedVia, e.conditional],
        ),
      );
      return { shape, conditions: [...conj.conditions].sort() };
    });
    if (sig !== undefined) {
      let bySig = b.crossOutcomes.get(roles);
      if (!bySig) b.crossOutcomes.set(roles, (bySig = new Map()));
      bySig.set(sig, outcomes);
    }
  }
  // This caller's own answer for a role, evaluated once whoever asks (edge, entry evidence, techniques).
  const own = (role: IamRole) => {
    let r = results.get(role);
    if (!r) {
      const result = evaluate(role);
      const conj = new Conjunction();
      conj.add(result);
      results.set(role, (r = { result, conj }));
    }
    return r;
  };
  const parts = new Map<string, { role: IamRole; conditions: string[] }[]>();
  roles.forEach((role, i) => {
    const o = outcomes[i];
    if (!o) return;
    const known = results.get(role);
    assume.set(role.arn, known ? known.result : () => own(role).result);
    const list = parts.get(o.shape);
    if (list) list.push({ role, conditions: o.conditions });
    else parts.set(o.shape, [{ role, conditions: o.conditions }]);
  });
  for (const members of parts.values()) {
    const first = own(members[0]!.role);
    if (members.length === 1) {
      b.push(ASSUME_TECHNIQUE, from, members[0]!.role.arn, first.conj);
      continue;
    }
    const cls = b.crossAccountClass(account, accountOf(from), members);
    const caller = new Conjunction();
    caller.add(first.result, ['identity']);
    b.addFanOut({
      from,
      kind: 'assume',
      technique: ASSUME_TECHNIQUE,
      conditional: false,
      conditions: [],
      evidence: b.intern(caller.evidence),
      targets: cls.targets,
      targetClass: cls.name,
      ...(first.conj.evidence.length > caller.evidence.length
        ? { memberEvidence: b.intern(first.conj.evidence) }
        : {}),
      ...(cls.memberConditions ? { memberConditions: cls.memberConditions } : {}),
    });
  }
}

/** Condition keys of a trust statement that read nothing of the caller (the request or the account). */
const CALLER_FREE_KEYS = new Set([
  'sts:externalid',
  'aws:multifactorauthpresent',
  'aws:multifactorauthage',
  'aws:securetransport',
  'aws:sourceip',
  'aws:currenttime',
  'aws:epochtime',
  'aws:principalaccount',
  'aws:principalorgid',
  'aws:principalorgpaths',
]);

const callerFreeTrusts = new WeakMap<IamRole[], boolean>();
const statementIds = new WeakMap<object, number>();
let nextStatementId = 0;

/**
 * What `c`'s CAN_ASSUME answers for `roles` depend on, when that is only its statements (shared between
 * principals with the same documents: candidate-index.ts), its kind, account and time: its statements that can
 * match sts:AssumeRole are on `*` with no condition and no trust of `roles` reads the caller (names a principal,
 * a policy variable, or a condition key other than CALLER_FREE_KEYS). Undefined otherwise: ask the engine.
 */
function callerSignature(b: Builder, c: IndexedPrincipal, roles: IamRole[]): string | undefined {
  let free = callerFreeTrusts.get(roles);
  if (free === undefined) {
    free = roles.every(
      (role) =>
        !role.trustPolicy.includes('${') &&
        (b.trustOf(role)?.policy.statements ?? []).every(
          (st) =>
            !st.notPrincipal &&
            !st.principal?.any &&
            (st.principal?.aws ?? []).every(
              (v) => /^\d{12}$/.test(v) || /^arn:[^:]+:iam::\d{12}:root$/.test(v),
            ) &&
            st.conditions.every((cl) => CALLER_FREE_KEYS.has(cl.key.toLowerCase())),
        ),
    );
    callerFreeTrusts.set(roles, free);
  }
  if (!free || !uniform(c, 'sts:AssumeRole')) return undefined;
  for (const p of [...callerLayers(c), ...(c.compiled.rcps?.flat() ?? [])])
    for (const st of p.policy.statements)
      if (statementMatchesAction(st, 'sts:AssumeRole') && st.conditions.length > 0) return undefined;
  const id = (o: object) => {
    let n = statementIds.get(o);
    if (n === undefined) statementIds.set(o, (n = nextStatementId++));
    return n;
  };
  return [
    c.principal.kind,
    accountOf(c.principal.arn),
    c.at ?? '',
    c.compiled.identity.map((p) => id(p.statements)).join(','),
    c.compiled.boundary ? id(c.compiled.boundary.statements) : '',
    (c.compiled.scps ?? []).map((l) => l.map((p) => id(p.statements)).join(',')).join(';'),
    (c.compiled.rcps ?? []).map((l) => l.map((p) => id(p.statements)).join(',')).join(';'),
  ].join('|');
}

/**
 * CAN_ASSUME into roles sharing one trust policy that answer alike for `c`: one evaluation, one fan-out entry
 * (`targets`, shared by every caller) whose `memberEvidence` holds the trust statements too.
 */
function assumeClass(
  b: Builder,
  c: IndexedPrincipal,
  roles: IamRole[],
  targets: readonly string[],
  targetClass: string,
): void {
  const from = c.principal.arn;
  const result = evaluateAs(c, 'sts:AssumeRole', roles[0]!.arn, withTrust(c.compiled, b.trustOf(roles[0]!)!));
  if (result.decision === 'DENIED') return;
  let m = b.assume.get(from);
  if (!m) b.assume.set(from, (m = new Map()));
  for (const t of targets) m.set(t, result);
  const conj = new Conjunction();
  conj.add(result, ['identity']);
  const member = new Conjunction();
  member.add(result);
  b.addFanOut({
    from,
    kind: 'assume',
    technique: ASSUME_TECHNIQUE,
    conditional: conj.conditional,
    conditions: [...conj.conditions].sort(),
    evidence: b.intern(conj.evidence),
    targets,
    targetClass,
    ...(member.evidence.length > conj.evidence.length ? { memberEvidence: b.intern(member.evidence) } : {}),
  });
}

function assumeOne(b: Builder, c: IndexedPrincipal, role: IamRole): void {
  if (c.principal.arn === role.arn) return;
  const result = evaluateAs(c, 'sts:AssumeRole', role.arn, withTrust(c.compiled, b.trustOf(role)!));
  if (result.decision === 'DENIED') return;
  let m = b.assume.get(c.principal.arn);
  if (!m) b.assume.set(c.principal.arn, (m = new Map()));
  m.set(role.arn, result);
  const conj = new Conjunction();
  conj.add(result);
  b.push(ASSUME_TECHNIQUE, c.principal.arn, role.arn, conj);
}

/** The customer managed policies attached to a principal (directly, or through its groups for a user). */
function attachedCustomerPolicies(b: Builder, p: Principal): string[] {
  return customerPoliciesOf(b.snapshot.partition, b.groups, p);
}

/** The customer managed policies attached to `p`, directly or through its groups (`incremental.ts` compares them). */
export function customerPoliciesOf(
  partition: string,
  groups: ReadonlyMap<string, IamGroup>,
  p: Principal,
): string[] {
  const arns = new Set(p.attachedPolicies);
  if (p.kind === 'user')
    for (const g of p.groups) for (const a of groups.get(g)?.attachedPolicies ?? []) arns.add(a);
  return [...arns].filter((a) => !a.startsWith(`arn:${partition}:iam::aws:policy/`));
}

/** Try each resource in turn: the first one allowed (ALLOWED preferred over CONDITIONAL) extends `conj`. */
function anyOf(
  conj: Conjunction,
  c: IndexedPrincipal,
  action: string,
  resources: string[],
  context: Record<string, string> = {},
): Conjunction | undefined {
  let conditional: Conjunction | undefined;
  for (const r of resources) {
    const next = conj.clone();
    if (!next.add(evaluateAs(c, action, r, c.compiled, context))) continue;
    if (!next.conditional || conj.conditional) return next;
    conditional ??= next;
  }
  return conditional;
}

/** The requirements that do not depend on a target, evaluated once per source. */
function fixedPart(b: Builder, rule: TechniqueRule, c: IndexedPrincipal): Conjunction | undefined {
  const conj = new Conjunction();
  const account = accountOf(c.principal.arn);
  for (const r of rule.requires) {
    if (r.on === 'self') {
      if (!conj.add(evaluateAs(c, r.action, c.principal.arn))) return undefined;
    } else if (!SPECIAL.has(r.on)) {
      if (!conj.add(evaluateAs(c, r.action, b.fill(r.on, account)))) return undefined;
    }
  }
  return conj;
}

const SPECIAL = new Set([
  'self',
  'target',
  'self-policy',
  'target-policy',
  'self-group',
  'group',
  'passed-role',
  'target-trust',
]);

/** A source with a boundary reaches ADMIN by changing its own permissions only if it may delete the boundary. */
function boundaryGate(conj: Conjunction, c: IndexedPrincipal): boolean {
  if (!c.compiled.boundary) return true;
  return conj.add(evaluateAs(c, deleteBoundaryAction(c.principal), c.principal.arn));
}

/** The admin verdict of `c` with `extra` identity policies, or with one policy's document replaced. */
function adminWith(c: IndexedPrincipal, identity: Compiled[]): AdminVerdict | undefined {
  return adminVerdictOf({ ...c, compiled: { ...c.compiled, identity } });
}

function selfEscalation(b: Builder, rule: TechniqueRule, c: IndexedPrincipal, base: Conjunction): void {
  const req = rule.requires.find((r) => r.on === 'self-policy' || r.on === 'self-group' || r.on === 'group');
  const from = c.principal.arn;
  if (!req) {
    if (boundaryGate(base, c)) b.push(rule, from, ADMIN, base);
    return;
  }
  if (req.on === 'self-policy') {
    const policies = attachedCustomerPolicies(b, c.principal);
    if (!rule.otherVersion) {
      const conj = anyOf(base, c, req.action, policies);
      if (conj && boundaryGate(conj, c)) b.push(rule, from, ADMIN, conj);
      return;
    }
    // SetDefaultPolicyVersion: some stored non-default version must make the source admin-equivalent.
    for (const arn of policies) {
      const policy = b.snapshot.policies.find((p) => p.arn === arn);
      const others = policy?.versions.filter((v) => v.versionId !== policy.defaultVersionId) ?? [];
      if (!others.length) continue;
      const conj = anyOf(base, c, req.action, [arn]);
      if (!conj) continue;
      for (const v of others) {
        let identity: Compiled[];
        try {
          const swapped = compilePolicySet({
            identity: [{ id: arn, name: policy!.name, document: v.document }],
          }).identity[0]!;
          identity = c.compiled.identity.map((p) =>
            p.source.id === arn ? { ...swapped, source: p.source } : p,
          );
        } catch {
          continue;
        }
        const verdict = adminWith(c, identity);
        if (!verdict) continue;
        const out = conj.clone();
        for (const cond of verdict.conditions) out.assume(cond);
        b.push(rule, from, ADMIN, out);
        return;
      }
    }
    return;
  }
  if (req.on === 'self-group') {
    if (c.principal.kind !== 'user') return;
    const conj = anyOf(base, c, req.action, c.principal.groups);
    if (conj && boundaryGate(conj, c)) b.push(rule, from, ADMIN, conj);
    return;
  }
  // AddUserToGroup: a group whose policies, added to the source's, make it admin-equivalent.
  if (c.principal.kind !== 'user') return;
  const filter = resourceFilter(c, req.action);
  for (const group of b.groups.values()) {
    if (c.principal.groups.includes(group.arn) || (filter && !filter(group.arn))) continue;
    const conj = anyOf(base, c, req.action, [group.arn]);
    if (!conj) continue;
    const extra = b.compiledGroup(group);
    if (!extra) continue;
    const verdict = adminWith(c, [...c.compiled.identity, ...extra]);
    if (!verdict) continue;
    for (const cond of verdict.conditions) conj.assume(cond);
    b.push(rule, from, ADMIN, conj);
    return;
  }
}

/**
 * `action` is decided alike for every ARN of a class: each statement that could match it — Allow or Deny, in the
 * identity policies, the boundary and the SCPs — applies to every resource (`*`, or no Resource element) and none
 * conditions on the resource (resource tags, resource account). Then one evaluation answers for all targets.
 */
function uniform(c: IndexedPrincipal, action: string): boolean {
  return callerLayers(c).every((p) => policyUniform(p.policy, action));
}

/** The policies that decide what the caller itself may do: its identity policies, its boundary and its SCPs. */
function callerLayers(c: IndexedPrincipal): Compiled[] {
  return [
    ...c.compiled.identity,
    ...(c.compiled.boundary ? [c.compiled.boundary] : []),
    ...(c.compiled.scps?.flat() ?? []),
  ];
}

const policyUniformity = new WeakMap<Compiled['policy'], Map<string, boolean>>();
function policyUniform(policy: Compiled['policy'], action: string): boolean {
  let m = policyUniformity.get(policy);
  if (!m) policyUniformity.set(policy, (m = new Map()));
  let v = m.get(action);
  if (v === undefined) {
    v = policy.statements.every(
      (st) =>
        !statementMatchesAction(st, action) ||
        (!st.notResource &&
          (!st.resource || st.resource.includes('*')) &&
          !st.conditions.some((cl) => RESOURCE_CONDITION.test(cl.key))),
    );
    m.set(action, v);
  }
  return v;
}

const RESOURCE_CONDITION = /resourcetag|resourceaccount|resourceorg/i;

/**
 * How the statements that could match a principal technique's target-side actions split the source's targets
 * (every statement of the identity policies, the boundary and the SCPs, Allow or Deny): with no resource
 * condition, two targets that match the same statements' resources get the same answer, so one evaluation
 * answers for every target of a part (`TargetClasses.partition`).
 */
interface TargetSplit {
  /** The resolved resource patterns of the identity Allows for the first action ('all': one is unrestricted). */
  allows: string[] | 'all';
  /** The resolved patterns of the statements whose match differs between targets (NotResource: the same split). */
  statements: string[][];
}

/**
 * The targets' split for `actions` ('uniform': no statement tells targets apart), or undefined when a statement
 * cannot be judged by ARN alone (a resource condition, a policy variable other than the source's own
 * `aws:username`). A statement whose resources resolve to the source itself (`user/${aws:username}`, on any account) concerns
 * no target (the source is never its own target), so self-service policies leave the class whole.
 */
function targetSplit(c: IndexedPrincipal, actions: string[]): 'uniform' | TargetSplit | undefined {
  if (actions.every((a) => uniform(c, a))) return 'uniform';
  const self = c.principal.arn;
  const account = accountOf(self);
  const identity = new Set(c.compiled.identity);
  const layers = callerLayers(c);
  let allows: string[] | 'all' = [];
  const statements: string[][] = [];
  for (const [i, action] of actions.entries())
    for (const p of layers) {
      const variables = p.policy.version === '2012-10-17';
      for (const st of p.policy.statements) {
        if (!statementMatchesAction(st, action)) continue;
        if (st.conditions.some((cl) => RESOURCE_CONDITION.test(cl.key))) return undefined;
        const raw = st.resource ?? st.notResource;
        const not = st.notResource !== undefined;
        // Whether the statement applies to every target (true), to none (false), or to those its patterns pick.
        let applies: boolean | string[];
        if (!raw) applies = true;
        else if (raw.includes('*')) applies = !not;
        else {
          const patterns: string[] = [];
          for (const r of raw) {
            const x = resolveFor(c, r, variables);
            if (x === undefined) return undefined;
            // Targets are of the source's account: a wildcard account field reads as that account.
            patterns.push(x.replace(/^(arn:[^:]*:iam::)\*:/, `$1${account}:`));
          }
          applies = patterns.every((x) => x === self) ? not : patterns;
        }
        if (i === 0 && identity.has(p) && st.effect === 'Allow' && allows !== 'all') {
          if (applies === true || not) allows = 'all';
          else if (applies !== false) allows.push(...applies);
        }
        if (typeof applies !== 'boolean') statements.push(applies);
      }
    }
  if (statements.length === 0) return 'uniform';
  return { allows: allows === 'all' ? 'all' : [...new Set(allows)].sort(), statements };
}

/**
 * A resource pattern as it reads for the source's requests: `${aws:username}` is a user's own name; undefined
 * for any other variable (its value is not known from the snapshot alone). Variables are text before 2012-10-17.
 */
function resolveFor(c: IndexedPrincipal, pattern: string, variables: boolean): string | undefined {
  if (!variables || !pattern.includes('${')) return pattern;
  let known = true;
  const out = pattern.replace(/\$\{([^}]*)\}/g, (_, inner: string) => {
    if (inner.trim().toLowerCase() === 'aws:username' && c.principal.kind === 'user') return c.principal.name;
    known = false;
    return '';
  });
  return known ? out : undefined;
}

/** One part of a split class: targets matching the same statements. */
interface Part {
  key: string;
  members: Principal[];
  /** Which patterns the part matches, for display: `matching arn:aws:iam::…:role/service-*`. */
  description: string;
}

/** Shared target lists, one array per class, so fan-out entries cost no memory per target. */
class TargetClasses {
  private readonly lists = new Map<string, { targets: string[] }>();
  private readonly members = new Map<string, Principal[]>();

  principals(key: string, make: () => Principal[]): Principal[] {
    let list = this.members.get(key);
    if (!list) this.members.set(key, (list = make()));
    return list;
  }

  private readonly parts = new Map<string, Part[]>();

  /**
   * The targets of a class (`key`, `all`) that a split's Allows can reach, in parts whose members match the same
   * statements; computed once per class and split (sources with the same policies share it), so the parts'
   * target lists are shared by their fan-out entries.
   */
  partition(key: string, all: () => Principal[], split: TargetSplit): Part[] {
    const id = `${key}\u0000${JSON.stringify(split)}`;
    let parts = this.parts.get(id);
    if (parts) return parts;
    const allows = split.allows === 'all' ? undefined : split.allows.map((p) => compileGlob(p));
    const statements = split.statements.map((patterns) => patterns.map((p) => compileGlob(p)));
    const bySignature = new Map<string, Principal[]>();
    for (const t of all()) {
      if (allows && !allows.some((matches) => matches(t.arn))) continue;
      const signature = statements.map((res) => (res.some((matches) => matches(t.arn)) ? '1' : '0')).join('');
      const list = bySignature.get(signature);
      if (list) list.push(t);
      else bySignature.set(signature, [t]);
    }
    // The statements that tell parts apart name them.
    const splitting = split.statements.filter(
      (_, i) => new Set([...bySignature.keys()].map((s) => s[i])).size > 1,
    );
    parts = [...bySignature].map(([signature, members]) => {
      const first = members[0]!.arn;
      const matched = split.allows === 'all' ? ['*'] : split.allows.filter((p) => globMatches(p, first));
      const labels = [`matching ${matched.join(' or ')}`];
      for (const patterns of splitting) {
        const i = split.statements.indexOf(patterns);
        labels.push(`${signature[i] === '1' ? '' : 'not '}matching ${patterns.join(' or ')}`);
      }
      return { key: `${id}\u0000${signature}`, members, description: labels.join(', ') };
    });
    this.parts.set(id, parts);
    return parts;
  }

  get(key: string, make: () => string[]): { targets: string[] } {
    let entry = this.lists.get(key);
    if (!entry) this.lists.set(key, (entry = { targets: make() }));
    return entry;
  }
}

function fanOut(
  b: Builder,
  rule: TechniqueRule,
  from: string,
  conj: Conjunction,
  cls: { targets: string[] },
  targetClass: string,
): void {
  if (cls.targets.length === 0 || (cls.targets.length === 1 && cls.targets[0] === from)) return;
  b.addFanOut({
    from,
    kind: 'escalate',
    technique: rule.id,
    conditional: conj.conditional,
    conditions: [...conj.conditions].sort(),
    evidence: b.intern(conj.evidence),
    targets: cls.targets,
    targetClass,
  });
}

function principalAccess(
  b: Builder,
  classes: TargetClasses,
  rule: TechniqueRule,
  c: IndexedPrincipal,
  base: Conjunction,
  /** Only targets with (true) or without (false) a credential report row; both, drawn apart, when undefined. */
  reported?: boolean,
): void {
  // A credential precondition is known from the report; a target without a row is reached only if it holds.
  const precondition = [
    rule.loginProfile && `if the target has ${rule.loginProfile === 'present' ? 'a' : 'no'} console password`,
    rule.needsKeySlot && 'if the target has fewer than two access keys',
  ].filter((x): x is string => typeof x === 'string');
  if (precondition.length && reported === undefined) {
    principalAccess(b, classes, rule, c, base, true);
    const unsure = base.clone();
    for (const text of precondition) unsure.assume(text);
    principalAccess(b, classes, rule, c, unsure, false);
    return;
  }
  const from = c.principal.arn;
  const account = accountOf(from);
  const targetReqs = rule.requires.filter(
    (r) => r.on === 'target' || r.on === 'target-policy' || r.on === 'target-trust',
  );
  const needsTrust = targetReqs.some((r) => r.on === 'target-trust');
  const needsPolicies = targetReqs.some((r) => r.on === 'target-policy');
  const kind = rule.targetKind!;
  // What the credential report says about the target, when the snapshot has it (unknown: eligible).
  const eligible = (t: Principal) => {
    if (t.kind === 'role' && isProtectedRole(t.arn)) return false;
    const creds = t.kind === 'user' ? t.credentials : undefined;
    if (reported !== undefined && (creds !== undefined) !== reported) return false;
    if (!creds) return true;
    if (rule.loginProfile && (rule.loginProfile === 'present') !== creds.passwordEnabled) return false;
    return !rule.needsKeySlot || creds.accessKeys.filter((k) => k.active || k.lastRotated).length < 2;
  };
  const withPolicies = (t: Principal) => !needsPolicies || attachedCustomerPolicies(b, t).length > 0;
  const key = `${kind}:${account}:${rule.loginProfile ?? ''}:${rule.needsKeySlot === true}:${needsPolicies}:${reported ?? ''}`;
  // The eligible targets of the source's account (a principal's credentials and policies are changed only from
  // inside its account), computed once per class (not per source).
  const all = () =>
    classes.principals(key, () =>
      b.principalsOfKind(kind, account).filter((t) => eligible(t) && withPolicies(t)),
    );
  const what = `every ${kind} of account ${account}${rule.loginProfile ? ` ${rule.loginProfile === 'present' ? 'with' : 'without'} a console password` : ''}${rule.needsKeySlot ? ' with fewer than two access keys' : ''}${reported === false ? ' (not in the credential report)' : ''}`;
  if (reported !== undefined && !b.perPair && all().length === 0) return;
  const policyPattern = `arn:${b.snapshot.partition}:iam::${account}:policy/*`;
  const targetActions = targetReqs.filter((r) => r.on === 'target').map((r) => r.action);
  const policiesUniform =
    !needsPolicies || targetReqs.every((r) => r.on !== 'target-policy' || uniform(c, r.action));
  const split = b.perPair || needsTrust || !policiesUniform ? undefined : targetSplit(c, targetActions);

  // The same answer for every target: one evaluation on the class's ARN pattern, one fan-out entry.
  if (split === 'uniform') {
    const conj = base.clone();
    const pattern = `arn:${b.snapshot.partition}:iam::${account}:${kind}/*`;
    for (const r of targetReqs)
      if (!conj.add(evaluateAs(c, r.action, r.on === 'target-policy' ? policyPattern : pattern))) return;
    const members = all();
    if (!rule.grantsTarget) {
      fanOut(
        b,
        rule,
        from,
        conj,
        classes.get(key, () => members.map((t) => t.arn)),
        what,
      );
      return;
    }
    // Rewriting a target's permissions: one without a boundary becomes admin; one with a boundary is reached.
    if (members.some((t) => t.arn !== from && !t.permissionsBoundary)) b.push(rule, from, ADMIN, conj);
    fanOut(
      b,
      rule,
      from,
      conj,
      classes.get(`${key}:bounded`, () => members.filter((t) => t.permissionsBoundary).map((t) => t.arn)),
      `every ${kind} with a permissions boundary of account ${account}`,
    );
    return;
  }

  // Targets that differ only by which statements' resources they match: one evaluation per part.
  if (split) {
    let adminFound = false;
    for (const part of classes.partition(key, all, split)) {
      const others = part.members.filter((t) => t.arn !== from);
      if (others.length === 0) continue;
      const bounded = others.filter((t) => t.permissionsBoundary);
      // Stop looking for ADMIN once found without conditions: only bounded targets are still reached.
      if (rule.grantsTarget && adminFound && bounded.length === 0) continue;
      const conj = base.clone();
      let denied = false;
      for (const r of targetReqs)
        if (!conj.add(evaluateAs(c, r.action, r.on === 'target-policy' ? policyPattern : others[0]!.arn))) {
          denied = true;
          break;
        }
      if (denied) continue;
      if (!rule.grantsTarget) {
        if (others.length === 1) b.push(rule, from, others[0]!.arn, conj);
        else
          fanOut(
            b,
            rule,
            from,
            conj,
            classes.get(part.key, () => part.members.map((t) => t.arn)),
            `${what} ${part.description}`,
          );
        continue;
      }
      if (bounded.length < others.length) {
        b.push(rule, from, ADMIN, conj);
        adminFound ||= !conj.conditional;
      }
      if (bounded.length === 1) b.push(rule, from, bounded[0]!.arn, conj);
      else if (bounded.length > 1)
        fanOut(
          b,
          rule,
          from,
          conj,
          classes.get(`${part.key}:bounded`, () =>
            part.members.filter((t) => t.permissionsBoundary).map((t) => t.arn),
          ),
          `every ${kind} with a permissions boundary of account ${account} ${part.description}`,
        );
    }
    return;
  }

  // Targets differ: evaluate each, narrowed by the resource patterns of the first target-side action.
  const first = targetReqs.find((r) => r.on === 'target');
  const filter = first && !b.perPair ? resourceFilter(c, first.action) : undefined;
  const assumable = b.assume.get(from);
  let targets: Principal[] = kind === 'user' ? b.users : b.roles;
  if (needsTrust) targets = assumable ? b.rolesAmong(assumable.keys()) : [];
  else if (!b.perPair) targets = all();
  let adminFound = false;
  for (const t of targets) {
    if (t.arn === from || (filter && !filter(t.arn)) || !eligible(t)) continue;
    if (!b.perPair && adminFound && !t.permissionsBoundary) continue;
    let conj: Conjunction | undefined = base.clone();
    for (const r of targetReqs) {
      if (!conj) break;
      if (r.on === 'target') conj = conj.add(evaluateAs(c, r.action, t.arn)) ? conj : undefined;
      else if (r.on === 'target-policy') conj = anyOf(conj, c, r.action, attachedCustomerPolicies(b, t));
      else conj = conj.add(b.assumeResult(from, t.arn)!) ? conj : undefined;
    }
    if (!conj) continue;
    const to = rule.grantsTarget && !t.permissionsBoundary ? ADMIN : t.arn;
    b.push(rule, from, to, conj);
    if (to === ADMIN && !conj.conditional) adminFound = true;
  }
}

/** The roles of `account` trusting the rule's service (with an instance profile when the rule needs one). */
function serviceRoles(
  b: Builder,
  rule: TechniqueRule,
  account: string,
): { role: IamRole; result: EvaluationResult }[] {
  const list = b.rolesTrusting(rule.service!, account);
  return rule.instanceProfile ? list.filter((x) => x.role.instanceProfiles.length > 0) : list;
}

function serviceClass(rule: TechniqueRule): string {
  return `every role trusting ${rule.service}${rule.instanceProfile ? ' with an instance profile' : ''}`;
}

/** The roles the service may assume without a condition (a conditional trust is drawn per role). */
function unconditionalServiceRoles(b: Builder, classes: TargetClasses, rule: TechniqueRule, account: string) {
  return classes.get(`service:${rule.service}:${rule.instanceProfile === true}:${account}`, () =>
    serviceRoles(b, rule, account)
      .filter((x) => x.result.decision === 'ALLOWED')
      .map((x) => x.role.arn),
  );
}

function passRole(
  b: Builder,
  classes: TargetClasses,
  rule: TechniqueRule,
  c: IndexedPrincipal,
  base: Conjunction,
): void {
  const from = c.principal.arn;
  const context = { 'iam:PassedToService': rule.service! };
  const account = accountOf(from);
  // Per pair: every account's roles, each asked of the engine (which denies passing another account's role).
  const roles = b.perPair
    ? b
        .allRolesTrusting(rule.service!)
        .filter((x) => !rule.instanceProfile || x.role.instanceProfiles.length > 0)
    : serviceRoles(b, rule, account);
  let perRole = roles;
  const split = b.perPair ? undefined : targetSplit(c, ['iam:PassRole']);
  if (split === 'uniform') {
    const conj = base.clone();
    const pattern = `arn:${b.snapshot.partition}:iam::${account}:role/*`;
    if (!conj.add(evaluateAs(c, 'iam:PassRole', pattern, c.compiled, context))) return;
    if (rule.assumption) conj.assume(rule.assumption.replaceAll('{role}', 'the role'));
    fanOut(b, rule, from, conj, unconditionalServiceRoles(b, classes, rule, account), serviceClass(rule));
    perRole = roles.filter((x) => x.result.decision !== 'ALLOWED');
  } else if (split) {
    // Scoped PassRole (`role/service-*`): the roles the service may assume without a condition, one evaluation
    // per part; a part of one role and the conditionally trusted roles are drawn per role below.
    const unconditional = roles.filter((x) => x.result.decision === 'ALLOWED').map((x) => x.role);
    const key = `service:${rule.service}:${rule.instanceProfile === true}:${account}`;
    const covered = new Set<string>();
    for (const part of classes.partition(key, () => unconditional, split)) {
      if (part.members.length < 2) continue;
      for (const t of part.members) covered.add(t.arn);
      const conj = base.clone();
      if (!conj.add(evaluateAs(c, 'iam:PassRole', part.members[0]!.arn, c.compiled, context))) continue;
      if (rule.assumption) conj.assume(rule.assumption.replaceAll('{role}', 'the role'));
      const cls = classes.get(part.key, () => part.members.map((t) => t.arn));
      fanOut(b, rule, from, conj, cls, `${serviceClass(rule)}, ${part.description}`);
    }
    perRole = roles.filter((x) => !covered.has(x.role.arn));
  }
  const filter = b.perPair ? undefined : resourceFilter(c, 'iam:PassRole');
  for (const { role, result: trust } of perRole) {
    if (filter && !filter(role.arn)) continue;
    const conj = base.clone();
    if (!conj.add(evaluateAs(c, 'iam:PassRole', role.arn, c.compiled, context))) continue;
    conj.add(trust);
    if (rule.assumption) conj.assume(rule.assumption.replaceAll('{role}', `role ${role.name}`));
    b.push(rule, from, role.arn, conj);
  }
}

function existingResource(
  b: Builder,
  classes: TargetClasses,
  rule: TechniqueRule,
  c: IndexedPrincipal,
  base: Conjunction,
): void {
  const conj = base.clone();
  conj.assume((rule.assumption ?? 'assumes: a resource runs as {role}').replaceAll('{role}', 'the role'));
  // A resource that already runs as the role got past the trust policy's conditions when it was set up, so a
  // conditional trust counts here. The source acts on its own account's resources, which run as that account's
  // roles.
  const account = accountOf(c.principal.arn);
  const roles = classes.get(`service-any:${rule.service}:${rule.instanceProfile === true}:${account}`, () =>
    serviceRoles(b, rule, account).map((x) => x.role.arn),
  );
  if (b.perPair) for (const t of roles.targets) b.push(rule, c.principal.arn, t, conj);
  else fanOut(b, rule, c.principal.arn, conj, roles, serviceClass(rule));
}

/**
 * Every action the builder evaluates for a source of `rule` — its requirements, PassRole, the admin probes
 * (admin verdicts, `adminWith`), deleting its own boundary (`boundaryGate`) and sts:AssumeRole (its CAN_ASSUME
 * answers, which `target-trust` requirements read): a change to the source's policies that no statement of which
 * can match one of them leaves the source's edges of `rule` as they were (`incremental.ts`).
 */
export function actionsReadBy(rule: TechniqueRule): string[] {
  return [
    ...rule.requires.map((r) => r.action),
    'iam:PassRole',
    ...ADMIN_PROBE_ACTIONS,
    'iam:DeleteUserPermissionsBoundary',
    'iam:DeleteRolePermissionsBoundary',
    ASSUME_TECHNIQUE,
  ];
}

/** The sources worth evaluating for a technique: candidates for each service it needs, each action named. */
function sourcesFor(
  b: Builder,
  rule: TechniqueRule,
  skip: Set<string>,
  only: ReadonlySet<string> | 'all' = 'all',
  /** Only the candidates of this account (the per-account build). */
  account?: string,
): IndexedPrincipal[] {
  if (only !== 'all' && only.size === 0) return [];
  const needed = rule.requires.filter((r: Requirement) => r.on !== 'target-trust');
  const services = [...new Set(needed.map((r) => r.action.split(':')[0]!.toLowerCase()))];
  const candidatesFor = (service: string) =>
    account === undefined ? b.index.candidatesFor(service) : b.candidatesIn(service, account);
  let candidates = candidatesFor(services[0]!);
  // A restricted build (few sources) checks its own sources, not every candidate of the service.
  if (only !== 'all') candidates = candidates.filter((c) => only.has(c.principal.arn));
  for (const s of services.slice(1)) {
    const set = new Set(candidatesFor(s));
    candidates = candidates.filter((c) => set.has(c));
  }
  return candidates.filter(
    (c) =>
      !skip.has(c.principal.arn) &&
      (!rule.sourceKind || c.principal.kind === rule.sourceKind) &&
      needed.every((r) => mayAllow(c, r.action)),
  );
}

export function buildEscalationGraphWith(
  snapshot: AccountSnapshot,
  techniques: TechniqueRule[],
  onProgress?: BuildOptions['onProgress'],
): EscalationGraph {
  return build(snapshot, techniques, onProgress).graph;
}

/** The admin verdicts of `arns` (those the index holds), as the builder decides them. */
export function adminVerdictsOf(index: CandidateIndex, arns?: Iterable<string>): Map<string, AdminVerdict> {
  const out = new Map<string, AdminVerdict>();
  const candidates = arns
    ? [...arns].flatMap((a) => {
        const c = index.byArn.get(a);
        return c ? [c] : [];
      })
    : index.candidatesFor('iam');
  for (const c of candidates) {
    if (!ADMIN_PROBE_ACTIONS.every((a) => mayAllow(c, a))) continue;
    const v = adminVerdictOf(c);
    if (v) out.set(c.principal.arn, v);
  }
  return out;
}

interface AssumeRestriction {
  /** Callers evaluated against every role. */
  sources: ReadonlySet<string>;
  /** Roles evaluated for every caller (with the roles sharing their trust policy). */
  roles: ReadonlySet<string>;
}

/**
 * A partial build (`incremental.ts`): only the listed (source, technique) and (source, role) pairs are evaluated,
 * with the admin verdicts given (the after snapshot's, for everyone), so the "admins get no CAN_ESCALATE edges"
 * choice reads the same verdicts a full build would.
 */
export interface Restriction {
  admins: ReadonlyMap<string, AdminVerdict>;
  assume: AssumeRestriction;
  /** Per technique: the sources to evaluate, or 'all' (every candidate). */
  techniqueSources(rule: TechniqueRule): ReadonlySet<string> | 'all';
}

export interface RestrictedBuild {
  graph: EscalationGraph;
  /**
   * The CAN_ASSUME callers evaluated against every role: `assume.sources` plus the sources of the
   * `target-trust` techniques evaluated (they read their own CAN_ASSUME answers).
   */
  assumeSources: ReadonlySet<string>;
}

export function buildRestricted(
  snapshot: AccountSnapshot,
  techniques: TechniqueRule[],
  restriction: Restriction,
): RestrictedBuild {
  return build(snapshot, techniques, undefined, restriction);
}

/**
 * The graph with every (source, target) pair asked of the engine and no classes (fan-out expanded to edges): the
 * reference the property tests hold `buildEscalationGraphWith` to. Quadratic; for small snapshots only.
 */
export function buildPerPair(snapshot: AccountSnapshot, techniques: TechniqueRule[]): EscalationGraph {
  return build(snapshot, techniques, undefined, undefined, true).graph;
}

function build(
  snapshot: AccountSnapshot,
  techniques: TechniqueRule[],
  onProgress?: BuildOptions['onProgress'],
  restriction?: Restriction,
  perPair = false,
): RestrictedBuild {
  const b = new Builder(snapshot, perPair);
  for (const [arn, v] of restriction?.admins ?? adminVerdictsOf(b.index)) b.admins.set(arn, v);
  const unconditionalAdmins = new Set(
    [...b.admins].filter(([, v]) => v.decision === 'ALLOWED').map(([a]) => a),
  );
  const evaluate = (
    rule: TechniqueRule,
    sources: () => IndexedPrincipal[],
    classes: TargetClasses,
    phase?: number,
  ) => {
    if (rule.outcome === 'assume') return;
    for (const c of sources()) {
      if (phase !== undefined) b.place = [phase, b.position(c)];
      const base = fixedPart(b, rule, c);
      if (!base) continue;
      if (rule.outcome === 'admin') selfEscalation(b, rule, c, base);
      else if (rule.outcome === 'principal') principalAccess(b, classes, rule, c, base);
      else if (rule.outcome === 'passrole') passRole(b, classes, rule, c, base);
      else existingResource(b, classes, rule, c, base);
    }
  };
  if (!restriction && !perPair) {
    // One account at a time: a source's CAN_ASSUME answers, classes and targets are of its own account (and the
    // roles of other accounts whose trusts name it), so what one account's sources read is released before the
    // next account's (`releaseSources`). Edges come in account order, each account's as a whole build's.
    const accounts = b.accounts();
    const total = 1 + accounts.length * (techniques.length + 1);
    onProgress?.(1, total, 'admins');
    let done = 1;
    for (const account of accounts) {
      const classes = new TargetClasses();
      assumeEdges(b, classes, undefined, account);
      onProgress?.(++done, total, `${account} assume`);
      for (const [i, rule] of techniques.entries()) {
        evaluate(rule, () => sourcesFor(b, rule, unconditionalAdmins, 'all', account), classes, 2 + i);
        onProgress?.(++done, total, `${account} ${rule.id}`);
      }
      b.releaseSources();
    }
    const { edges, fanOut } = accounts.length > 1 ? b.inSnapshotOrder() : b;
    return {
      graph: { edges, fanOut, admins: b.admins },
      assumeSources: new Set(b.index.principals.map((p) => p.principal.arn)),
    };
  }
  const total = techniques.length + 2;
  onProgress?.(1, total, 'admins');
  const selected = (rule: TechniqueRule): IndexedPrincipal[] =>
    sourcesFor(b, rule, unconditionalAdmins, restriction?.techniqueSources(rule));
  let assumeSources: Set<string> | undefined;
  if (restriction) {
    assumeSources = new Set(restriction.assume.sources);
    for (const rule of techniques)
      if (rule.outcome === 'principal' && rule.requires.some((r) => r.on === 'target-trust'))
        for (const c of selected(rule)) assumeSources.add(c.principal.arn);
  }
  const classes = new TargetClasses();
  assumeEdges(b, classes, restriction && { sources: assumeSources!, roles: restriction.assume.roles });
  onProgress?.(2, total, 'assume');
  techniques.forEach((rule, i) => {
    evaluate(rule, () => selected(rule), classes);
    onProgress?.(i + 3, total, rule.id);
  });
  return {
    graph: { edges: b.edges, fanOut: b.fanOut, admins: b.admins },
    assumeSources: assumeSources ?? new Set(b.index.principals.map((p) => p.principal.arn)),
  };
}
