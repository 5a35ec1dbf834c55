import type { ConditionClause } from '../policy/model.ts';
import type { Lookup } from '../evaluate/context.ts';
import type { ConditionLeaf, Tri } from './expr.ts';
import { getOperator } from './registry.ts';
import { combineValues, missingKeyResult } from './set-qualifiers.ts';
import {
  parseTemplate,
  partsToGlob,
  partsToString,
  resolveTemplate,
  type Template,
} from '../compile/variables.ts';

/** A clause compiled once; `evaluate` is true, false, or the clause itself as a residual leaf. */
export interface CompiledClause {
  clause: ConditionClause;
  evaluate(lookup: (keyLower: string) => Lookup): Tri;
}

function leafOf(c: ConditionClause, variables?: string[]): ConditionLeaf {
  return {
    operator: c.operator,
    key: c.key,
    values: c.values,
    ...(c.qualifier ? { qualifier: c.qualifier } : {}),
    ...(c.ifExists ? { ifExists: true } : {}),
    ...(variables?.length ? { variables } : {}),
  };
}

export function compileClause(clause: ConditionClause, variablesEnabled: boolean): CompiledClause {
  const keyLower = clause.key.toLowerCase();
  const op = getOperator(clause.operator);

  if (clause.operator === 'Null') {
    // Null: {key: "true"} holds when the key is absent, "false" when present; several values are ORed.
    const wantAbsent = clause.values.map((v) => v.toLowerCase() === 'true');
    return {
      clause,
      evaluate(lookup) {
        const v = lookup(keyLower);
        if (v === undefined) return leafOf(clause);
        const absent = v === null || v.length === 0;
        return wantAbsent.some((w) => w === absent);
      },
    };
  }

  const missing = missingKeyResult(clause.qualifier, op.negated, clause.ifExists);
  const templates: Template[] = clause.values.map((v) => parseTemplate(v, variablesEnabled && op.variables));
  const hasVars = templates.some((t) => t.hasVars);
  const isLike = clause.operator === 'StringLike' || clause.operator === 'StringNotLike';
  // Static values compile once; values with variables compile per request after substitution. Either way a
  // value is read through its template, so the escapes `${*}`, `${?}`, `${$}` stand for their characters.
  const matcherOf = (parts: Template['parts']) =>
    // In StringLike, substituted text and `${*}` are literal, not wildcards.
    isLike ? partsToGlob(parts) : op.match(partsToString(parts));
  const staticMatchers = hasVars ? undefined : templates.map((t) => matcherOf(t.parts));

  const matchersFor = (lookup: (k: string) => Lookup): ((rv: string) => boolean)[] | string[] => {
    const out: ((rv: string) => boolean)[] = [];
    const unknown: string[] = [];
    for (const t of templates) {
      const r = resolveTemplate(t, lookup);
      if (r.state === 'unknown') unknown.push(...r.keys);
      else if (r.state === 'ok') out.push(matcherOf(r.parts));
      // 'absent': a variable with no value and no default makes that policy value match nothing.
    }
    return unknown.length ? unknown : out;
  };

  return {
    clause,
    evaluate(lookup) {
      const v = lookup(keyLower);
      if (v === undefined) return leafOf(clause);
      if (v === null || v.length === 0) return missing;
      let matchers = staticMatchers;
      if (!matchers) {
        const m = matchersFor(lookup);
        if (typeof m[0] === 'string') return leafOf(clause, m as string[]);
        matchers = m as ((rv: string) => boolean)[];
      }
      const ms = matchers;
      const any = ms.length === 1 ? ms[0]! : (rv: string) => ms.some((m) => m(rv));
      return combineValues(clause.qualifier, op.negated, v, any);
    },
  };
}
