import type { ConditionClause } from '../policy/model.ts';
import type { Lookup } from '../evaluate/context.ts';
import { statesOf, type KeyDomain, type KeyState } from '../evaluate/facts.ts';
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

/** What the request's principal and time settle about keys the context leaves unknown (evaluate/facts.ts). */
export interface KeyFacts {
  domain(keyLower: string): KeyDomain | undefined;
  /** Called when `d` decided a clause, so the explanation can name the fact. */
  settled(d: KeyDomain): void;
}

/** A clause compiled once; `evaluate` is true, false, or the clause itself as a residual leaf. */
export interface CompiledClause {
  clause: ConditionClause;
  evaluate(lookup: (keyLower: string) => Lookup, facts?: KeyFacts): Tri;
}

/**
 * An unknown key with a known domain: the clause's result if it is the same in every state of the domain, else
 * the residual leaf. `inState` answers one state (`undefined`: that state does not decide it either).
 */
function overDomain(
  d: KeyDomain,
  policyValues: readonly string[],
  inState: (s: KeyState) => Tri | undefined,
  facts: KeyFacts,
  leaf: () => ConditionLeaf,
): Tri {
  let first: boolean | undefined;
  for (const s of statesOf(d, policyValues)) {
    const r = inState(s);
    if (typeof r !== 'boolean' || (first !== undefined && r !== first)) return leaf();
    first = r;
  }
  if (first === undefined) return leaf();
  facts.settled(d);
  return first;
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
    const inState = (v: KeyState) => {
      const absent = v === null || v.length === 0;
      return wantAbsent.some((w) => w === absent);
    };
    return {
      clause,
      evaluate(lookup, facts) {
        const v = lookup(keyLower);
        if (v !== undefined) return inState(v);
        const d = facts?.domain(keyLower);
        return d ? overDomain(d, [], inState, facts!, () => leafOf(clause)) : leafOf(clause);
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

  const withValues = (v: string[] | null, lookup: (k: string) => Lookup): Tri => {
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
  };

  return {
    clause,
    evaluate(lookup, facts) {
      const v = lookup(keyLower);
      if (v !== undefined) return withValues(v, lookup);
      const d = facts?.domain(keyLower);
      if (!d) return leafOf(clause);
      const inState = (s: KeyState) => (s === 'any' ? undefined : withValues(s, lookup));
      return overDomain(d, clause.values, inState, facts!, () => leafOf(clause));
    },
  };
}
