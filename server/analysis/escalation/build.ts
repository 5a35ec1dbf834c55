/**
 * The edge builder: every CAN_ASSUME and CAN_ESCALATE edge of a snapshot, and its admin-equivalent principals,
 * each decided by the engine per principal — all of its policies together (an escalation split over two
 * policies is found), explicit denies, its boundary and its SCPs (`principalPolicySet`) — with residual
 * conditions kept on the edge and the Allow statements that grant each needed permission as evidence.
 *
 * Not O(principals × principals × techniques): per technique, the sources are the who-can candidates for every
 * service it needs, narrowed by a syntactic pre-check (some identity Allow statement names each action); targets
 * are narrowed by the resource patterns of the statements that could grant the target-side action; role trust is
 * evaluated only for the principals a trust policy names, or the `sts` candidates of the accounts it names.
 *
 * Choices, documented in README.md:
 * - an admin-equivalent principal (unconditionally) gets no CAN_ESCALATE edges: it reaches ADMIN in one step
 *   already, and its edges to every user and role would only add noise; its CAN_ASSUME edges are kept;
 * - a source that changes its own permissions reaches ADMIN only when it has no boundary or may delete it;
 * - rewriting a target's permissions leads to ADMIN when the target has no boundary, otherwise to the target;
 * - `existing` techniques (a resource that already runs as a role) lead to every role that trusts the service,
 *   conditional on the resource existing: the snapshot does not list instances, functions or stacks.
 */
import type {
  AccountSnapshot,
  IamGroup,
  IamRole,
  IamUser,
  Principal,
} from '../../../importers/snapshot/model.ts';
import { defaultDocument } from '../../../importers/snapshot/model.ts';
import {
  compilePolicySet,
  evaluateCompiled,
  type CompiledPolicySet,
  type EvaluationResult,
  type PolicyInput,
} from '../../engine/index.ts';
import type { CandidateIndex, IndexedPrincipal } from '../candidate-index.ts';
import { candidateIndexOf, resourceCandidates } from '../who-can.ts';
import { adminVerdictOf, Conjunction, deleteBoundaryAction, evaluateAs } from './admin.ts';
import { ADMIN, type AdminVerdict, type EscalationEdge, type EscalationGraph } from './graph.ts';
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

/** Everything the techniques share for one snapshot, computed once. */
class Builder {
  readonly index: CandidateIndex;
  readonly edges: EscalationEdge[] = [];
  readonly admins = new Map<string, AdminVerdict>();
  readonly roles: IamRole[];
  readonly users: IamUser[];
  readonly groups: Map<string, IamGroup>;
  /** (source ARN) → (role ARN) → the CAN_ASSUME evaluation, when not DENIED. */
  readonly assume = new Map<string, Map<string, EvaluationResult>>();
  private readonly trust = new Map<string, TrustLayer | null>();
  private readonly trusting = new Map<string, { role: IamRole; result: EvaluationResult }[]>();
  private readonly groupCompiled = new Map<string, Compiled[] | null>();

  constructor(readonly snapshot: AccountSnapshot) {
    this.index = candidateIndexOf(snapshot);
    this.roles = snapshot.roles;
    this.users = snapshot.users;
    this.groups = new Map(snapshot.groups.map((g) => [g.arn, g]));
  }

  trustOf(role: IamRole): TrustLayer | undefined {
    let t = this.trust.get(role.arn);
    if (t === undefined) {
      try {
        t =
          compilePolicySet({
            identity: [],
            resource: { id: role.arn, name: `trust policy of ${role.name}`, document: role.trustPolicy },
          }).resource ?? null;
      } catch {
        t = null; // An invalid trust policy grants nothing; the importer reports it.
      }
      this.trust.set(role.arn, t);
    }
    return t ?? undefined;
  }

  /** Roles whose trust policy lets `service` assume them (with the trust policy's residual, if any). */
  rolesTrusting(service: string): { role: IamRole; result: EvaluationResult }[] {
    let list = this.trusting.get(service);
    if (!list) {
      list = [];
      for (const role of this.roles) {
        const trust = this.trustOf(role);
        if (!trust) continue;
        const result = evaluateCompiled(
          { principal: service, action: 'sts:AssumeRole', resource: role.arn },
          { identity: [], resource: trust, diagnostics: [] },
        );
        if (result.decision !== 'DENIED') list.push({ role, result });
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

  fill(template: string, account: string): string {
    return template.replaceAll('${Partition}', this.snapshot.partition).replaceAll('${Account}', account);
  }

  push(rule: TechniqueRule | typeof ASSUME_TECHNIQUE, from: string, to: string, conj: Conjunction): void {
    if (from === to) return;
    this.edges.push({
      from,
      to,
      kind: rule === ASSUME_TECHNIQUE ? 'assume' : 'escalate',
      technique: rule === ASSUME_TECHNIQUE ? ASSUME_TECHNIQUE : rule.id,
      conditional: conj.conditional,
      conditions: [...conj.conditions].sort(),
      evidence: conj.evidence,
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Syntactic pre-checks over a principal's identity statements (sound: they never drop a principal the engine
// would allow; the engine decides).

const globCache = new Map<string, RegExp>();
function glob(pattern: string, flags = 'i'): RegExp {
  const key = `${flags}\u0000${pattern}`;
  let re = globCache.get(key);
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    globCache.set(key, (re = new RegExp(`^${body}$`, flags)));
  }
  return re;
}

function statementMatchesAction(st: Compiled['policy']['statements'][number], action: string): boolean {
  if (st.notAction) return !st.notAction.some((p) => glob(p).test(action));
  return (st.action ?? []).some((p) => glob(p).test(action));
}

/** Some identity Allow statement could match `action`. */
function mayAllow(c: IndexedPrincipal, action: string): boolean {
  return c.compiled.identity.some((p) =>
    p.policy.statements.some((st) => st.effect === 'Allow' && statementMatchesAction(st, action)),
  );
}

/**
 * A test that keeps every ARN some identity Allow statement for `action` could match (variables widened to `*`,
 * NotResource to everything); undefined when any ARN could match.
 */
function resourceFilter(c: IndexedPrincipal, action: string): ((arn: string) => boolean) | undefined {
  const patterns: RegExp[] = [];
  for (const p of c.compiled.identity)
    for (const st of p.policy.statements) {
      if (st.effect !== 'Allow' || !statementMatchesAction(st, action)) continue;
      if (!st.resource) return undefined;
      for (const r of st.resource) {
        const widened = r.replace(/\$\{[^}]*\}/g, '*');
        if (widened === '*') return undefined;
        patterns.push(glob(widened, ''));
      }
    }
  return (arn) => patterns.some((re) => re.test(arn));
}

// ---------------------------------------------------------------------------------------------------------------

function accountOf(arn: string): string {
  return arn.split(':')[4] ?? '';
}

function withTrust(compiled: CompiledPolicySet, trust: TrustLayer): CompiledPolicySet {
  return { ...compiled, resource: trust };
}

/** CAN_ASSUME: `sts:AssumeRole` on every role, its trust policy as the resource policy. */
function assumeEdges(b: Builder): void {
  const stsCandidates = b.index.candidatesFor('sts').filter((c) => mayAllow(c, 'sts:AssumeRole'));
  for (const role of b.roles) {
    const trust = b.trustOf(role);
    if (!trust) continue;
    const named = resourceCandidates(b.index, trust.policy);
    // Accounts the trust policy names delegate to their principals' identity policies.
    const accounts = new Set<string>();
    for (const st of trust.policy.statements)
      if (st.effect === 'Allow')
        for (const v of st.principal?.aws ?? []) {
          if (/^\d{12}$/.test(v)) accounts.add(v);
          else if (v.endsWith(':root')) accounts.add(accountOf(v));
        }
    let candidates: IndexedPrincipal[];
    if (named === 'all') candidates = b.index.principals;
    else {
      const set = new Set(named);
      if (accounts.size)
        for (const c of stsCandidates) if (accounts.has(accountOf(c.principal.arn))) set.add(c);
      candidates = [...set];
    }
    for (const c of candidates) {
      if (c.principal.arn === role.arn) continue;
      const result = evaluateAs(c, 'sts:AssumeRole', role.arn, withTrust(c.compiled, trust));
      if (result.decision === 'DENIED') continue;
      let m = b.assume.get(c.principal.arn);
      if (!m) b.assume.set(c.principal.arn, (m = new Map()));
      m.set(role.arn, result);
      const conj = new Conjunction();
      conj.add(result);
      b.push(ASSUME_TECHNIQUE, c.principal.arn, role.arn, conj);
    }
  }
}

/** The customer managed policies attached to a principal (directly, or through its groups for a user). */
function attachedCustomerPolicies(b: Builder, p: Principal): string[] {
  const arns = new Set(p.attachedPolicies);
  if (p.kind === 'user')
    for (const g of p.groups) for (const a of b.groups.get(g)?.attachedPolicies ?? []) arns.add(a);
  return [...arns].filter((a) => !a.startsWith(`arn:${b.snapshot.partition}:iam::aws:policy/`));
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

function principalAccess(b: Builder, rule: TechniqueRule, c: IndexedPrincipal, base: Conjunction): void {
  const from = c.principal.arn;
  const targetReqs = rule.requires.filter(
    (r) => r.on === 'target' || r.on === 'target-policy' || r.on === 'target-trust',
  );
  // Narrow the targets by the first target-side action's resource patterns.
  const first = targetReqs.find((r) => r.on === 'target');
  const filter = first ? resourceFilter(c, first.action) : undefined;
  const assumable = b.assume.get(from);
  const needsTrust = targetReqs.some((r) => r.on === 'target-trust');
  let targets: Principal[] = rule.targetKind === 'user' ? b.users : b.roles;
  if (needsTrust) targets = b.roles.filter((r) => assumable?.has(r.arn));
  for (const t of targets) {
    if (t.arn === from || (filter && !filter(t.arn))) continue;
    if (rule.loginProfile && t.kind === 'user' && t.credentials) {
      const has = t.credentials.passwordEnabled;
      if ((rule.loginProfile === 'present') !== has) continue;
    }
    let conj: Conjunction | undefined = base.clone();
    for (const r of targetReqs) {
      if (!conj) break;
      if (r.on === 'target') conj = conj.add(evaluateAs(c, r.action, t.arn)) ? conj : undefined;
      else if (r.on === 'target-policy') conj = anyOf(conj, c, r.action, attachedCustomerPolicies(b, t));
      else conj = conj.add(assumable!.get(t.arn)!) ? conj : undefined;
    }
    if (!conj) continue;
    b.push(rule, from, rule.grantsTarget && !t.permissionsBoundary ? ADMIN : t.arn, conj);
  }
}

function serviceRoles(b: Builder, rule: TechniqueRule): { role: IamRole; result: EvaluationResult }[] {
  const list = b.rolesTrusting(rule.service!);
  return rule.instanceProfile ? list.filter((x) => x.role.instanceProfiles.length > 0) : list;
}

function passRole(b: Builder, rule: TechniqueRule, c: IndexedPrincipal, base: Conjunction): void {
  const filter = resourceFilter(c, 'iam:PassRole');
  const context = { 'iam:PassedToService': rule.service! };
  for (const { role, result: trust } of serviceRoles(b, rule)) {
    if (filter && !filter(role.arn)) continue;
    const conj = base.clone();
    if (!conj.add(evaluateAs(c, 'iam:PassRole', role.arn, c.compiled, context))) continue;
    conj.add(trust);
    if (rule.assumption) conj.assume(rule.assumption.replaceAll('{role}', role.name));
    b.push(rule, c.principal.arn, role.arn, conj);
  }
}

function existingResource(b: Builder, rule: TechniqueRule, c: IndexedPrincipal, base: Conjunction): void {
  for (const { role } of serviceRoles(b, rule)) {
    const conj = base.clone();
    conj.assume(
      (rule.assumption ?? 'assumes: a resource runs as role {role}').replaceAll('{role}', role.name),
    );
    b.push(rule, c.principal.arn, role.arn, conj);
  }
}

/** The sources worth evaluating for a technique: candidates for each service it needs, each action named. */
function sourcesFor(b: Builder, rule: TechniqueRule, skip: Set<string>): IndexedPrincipal[] {
  const needed = rule.requires.filter((r: Requirement) => r.on !== 'target-trust');
  const services = [...new Set(needed.map((r) => r.action.split(':')[0]!.toLowerCase()))];
  let candidates = b.index.candidatesFor(services[0]!);
  for (const s of services.slice(1)) {
    const set = new Set(b.index.candidatesFor(s));
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
  const b = new Builder(snapshot);
  const total = techniques.length + 2;
  for (const c of b.index.candidatesFor('iam')) {
    const v = adminVerdictOf(c);
    if (v) b.admins.set(c.principal.arn, v);
  }
  onProgress?.(1, total, 'admins');
  assumeEdges(b);
  onProgress?.(2, total, 'assume');
  const unconditionalAdmins = new Set(
    [...b.admins].filter(([, v]) => v.decision === 'ALLOWED').map(([a]) => a),
  );
  techniques.forEach((rule, i) => {
    if (rule.outcome !== 'assume')
      for (const c of sourcesFor(b, rule, unconditionalAdmins)) {
        const base = fixedPart(b, rule, c);
        if (!base) continue;
        if (rule.outcome === 'admin') selfEscalation(b, rule, c, base);
        else if (rule.outcome === 'principal') principalAccess(b, rule, c, base);
        else if (rule.outcome === 'passrole') passRole(b, rule, c, base);
        else existingResource(b, rule, c, base);
      }
    onProgress?.(i + 3, total, rule.id);
  });
  return { edges: b.edges, admins: b.admins };
}
