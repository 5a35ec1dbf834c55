/**
 * Runs an accessgraph evaluation request through @cloud-copilot/iam-simulate (AGPL-3.0, a devDependency imported
 * only under test/differential). Only strict-context requests are compared: iam-simulate's Strict mode treats
 * absent keys as absent, which is what our `strictContext: true` means.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { EvaluationRequest, PolicyInput, PolicySet } from '../../server/engine/index.ts';

/** What iam-simulate answered, in our terms; `unsupported` says why the request could not be compared. */
export type SimulateOutcome =
  | { kind: 'decided'; decision: 'ALLOWED' | 'DENIED'; denial?: 'explicit' | 'implicit' }
  | { kind: 'unsupported'; reason: string };

function accountOf(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

function doc(p: PolicyInput): unknown {
  return typeof p.document === 'string' ? JSON.parse(p.document) : p.document;
}

function isRcpFullAccess(s: unknown): boolean {
  const st = s as Record<string, unknown>;
  const one = (v: unknown) => v === '*' || (Array.isArray(v) && v.length === 1 && v[0] === '*');
  return (
    st.Effect === 'Allow' &&
    one(st.Action) &&
    one(st.Resource) &&
    st.Principal === '*' &&
    st.Condition === undefined
  );
}

/**
 * orgs_manage_policies_rcps_syntax: customer RCPs may only Deny; the AWS-managed RCPFullAWSAccess (Allow * on *)
 * is attached at every level and cannot be detached. Our cases attach it explicitly; iam-simulate adds it itself
 * and rejects an Allow in a customer RCP, so the adapter drops those statements (and a policy left empty).
 */
function withoutRcpFullAccess(policy: unknown): unknown {
  const d = policy as { Statement?: unknown };
  const statements = Array.isArray(d.Statement) ? d.Statement : [d.Statement];
  const kept = statements.filter((s) => !isRcpFullAccess(s));
  return kept.length === 0 ? undefined : { ...(policy as object), Statement: kept };
}

export function toSimulation(request: EvaluationRequest, policies: PolicySet): Simulation {
  const accountId =
    request.resourceAccount ?? accountOf(request.resource) ?? accountOf(request.principal) ?? '';
  return {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId },
      contextVariables: request.context ?? {},
    },
    identityPolicies: policies.identity.map((p) => ({ name: p.id, policy: doc(p) })),
    ...(policies.boundary
      ? { permissionBoundaryPolicies: [{ name: policies.boundary.id, policy: doc(policies.boundary) }] }
      : {}),
    serviceControlPolicies: (policies.scps ?? []).map((level, i) => ({
      orgIdentifier: `level-${i}`,
      policies: level.map((p) => ({ name: p.id, policy: doc(p) })),
    })),
    resourceControlPolicies: (policies.rcps ?? []).map((level, i) => ({
      orgIdentifier: `level-${i}`,
      policies: level.flatMap((p) => {
        const policy = withoutRcpFullAccess(doc(p));
        return policy ? [{ name: p.id, policy }] : [];
      }),
    })),
    ...(policies.resource ? { resourcePolicy: doc(policies.resource) } : {}),
    ...(policies.session ? { sessionPolicy: doc(policies.session) } : {}),
    ...(policies.endpoint
      ? { vpcEndpointPolicies: [{ name: policies.endpoint.id, policy: doc(policies.endpoint) }] }
      : {}),
  };
}

export async function simulate(request: EvaluationRequest, policies: PolicySet): Promise<SimulateOutcome> {
  if (request.strictContext !== true) return { kind: 'unsupported', reason: 'not strict context' };
  const r = await runSimulation(toSimulation(request, policies), { simulationMode: 'Strict' });
  if (r.resultType === 'error')
    return { kind: 'unsupported', reason: `iam-simulate rejected the input: ${r.errors.message}` };
  if (r.resultType !== 'single')
    return { kind: 'unsupported', reason: `iam-simulate result type ${r.resultType}` };
  const ignored = r.result.ignoredContextKeys ?? [];
  // A key iam-simulate drops (not valid for the action in its catalog) means it decides a different request.
  if (ignored.length > 0)
    return { kind: 'unsupported', reason: `iam-simulate ignored context keys ${ignored.join(', ')}` };
  switch (r.overallResult) {
    case 'Allowed':
      return { kind: 'decided', decision: 'ALLOWED' };
    case 'ExplicitlyDenied':
      return { kind: 'decided', decision: 'DENIED', denial: 'explicit' };
    case 'ImplicitlyDenied':
      return { kind: 'decided', decision: 'DENIED', denial: 'implicit' };
    default:
      return { kind: 'unsupported', reason: `iam-simulate result ${String(r.overallResult)}` };
  }
}
