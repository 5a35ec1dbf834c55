/**
 * Glob matching as IAM does it: `*` any run of characters (including `:` and `/`), `?` exactly one character,
 * anchored at both ends (reference_policies_elements_resource, reference_policies_elements_condition_operators
 * "StringLike"). Fast paths avoid RegExp for the common shapes (`*`, exact, `prefix*`).
 */
export type StringPredicate = (s: string) => boolean;

const SPECIAL = /[.+^${}()|[\]\\]/g;

export function escapeRegExp(s: string): string {
  return s.replace(SPECIAL, '\\$&').replace(/[*?]/g, '\\$&');
}

export function globSource(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '*') out += '[\\s\\S]*';
    else if (ch === '?') out += '[\\s\\S]';
    else out += ch.replace(SPECIAL, '\\$&');
  }
  return out;
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** Compile a glob into a predicate. With ignoreCase both sides are compared case-insensitively. */
export function compileGlob(pattern: string, ignoreCase = false): StringPredicate {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  if (p === '*') return () => true;
  if (!hasWildcard(p)) return ignoreCase ? (s) => s.toLowerCase() === p : (s) => s === p;
  const star = p.indexOf('*');
  if (star === p.length - 1 && !p.includes('?')) {
    const prefix = p.slice(0, -1);
    return ignoreCase ? (s) => s.toLowerCase().startsWith(prefix) : (s) => s.startsWith(prefix);
  }
  const re = new RegExp(`^${globSource(p)}$`, ignoreCase ? 'i' : '');
  return (s) => re.test(s);
}
