import type { Tri } from '../conditions/expr.ts';
import { and, or, not } from '../conditions/expr.ts';
import type { LayerResult } from './layers/layer.ts';
import type { ResourceLayerResult } from './layers/resource.ts';

export type Layer = 'identity' | 'boundary' | 'scp' | 'rcp' | 'resource' | 'session' | 'endpoint';

export interface LayerResults {
  identity: LayerResult;
  boundary?: LayerResult;
  session?: LayerResult;
  /** Present only when SCPs apply to this principal; one per org level, root first. */
  scps?: LayerResult[];
  rcps?: LayerResult[];
  /** Present when a resource policy was given. */
  resource?: ResourceLayerResult;
  /** Present when the request goes through a VPC endpoint with a policy. */
  endpoint?: LayerResult;
}

export interface DecisionFacts {
  /** The principal's account differs from the resource's (reference_policies_evaluation-logic-cross-account). */
  crossAccount: boolean;
  /** The resource policy must allow even within one account: KMS key policies, role trust policies. */
  resourcePolicyRequired: boolean;
  /** Service principals and anonymous callers have no identity side: only a resource policy can grant. */
  hasIdentitySide: boolean;
}

/** `explicit`: a Deny matched; `implicit`: no Allow; `service`: a service rule refuses it (services/rules.ts). */
export type DenialKind = 'explicit' | 'implicit' | 'service';

export interface Verdict {
  /** true = ALLOWED, false = DENIED, expression = ALLOWED exactly when it holds (CONDITIONAL). */
  allowed: Tri;
  deniedBy?: { kind: DenialKind; layer: Layer; level?: number };
}

const ORDER: Layer[] = ['identity', 'boundary', 'scp', 'rcp', 'endpoint', 'resource', 'session'];

/**
 * The decision table. Each row is one rule of reference_policies_evaluation-logic (and the pages cited); the
 * verdict is the AND of the rows, computed in three-valued logic so that an unknown condition anywhere yields
 * the residual "allowed when …" instead of a guess.
 */
export function decide(l: LayerResults, f: DecisionFacts): Verdict {
  const boundaryAllow: Tri = l.boundary ? l.boundary.allow : true;
  const sessionAllow: Tri = l.session ? l.session.allow : true;

  // Row 1 — "An explicit deny in any of these policies overrides the allow" (evaluation-logic, "Determining
  // whether a request is allowed or denied within an account"): identity, boundary, SCP, RCP, resource, session.
  let explicitDeny: Tri = or(l.identity.deny, l.boundary ? l.boundary.deny : false);
  for (const r of l.scps ?? []) explicitDeny = or(explicitDeny, r.deny);
  for (const r of l.rcps ?? []) explicitDeny = or(explicitDeny, r.deny);
  explicitDeny = or(explicitDeny, l.resource ? l.resource.deny : false);
  explicitDeny = or(explicitDeny, l.session ? l.session.deny : false);
  explicitDeny = or(explicitDeny, l.endpoint ? l.endpoint.deny : false);

  // Row 3b — a VPC endpoint policy "controls which AWS principals can use the endpoint to access an AWS service"
  // and "does not override or replace identity-based policies or resource-based policies" (vpc-endpoints-access):
  // it must allow as well, and grants nothing by itself.
  const endpointAllow: Tri = l.endpoint ? l.endpoint.allow : true;

  // Row 2 — SCPs: "a permission must be allowed … by an SCP at every level of the hierarchy from the root to the
  // account" (orgs_manage_policies_scps_evaluation). Absent = no org or SCPs not applicable to this principal.
  let scpAllow: Tri = true;
  for (const r of l.scps ?? []) scpAllow = and(scpAllow, r.allow);

  // Row 3 — RCPs: the same every-level rule on the resource side (orgs_manage_policies_rcps_evaluation).
  let rcpAllow: Tri = true;
  for (const r of l.rcps ?? []) rcpAllow = and(rcpAllow, r.allow);

  // Row 4 — the identity side: identity policies AND the boundary (access_policies_boundaries: "effective
  // permissions are the intersection") AND the session policy (access_policies "Session policies").
  const identitySide: Tri = f.hasIdentitySide
    ? and(and(l.identity.allow, boundaryAllow), sessionAllow)
    : false;

  const res = l.resource;
  // Row 5 — a resource policy naming the exact user / role session: "An implicit deny in a permissions boundary
  // does not limit the permissions granted by a resource-based policy" (access_policies_boundaries, user and
  // role-session ARN cases); likewise session policies (access_policies, "Session policies").
  const resDirect: Tri = res ? res.allowDirect : false;
  // Row 6 — a resource policy naming the role ARN (or `*`): "the permissions are limited by the boundary / session
  // policy" (access_policies_boundaries, role ARN case).
  const resLimited: Tri = res ? and(and(res.allowLimited, boundaryAllow), sessionAllow) : false;
  // Row 7 — a resource policy naming the account delegates to the account's identity policies
  // (reference_policies_elements_principal, "AWS account principals"; KMS key-policies "allows IAM policies").
  const resAccount: Tri = res ? and(res.allowAccount, identitySide) : false;

  let grant: Tri;
  if (f.crossAccount && f.hasIdentitySide) {
    // Row 8 — cross-account: "the identity-based policy in the trusted account AND the resource-based policy in
    // the trusting account must both allow" (reference_policies_evaluation-logic-cross-account).
    grant = and(identitySide, res ? res.allow : false);
  } else if (f.resourcePolicyRequired || !f.hasIdentitySide) {
    // Row 9 — KMS key policy / role trust / service principals and anonymous callers: only the resource policy can
    // grant; an account-principal statement adds the identity side's answer.
    grant = or(or(resDirect, resLimited), resAccount);
  } else {
    // Row 10 — same account: "an allow in either an identity-based or a resource-based policy" grants
    // (reference_policies_evaluation-logic, "Identity-based policies with resource-based policies").
    grant = or(or(identitySide, resDirect), resLimited);
  }

  const allowed = and(and(and(and(not(explicitDeny), scpAllow), rcpAllow), endpointAllow), grant);
  if (allowed !== false) return { allowed };

  // Why denied: the first explicit Deny that surely applies (in ORDER), else the first layer with no Allow.
  const denies: [Layer, number | undefined, Tri][] = [
    ['identity', undefined, l.identity.deny],
    ...(l.boundary ? [['boundary', undefined, l.boundary.deny] as [Layer, undefined, Tri]] : []),
    ...(l.scps ?? []).map((r, i) => ['scp', i, r.deny] as [Layer, number, Tri]),
    ...(l.rcps ?? []).map((r, i) => ['rcp', i, r.deny] as [Layer, number, Tri]),
    ...(l.resource ? [['resource', undefined, l.resource.deny] as [Layer, undefined, Tri]] : []),
    ...(l.session ? [['session', undefined, l.session.deny] as [Layer, undefined, Tri]] : []),
    ...(l.endpoint ? [['endpoint', undefined, l.endpoint.deny] as [Layer, undefined, Tri]] : []),
  ];
  const explicit = denies
    .filter(([, , d]) => d === true)
    .sort((a, b) => ORDER.indexOf(a[0]) - ORDER.indexOf(b[0]))[0];
  if (explicit)
    return {
      allowed,
      deniedBy: {
        kind: 'explicit',
        layer: explicit[0],
        ...(explicit[1] !== undefined ? { level: explicit[1] } : {}),
      },
    };
  const scpLevel = (l.scps ?? []).findIndex((r) => r.allow === false);
  if (scpLevel >= 0) return { allowed, deniedBy: { kind: 'implicit', layer: 'scp', level: scpLevel } };
  const rcpLevel = (l.rcps ?? []).findIndex((r) => r.allow === false);
  if (rcpLevel >= 0) return { allowed, deniedBy: { kind: 'implicit', layer: 'rcp', level: rcpLevel } };
  if (l.endpoint && l.endpoint.allow === false)
    return { allowed, deniedBy: { kind: 'implicit', layer: 'endpoint' } };
  const needsResource =
    (f.crossAccount && f.hasIdentitySide) || f.resourcePolicyRequired || !f.hasIdentitySide;
  if (needsResource && (!res || res.allow === false))
    return { allowed, deniedBy: { kind: 'implicit', layer: 'resource' } };
  // A resource policy naming the role ARN (or `*`) did allow: then the boundary or session policy blocked it.
  if (res && res.allowLimited !== false) {
    if (l.boundary && l.boundary.allow === false)
      return { allowed, deniedBy: { kind: 'implicit', layer: 'boundary' } };
    if (l.session && l.session.allow === false)
      return { allowed, deniedBy: { kind: 'implicit', layer: 'session' } };
  }
  if (f.hasIdentitySide && l.identity.allow === false)
    return { allowed, deniedBy: { kind: 'implicit', layer: 'identity' } };
  if (l.boundary && l.boundary.allow === false)
    return { allowed, deniedBy: { kind: 'implicit', layer: 'boundary' } };
  if (l.session && l.session.allow === false)
    return { allowed, deniedBy: { kind: 'implicit', layer: 'session' } };
  // Only residual parts are left (e.g. a conditional Deny and no Allow): the missing grant is the reason.
  return { allowed, deniedBy: { kind: 'implicit', layer: needsResource ? 'resource' : 'identity' } };
}
