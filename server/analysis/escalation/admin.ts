/**
 * Admin-equivalence, decided by the engine over everything AWS evaluates for the principal's own requests:
 * identity policies combined, explicit denies, the permissions boundary and the SCPs (`principalPolicySet`).
 * Every permission-granting IAM action must be allowed on `*` (asked as concrete actions, so PowerUserAccess's
 * `NotAction: iam:*` does not count), and a principal with a boundary must also be allowed to delete it. The
 * definition and its sources: README.md, "Admin-equivalence".
 */
import type { AccountSnapshot, Principal } from '../../../schema/snapshot.ts';
import {
  evaluateCompiled,
  renderCondition,
  type CompiledPolicySet,
  type EvaluationResult,
} from '../../engine/index.ts';
import { askedBy, type IndexedPrincipal } from '../candidate-index.ts';
import { candidateIndexOf, matchedStatements, type MatchedStatement } from '../who-can.ts';
import type { AdminVerdict } from './graph.ts';

/** The permission-granting IAM actions: allowed together on `*`, they let a principal grant itself anything. */
export const ADMIN_PROBE_ACTIONS = [
  'iam:AttachUserPolicy',
  'iam:PutUserPolicy',
  'iam:AttachGroupPolicy',
  'iam:PutGroupPolicy',
  'iam:AttachRolePolicy',
  'iam:PutRolePolicy',
  'iam:CreatePolicyVersion',
  'iam:UpdateAssumeRolePolicy',
] as const;

/** The action that removes a principal's own boundary (needed on top of the probes when it has one). */
export function deleteBoundaryAction(p: Principal): string {
  return p.kind === 'user' ? 'iam:DeleteUserPermissionsBoundary' : 'iam:DeleteRolePermissionsBoundary';
}

/**
 * Evaluate one request as `c` would make it: as the user, or as a session of the role with `aws:PrincipalArn`
 * set to the role's full ARN (the engine derives it without the role's path; who-can does the same).
 */
export function evaluateAs(
  c: IndexedPrincipal,
  action: string,
  resource: string,
  compiled: CompiledPolicySet = c.compiled,
  context: Record<string, string | string[]> = {},
  resourceAccount?: string,
): EvaluationResult {
  const ctx = c.principal.kind === 'role' ? { 'aws:PrincipalArn': c.principal.arn, ...context } : context;
  return evaluateCompiled(
    {
      ...askedBy(c.principal, c.at),
      action,
      resource,
      context: ctx,
      ...(resourceAccount ? { resourceAccount } : {}),
    },
    compiled,
  );
}

/** The Allow statements of the identity-side layers that matched (the evidence for a grant). */
export function allowEvidence(result: EvaluationResult): MatchedStatement[] {
  return matchedStatements(
    result,
    (layer, m) => (layer === 'identity' || layer === 'resource') && m.effect === 'Allow',
  );
}

/** Several requests that must all be allowed: ALLOWED, CONDITIONAL with the residuals, or undefined (DENIED). */
export class Conjunction {
  readonly conditions = new Set<string>();
  /** The results granted so far; their evidence is read only when an edge is kept (explanations cost). */
  private readonly parts: { result: EvaluationResult; layers?: string[] }[] = [];
  private cached?: MatchedStatement[];

  /** false when the request is DENIED (the conjunction fails). `layers`: whose statements count as evidence. */
  add(result: EvaluationResult, layers?: string[]): boolean {
    if (result.decision === 'DENIED') return false;
    if (result.decision === 'CONDITIONAL') this.conditions.add(renderCondition(result.conditions ?? true));
    this.parts.push(layers ? { result, layers } : { result });
    this.cached = undefined;
    return true;
  }

  /** The Allow statements granting each part, deduplicated, in the order the parts were added. */
  get evidence(): MatchedStatement[] {
    if (this.cached) return this.cached;
    const seen = new Set<string>();
    const out: MatchedStatement[] = [];
    for (const { result, layers } of this.parts)
      for (const e of allowEvidence(result)) {
        if (layers && !layers.includes(e.layer)) continue;
        const key = `${e.layer}\u0000${e.policyId}\u0000${e.statementIndex}\u0000${e.attachedVia.join(',')}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(e);
      }
    return (this.cached = out);
  }

  /** An independent copy, to extend per target. */
  clone(): Conjunction {
    const c = new Conjunction();
    for (const x of this.conditions) c.conditions.add(x);
    c.parts.push(...this.parts);
    return c;
  }

  /** A condition that is not a policy residual (an assumption about resources the snapshot does not list). */
  assume(text: string): void {
    this.conditions.add(text);
  }

  get conditional(): boolean {
    return this.conditions.size > 0;
  }
}

/** Admin-equivalence of an indexed principal (its compiled set carries the boundary and SCPs). */
export function adminVerdictOf(c: IndexedPrincipal): AdminVerdict | undefined {
  const all = new Conjunction();
  for (const action of ADMIN_PROBE_ACTIONS) if (!all.add(evaluateAs(c, action, '*'))) return undefined;
  if (c.compiled.boundary && !all.add(evaluateAs(c, deleteBoundaryAction(c.principal), c.principal.arn)))
    return undefined;
  return {
    decision: all.conditional ? 'CONDITIONAL' : 'ALLOWED',
    conditions: [...all.conditions].sort(),
    evidence: all.evidence,
  };
}

/**
 * Is the user or role `principalArn` admin-equivalent? undefined when it is not, or is not in the snapshot (or a
 * policy of its did not parse: the candidate index leaves it out and lists it in `failures`).
 */
export function adminEquivalence(snapshot: AccountSnapshot, principalArn: string): AdminVerdict | undefined {
  const c = candidateIndexOf(snapshot).byArn.get(principalArn);
  return c ? adminVerdictOf(c) : undefined;
}
