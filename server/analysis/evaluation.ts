/**
 * One request, evaluated two ways — the two halves of AWS's policy simulator:
 * - `evaluateInput`: policies given inline (like `simulate-custom-policy`);
 * - `simulatePrincipal`: a principal's stored policies from a snapshot (like `simulate-principal-policy`).
 * GraphQL (`evaluate`, `simulate`) and the CLI (`accessgraph eval`) both call these, so they answer alike.
 */
import type { AccountSnapshot, Principal } from '../../schema/snapshot.ts';
import { formatDiagnostic, type Diagnostic } from '../../schema/diagnostics.ts';
import {
  arnAccount,
  ActionCatalog,
  compilePolicySet,
  evaluateCompiled,
  loadCatalog,
  PolicyParseError,
  renderCondition,
  summarizeResult,
  type CompiledPolicySet,
  type EvaluationRequest,
  type EvaluationResult,
  type PolicyInput,
  type PolicySet,
} from '../engine/index.ts';
import { askedBy } from './candidate-index.ts';
import { hasRcps, orgContextFor, principalPolicySet, rcpSupport, resourceSideFor } from './policy-set.ts';
import { answerWarnings } from './completeness.ts';
import type { SnapshotAnalysis } from './snapshot-analysis.ts';

/** The evaluation input, shaped like GraphQL's `EvaluationInput` (the CLI's JSON file mirrors it). */
export interface EvaluationInput {
  principal: string;
  action: string;
  resource: string;
  resourceAccount?: string;
  context?: { key: string; values: string[] }[];
  /** Policy documents: JSON text, or (from the CLI's JSON file) objects. */
  identityPolicies: (string | object)[];
  permissionsBoundary?: string | object;
  /** One list per org level, root first, account last. */
  serviceControlPolicies?: (string | object)[][];
  resourceControlPolicies?: (string | object)[][];
  resourcePolicy?: string | object;
  sessionPolicy?: string | object;
  vpcEndpointPolicy?: string | object;
  strictContext?: boolean;
  /** When the request is made (ISO 8601): settles aws:CurrentTime / aws:EpochTime, bounds aws:TokenIssueTime. */
  at?: string;
}

export type EvaluationOutcome =
  | {
      ok: true;
      result: EvaluationResult;
      /** One line: why (summarizeResult). */
      summary: string;
      /** The residual as one readable line, when CONDITIONAL. */
      conditionsText?: string;
      /**
       * Unknown actions or services: the answer may be right for the text but wrong for AWS; and (simulate)
       * completeness warnings: SCPs, RCPs or the resource policy not collected (`incomplete: …`).
       */
      warnings: string[];
    }
  | { ok: false; diagnostics: Diagnostic[] };

/** `[{key, values}]` → the engine's context; a key given twice adds up (multi-valued). */
export function contextOf(
  entries: readonly { key: string; values: readonly string[] }[] | null | undefined,
): Record<string, string | string[]> {
  const out: Record<string, string[]> = {};
  for (const e of entries ?? []) (out[e.key] ??= []).push(...e.values);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.length === 1 ? v[0]! : v]));
}

/** Ids name the input field, so a parse error's `file` says which policy was wrong. */
export function policySetOfInput(input: EvaluationInput): PolicySet {
  const one = (id: string, document: string | object): PolicyInput => ({ id, document });
  const levels = (name: string, ls: (string | object)[][] | undefined) =>
    ls?.map((level, i) => level.map((d, j) => one(`${name}[${i}][${j}]`, d)));
  return {
    identity: input.identityPolicies.map((d, i) => one(`identityPolicies[${i}]`, d)),
    ...(input.permissionsBoundary !== undefined
      ? { boundary: one('permissionsBoundary', input.permissionsBoundary) }
      : {}),
    ...(input.serviceControlPolicies
      ? { scps: levels('serviceControlPolicies', input.serviceControlPolicies) }
      : {}),
    ...(input.resourceControlPolicies
      ? { rcps: levels('resourceControlPolicies', input.resourceControlPolicies) }
      : {}),
    ...(input.resourcePolicy !== undefined ? { resource: one('resourcePolicy', input.resourcePolicy) } : {}),
    ...(input.sessionPolicy !== undefined ? { session: one('sessionPolicy', input.sessionPolicy) } : {}),
    ...(input.vpcEndpointPolicy !== undefined
      ? { endpoint: one('vpcEndpointPolicy', input.vpcEndpointPolicy) }
      : {}),
  };
}

let catalog: ActionCatalog | undefined;

async function actionWarnings(action: string): Promise<string[]> {
  catalog ??= await loadCatalog();
  const [service] = action.split(':');
  if (!catalog.isKnownService(service!))
    return [`unknown service \`${service}\`: not in the Service Authorization Reference`];
  if (!catalog.isKnownAction(action))
    return [`unknown action \`${action}\`: not in the Service Authorization Reference`];
  return [];
}

/**
 * `policyWarnings`: also report the documents' parse warnings (e.g. an Action string that matches nothing) — for
 * policies given inline; a snapshot's were reported when it was imported.
 */
async function run(
  request: EvaluationRequest,
  policies: PolicySet,
  policyWarnings = false,
): Promise<EvaluationOutcome> {
  let compiled: CompiledPolicySet;
  try {
    compiled = compilePolicySet(policies);
  } catch (e) {
    if (e instanceof PolicyParseError) return { ok: false, diagnostics: e.diagnostics };
    throw e;
  }
  const result = evaluateCompiled(request, compiled);
  return {
    ok: true,
    result,
    summary: summarizeResult(result),
    ...(result.conditions ? { conditionsText: renderCondition(result.conditions) } : {}),
    warnings: [
      ...(policyWarnings ? compiled.diagnostics.map(formatDiagnostic) : []),
      ...(await actionWarnings(request.action)),
    ],
  };
}

/** simulate-custom-policy: the policies are all given. Invalid documents → `ok: false` with JSON paths. */
export function evaluateInput(input: EvaluationInput): Promise<EvaluationOutcome> {
  return run(
    {
      principal: input.principal,
      action: input.action,
      resource: input.resource,
      ...(input.resourceAccount ? { resourceAccount: input.resourceAccount } : {}),
      context: contextOf(input.context),
      strictContext: input.strictContext === true,
      ...(input.at ? { at: input.at } : {}),
    },
    policySetOfInput(input),
    true,
  );
}

export interface SimulateQuery {
  principalArn: string;
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  strictContext?: boolean;
  /** The request goes through this VPC endpoint of the snapshot (`vpcEndpoints`): its policy is a layer, and
   * `aws:SourceVpce` / `aws:SourceVpc` are its id and VPC unless the context gives them. */
  vpcEndpointId?: string;
}

/**
 * simulate-principal-policy from a snapshot: the principal's identity policies (own and through its groups) and
 * boundary; the resource's policy when the snapshot has one; for `sts:AssumeRole*` on a role, that role's trust
 * policy (id_roles_use_permissions-to-switch: the trust policy is the role's resource policy). Roles ask as a
 * session of themselves. Undefined when the principal is not in the snapshot.
 */
export function simulatePrincipal(
  analysis: SnapshotAnalysis,
  q: SimulateQuery,
): Promise<EvaluationOutcome> | undefined {
  const snapshot = analysis.snapshot;
  const policies = principalPolicySet(snapshot, q.principalArn);
  const principal = analysis.lookups.principals.get(q.principalArn);
  if (!policies || !principal) return undefined;
  return simulateFound(snapshot, q, policies, principal);
}

/** simulatePrincipal once the principal is found: adds the resource's side (policy, account, RCPs) and warnings. */
async function simulateFound(
  snapshot: AccountSnapshot,
  q: SimulateQuery,
  policies: PolicySet,
  principal: Principal,
): Promise<EvaluationOutcome> {
  const trusted = /^sts:assumerole/i.test(q.action)
    ? snapshot.roles.find((r) => r.arn === q.resource)
    : undefined;
  const side = resourceSideFor(snapshot, q.resource, hasRcps(snapshot) ? await rcpSupport() : undefined);
  const resource: PolicyInput | undefined = trusted
    ? {
        id: `${trusted.arn}#trust-policy`,
        name: `${trusted.name} trust policy`,
        document: trusted.trustPolicy,
      }
    : side.resource;
  const context = { ...(q.context ?? {}) };
  const given = (key: string) => Object.keys(context).some((k) => k.toLowerCase() === key.toLowerCase());
  // A role's session still carries the role ARN as aws:PrincipalArn, with its path (the session ARN drops it).
  if (principal.kind === 'role' && !given('aws:PrincipalArn')) context['aws:PrincipalArn'] = principal.arn;
  // The organization keys (aws:PrincipalOrgID, …) known from the org data; what the caller gives wins.
  for (const [k, v] of Object.entries(
    orgContextFor(snapshot, arnAccount(principal.arn) ?? '', side.resourceAccount),
  ))
    if (!given(k)) context[k] = v;
  const endpoint = q.vpcEndpointId ? snapshot.vpcEndpoints?.find((e) => e.id === q.vpcEndpointId) : undefined;
  if (endpoint) {
    if (!given('aws:SourceVpce')) context['aws:SourceVpce'] = endpoint.id;
    if (!given('aws:SourceVpc')) context['aws:SourceVpc'] = endpoint.vpcId;
  }
  const outcome = await run(
    {
      ...askedBy(principal, snapshot.collectedAt),
      action: q.action,
      resource: q.resource,
      ...(side.resourceAccount ? { resourceAccount: side.resourceAccount } : {}),
      context,
      strictContext: q.strictContext === true,
    },
    {
      ...policies,
      ...(resource ? { resource } : {}),
      ...(side.rcps ? { rcps: side.rcps } : {}),
      ...(endpoint?.policy
        ? { endpoint: { id: endpoint.arn, name: endpoint.id, document: endpoint.policy } }
        : {}),
    },
  );
  if (outcome.ok)
    outcome.warnings.push(
      ...answerWarnings(snapshot, [principal.arn], {
        arn: trusted ? '*' : q.resource,
        ...(side.resourceAccount ? { account: side.resourceAccount } : {}),
      }),
    );
  return outcome;
}
