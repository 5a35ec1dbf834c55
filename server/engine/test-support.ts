// Helpers shared by the engine's unit tests (not part of the public surface).
import { compileClause } from './conditions/clause.ts';
import { parsePolicy } from './policy/parse.ts';
import type { Lookup } from './evaluate/context.ts';
import type { Tri } from './conditions/expr.ts';

/** Evaluate `{ [operator]: { [key]: values } }` against a context; strict = absent keys are absent. */
export function check(
  operator: string,
  key: string,
  values: string | string[],
  context: Record<string, string | string[]>,
  strict = true,
  version = '2012-10-17',
): Tri {
  const { policy, diagnostics } = parsePolicy({
    Version: version,
    Statement: [
      { Effect: 'Allow', Action: 'a:b', Resource: '*', Condition: { [operator]: { [key]: values } } },
    ],
  });
  if (!policy) throw new Error(JSON.stringify(diagnostics));
  const clause = compileClause(policy.statements[0]!.conditions[0]!, version === '2012-10-17');
  const lookup = (k: string): Lookup => {
    const hit = Object.entries(context).find(([ck]) => ck.toLowerCase() === k);
    if (hit) return Array.isArray(hit[1]) ? hit[1] : [hit[1]];
    return strict ? null : undefined;
  };
  return clause.evaluate(lookup);
}
