import type { Diagnostic } from '../../../schema/diagnostics.ts';
import type { Effect, Policy, PolicyKind, Statement } from '../policy/model.ts';
import { supportsVariables } from '../policy/model.ts';
import { isActionPattern, parsePolicy } from '../policy/parse.ts';
import { compileActionPatterns, type ActionMatcher } from './action-matcher.ts';
import { compileResourcePatterns, type ResourceMatcher } from './arn-matcher.ts';
import { compileClause, type CompiledClause } from '../conditions/clause.ts';

/** A policy with where it came from (mirrors index.ts's PolicyInput; kept here so compile/ needs no index). */
export interface PolicySource {
  id: string;
  name?: string;
  document: string | object;
  attachedVia?: string[];
}

export interface CompiledStatement {
  statement: Statement;
  effect: Effect;
  action: ActionMatcher;
  /** true for NotAction: the statement applies to actions the matcher does NOT match. */
  notAction: boolean;
  /** undefined: no Resource/NotResource element (trust policies), i.e. every resource. */
  resource?: ResourceMatcher;
  notResource: boolean;
  conditions: CompiledClause[];
}

export interface CompiledPolicy {
  source: PolicySource;
  policy: Policy;
  statements: CompiledStatement[];
  /** Statements that can match an action of this service (lower-case prefix), in document order. */
  candidates(serviceLower: string): CompiledStatement[];
}

function compileStatement(st: Statement, variables: boolean): CompiledStatement {
  const notAction = st.notAction !== undefined;
  const resourcePatterns = st.resource ?? st.notResource;
  return {
    statement: st,
    effect: st.effect,
    // A string the grammar does not describe (a warning of the parser) matches no action, in Action and NotAction.
    action: compileActionPatterns((st.action ?? st.notAction ?? []).filter(isActionPattern)),
    notAction,
    ...(resourcePatterns ? { resource: compileResourcePatterns(resourcePatterns, variables) } : {}),
    notResource: st.notResource !== undefined,
    conditions: st.conditions.map((c) => compileClause(c, variables)),
  };
}

export function compileParsedPolicy(source: PolicySource, policy: Policy): CompiledPolicy {
  const variables = supportsVariables(policy);
  const statements = policy.statements.map((s) => compileStatement(s, variables));
  // Index by service prefix: a statement with literal service prefixes is a candidate only for those services;
  // NotAction and wildcard-service statements are candidates for every service.
  const anyService: CompiledStatement[] = [];
  const byService = new Map<string, CompiledStatement[]>();
  statements.forEach((s) => {
    if (s.notAction || !s.action.services) anyService.push(s);
    else for (const svc of s.action.services) byService.set(svc, [...(byService.get(svc) ?? []), s]);
  });
  const cache = new Map<string, CompiledStatement[]>();
  return {
    source,
    policy,
    statements,
    candidates(serviceLower) {
      let c = cache.get(serviceLower);
      if (!c) {
        const own = byService.get(serviceLower) ?? [];
        c =
          own.length === 0
            ? anyService
            : anyService.length === 0
              ? own
              : statements.filter((s) => own.includes(s) || anyService.includes(s));
        cache.set(serviceLower, c);
      }
      return c;
    },
  };
}

/** Parse and compile; diagnostics carry the policy id as `file` so callers can tell which policy was bad. */
export function compilePolicy(
  source: PolicySource,
  kind: PolicyKind,
): { compiled?: CompiledPolicy; diagnostics: Diagnostic[] } {
  const { policy, diagnostics } = parsePolicy(source.document, { kind });
  const tagged = diagnostics.map((d) => ({ ...d, file: d.file ?? source.id }));
  if (!policy) return { diagnostics: tagged };
  return { compiled: compileParsedPolicy(source, policy), diagnostics: tagged };
}
