/**
 * IAM wildcard matching, the one implementation in the code base: `*` any run of characters (none, `:`, `/` and
 * newlines included), `?` exactly one character (one UTF-16 unit), anchored at both ends
 * (reference_policies_elements_resource, reference_policies_elements_condition_operators "StringLike").
 *
 * Matched without backtracking, so a hostile pattern cannot stall the process: the pattern is split at its stars
 * into fixed-length segments; the first must match at the start, the last at the end, and each middle segment is
 * taken at its leftmost place after the previous one (a fixed-length segment placed further left never removes a
 * later solution). Segments without `?` are found with `indexOf`; a segment with `?` is found by its longest
 * literal run and checked around it. Cost O(n + m) for patterns whose segments have no `?`, O(n·m) at worst.
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

/** The part of a pattern between two stars: `length` characters, `runs` literal, the rest `?`. */
interface Segment {
  length: number;
  runs: Run[];
  /** The longest run: where the search for a segment with `?` starts. */
  anchor?: Run;
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** Split pieces at their wildcards: segments between stars, or one segment when there is no star. */
function segmentsOf(pieces: readonly GlobPiece[]): Segment[] {
  const segments: Segment[] = [];
  let current: Segment = { length: 0, runs: [] };
  let run = '';
  const endRun = () => {
    if (run) current.runs.push({ offset: current.length - run.length, text: run });
    run = '';
  };
  for (const piece of pieces) {
    if (piece.literal) {
      run += piece.text;
      current.length += piece.text.length;
      continue;
    }
    for (const ch of piece.text) {
      if (ch === '*') {
        endRun();
        segments.push(current);
        current = { length: 0, runs: [] };
      } else if (ch === '?') {
        endRun();
        current.length++;
      } else {
        run += ch;
        current.length += ch.length;
      }
    }
  }
  endRun();
  segments.push(current);
  for (const seg of segments)
    for (const r of seg.runs) if (!seg.anchor || r.text.length > seg.anchor.text.length) seg.anchor = r;
  return segments;
}

function matchesAt(seg: Segment, s: string, at: number): boolean {
  for (const r of seg.runs) if (!s.startsWith(r.text, at + r.offset)) return false;
  return true;
}

/** The leftmost start ≥ from where `seg` matches and ends by `limit`, or -1. */
function find(seg: Segment, s: string, from: number, limit: number): number {
  const { anchor, length } = seg;
  if (!anchor) return from + length <= limit ? from : -1;
  for (let start = from; start + length <= limit; start++) {
    const k = s.indexOf(anchor.text, start + anchor.offset);
    if (k < 0) return -1;
    start = k - anchor.offset;
    if (start + length > limit) return -1;
    if (seg.runs.length === 1 || matchesAt(seg, s, start)) return start;
  }
  return -1;
}

function matcher(segments: Segment[]): StringPredicate {
  if (segments.length === 1) {
    const only = segments[0]!;
    if (only.runs.length === 1 && only.runs[0]!.text.length === only.length) {
      const text = only.runs[0]!.text;
      return (s) => s === text;
    }
    return (s) => s.length === only.length && matchesAt(only, s, 0);
  }
  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  const middle = segments.slice(1, -1).filter((seg) => seg.length > 0);
  if (first.length === 0 && last.length === 0 && middle.length === 0) return () => true;
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
// compiled predicates are kept here, and only here, first in first out beyond CACHE_MAX entries. Long patterns
// are not kept (compiling costs no more than one match).
const cache = new Map<string, StringPredicate>();
const CACHE_MAX = 8192;
const CACHE_MAX_KEY = 1024;

function cached(key: string, pieces: readonly GlobPiece[], ignoreCase: boolean): StringPredicate {
  let pred = cache.get(key);
  if (pred) return pred;
  const folded = ignoreCase ? pieces.map((p) => ({ ...p, text: p.text.toLowerCase() })) : pieces;
  const match = matcher(segmentsOf(folded));
  pred = ignoreCase ? (s) => match(s.toLowerCase()) : match;
  if (key.length <= CACHE_MAX_KEY) {
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, pred);
  }
  return pred;
}

/** Compile an IAM glob into a predicate. Action names want `ignoreCase`; resources and StringLike do not. */
export function compileGlob(pattern: string, ignoreCase = false): StringPredicate {
  return cached((ignoreCase ? 'i' : 's') + pattern, [{ text: pattern }], ignoreCase);
}

/** Compile pieces of glob and literal text into one predicate (policy variables substituted as literals). */
export function compileGlobPieces(pieces: readonly GlobPiece[], ignoreCase = false): StringPredicate {
  if (pieces.length === 1 && !pieces[0]!.literal) return compileGlob(pieces[0]!.text, ignoreCase);
  // Every piece's length is in the key, so no two lists of pieces share one.
  let key = ignoreCase ? 'I' : 'S';
  for (const p of pieces) key += `${p.literal ? 'l' : 'g'}${p.text.length}:${p.text}`;
  return cached(key, pieces, ignoreCase);
}

/** Whether `pattern` matches all of `text` (the text's own `*` and `?` are ordinary characters). */
export function globMatches(pattern: string, text: string, ignoreCase = false): boolean {
  return compileGlob(pattern, ignoreCase)(text);
}
