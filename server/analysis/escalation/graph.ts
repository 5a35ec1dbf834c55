/**
 * The escalation graph's shape: the contract between the edge builder (which evaluates trust policies and
 * escalation techniques with the engine), the stores (which materialize the edges as CAN_ASSUME / CAN_ESCALATE
 * relationships at import) and the queries (paths, blast radius, who-can-reach, what-if).
 *
 * Nodes are principals (by ARN) plus one virtual node, ADMIN, standing for "admin-equivalent in this account":
 * an edge into ADMIN means the source can give itself (or already has) full control.
 */
import { renderPath, type MatchedStatement } from '../who-can.ts';

/** The virtual target of self-escalation and admin-equivalence edges. */
export const ADMIN = 'accessgraph:admin';

export type EdgeKind =
  /** `sts:AssumeRole*` allowed by the caller's policies and the role's trust policy (CAN_ASSUME). */
  | 'assume'
  /** A privilege-escalation technique (CAN_ESCALATE). */
  | 'escalate';

export interface EscalationEdge {
  /** Principal ARN. */
  from: string;
  /** Principal ARN, or ADMIN. */
  to: string;
  kind: EdgeKind;
  /** Technique id (`iam-001`, … from pathfinding.cloud, or ours); `sts:AssumeRole` for assume edges. */
  technique: string;
  /** Some needed request is only CONDITIONAL: the edge holds only if `conditions` hold. */
  conditional: boolean;
  /** The residual conditions, rendered (`aws:MultiFactorAuthPresent = true`, `sts:ExternalId = …`). */
  conditions: string[];
  /** The statements that grant each needed permission (Allow statements, with their attachment paths). */
  evidence: MatchedStatement[];
}

export interface AdminVerdict {
  /** ALLOWED: unconditionally admin-equivalent; CONDITIONAL: only under `conditions`. */
  decision: 'ALLOWED' | 'CONDITIONAL';
  conditions: string[];
  evidence: MatchedStatement[];
}

/**
 * One technique that reaches a whole class of principals the same way: every role trusting a service (any
 * existing Lambda function's role; PassRole allowed on `*`), or every user (`iam:CreateAccessKey` on `*`).
 * Drawn as one edge per target this would be sources × targets edges (millions on a 5,000-role account), so the
 * builder keeps it once per source, and so do the stores (a PrincipalClass node the entries point at, stored.ts).
 * The queries step into each target on demand, admin-equivalent targets included (traversal.ts).
 */
export interface FanOutEdge extends Omit<EscalationEdge, 'to'> {
  /**
   * The principals reached; may contain `from`, which is no step. Entries of one class share this array
   * (read-only): the traversal and the stores index classes by it.
   */
  targets: readonly string[];
  /** What the targets have in common, for display: `every role trusting lambda.amazonaws.com`. */
  targetClass: string;
  /**
   * CAN_ASSUME into roles sharing one trust policy: `evidence` is the caller's statements; this is the evidence
   * with the trust policy's statements too (its resource layer), as matched for one member. A step into an
   * admin-equivalent member shows it, naming that member's trust policy (`stepEvidence`).
   */
  memberEvidence?: MatchedStatement[];
  /**
   * The residual conditions a step into a member holds under, for the members that have some: CAN_ASSUME into
   * roles of another account that delegate to the source's account, each trust with a condition of its own
   * (`sts:ExternalId = …`, one value per role). Shared by the entries of one class, like `targets`; a step's
   * conditions are the entry's and its member's (`stepConditions`).
   */
  memberConditions?: ReadonlyMap<string, readonly string[]>;
}

/** How evidence names a role's trust policy (the builder compiles it under this name). */
export function trustPolicyName(roleName: string): string {
  return `trust policy of ${roleName}`;
}

/** The conditions of the step from a fan-out entry into one of its targets. */
export function stepConditions(
  entry: FanOutEdge,
  to: string,
): { conditional: boolean; conditions: string[] } {
  const own = entry.memberConditions?.get(to);
  if (!own?.length) return { conditional: entry.conditional, conditions: entry.conditions };
  return { conditional: true, conditions: [...new Set([...entry.conditions, ...own])].sort() };
}

/** The evidence of the step from a fan-out entry into one of its targets. */
export function stepEvidence(entry: FanOutEdge, to: string, admin: boolean): MatchedStatement[] {
  const template = entry.memberEvidence;
  if (!template || !admin) return entry.evidence;
  return template.map((e) => {
    if (e.layer !== 'resource') return e;
    const named = { ...e, policyId: to, policyName: trustPolicyName(to.slice(to.lastIndexOf('/') + 1)) };
    return { ...named, path: renderPath(named, 'resource') };
  });
}

export interface EscalationGraph {
  edges: EscalationEdge[];
  /** Techniques that reach a class of principals, once per source (see FanOutEdge); absent = none. */
  fanOut?: FanOutEdge[];
  /** Principals that are admin-equivalent by their own policies (boundaries, SCPs and denies applied). */
  admins: Map<string, AdminVerdict>;
}
