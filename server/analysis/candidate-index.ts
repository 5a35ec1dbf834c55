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
import type { AccountSnapshot, Principal } from '../../importers/snapshot/model.ts';
import {
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
}

/** Where the policies of a principal come from: `principalPolicySet` of `policy-set.ts`. */
export type PolicySetOf = (snapshot: AccountSnapshot, principalArn: string) => PolicySet | undefined;

export const SESSION_NAME = 'accessgraph';

export function requestPrincipalOf(p: Principal): string {
  if (p.kind === 'user') return p.arn;
  const [, partition, , , account] = p.arn.split(':');
  return `arn:${partition}:sts::${account}:assumed-role/${p.name}/${SESSION_NAME}`;
}

/** Services a policy's Allow statements could grant: a set of lower-case prefixes, or 'any'. */
export function allowedServices(policy: Policy): Set<string> | 'any' {
  const out = new Set<string>();
  for (const st of policy.statements) {
    if (st.effect !== 'Allow') continue;
    // NotAction allows everything it does not list: every service.
    if (st.notAction) return 'any';
    for (const pattern of st.action ?? []) {
      const colon = pattern.indexOf(':');
      const service = colon < 0 ? pattern : pattern.slice(0, colon);
      // `*`, or a wildcard inside the service prefix: could match any service.
      if (colon < 0 || /[*?]/.test(service)) return 'any';
      out.add(service.toLowerCase());
    }
  }
  return out;
}

/** Compiles each distinct (layer kind, id, document) once; hands out copies carrying the caller's attachment. */
class PolicyCompiler {
  private readonly cache = new Map<string, { document: string; compiled: CompiledPolicy }[]>();
  count = 0;

  get(input: PolicyInput, kind: LayerKind): CompiledPolicy {
    const document = typeof input.document === 'string' ? input.document : JSON.stringify(input.document);
    const key = `${kind}\u0000${input.id}`;
    const entries = this.cache.get(key) ?? [];
    let hit = entries.find((e) => e.document === document);
    if (!hit) {
      hit = { document, compiled: compileOne({ id: input.id, document }, kind) };
      entries.push(hit);
      this.cache.set(key, entries);
      this.count++;
    }
    // The compiled statements are shared; only the source differs (attachedVia: user → group → policy), which
    // the engine reads solely to explain matches.
    return { ...hit.compiled, source: input };
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

export function buildCandidateIndex(snapshot: AccountSnapshot, policySetOf: PolicySetOf): CandidateIndex {
  const compiler = new PolicyCompiler();
  const principals: IndexedPrincipal[] = [];
  const failures: CandidateIndex['failures'] = [];
  const servicesOfPolicy = new Map<Policy, Set<string> | 'any'>();
  const anyService: IndexedPrincipal[] = [];
  const byService = new Map<string, IndexedPrincipal[]>();
  for (const p of [...snapshot.users, ...snapshot.roles]) {
    const set = policySetOf(snapshot, p.arn);
    if (!set) continue;
    let compiled: CompiledPolicySet;
    try {
      compiled = compileSet(set, compiler);
    } catch (e) {
      failures.push({ arn: p.arn, message: e instanceof Error ? e.message : String(e) });
      continue;
    }
    const entry: IndexedPrincipal = { principal: p, requestPrincipal: requestPrincipalOf(p), compiled };
    principals.push(entry);
    const services = new Set<string>();
    let any = false;
    for (const c of compiled.identity) {
      let s = servicesOfPolicy.get(c.policy);
      if (!s) servicesOfPolicy.set(c.policy, (s = allowedServices(c.policy)));
      if (s === 'any') any = true;
      else for (const x of s) services.add(x);
    }
    if (any) anyService.push(entry);
    else
      for (const svc of services) {
        const list = byService.get(svc);
        if (list) list.push(entry);
        else byService.set(svc, [entry]);
      }
  }
  const order = new Map(principals.map((p, i) => [p, i]));
  const merged = new Map<string, IndexedPrincipal[]>();
  return {
    principals,
    byArn: new Map(principals.map((p) => [p.principal.arn, p])),
    distinctPolicies: compiler.count,
    failures,
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
}
