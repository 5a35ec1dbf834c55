/**
 * accessgraph's IAM policy engine — the only public surface of `server/engine/`. Pure: no I/O, no clock (time
 * comes from `aws:CurrentTime` / `aws:EpochTime` in the context). Parse → compile → evaluate:
 * `compilePolicySet` once per principal, then `evaluateCompiled` per request; `evaluate` does both.
 */
import type { Diagnostic } from './diagnostics.ts';
import type { Policy, PolicyKind } from './policy/model.ts';
import { parsePolicy as parse } from './policy/parse.ts';
import { compilePolicy, type CompiledPolicy } from './compile/policy.ts';
import type { ConditionExpr } from './conditions/expr.ts';
import { prepareRequest } from './evaluate/request.ts';
import { decide, type Layer, type LayerResults } from './evaluate/decide.ts';
import { evaluateIdentity } from './evaluate/layers/identity.ts';
import { evaluateBoundary } from './evaluate/layers/boundary.ts';
import { evaluateSession } from './evaluate/layers/session.ts';
import { evaluateScps, scpsApply } from './evaluate/layers/scp.ts';
import { evaluateRcps, rcpsApply } from './evaluate/layers/rcp.ts';
import { evaluateResource } from './evaluate/layers/resource.ts';
import { isKmsKeyRequest } from './services/kms.ts';
import { isRoleTrustRequest } from './services/sts.ts';
import { buildExplanation, type Explanation } from './explain.ts';

export type {
  Policy,
  PolicyKind,
  Statement,
  ConditionClause,
  PrincipalSpec,
  Effect,
} from './policy/model.ts';
export type { ConditionExpr, ConditionLeaf } from './conditions/expr.ts';
export { renderCondition, residualKeys } from './conditions/expr.ts';
export type { Explanation, LayerExplanation, StatementMatch, Contribution } from './explain.ts';
export { summarizeResult } from './explain.ts';
export type { Layer } from './evaluate/decide.ts';
export type { Diagnostic } from './diagnostics.ts';
/** IAM wildcard matching (`*`, `?`, anchored, linear time): the code base's one glob; see compile/glob.ts. */
export { compileGlob, globMatches, globsOverlap, hasWildcard, type StringPredicate } from './compile/glob.ts';
/** The action catalog (async `loadCatalog()` once, then synchronous lookups); see catalog.ts. */
export { loadCatalog, ActionCatalog, type ActionInfo, type ResourceTypeRef } from './catalog.ts';

/** ALLOWED / DENIED, or CONDITIONAL: allowed exactly when `conditions` holds for the still-unknown context. */
export type Decision = 'ALLOWED' | 'DENIED' | 'CONDITIONAL';

/** A policy with where it came from, for explanations. */
export interface PolicyInput {
  /** Policy ARN, or `inlinePolicyId(owner, name)`, or any label. */
  id: string;
  name?: string;
  /** JSON text or parsed object. */
  document: string | object;
  /** The attachment path, e.g. `['arn:…:user/alice', 'arn:…:group/Engineering']`. */
  attachedVia?: string[];
}

/** The policies that govern one request, by layer. */
export interface PolicySet {
  identity: PolicyInput[];
  boundary?: PolicyInput;
  /** One list per org level, root first, account last; absent = no SCPs apply (no org, management account). */
  scps?: PolicyInput[][];
  /** One list per org level; absent = no RCPs apply. */
  rcps?: PolicyInput[][];
  /** Resource policy, role trust policy, or KMS key policy. */
  resource?: PolicyInput;
  session?: PolicyInput;
}

export interface EvaluationRequest {
  /** IAM user / role / assumed-role session / root ARN, a 12-digit account id, a service principal, or `*`. */
  principal: string;
  /** `service:Action`, case-insensitive. */
  action: string;
  /** ARN, or `*`. */
  resource: string;
  /** Defaults to the account in the resource ARN, else the principal's account. */
  resourceAccount?: string;
  /** Condition keys (case-insensitive names), single- or multi-valued. */
  context?: Record<string, string | string[]>;
  /** true: the context is complete — keys not given are absent (AWS semantics), never CONDITIONAL. */
  strictContext?: boolean;
}

export interface EvaluationResult {
  decision: Decision;
  deniedBy?: { kind: 'explicit' | 'implicit'; layer: Layer; level?: number };
  /** When CONDITIONAL: the condition under which the request is ALLOWED. */
  conditions?: ConditionExpr;
  explanation: Explanation;
}

/** Thrown by `evaluate`/`compilePolicySet` when a policy document is invalid; `diagnostics` say where. */
export class PolicyParseError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    const first = diagnostics.find((d) => d.severity === 'error');
    super(
      first
        ? `invalid policy ${first.file ?? ''}: ${first.jsonPath ? `${first.jsonPath}: ` : ''}${first.message}`
        : 'invalid policy',
    );
    this.name = 'PolicyParseError';
    this.diagnostics = diagnostics;
  }
}

/** A policy set compiled once, reusable across requests. Opaque: pass it to `evaluateCompiled`. */
export interface CompiledPolicySet {
  readonly identity: CompiledPolicy[];
  readonly boundary?: CompiledPolicy;
  readonly scps?: CompiledPolicy[][];
  readonly rcps?: CompiledPolicy[][];
  readonly resource?: CompiledPolicy;
  readonly session?: CompiledPolicy;
  /** Warnings from parsing (duplicate Sids, …). */
  readonly diagnostics: Diagnostic[];
}

/** Parse one policy document into the typed model; never throws. `kind` enables kind-specific checks. */
export function parsePolicy(
  document: string | object,
  options?: { kind?: PolicyKind },
): { policy?: Policy; diagnostics: Diagnostic[] } {
  return parse(document, options ?? {});
}

/** Compile every policy of a set. Throws PolicyParseError listing every error if any document is invalid. */
export function compilePolicySet(policies: PolicySet): CompiledPolicySet {
  const diagnostics: Diagnostic[] = [];
  const one = (p: PolicyInput, kind: PolicyKind): CompiledPolicy | undefined => {
    const r = compilePolicy(p, kind);
    diagnostics.push(...r.diagnostics);
    return r.compiled;
  };
  const identity = policies.identity.map((p) => one(p, 'identity'));
  const boundary = policies.boundary && one(policies.boundary, 'boundary');
  const scps = policies.scps?.map((level) => level.map((p) => one(p, 'scp')));
  const rcps = policies.rcps?.map((level) => level.map((p) => one(p, 'rcp')));
  const resource = policies.resource && one(policies.resource, 'resource');
  const session = policies.session && one(policies.session, 'session');
  if (diagnostics.some((d) => d.severity === 'error')) throw new PolicyParseError(diagnostics);
  // INVARIANT: no error diagnostics means every policy compiled.
  return {
    identity: identity as CompiledPolicy[],
    ...(boundary ? { boundary } : {}),
    ...(scps ? { scps: scps as CompiledPolicy[][] } : {}),
    ...(rcps ? { rcps: rcps as CompiledPolicy[][] } : {}),
    ...(resource ? { resource } : {}),
    ...(session ? { session } : {}),
    diagnostics,
  };
}

/** Decide one request against a compiled policy set. Never throws on valid input. */
export function evaluateCompiled(request: EvaluationRequest, compiled: CompiledPolicySet): EvaluationResult {
  const req = prepareRequest(request);
  const p = req.principal;
  // Service principals, identity providers (web identity / SAML callers) and anonymous callers have no identity
  // policies: only the resource (trust) policy can grant them anything.
  const hasIdentitySide = p.kind !== 'service' && p.kind !== 'anonymous' && p.kind !== 'identity-provider';
  const layers: LayerResults = { identity: evaluateIdentity(compiled.identity, req) };
  const notes: string[] = [];
  // Boundaries and session policies constrain IAM users and role sessions only (not root, services, anonymous).
  if (compiled.boundary && hasIdentitySide && p.kind !== 'root')
    layers.boundary = evaluateBoundary(compiled.boundary, req);
  if (compiled.session && hasIdentitySide && p.kind !== 'root')
    layers.session = evaluateSession(compiled.session, req);
  if (compiled.scps) {
    if (scpsApply(req)) layers.scps = evaluateScps(compiled.scps, req);
    else notes.push('SCPs do not apply to this principal');
  } else notes.push('no SCPs given: none applied');
  if (compiled.rcps) {
    if (rcpsApply(req)) layers.rcps = evaluateRcps(compiled.rcps, req);
    else notes.push('RCPs do not apply to this principal');
  }
  if (compiled.resource)
    layers.resource = evaluateResource(compiled.resource, req, layers.boundary !== undefined);
  const crossAccount =
    p.account !== undefined && req.resourceAccount !== undefined && p.account !== req.resourceAccount;
  const needsResourcePolicy =
    isKmsKeyRequest(req.serviceLower, req.nameLower) || isRoleTrustRequest(req.serviceLower, req.nameLower);
  if (needsResourcePolicy && !compiled.resource)
    notes.push('this action needs a resource policy (key policy or trust policy) and none was given');
  const facts = { crossAccount, resourcePolicyRequired: needsResourcePolicy, hasIdentitySide };
  const verdict = decide(layers, facts);
  const decision: Decision =
    verdict.allowed === true ? 'ALLOWED' : verdict.allowed === false ? 'DENIED' : 'CONDITIONAL';
  // The explanation is built on first access, so deciding stays cheap when nobody asks why; it is an
  // enumerable getter, so JSON.stringify and structural equality still see it.
  let explanation: Explanation | undefined;
  return {
    decision,
    ...(verdict.deniedBy ? { deniedBy: verdict.deniedBy } : {}),
    ...(typeof verdict.allowed === 'object' ? { conditions: verdict.allowed } : {}),
    get explanation(): Explanation {
      return (explanation ??= buildExplanation(layers, facts, notes));
    },
  };
}

/**
 * Whether `service:Action` needs the resource policy to allow even within one account: a KMS action on a key
 * (the key policy) or a role-trust action (the trust policy). Callers that group actions to evaluate one per group
 * (analysis/access.ts) must not mix actions that differ here.
 */
export function resourcePolicyRequired(action: string): boolean {
  const colon = action.indexOf(':');
  const service = action.slice(0, colon).toLowerCase();
  const name = action.slice(colon + 1).toLowerCase();
  return isKmsKeyRequest(service, name) || isRoleTrustRequest(service, name);
}

/** Compile and decide in one call. Throws PolicyParseError only when a policy document is invalid. */
export function evaluate(request: EvaluationRequest, policies: PolicySet): EvaluationResult {
  return evaluateCompiled(request, compilePolicySet(policies));
}

/** The conventional id for an inline policy: `<owner ARN>#inline/<name>`. */
export function inlinePolicyId(ownerArn: string, policyName: string): string {
  return `${ownerArn}#inline/${policyName}`;
}
