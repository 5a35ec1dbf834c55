/**
 * accessgraph's IAM policy engine — the only public surface of `server/engine/`. Pure: no I/O, no clock (time
 * comes from the request's `at` or from `aws:CurrentTime` / `aws:EpochTime` in the context). Parse → compile →
 * evaluate: `compilePolicySet` once per principal, then `evaluateCompiled` per request; `evaluate` does both.
 */
import type { Diagnostic } from '../../schema/diagnostics.ts';
import type { Policy, PolicyKind } from './policy/model.ts';
import { parsePolicy as parse } from './policy/parse.ts';
import { compilePolicy, type CompiledPolicy } from './compile/policy.ts';
import type { ConditionExpr } from './conditions/expr.ts';
import { prepareRequest } from './evaluate/request.ts';
import { decide, type DenialKind, type Layer, type LayerResults, type Verdict } from './evaluate/decide.ts';
import { evaluateIdentity } from './evaluate/layers/identity.ts';
import { evaluateBoundary } from './evaluate/layers/boundary.ts';
import { evaluateSession } from './evaluate/layers/session.ts';
import { evaluateScps, scpsApply } from './evaluate/layers/scp.ts';
import { evaluateRcps, rcpsApply } from './evaluate/layers/rcp.ts';
import { evaluateResource } from './evaluate/layers/resource.ts';
import { isKmsKeyRequest } from './services/kms.ts';
import { isRoleTrustRequest } from './services/sts.ts';
import { mayHaveServiceRule, needsNoPermission, serviceRuleFor, type ServiceRule } from './services/rules.ts';
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
export { readsCallerIdentity } from './evaluate/caller-dependence.ts';
export type { Layer, DenialKind } from './evaluate/decide.ts';
export type { ServiceRule } from './services/rules.ts';
export { isProtectedRole, isAwsManagedPolicy, protectedRoleKind } from './services/iam.ts';
/** The one ARN parser (arn.ts). */
export { arnAccount, arnService, parseArn, splitArn, type Arn } from './arn.ts';
export type { Diagnostic } from '../../schema/diagnostics.ts';
/** IAM wildcard matching (`*`, `?`, anchored, linear time): the code base's one glob; see compile/glob.ts. */
export { compileGlob, globMatches, globsOverlap, hasWildcard, type StringPredicate } from './compile/glob.ts';
export { allowedServices } from './allowed-services.ts';
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
  /** The VPC endpoint policy, when the request goes through a VPC endpoint (it must allow; its Deny denies). */
  endpoint?: PolicyInput;
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
  /** When the request is made (ISO 8601), e.g. the snapshot's time: settles aws:CurrentTime and aws:EpochTime and
   * bounds aws:TokenIssueTime (evaluate/facts.ts). Without it only what the principal alone settles is used. */
  at?: string;
  /** The principal is a role session (`…:assumed-role/R/name`) whose name the question leaves open (`name` is a
   * placeholder): a resource policy naming one session of R grants only "if the session is named …". A role ARN
   * as the principal always means a session of any name. Ignored with `strictContext`. */
  anySessionName?: boolean;
}

export interface EvaluationResult {
  decision: Decision;
  /** `service`: a service rule refused it whatever the policies say (`serviceRule` says which). */
  deniedBy?: { kind: DenialKind; layer: Layer; level?: number };
  /** When CONDITIONAL: the condition under which the request is ALLOWED. */
  conditions?: ConditionExpr;
  /** A service rule decided the request whatever the policies say; `explanation` still shows the layers. */
  serviceRule?: ServiceRule;
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
  readonly endpoint?: CompiledPolicy;
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
  // An endpoint policy is a resource-based policy: it names principals (vpc-endpoints-access).
  const endpoint = policies.endpoint && one(policies.endpoint, 'resource');
  if (diagnostics.some((d) => d.severity === 'error')) throw new PolicyParseError(diagnostics);
  // INVARIANT: no error diagnostics means every policy compiled.
  return {
    identity: identity as CompiledPolicy[],
    ...(boundary ? { boundary } : {}),
    ...(scps ? { scps: scps as CompiledPolicy[][] } : {}),
    ...(rcps ? { rcps: rcps as CompiledPolicy[][] } : {}),
    ...(resource ? { resource } : {}),
    ...(session ? { session } : {}),
    ...(endpoint ? { endpoint } : {}),
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
  if (compiled.endpoint) {
    const { allow, deny, matches } = evaluateResource(compiled.endpoint, req, layers.boundary !== undefined);
    layers.endpoint = { allow, deny, matches };
  }
  const crossAccount =
    p.account !== undefined && req.resourceAccount !== undefined && p.account !== req.resourceAccount;
  const needsResourcePolicy =
    isKmsKeyRequest(req.serviceLower, req.nameLower, req.resource) ||
    isRoleTrustRequest(req.serviceLower, req.nameLower);
  if (needsResourcePolicy && !compiled.resource)
    notes.push('this action needs a resource policy (key policy or trust policy) and none was given');
  const facts = { crossAccount, resourcePolicyRequired: needsResourcePolicy, hasIdentitySide };
  // A service rule overrides the layers; "needs no permission" is for callers with an identity (not services or
  // anonymous callers). The layers are still evaluated, so the explanation shows what the policies said.
  const found = serviceRuleFor(req.serviceLower, req.nameLower, req.resource);
  const rule = found && (found.effect === 'Deny' || hasIdentitySide) ? found : undefined;
  const verdict: Verdict = !rule
    ? decide(layers, facts)
    : rule.effect === 'Allow'
      ? { allowed: true }
      : { allowed: false, deniedBy: { kind: 'service', layer: 'resource' } };
  for (const d of req.settled) notes.push(`${d.key} decided a condition: ${d.because}`);
  const decision: Decision =
    verdict.allowed === true ? 'ALLOWED' : verdict.allowed === false ? 'DENIED' : 'CONDITIONAL';
  // The explanation is built on first access, so deciding stays cheap when nobody asks why; it is an
  // enumerable getter, so JSON.stringify and structural equality still see it.
  let explanation: Explanation | undefined;
  return {
    decision,
    ...(verdict.deniedBy ? { deniedBy: verdict.deniedBy } : {}),
    ...(typeof verdict.allowed === 'object' ? { conditions: verdict.allowed } : {}),
    ...(rule ? { serviceRule: rule } : {}),
    get explanation(): Explanation {
      return (explanation ??= buildExplanation(layers, facts, notes));
    },
  };
}

/**
 * Whether `service:Action` needs the resource policy to allow even within one account: a KMS action on a key
 * (the key policy) or a role-trust action (the trust policy). On an alias ARN the KMS alias actions need IAM
 * policies only (services/kms.ts); this answers for the key.
 */
export function resourcePolicyRequired(action: string): boolean {
  const { service, name } = splitAction(action);
  return isKmsKeyRequest(service, name) || isRoleTrustRequest(service, name);
}

/**
 * The engine rules an action is subject to besides its statements, as a key: two actions of one service with the
 * same key, matched by the same statements, get the same answer on the same resource. Callers that evaluate one
 * action for a group of such actions (analysis/access.ts, what-if/grants.ts) group by it.
 */
export function actionRuleKey(action: string): string {
  const { service, name } = splitAction(action);
  // Service rules and the KMS alias split depend on the resource as well: such an action is its own group.
  if (mayHaveServiceRule(service, name)) return `${service}:${name}`;
  return resourcePolicyRequired(action) ? `${service}!` : service;
}

/**
 * Whether a service rule or the KMS alias split can make the answer for `service:Action` depend on the resource ARN
 * itself; otherwise only which statements' Resource patterns match the ARN (and the resource's account) does.
 */
export function ruleDependsOnResource(action: string): boolean {
  const { service, name } = splitAction(action);
  return mayHaveServiceRule(service, name);
}

/** Whether `service:Action` needs no permission at all (sts:GetCallerIdentity): every principal may call it. */
export function permissionRequired(action: string): boolean {
  const { service, name } = splitAction(action);
  return !needsNoPermission(service, name);
}

function splitAction(action: string): { service: string; name: string } {
  const colon = action.indexOf(':');
  return { service: action.slice(0, colon).toLowerCase(), name: action.slice(colon + 1).toLowerCase() };
}

/** Compile and decide in one call. Throws PolicyParseError only when a policy document is invalid. */
export function evaluate(request: EvaluationRequest, policies: PolicySet): EvaluationResult {
  return evaluateCompiled(request, compilePolicySet(policies));
}

/** The conventional id for an inline policy: `<owner ARN>#inline/<name>`. */
export function inlinePolicyId(ownerArn: string, policyName: string): string {
  return `${ownerArn}#inline/${policyName}`;
}
