/**
 * IAM wildcard matching, the one implementation in the code base: `*` any run of characters (none, `:`, `/` and
 * newlines included), `?` exactly one character (one UTF-16 unit), anchored at both ends
 * (reference_policies_elements_resource, reference_policies_elements_condition_operators "StringLike").
 *
 * Matched without backtracking, so a hostile pattern cannot stall the process: the pattern is split at its stars
 * into fixed-length segments; the first must match at the start, the last at the end, and each middle segment is
 * taken at its leftmost place after the previous one (a fixed-length segment placed further left never removes a
 * later solution). Segments without `?` are found with `indexOf`; a segment with `?` is found by its longest
 * literal run and checked around it, the next candidate taken where the run that failed occurs again. Cost O(n + m)
 * for patterns whose segments have no `?`, O(n·m) at worst.
 * Literal patterns are a string compare. With `ignoreCase` both sides are lower-cased (`toLowerCase`).
 */
export type StringPredicate = (s: string) => boolean;

/** A piece of a pattern: glob text (`*`, `?` are wildcards) or literal text (a substituted value, `${*}`). */
export interface GlobPiece {
  text: string;
  literal?: boolean;
}

/** A run of text the subject must contain at `offset` from the segment's start. */
interface Run {
  offset: number;
  text: string;
}

/** A part of a pattern between two stars that holds `?`: `length` characters, `runs` literal, the rest `?`. */
interface WildSegment {
  length: number;
  runs: Run[];
  /** The longest run: where the search for the segment starts. */
  anchor?: Run;
}

/** A part of a pattern between two stars: literal text, or text with `?`. */
type Segment = string | WildSegment;

/** Whether the text holds `*` or `?` (a pattern without them is a plain string compare). */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** `text` with a wildcard `?` at each of `wild` (sorted offsets; extended in place) as runs. */
function wildSegment(text: string, wild: number[]): WildSegment {
  const seg: WildSegment = { length: text.length, runs: [] };
  let from = 0;
  wild.push(text.length);
  for (const at of wild) {
    if (at > from) {
      const run = { offset: from, text: text.slice(from, at) };
      seg.runs.push(run);
      if (!seg.anchor || run.text.length > seg.anchor.text.length) seg.anchor = run;
    }
    from = at + 1;
  }
  return seg;
}

/** Split pieces at their stars into segments (one segment when there is no star). */
function segmentsOf(pieces: readonly GlobPiece[]): Segment[] {
  const segments: Segment[] = [];
  // The segment being built: its text (each wildcard `?` kept as a `?`) and where its wildcards are.
  let text = '';
  let wild: number[] | undefined;
  const add = (chunk: string) => {
    for (let q = chunk.indexOf('?'); q >= 0; q = chunk.indexOf('?', q + 1))
      (wild ??= []).push(text.length + q);
    text += chunk;
  };
  for (const piece of pieces) {
    if (piece.literal) {
      text += piece.text;
      continue;
    }
    const chunks = piece.text.split('*');
    add(chunks[0]!);
    for (let i = 1; i < chunks.length; i++) {
      segments.push(wild ? wildSegment(text, wild) : text);
      text = '';
      wild = undefined;
      add(chunks[i]!);
    }
  }
  segments.push(wild ? wildSegment(text, wild) : text);
  return segments;
}

/** Whether `seg` matches the subject at `at` (the caller checks that it fits). */
function matchesAt(seg: Segment, s: string, at: number): boolean {
  return typeof seg === 'string' ? s.startsWith(seg, at) : !mismatch(seg, s, at);
}

/** The first run of `seg` the subject lacks with the segment placed at `at`, or undefined when it matches there. */
function mismatch(seg: WildSegment, s: string, at: number): Run | undefined {
  for (const r of seg.runs) if (!s.startsWith(r.text, at + r.offset)) return r;
  return undefined;
}

/**
 * The leftmost start ≥ from where `seg` matches and ends by `limit`, or -1. Candidates come from `indexOf` of one
 * run (first the longest, then the run that failed the last candidate: any later match must contain it).
 */
function find(seg: Segment, s: string, from: number, limit: number): number {
  if (typeof seg === 'string') {
    const at = s.indexOf(seg, from);
    return at >= 0 && at + seg.length <= limit ? at : -1;
  }
  const { length } = seg;
  let guide = seg.anchor;
  if (!guide) return from + length <= limit ? from : -1;
  for (let start = from; ; start++) {
    const k = s.indexOf(guide.text, start + guide.offset);
    if (k < 0) return -1;
    start = k - guide.offset;
    if (start + length > limit) return -1;
    const failed = seg.runs.length === 1 ? undefined : mismatch(seg, s, start);
    if (!failed) return start;
    guide = failed;
  }
}

function matcher(segments: Segment[]): StringPredicate {
  if (segments.length === 1) {
    const only = segments[0]!;
    if (typeof only === 'string') return (s) => s === only;
    return (s) => s.length === only.length && matchesAt(only, s, 0);
  }
  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  const middle = segments.slice(1, -1).filter((seg) => seg.length > 0);
  if (first.length === 0 && last.length === 0 && middle.length === 0) return () => true;
  // The common shapes (`prefix*`, `*suffix`, `prefix*suffix`) as two native compares.
  if (middle.length === 0 && typeof first === 'string' && typeof last === 'string') {
    const min = first.length + last.length;
    if (!last) return (s) => s.startsWith(first);
    if (!first) return (s) => s.endsWith(last);
    return (s) => s.length >= min && s.startsWith(first) && s.endsWith(last);
  }
  return (s) => {
    const limit = s.length - last.length;
    if (limit < first.length || !matchesAt(first, s, 0) || !matchesAt(last, s, limit)) return false;
    let pos = first.length;
    for (const seg of middle) {
      const at = find(seg, s, pos, limit);
      if (at < 0) return false;
      pos = at + seg.length;
    }
    return true;
  };
}

// Patterns repeat (the same action or resource in many policies, the same resolved variable per request): the
// compiled predicates and the overlap answers are kept here, and only here — plain patterns by case mode and keyed
// by themselves, so a lookup builds no key —, first in first out beyond CACHE_MAX entries each. Long keys are not
// kept (compiling or deciding one costs no more than using it once).
const caches = {
  sensitive: new Map<string, StringPredicate>(),
  ignoreCase: new Map<string, StringPredicate>(),
};
const piecesCache = new Map<string, StringPredicate>();
const overlapCache = new Map<string, boolean>();
const CACHE_MAX = 8192;
const CACHE_MAX_KEY = 1024;

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (key.length <= CACHE_MAX_KEY) {
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, value);
  }
  return value;
}

// Callers test one subject against many patterns in a row (an action against every statement): its lower-case
// form is kept for the next call.
let lastSubject = '';
let lastLower = '';
function lowerCase(s: string): string {
  if (s !== lastSubject) {
    lastSubject = s;
    lastLower = s.toLowerCase();
  }
  return lastLower;
}

function compile(
  cache: Map<string, StringPredicate>,
  key: string,
  pieces: readonly GlobPiece[],
  ignoreCase: boolean,
): StringPredicate {
  const hit = cache.get(key);
  if (hit) return hit;
  const folded = ignoreCase ? pieces.map((p) => ({ ...p, text: p.text.toLowerCase() })) : pieces;
  const match = matcher(segmentsOf(folded));
  return remember(cache, key, ignoreCase ? (s: string) => match(lowerCase(s)) : match);
}

/** Compile an IAM glob into a predicate. Action names want `ignoreCase`; resources and StringLike do not. */
export function compileGlob(pattern: string, ignoreCase = false): StringPredicate {
  const cache = ignoreCase ? caches.ignoreCase : caches.sensitive;
  return cache.get(pattern) ?? compile(cache, pattern, [{ text: pattern }], ignoreCase);
}

/** Compile pieces of glob and literal text into one predicate (policy variables substituted as literals). */
export function compileGlobPieces(pieces: readonly GlobPiece[], ignoreCase = false): StringPredicate {
  if (pieces.length === 1 && !pieces[0]!.literal) return compileGlob(pieces[0]!.text, ignoreCase);
  // Every piece's length is in the key, so no two lists of pieces share one.
  let key = ignoreCase ? 'i' : 's';
  for (const p of pieces) key += `${p.literal ? 'l' : 'g'}${p.text.length}:${p.text}`;
  return compile(piecesCache, key, pieces, ignoreCase);
}

/** Whether `pattern` matches all of `text` (the text's own `*` and `?` are ordinary characters). */
export function globMatches(pattern: string, text: string, ignoreCase = false): boolean {
  return compileGlob(pattern, ignoreCase)(text);
}

/** The text before the first wildcard, and after the last. */
function literalEnds(p: string): [prefix: string, suffix: string] {
  let start = 0;
  while (start < p.length && p[start] !== '*' && p[start] !== '?') start++;
  let end = p.length;
  while (end > start && p[end - 1] !== '*' && p[end - 1] !== '?') end--;
  return [p.slice(0, start), p.slice(end)];
}

const STAR = 0x2a;
const QUESTION = 0x3f;

/**
 * Whether some string matches both globs (`b/secret/*` and `b/*` do; `a/*` and `b/*` do not). Reachability in the
 * product of the two patterns read as automata — state (i, j): `a[..i)` and `b[..j)` consumed; a star may match
 * nothing, or stay while the other side consumes a character — computed row by row, since no step goes back.
 * O(|a|·|b|) time, O(|b|) memory; a literal side is a plain match.
 */
export function globsOverlap(a: string, b: string): boolean {
  if (!hasWildcard(b)) return globMatches(a, b);
  if (!hasWildcard(a)) return globMatches(b, a);
  // Strings matching both agree on the shorter of the two literal prefixes, and of the two literal suffixes.
  const [pa, sa] = literalEnds(a);
  const [pb, sb] = literalEnds(b);
  if (!(pa.length <= pb.length ? pb.startsWith(pa) : pa.startsWith(pb))) return false;
  if (!(sa.length <= sb.length ? sb.endsWith(sa) : sa.endsWith(sb))) return false;
  const key = `${a.length}:${a}${b}`;
  const hit = overlapCache.get(key);
  if (hit !== undefined) return hit;
  const n = a.length;
  const m = b.length;
  let prev = new Uint8Array(m + 1);
  let row = new Uint8Array(m + 1);
  for (let i = 0; i <= n; i++) {
    const ca = i > 0 ? a.charCodeAt(i - 1) : -1; // the character consumed to reach row i
    const starHere = i < n && a.charCodeAt(i) === STAR; // a star that may consume b's characters in row i
    let any = false;
    for (let j = 0; j <= m; j++) {
      let r = i === 0 && j === 0;
      if (i > 0) {
        // From (i-1, j): a's star matches nothing, or b's star consumes a's character.
        if (prev[j] && (ca === STAR || (j < m && b.charCodeAt(j) === STAR))) r = true;
        // From (i-1, j-1): one character on each side.
        else if (j > 0 && prev[j - 1] && ca !== STAR) {
          const cb = b.charCodeAt(j - 1);
          if (cb !== STAR && (ca === cb || ca === QUESTION || cb === QUESTION)) r = true;
        }
      }
      // From (i, j-1): b's star matches nothing, or a's star consumes b's character.
      if (!r && j > 0 && row[j - 1] && (starHere || b.charCodeAt(j - 1) === STAR)) r = true;
      row[j] = r ? 1 : 0;
      any ||= r;
    }
    if (!any) return remember(overlapCache, key, false);
    [prev, row] = [row, prev];
  }
  return remember(overlapCache, key, prev[m] === 1);
}
