/**
 * Set questions about IAM resource patterns (globs: `*` any run of characters, `?` one, anchored, case-sensitive —
 * reference_policies_elements_resource), which effective permissions need to describe a scope honestly: can two
 * patterns name a common ARN (a Deny on `b/secret/*` cuts into an Allow on `b/*`), and does a pattern fit an
 * action's resource type (`arn:${Partition}:s3:::${BucketName}/${ObjectName}` from the catalog).
 *
 * Policy variables (`${aws:username}`) and catalog placeholders (`${BucketName}`) can stand for any text, so both
 * read as `*` here.
 */
import { globMatches } from '../engine/index.ts';

/** `${…}` → `*`: a substituted value can be any text. */
export function widenVariables(pattern: string): string {
  return pattern.includes('${') ? pattern.replace(/\$\{[^}]*\}/g, '*') : pattern;
}

const overlapCache = new Map<string, boolean>();

/**
 * Whether some string matches both globs: reachability in the product of the two patterns read as automata, where
 * a `*` may stay put while the other side consumes a character. O(|a|·|b|).
 */
export function patternsOverlap(a: string, b: string): boolean {
  // Quick reject: strings matching both agree on the shorter of the two literal prefixes.
  const pa = literalPrefix(a);
  const pb = literalPrefix(b);
  if (!(pa.length <= pb.length ? pb.startsWith(pa) : pa.startsWith(pb))) return false;
  if (pa.length === a.length && pb.length === b.length) return a === b;
  const key = `${a}\u0000${b}`;
  const hit = overlapCache.get(key);
  if (hit !== undefined) return hit;
  const n = a.length;
  const m = b.length;
  const seen = new Uint8Array((n + 1) * (m + 1));
  const stack: number[] = [0];
  let found = false;
  while (stack.length > 0 && !found) {
    const s = stack.pop()!;
    const i = Math.floor(s / (m + 1));
    const j = s % (m + 1);
    if (seen[s]) continue;
    seen[s] = 1;
    if (i === n && j === m) {
      found = true;
      break;
    }
    const ca = a[i];
    const cb = b[j];
    // A star may match nothing.
    if (ca === '*') stack.push((i + 1) * (m + 1) + j);
    if (cb === '*') stack.push(i * (m + 1) + j + 1);
    if (i < n && j < m) {
      // One character consumed on both sides: a star stays, anything else advances.
      const compatible = ca === '*' || cb === '*' || ca === '?' || cb === '?' || ca === cb;
      if (compatible) stack.push((ca === '*' ? i : i + 1) * (m + 1) + (cb === '*' ? j : j + 1));
    }
  }
  if (overlapCache.size > 50_000) overlapCache.clear();
  overlapCache.set(key, found);
  return found;
}

/** The text before the first wildcard. */
function literalPrefix(p: string): string {
  const star = p.indexOf('*');
  const q = p.indexOf('?');
  const end = star < 0 ? (q < 0 ? p.length : q) : q < 0 ? star : Math.min(star, q);
  return end === p.length ? p : p.slice(0, end);
}

/**
 * Whether a statement's Resource pattern can apply to an action, given the ARN formats of the action's resource
 * types (catalog). Actions without resource types accept only `"Resource": "*"` (the reference's "*" rows), so
 * there only a pattern matching the text `*` applies.
 */
export function patternFitsAction(pattern: string, arnTemplates: readonly string[]): boolean {
  const p = widenVariables(pattern);
  if (arnTemplates.length === 0) return globMatches(p, '*');
  return arnTemplates.some((t) => patternsOverlap(p, widenVariables(t)));
}
