/**
 * The who-can candidate index of one snapshot, compiled once: every principal's policy set with the compiled
 * policies shared between principals (a managed policy attached to 3,000 users is parsed and compiled once), and
 * a map from an action's service prefix to the principals whose identity policies could possibly allow it.
 *
 * Why the index is sound: without an identity-based Allow, a same-account request is allowed only when the
 * resource-based policy names the caller (reference_policies_evaluation-logic: "an explicit allow in either an
 * identity-based or a resource-based policy"); boundaries, SCPs, RCPs and session policies only ever limit
 * (access_policies_boundaries, orgs_manage_policies_scps). So a principal can be ALLOWED or CONDITIONAL for
 * `svc:Action` only if one of its identity Allow statements can match an action of `svc` — a literal
 * `svc:…` pattern, a pattern with a wildcard in the service part (`*`, `s*:Get*`), or a NotAction — or the
 * resource policy could name it. who-can adds the latter per query (`resourceCandidates`).
 */
import type { AccountSnapshot, Principal } from '../../schema/snapshot.ts';
import {
  allowedServices,
  parseArn,
  compilePolicySet,
  type CompiledPolicySet,
  type Policy,
  type PolicyInput,
  type PolicySet,
} from '../engine/index.ts';

/** One compiled policy (the engine keeps the type opaque; this is the element type of a compiled set). */
type CompiledPolicy = CompiledPolicySet['identity'][number];
type LayerKind = 'identity' | 'boundary' | 'scp' | 'rcp' | 'session';

export interface IndexedPrincipal {
  principal: Principal;
  /**
   * The ARN the request is made as: the user's ARN, or for a role a session of it
   * (`arn:aws:sts::ACCT:assumed-role/NAME/accessgraph`) — roles act only through sessions
   * (id_roles_use; reference_identifiers: assumed-role ARNs).
   */
  requestPrincipal: string;
  /** The snapshot's time (`collectedAt`), when known: the time of the requests asked about. */
  at?: string;
  /** The principal's layers without a resource policy; who-can adds the resource's per query. */
  compiled: CompiledPolicySet;
}

export interface CandidateIndex {
  principals: IndexedPrincipal[];
  byArn: Map<string, IndexedPrincipal>;
  /** Principals whose identity policies could allow some action of `service` (any case), in snapshot order. */
  candidatesFor(service: string): IndexedPrincipal[];
  /** Distinct documents compiled (per layer kind). */
  distinctPolicies: number;
  /** Principals left out because a policy of theirs did not parse (the importer should have caught it). */
  failures: { arn: string; message: string }[];
  /** What `deriveCandidateIndex` needs of this index: its compiler and the services of each policy. */
  readonly internals: IndexInternals;
}

/** Where the policies of a principal come from: `principalPolicySet` of `policy-set.ts`. */
export type PolicySetOf = (snapshot: AccountSnapshot, principalArn: string) => PolicySet | undefined;

export const SESSION_NAME = 'accessgraph';

export function requestPrincipalOf(p: Principal): string {
  if (p.kind === 'user') return p.arn;
  const arn = parseArn(p.arn);
  return `arn:${arn?.partition ?? ''}:sts::${arn?.account ?? ''}:assumed-role/${p.name}/${SESSION_NAME}`;
}

/**
 * Who asks and when, as the engine's request fields: the principal as it makes requests, the snapshot's time, and
 * for a role that its session's name is open (a policy naming one session of it grants "if the session is named").
 */
export function askedBy(
  p: Principal,
  at: string | undefined,
): { principal: string; at?: string; anySessionName?: boolean } {
  return {
    principal: requestPrincipalOf(p),
    ...(at ? { at } : {}),
    ...(p.kind === 'role' ? { anySessionName: true } : {}),
  };
}

/**
 * Compiles each distinct (layer kind, document) once, whatever the policy's id: a compiled policy depends on its
 * document only (its `source` is the caller's), so an AWS managed policy, a customer policy repeated in several
 * accounts of an organization and an inline document repeated on many principals share one compiled policy (and
 * the caches keyed by it: the escalation builder's pre-checks). Hands out copies carrying the caller's source. A
 * derived index's compiler asks its base's first, so both indexes hand out the same compiled policies.
 */
class PolicyCompiler {
  private readonly cache = new Map<LayerKind, Map<string, CompiledPolicy>>();
  count: number;

  constructor(private readonly base?: PolicyCompiler) {
    this.count = base?.count ?? 0;
  }

  private find(kind: LayerKind, document: string): CompiledPolicy | undefined {
    return this.cache.get(kind)?.get(document) ?? this.base?.find(kind, document);
  }

  get(input: PolicyInput, kind: LayerKind): CompiledPolicy {
    const document = typeof input.document === 'string' ? input.document : JSON.stringify(input.document);
    let hit = this.find(kind, document);
    if (!hit) {
      hit = compileOne({ id: input.id, document }, kind);
      let byDocument = this.cache.get(kind);
      if (!byDocument) this.cache.set(kind, (byDocument = new Map()));
      byDocument.set(document, hit);
      this.count++;
    }
    // The compiled statements are shared; only the source differs (id, name, attachedVia: user → group →
    // policy), which the engine reads solely to name and explain matches.
    return { ...hit, source: input };
  }
}

function compileOne(input: PolicyInput, kind: LayerKind): CompiledPolicy {
  // compilePolicySet is the engine's only compile entry point; one policy in the right layer compiles it with
  // that layer's checks, and throws PolicyParseError when it is invalid.
  switch (kind) {
    case 'identity':
      return compilePolicySet({ identity: [input] }).identity[0]!;
    case 'boundary':
      return compilePolicySet({ identity: [], boundary: input }).boundary!;
    case 'session':
      return compilePolicySet({ identity: [], session: input }).session!;
    case 'scp':
      return compilePolicySet({ identity: [], scps: [[input]] }).scps![0]![0]!;
    case 'rcp':
      return compilePolicySet({ identity: [], rcps: [[input]] }).rcps![0]![0]!;
  }
}

function compileSet(set: PolicySet, compiler: PolicyCompiler): CompiledPolicySet {
  return {
    identity: set.identity.map((p) => compiler.get(p, 'identity')),
    ...(set.boundary ? { boundary: compiler.get(set.boundary, 'boundary') } : {}),
    ...(set.scps ? { scps: set.scps.map((l) => l.map((p) => compiler.get(p, 'scp'))) } : {}),
    ...(set.rcps ? { rcps: set.rcps.map((l) => l.map((p) => compiler.get(p, 'rcp'))) } : {}),
    ...(set.session ? { session: compiler.get(set.session, 'session') } : {}),
    diagnostics: [],
  };
}

/** What a built index keeps to derive another from it (`deriveCandidateIndex`). */
export interface IndexInternals {
  compiler: PolicyCompiler;
  servicesOfPolicy: WeakMap<Policy, Set<string> | 'any'>;
}

function indexed(snapshot: AccountSnapshot, p: Principal, compiled: CompiledPolicySet): IndexedPrincipal {
  const at = snapshot.collectedAt;
  return { principal: p, requestPrincipal: requestPrincipalOf(p), ...(at ? { at } : {}), compiled };
}

/** Compile one principal's policy set and file it under the services its identity Allows could grant. */
function indexOne(
  snapshot: AccountSnapshot,
  p: Principal,
  policySetOf: PolicySetOf,
  { compiler, servicesOfPolicy }: IndexInternals,
): { entry: IndexedPrincipal; services: Set<string> | 'any' } | { failure: string } | undefined {
  const set = policySetOf(snapshot, p.arn);
  if (!set) return undefined;
  let compiled: CompiledPolicySet;
  try {
    compiled = compileSet(set, compiler);
  } catch (e) {
    return { failure: e instanceof Error ? e.message : String(e) };
  }
  const services = new Set<string>();
  for (const c of compiled.identity) {
    let s = servicesOfPolicy.get(c.policy);
    if (!s) servicesOfPolicy.set(c.policy, (s = allowedServices(c.policy)));
    if (s === 'any') return { entry: indexed(snapshot, p, compiled), services: s };
    for (const x of s) services.add(x);
  }
  return { entry: indexed(snapshot, p, compiled), services };
}

export function buildCandidateIndex(snapshot: AccountSnapshot, policySetOf: PolicySetOf): CandidateIndex {
  const own: IndexInternals = { compiler: new PolicyCompiler(), servicesOfPolicy: new WeakMap() };
  const principals: IndexedPrincipal[] = [];
  const failures: CandidateIndex['failures'] = [];
  const anyService: IndexedPrincipal[] = [];
  const byService = new Map<string, IndexedPrincipal[]>();
  for (const p of [...snapshot.users, ...snapshot.roles]) {
    const r = indexOne(snapshot, p, policySetOf, own);
    if (!r) continue;
    if ('failure' in r) {
      failures.push({ arn: p.arn, message: r.failure });
      continue;
    }
    principals.push(r.entry);
    if (r.services === 'any') anyService.push(r.entry);
    else
      for (const svc of r.services) {
        const list = byService.get(svc);
        if (list) list.push(r.entry);
        else byService.set(svc, [r.entry]);
      }
  }
  const order = new Map(principals.map((p, i) => [p, i]));
  const merged = new Map<string, IndexedPrincipal[]>();
  const index: CandidateIndex = {
    principals,
    byArn: new Map(principals.map((p) => [p.principal.arn, p])),
    distinctPolicies: own.compiler.count,
    failures,
    internals: own,
    candidatesFor(service) {
      const svc = service.toLowerCase();
      let list = merged.get(svc);
      if (!list) {
        list = [...anyService, ...(byService.get(svc) ?? [])].sort((a, b) => order.get(a)! - order.get(b)!);
        merged.set(svc, list);
      }
      return list;
    },
  };
  return index;
}

/**
 * The index of `snapshot` from the index of `from`, when only the principals in `changed` can have a different
 * policy set (a what-if overlay: `Overlay.affected`, whose contract is exactly that): every other principal keeps
 * its entry (a new one sharing the compiled set when the overlay replaced the principal object, e.g. its trust
 * policy), the changed ones are compiled with the base's compiler behind a new one, and the candidate lists are
 * the base's with the changed principals taken out and merged back in snapshot order. The same index a build
 * would give (candidate-index.test.ts holds it to one), for the cost of the changed principals: a what-if on a
 * 500-member group compiles and files those 500, not every principal of the account.
 */
export function deriveCandidateIndex(
  base: CandidateIndex,
  snapshot: AccountSnapshot,
  changed: ReadonlySet<string>,
  policySetOf: PolicySetOf,
): CandidateIndex {
  const parent = base.internals;
  const own: IndexInternals = {
    compiler: new PolicyCompiler(parent.compiler),
    servicesOfPolicy: parent.servicesOfPolicy,
  };
  const failedBefore = new Map(base.failures.map((f) => [f.arn, f]));
  const principals: IndexedPrincipal[] = [];
  const failures: CandidateIndex['failures'] = [];
  /** Entries whose candidate lists differ from the base's: the changed principals, in snapshot order. */
  const redone: { entry: IndexedPrincipal; services: Set<string> | 'any' }[] = [];
  /** Base entries replaced by an entry with the same compiled set (the principal object was replaced). */
  const replaced = new Map<IndexedPrincipal, IndexedPrincipal>();
  for (const p of [...snapshot.users, ...snapshot.roles]) {
    const kept = changed.has(p.arn) ? undefined : base.byArn.get(p.arn);
    if (kept) {
      const entry = kept.principal === p ? kept : { ...kept, principal: p };
      if (entry !== kept) replaced.set(kept, entry);
      principals.push(entry);
      continue;
    }
    const failed = changed.has(p.arn) ? undefined : failedBefore.get(p.arn);
    if (failed) {
      failures.push(failed);
      continue;
    }
    const r = indexOne(snapshot, p, policySetOf, own);
    if (!r) continue;
    if ('failure' in r) failures.push({ arn: p.arn, message: r.failure });
    else {
      principals.push(r.entry);
      redone.push(r);
    }
  }
  const byArn = new Map(principals.map((p) => [p.principal.arn, p]));
  const order = new Map(principals.map((p, i) => [p, i]));
  const merged = new Map<string, IndexedPrincipal[]>();
  const index: CandidateIndex = {
    principals,
    byArn,
    distinctPolicies: own.compiler.count,
    failures,
    internals: own,
    candidatesFor(service) {
      const svc = service.toLowerCase();
      let list = merged.get(svc);
      if (list) return list;
      // The base's list in its order, which the snapshot keeps for the principals both hold (an overlay only
      // replaces, removes and appends); the changed principals' new entries merged in by position.
      const kept: IndexedPrincipal[] = [];
      for (const c of base.candidatesFor(svc)) {
        const e = replaced.get(c) ?? c;
        if (byArn.get(e.principal.arn) === e) kept.push(e);
      }
      const added = redone.filter((r) => r.services === 'any' || r.services.has(svc)).map((r) => r.entry);
      list = [];
      let i = 0;
      for (const e of added) {
        const at = order.get(e)!;
        while (i < kept.length && order.get(kept[i]!)! < at) list.push(kept[i++]!);
        list.push(e);
      }
      while (i < kept.length) list.push(kept[i++]!);
      merged.set(svc, list);
      return list;
    },
  };
  return index;
}
