import type { CompiledPolicy, CompiledStatement } from '../../compile/policy.ts';
import type { ConditionExpr, Tri } from '../../conditions/expr.ts';
import { or } from '../../conditions/expr.ts';
import type { PrincipalMatch } from '../../compile/principal-matcher.ts';
import type { PreparedRequest } from '../request.ts';
import { statementApplies } from '../statement.ts';

/** A statement that applies (or may apply) to the request — what explanations show. */
export interface StatementMatch {
  policyId: string;
  policyName?: string;
  attachedVia?: string[];
  statementIndex: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** true when it applies only under the residual condition. */
  conditional: boolean;
  residual?: ConditionExpr;
  /** Resource layer only: how the Principal element named the caller. */
  principalMatch?: PrincipalMatch;
}

/** A matching statement as recorded on the decision path; turned into a StatementMatch only when explained. */
export interface RawMatch {
  policy: CompiledPolicy;
  statement: CompiledStatement;
  applies: Tri;
  principalMatch?: PrincipalMatch;
}

/** What one layer (or one org level) says: whether some Allow applies, whether some Deny applies. */
export interface LayerResult {
  allow: Tri;
  deny: Tri;
  matches: RawMatch[];
}

export function toMatch({ policy: p, statement: st, applies, principalMatch }: RawMatch): StatementMatch {
  return {
    policyId: p.source.id,
    ...(p.source.name ? { policyName: p.source.name } : {}),
    ...(p.source.attachedVia ? { attachedVia: p.source.attachedVia } : {}),
    statementIndex: st.statement.index,
    ...(st.statement.sid ? { sid: st.statement.sid } : {}),
    effect: st.effect,
    conditional: applies !== true,
    ...(applies !== true ? { residual: applies as ConditionExpr } : {}),
    ...(principalMatch ? { principalMatch } : {}),
  };
}

/** Identity-style layers (identity, boundary, SCP level, RCP level, session): Principal is not consulted. */
export function evaluatePolicies(policies: readonly CompiledPolicy[], req: PreparedRequest): LayerResult {
  let allow: Tri = false;
  let deny: Tri = false;
  const matches: RawMatch[] = [];
  for (const p of policies) {
    for (const st of p.candidates(req.serviceLower)) {
      const applies = statementApplies(st, req);
      if (applies === false) continue;
      matches.push({ policy: p, statement: st, applies });
      if (st.effect === 'Deny') deny = or(deny, applies);
      else allow = or(allow, applies);
    }
  }
  return { allow, deny, matches };
}
