/**
 * The escalation graph's shape: the contract between the edge builder (which evaluates trust policies and
 * escalation techniques with the engine), the stores (which materialize the edges as CAN_ASSUME / CAN_ESCALATE
 * relationships at import) and the queries (paths, blast radius, who-can-reach, what-if).
 *
 * Nodes are principals (by ARN) plus one virtual node, ADMIN, standing for "admin-equivalent in this account":
 * an edge into ADMIN means the source can give itself (or already has) full control.
 */
import type { MatchedStatement } from '../who-can.ts';

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
 * builder keeps it once per source; `edges` still holds the edges to admin-equivalent targets (and to ADMIN), so
 * paths to admin need nothing else. Blast radius and who-can-reach read `targets` too; the stores keep each class
 * once, as a PrincipalClass node the entries point at (stored.ts).
 */
export interface FanOutEdge extends Omit<EscalationEdge, 'to'> {
  /**
   * The principals reached; may contain `from`, which is no step. Entries of one class share this array
   * (read-only): the traversal and the stores index classes by it.
   */
  targets: readonly string[];
  /** What the targets have in common, for display: `every role trusting lambda.amazonaws.com`. */
  targetClass: string;
}

export interface EscalationGraph {
  edges: EscalationEdge[];
  /** Techniques that reach a class of principals, once per source (see FanOutEdge); absent = none. */
  fanOut?: FanOutEdge[];
  /** Principals that are admin-equivalent by their own policies (boundaries, SCPs and denies applied). */
  admins: Map<string, AdminVerdict>;
}
