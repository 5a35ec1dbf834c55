import fc from 'fast-check';
import { propertyRuns } from '../../../test/support/property.ts';
import { describe, expect, it } from 'vitest';
import { compileGlob, compileGlobPieces, globMatches, globsOverlap, type GlobPiece } from './glob.ts';
import { evaluate } from '../index.ts';

/**
 * The matcher these globs replaced: a regular expression per pattern, `*` → `[\s\S]*`, `?` → `[\s\S]`, with the
 * pattern lower-cased and the `i` flag for case-insensitive use. Kept here as the oracle of the property tests.
 */
function oracle(pieces: readonly GlobPiece[], ignoreCase: boolean): (s: string) => boolean {
  const escape = (t: string) => t.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
  let src = '';
  for (const piece of pieces) {
    const text = ignoreCase ? piece.text.toLowerCase() : piece.text;
    if (piece.literal) src += escape(text);
    else for (const ch of text) src += ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : escape(ch);
  }
  const re = new RegExp(`^${src}$`, ignoreCase ? 'i' : '');
  return (s) => re.test(s);
}

// Few distinct characters so that random patterns often match; regex metacharacters, `$`/`{` of policy
// variables, a newline, a non-ASCII letter in both cases and a character outside the BMP (two UTF-16 units).
const ALPHABET = [
  'a',
  'A',
  'b',
  ':',
  '/',
  '.',
  '$',
  '{',
  '}',
  '(',
  '[',
  '\\',
  '^',
  '|',
  '+',
  '\n',
  'é',
  'É',
  '😀',
];
const text = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 24 }).map((a) => a.join(''));
const globText = fc
  .array(fc.constantFrom(...ALPHABET, '*', '*', '?', '?'), { maxLength: 16 })
  .map((a) => a.join(''));
/** A pattern made from the string itself (some runs replaced by `*`, some characters by `?`), so it often matches. */
const derived = fc
  .tuple(text, fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom('*', '?', '**', '')), { maxLength: 4 }))
  .map(([s, edits]) => {
    let p = s;
    for (const [at, len, w] of edits) {
      const i = p.length ? at % p.length : 0;
      p = p.slice(0, i) + w + p.slice(i + len);
    }
    return p;
  });
const pattern = fc.oneof(globText, derived);

describe('IAM glob [reference_policies_elements_resource, reference_policies_elements_condition_operators]', () => {
  const table: [string, string, boolean][] = [
    ['*', '', true],
    ['*', 'anything at all', true],
    ['', '', true],
    ['', 'a', false],
    ['abc', 'abc', true],
    ['abc', 'abcd', false], // anchored at the end
    ['abc', 'xabc', false], // anchored at the start
    ['a*', 'a', true], // `*` matches nothing too
    ['a*c', 'abbbc', true],
    ['a*c', 'abbbcd', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false], // `?` is exactly one character
    ['a?c', 'abbc', false],
    ['a*b*c', 'aXbYbZc', true],
    ['a*a', 'a', false], // prefix and suffix may not share a character
    ['a*a', 'aa', true],
    ['*a*a*', 'xaxa', true],
    ['*a*a*', 'xax', false],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/dir/k', true], // `*` spans `/`
    ['arn:aws:iam::*:role/*', 'arn:aws:iam::111122223333:role/a/b', true], // and `:`
    ['a.c', 'abc', false], // regex metacharacters are literal
    ['a+', 'aa', false],
    ['(x|y)', '(x|y)', true],
    ['*ab?d*', 'xxabcabzd', true], // the `?` segment is found after a failed first candidate
    ['*ab?d*', 'xxabcabz', false],
    ['a*', 'a*', true], // the text's own `*` is an ordinary character
    ['a?', 'a?', true],
  ];
  it.each(table)('%j vs %j → %s', (p, s, want) => {
    expect(globMatches(p, s)).toBe(want);
  });

  it('`*` and `?` match newlines (the `.*` copies it replaced did not)', () => {
    expect(globMatches('a*b', 'a\nb')).toBe(true);
    expect(globMatches('a?b', 'a\nb')).toBe(true);
    expect(globMatches('*', '\n\n')).toBe(true);
    expect(globMatches('sts:*', 'sts:Assume\nRole', true)).toBe(true);
  });

  it('is case-sensitive unless asked (resources, StringLike) and case-insensitive on request (actions)', () => {
    expect(globMatches('arn:aws:s3:::B/*', 'arn:aws:s3:::b/k')).toBe(false);
    expect(globMatches('s3:Get*', 'S3:GETOBJECT')).toBe(false);
    expect(globMatches('s3:Get*', 'S3:GETOBJECT', true)).toBe(true);
    expect(globMatches('S3:?ETOBJECT', 's3:getobject', true)).toBe(true);
    expect(globMatches('s3:GetObject', 'S3:getobject', true)).toBe(true);
  });

  it('literal pieces (substituted variables, `${*}`) are never wildcards', () => {
    const m = compileGlobPieces([{ text: 'home/' }, { text: 'a*?', literal: true }, { text: '/*' }]);
    expect(m('home/a*?/x')).toBe(true);
    expect(m('home/abc/x')).toBe(false);
    expect(m('home/a*?')).toBe(false);
    // Lengths keep pieces apart: glob `*` + literal `b` is not literal `*b`.
    expect(compileGlobPieces([{ text: '*' }, { text: 'b', literal: true }])('xb')).toBe(true);
    expect(compileGlobPieces([{ text: '*b', literal: true }])('xb')).toBe(false);
  });

  it('agrees with the regular-expression matcher it replaced on random patterns (fast-check)', () => {
    fc.assert(
      fc.property(pattern, text, fc.boolean(), (p, s, ignoreCase) => {
        expect(compileGlob(p, ignoreCase)(s)).toBe(oracle([{ text: p }], ignoreCase)(s));
        // The pattern against a string it was derived from, and against itself read as text.
        expect(compileGlob(p, ignoreCase)(p)).toBe(oracle([{ text: p }], ignoreCase)(p));
      }),
      propertyRuns(3000, 20261207),
    );
  });

  it('agrees with the regular-expression matcher on a two-letter alphabet, where near misses are common', () => {
    const ab = (chars: string[], maxLength: number) =>
      fc.array(fc.constantFrom(...chars), { maxLength }).map((a) => a.join(''));
    fc.assert(
      fc.property(ab(['a', 'b', '*', '?'], 12), ab(['a', 'b'], 16), (p, s) => {
        expect(compileGlob(p)(s)).toBe(oracle([{ text: p }], false)(s));
      }),
      propertyRuns(5000, 20261207),
    );
  });

  it('agrees with the regular-expression matcher on random glob and literal pieces (fast-check)', () => {
    const pieces = fc.array(
      fc.oneof(
        pattern.map((t) => ({ text: t })),
        globText.map((t) => ({ text: t, literal: true })),
      ),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(pieces, text, fc.boolean(), (ps, s, ignoreCase) => {
        expect(compileGlobPieces(ps, ignoreCase)(s)).toBe(oracle(ps, ignoreCase)(s));
      }),
      propertyRuns(2000, 20261207),
    );
  });
});

// Patterns that make a backtracking regular expression take exponential or polynomial time of high degree:
// `*a*a*a…*b` against a long run of `a` (no `b`, so every split of the run is tried).
const starA = (n: number) => '*a'.repeat(n) + 'b';
const as = (n: number) => 'a'.repeat(n);

describe('hostile patterns are matched without backtracking', () => {
  it('10,000-character `*a*a…b` against long strings', () => {
    const p = starA(5000);
    expect(p.length).toBe(10_001);
    expect(globMatches(p, as(20_000))).toBe(false);
    expect(globMatches(p, as(20_000) + 'b')).toBe(true);
    expect(globMatches(p, as(4999) + 'b')).toBe(false); // one `a` short
    expect(globMatches(p, as(5000) + 'b')).toBe(true);
    expect(globMatches(p, as(20_000) + 'b', true)).toBe(true);
  });

  it('`?`-dense and star-dense 10,000-character patterns', () => {
    expect(globMatches('*' + 'a?'.repeat(5000) + '*b', as(20_000))).toBe(false);
    expect(globMatches('*' + 'a?'.repeat(5000) + '*b', as(20_000) + 'b')).toBe(true);
    // A `?` segment whose last character never occurs: each candidate would fail only at its end.
    expect(globMatches(`*${'a?'.repeat(5000)}c*`, as(20_000))).toBe(false);
    expect(globMatches(`*${'a?'.repeat(5000)}c*`, `${as(15_000)}c${as(4999)}`)).toBe(true);
    expect(globMatches('*'.repeat(10_000) + 'b', as(20_000))).toBe(false);
    expect(globMatches('?'.repeat(10_000) + '*', as(9_999))).toBe(false);
    expect(globMatches('?'.repeat(10_000) + '*', as(10_000))).toBe(true);
  });

  // The 54-character pattern that froze the server in `evaluate`: Resource, StringLike and ArnLike.
  const hostile = starA(20);
  const request = {
    principal: 'arn:aws:iam::111122223333:user/alice',
    action: 's3:GetObject',
    resource: `arn:aws:s3:::bucket/${as(60)}`,
    context: { 's3:prefix': as(60), 'aws:SourceArn': `arn:aws:s3:::${as(60)}` },
    strictContext: true,
  };
  const identity = (statement: object) => ({
    identity: [{ id: 'p', document: { Version: '2012-10-17', Statement: [statement] } }],
  });

  it('through evaluate: a Resource pattern', () => {
    const st = { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket/${hostile}` };
    expect(evaluate(request, identity(st)).decision).toBe('DENIED');
    expect(evaluate({ ...request, resource: `${request.resource}b` }, identity(st)).decision).toBe('ALLOWED');
  });

  it('through evaluate: StringLike and ArnLike conditions', () => {
    const like = (op: string, key: string, value: string) =>
      identity({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { [op]: { [key]: value } } });
    expect(evaluate(request, like('StringLike', 's3:prefix', hostile)).decision).toBe('DENIED');
    expect(evaluate(request, like('StringNotLike', 's3:prefix', hostile)).decision).toBe('ALLOWED');
    expect(evaluate(request, like('ArnLike', 'aws:SourceArn', `arn:aws:s3:::${hostile}`)).decision).toBe(
      'DENIED',
    );
    // With a policy variable the pattern is compiled per request, after substitution.
    const withVariable = like('StringLike', 's3:prefix', `\${aws:username}${hostile}`);
    expect(evaluate({ ...request, context: { 's3:prefix': `alice${as(60)}b` } }, withVariable).decision).toBe(
      'ALLOWED',
    );
  });

  it('through evaluate: a newline in an S3 key is matched by `*`', () => {
    const st = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*/x' };
    expect(evaluate({ ...request, resource: 'arn:aws:s3:::bucket/a\nb/x' }, identity(st)).decision).toBe(
      'ALLOWED',
    );
  });
});

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html, "Special characters":
// `${*}`, `${?}`, `${$}` stand for the characters `*`, `?`, `$`, never for wildcards.
describe('policy variable escapes in Resource and conditions', () => {
  const check = (statement: object, prefix: string, resource = 'arn:aws:s3:::b') =>
    evaluate(
      {
        principal: 'arn:aws:iam::111122223333:user/alice',
        action: 's3:ListBucket',
        resource,
        context: { 's3:prefix': prefix },
        strictContext: true,
      },
      { identity: [{ id: 'p', document: { Version: '2012-10-17', Statement: [statement] } }] },
    ).decision;
  const condition = (op: string, value: string) => ({
    Effect: 'Allow',
    Action: 's3:ListBucket',
    Resource: '*',
    Condition: { [op]: { 's3:prefix': value } },
  });

  it.each([
    ['StringLike', 'home/${*}', 'home/*', 'ALLOWED'],
    ['StringLike', 'home/${*}', 'home/x', 'DENIED'],
    ['StringLike', 'home/${?}*', 'home/?/x', 'ALLOWED'],
    ['StringLike', 'home/${?}*', 'home/a/x', 'DENIED'],
    ['StringLike', 'home/${$}*', 'home/$x', 'ALLOWED'],
    ['StringEquals', 'home/${*}', 'home/*', 'ALLOWED'],
    ['StringLike', 'home/${aws:username}/${*}', 'home/alice/*', 'ALLOWED'],
    ['StringLike', 'home/${aws:username}/${*}', 'home/alice/x', 'DENIED'],
    ['StringLike', 'home/${aws:username}/*', 'home/alice/x', 'ALLOWED'],
    ['StringLike', 'home/${aws:username}/*', 'home/bob/x', 'DENIED'],
  ])('%s %j against %j → %s', (op, value, prefix, want) => {
    expect(check(condition(op, value), prefix)).toBe(want);
  });

  it('in Resource', () => {
    const st = (resource: string) => ({ Effect: 'Allow', Action: 's3:ListBucket', Resource: resource });
    expect(check(st('arn:aws:s3:::b${*}'), '', 'arn:aws:s3:::b*')).toBe('ALLOWED');
    expect(check(st('arn:aws:s3:::b${*}'), '', 'arn:aws:s3:::bx')).toBe('DENIED');
    expect(check(st('arn:aws:s3:::${aws:username}-*'), '', 'arn:aws:s3:::alice-x')).toBe('ALLOWED');
    expect(check(st('arn:aws:s3:::${aws:username}-*'), '', 'arn:aws:s3:::bob-x')).toBe('DENIED');
  });
});

/** The intersection test globsOverlap replaced: a depth-first search over every state of the product. */
function overlapOracle(a: string, b: string): boolean {
  const n = a.length;
  const m = b.length;
  const seen = new Uint8Array((n + 1) * (m + 1));
  const stack: number[] = [0];
  while (stack.length > 0) {
    const s = stack.pop()!;
    const i = Math.floor(s / (m + 1));
    const j = s % (m + 1);
    if (seen[s]) continue;
    seen[s] = 1;
    if (i === n && j === m) return true;
    const ca = a[i];
    const cb = b[j];
    if (ca === '*') stack.push((i + 1) * (m + 1) + j);
    if (cb === '*') stack.push(i * (m + 1) + j + 1);
    if (i < n && j < m && (ca === '*' || cb === '*' || ca === '?' || cb === '?' || ca === cb))
      stack.push((ca === '*' ? i : i + 1) * (m + 1) + (cb === '*' ? j : j + 1));
  }
  return false;
}

describe('globsOverlap: does some string match both patterns', () => {
  it.each([
    ['*', 'arn:aws:s3:::b/*', true],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/x/*', true],
    ['arn:aws:s3:::a/*', 'arn:aws:s3:::b/*', false],
    ['arn:aws:s3:::*/secret', 'arn:aws:s3:::b/*', true],
    ['arn:aws:s3:::b', 'arn:aws:s3:::b/*', false],
    ['arn:aws:s3:::b?', 'arn:aws:s3:::bc', true],
    ['arn:aws:s3:::b?', 'arn:aws:s3:::b', false],
    ['*.txt', '*.csv', false], // literal suffixes disagree
    ['a*x*b', 'a*y*b', true], // `axyb`
    ['a?b', 'a*c', false],
  ])('%s ∩ %s ≠ ∅: %s', (a, b, expected) => {
    expect(globsOverlap(a, b)).toBe(expected);
    expect(globsOverlap(b, a)).toBe(expected);
  });

  it('agrees with a search over every state of the product automaton (fast-check)', () => {
    const ab = (chars: string[], maxLength: number) =>
      fc.array(fc.constantFrom(...chars), { maxLength }).map((x) => x.join(''));
    const p = ab(['a', 'b', '*', '?'], 10);
    fc.assert(
      fc.property(p, p, (a, b) => {
        expect(globsOverlap(a, b)).toBe(overlapOracle(a, b));
      }),
      propertyRuns(5000, 20261207),
    );
  });

  it('is true whenever some string matches both (fast-check)', () => {
    fc.assert(
      fc.property(pattern, pattern, text, (a, b, s) => {
        if (globMatches(a, s) && globMatches(b, s)) expect(globsOverlap(a, b)).toBe(true);
      }),
      propertyRuns(3000, 20261207),
    );
  });

  it('hostile 3,000-character patterns on both sides', () => {
    const x = '*a'.repeat(1500);
    expect(globsOverlap(`${x}b`, `${x}c`)).toBe(false); // suffixes disagree
    expect(globsOverlap(`${x}?b`, `*${'a?'.repeat(1500)}b`)).toBe(true);
    // Exactly 3,000 characters against at least 3,002: past the literal-end checks, decided by the product.
    expect(globsOverlap(`x${'?'.repeat(2998)}y`, `x*${'a'.repeat(3000)}*y`)).toBe(false);
    expect(globsOverlap(`x${'?'.repeat(2998)}y`, `x*${'a'.repeat(2998)}*y`)).toBe(true);
  });
});
