import type { Lookup } from '../evaluate/context.ts';
import type { Tri } from '../conditions/expr.ts';
import { or } from '../conditions/expr.ts';
import { parseTemplate, partsToGlob, resolveTemplate, type Template } from './variables.ts';
import type { StringPredicate } from './glob.ts';

/**
 * Resource patterns (reference_policies_elements_resource): anchored, case-sensitive globs where `*` spans any
 * characters (including `:` and `/`), with policy variables under 2012-10-17. A pattern whose variable key is
 * unknown yields a residual `ResourceMatches` leaf naming the keys; an absent key makes the pattern match nothing.
 */
export type ResourceMatcher = (resource: string, lookup: (keyLower: string) => Lookup) => Tri;

/** The template with every variable widened to `*` (a substituted value can be any text). */
function relaxed(t: Template): StringPredicate {
  return partsToGlob(t.parts.map((p) => (p.kind === 'var' ? { kind: 'glob', text: '*' } : p)));
}

export function compileResourcePatterns(
  patterns: readonly string[],
  variablesEnabled: boolean,
): ResourceMatcher {
  const statics: StringPredicate[] = [];
  const dynamic: Template[] = [];
  for (const p of patterns) {
    const t = parseTemplate(p, variablesEnabled);
    if (t.hasVars) dynamic.push(t);
    else statics.push(partsToGlob(t.parts));
  }
  return (resource, lookup) => {
    for (const m of statics) if (m(resource)) return true;
    let result: Tri = false;
    for (const t of dynamic) {
      const r = resolveTemplate(t, lookup);
      if (r.state === 'ok') {
        if (partsToGlob(r.parts)(resource)) return true;
      } else if (r.state === 'unknown' && relaxed(t)(resource)) {
        // Only a residual when some value of the unknown keys could make it match: with every variable
        // widened to `*` (a substituted value can be any text) the pattern must still match the resource.
        result = or(result, {
          operator: 'ResourceMatches',
          key: 'Resource',
          values: [t.source],
          variables: r.keys,
        });
      }
    }
    return result;
  };
}
