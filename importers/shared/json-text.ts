import type { Diagnostic } from '../../schema/diagnostics.ts';
import { DEFAULT_LIMITS, limitHint, type Limits } from '../limits.ts';
import { formatJsonPath } from './json-path.ts';

/**
 * JSON text → value, or one diagnostic with the 1-based line (and JSON path) of the first problem: a syntax
 * error, a duplicate key, nesting or a string beyond the limits (`scanJson`). V8's `JSON.parse` messages do not
 * always carry a position, and it accepts duplicate keys, so the text is scanned first.
 */
export type JsonTextResult = { ok: true; value: unknown } | { ok: false; diagnostic: Diagnostic };

export function parseJsonText(
  text: string,
  file: string,
  codePrefix: string,
  limits: JsonLimits = DEFAULT_LIMITS,
): JsonTextResult {
  // PowerShell's `Out-File` and Windows editors write a UTF-8 BOM; the content is still the CLI's JSON.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') {
    return {
      ok: false,
      diagnostic: {
        severity: 'error',
        code: `${codePrefix}.empty-file`,
        message: 'file is empty',
        file,
        line: 1,
        hint: 're-run the `aws` command and check that it exited without an error',
      },
    };
  }
  const problem = scanJson(body, limits);
  if (problem) return { ok: false, diagnostic: jsonProblemDiagnostic(problem, body, file, codePrefix) };
  return { ok: true, value: JSON.parse(body) };
}

/** The diagnostic for a `scanJson` problem, placed at its line (and JSON path where it has one). */
function jsonProblemDiagnostic(p: JsonProblem, body: string, file: string, codePrefix: string): Diagnostic {
  const at = {
    file,
    line: lineAt(body, p.offset),
    ...(p.jsonPath !== undefined ? { jsonPath: p.jsonPath } : {}),
  };
  switch (p.kind) {
    case 'truncated':
      return {
        severity: 'error',
        code: `${codePrefix}.truncated-json`,
        message: `invalid JSON: ${p.reason}`,
        ...at,
        hint: 'the file ends early: was the download or the `aws` command interrupted?',
      };
    case 'syntax':
      return {
        severity: 'error',
        code: `${codePrefix}.invalid-json`,
        message: `invalid JSON: ${p.reason}`,
        ...at,
      };
    case 'duplicate-key':
      return {
        severity: 'error',
        code: `${codePrefix}.duplicate-key`,
        message: p.reason,
        ...at,
        hint: 'AWS never writes a key twice and JSON readers silently keep only one: was the file edited or concatenated?',
      };
    case 'too-deep':
    case 'string-too-long':
      return {
        severity: 'error',
        code: `${codePrefix}.${p.kind}`,
        message: p.reason,
        ...at,
        hint: limitHint(p.kind === 'too-deep' ? 'jsonDepth' : 'stringChars', p.limit!),
      };
  }
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export type JsonLimits = Pick<Limits, 'jsonDepth' | 'stringChars'>;

export interface JsonProblem {
  kind: 'syntax' | 'truncated' | 'duplicate-key' | 'too-deep' | 'string-too-long';
  offset: number;
  reason: string;
  /** Where the problem is, for the kinds that are about a value (duplicate key, depth, string length). */
  jsonPath?: string;
  /** The limit exceeded. */
  limit?: number;
}

/**
 * A strict RFC 8259 scanner (the value itself comes from `JSON.parse` once this passes): the first syntax
 * error, duplicate key (which `JSON.parse` silently resolves to the last), nesting deeper than `jsonDepth` or
 * string longer than `stringChars`. Iterative, with an explicit stack, so no input can overflow the call stack.
 * Returns undefined when the text is valid within the limits.
 */
export function scanJson(text: string, limits: JsonLimits = DEFAULT_LIMITS): JsonProblem | undefined {
  type Frame = { keys: Set<string>; key: string } | { index: number };
  const stack: Frame[] = [];
  let i = 0;
  class Stop {
    constructor(readonly problem: JsonProblem) {}
  }
  const pathHere = (extra?: string) =>
    formatJsonPath([
      ...stack.map((f) => ('index' in f ? f.index : f.key)),
      ...(extra !== undefined ? [extra] : []),
    ]) || '$';
  const fail = (reason: string): never => {
    throw new Stop(
      i >= text.length
        ? { kind: 'truncated', offset: i, reason: 'unexpected end of input' }
        : { kind: 'syntax', offset: i, reason },
    );
  };
  const ws = () => {
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
    }
  };
  const show = () => `unexpected \`${text[i]}\``;
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail(show());
      i++;
    }
  };
  /** Scans a string; returns whether it has escapes (its value is then not the raw slice). */
  const string = (): boolean => {
    const start = i;
    let escaped = false;
    i++; // opening quote
    for (;;) {
      if (i - start - 1 > limits.stringChars)
        throw new Stop({
          kind: 'string-too-long',
          offset: start,
          reason: `a string longer than ${limits.stringChars} characters`,
          jsonPath: pathHere(),
          limit: limits.stringChars,
        });
      if (i >= text.length) fail('');
      const c = text.charCodeAt(i);
      if (c === 34) return (void i++, escaped);
      if (c === 92) {
        escaped = true;
        i++;
        if (i >= text.length) fail('');
        if (text[i] === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k;
              fail('bad unicode escape');
            }
          }
          i += 5;
        } else if ('"\\/bfnrt'.includes(text[i]!)) i++;
        else fail('bad escape');
      } else if (c < 0x20) fail('control character in string');
      else i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail(show());
    i += m![0].length;
  };
  const open = (frame: Frame) => {
    if (stack.length >= limits.jsonDepth)
      throw new Stop({
        kind: 'too-deep',
        offset: i,
        reason: `JSON nested more than ${limits.jsonDepth} levels deep`,
        jsonPath: pathHere(),
        limit: limits.jsonDepth,
      });
    stack.push(frame);
    i++;
    ws();
  };
  /** After `{` or `,` in an object: a key, `:`, then the value follows. */
  const key = () => {
    ws();
    if (text[i] !== '"') fail('expected a double-quoted property name');
    const start = i;
    const escaped = string();
    const name = escaped ? (JSON.parse(text.slice(start, i)) as string) : text.slice(start + 1, i - 1);
    const top = stack.at(-1) as { keys: Set<string>; key: string };
    if (top.keys.has(name)) {
      stack.pop();
      throw new Stop({
        kind: 'duplicate-key',
        offset: start,
        reason: `key \`${name}\` appears twice in the same object`,
        jsonPath: pathHere(name),
      });
    }
    top.keys.add(name);
    top.key = name;
    ws();
    if (text[i] !== ':') fail('expected `:` after a property name');
    i++;
  };
  try {
    for (;;) {
      // A value.
      ws();
      if (i >= text.length) fail('');
      const ch = text[i]!;
      if (ch === '{') {
        open({ keys: new Set(), key: '' });
        if (text[i] === '}') {
          i++;
          stack.pop();
        } else {
          key();
          continue;
        }
      } else if (ch === '[') {
        open({ index: 0 });
        if (text[i] === ']') {
          i++;
          stack.pop();
        } else continue;
      } else if (ch === '"') string();
      else if (ch === 't') literal('true');
      else if (ch === 'f') literal('false');
      else if (ch === 'n') literal('null');
      else if (ch === '-' || (ch >= '0' && ch <= '9')) number();
      else fail(show());
      // After a value: close containers until one continues with `,`.
      for (;;) {
        const top = stack.at(-1);
        ws();
        if (!top) {
          if (i < text.length) fail('unexpected text after the JSON value');
          return undefined;
        }
        if ('index' in top) {
          if (text[i] === ',') {
            i++;
            top.index++;
            break;
          }
          if (text[i] === ']') {
            i++;
            stack.pop();
            continue;
          }
          fail('expected `,` or `]` after an array element');
        } else {
          if (text[i] === ',') {
            i++;
            key();
            break;
          }
          if (text[i] === '}') {
            i++;
            stack.pop();
            continue;
          }
          fail('expected `,` or `}` after a property value');
        }
      }
    }
  } catch (e) {
    if (e instanceof Stop) return e.problem;
    throw e;
  }
}

/**
 * The 1-based line where each wanted JSON path's value starts (paths as `formatJsonPath` writes them). A path
 * that does not exist (a missing field) gets its nearest existing ancestor's line. One pass over valid JSON
 * text; call it only when there are diagnostics to place.
 */
export function linesOfJsonPaths(text: string, wanted: ReadonlySet<string>): Map<string, number> {
  const found = new Map<string, number>();
  const want = new Set<string>();
  for (const p of wanted) for (let q: string | undefined = p; q !== undefined; q = parentPath(q)) want.add(q);
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const ws = () => {
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) line++;
      else if (c !== 32 && c !== 9 && c !== 13) break;
    }
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const child = (base: string, key: string | number) =>
    typeof key === 'number'
      ? `${base}[${key}]`
      : /^[A-Za-z_$][\w$]*$/.test(key)
        ? base
          ? `${base}.${key}`
          : key
        : `${base}[${JSON.stringify(key)}]`;
  // A value outside every wanted path holds none: skipped by its brackets and strings, counting lines only.
  const skip = (): void => {
    let depth = 0;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) line++;
      else if (c === 0x22) {
        for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
        if (depth === 0) return void i++;
      } else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (--depth === 0) return void i++;
        if (depth < 0) return;
      } else if (depth === 0 && (c === 0x2c || c === 0x20 || c === 9 || c === 13)) return;
    }
  };
  const value = (path: string): void => {
    ws();
    if (!want.has(path || '$')) return skip();
    if (!found.has(path || '$')) found.set(path || '$', line);
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        // INVARIANT: the text parsed with JSON.parse already; this guard only stops a runaway on misuse.
        if (i >= text.length) return;
        const key = readString();
        ws();
        i++; // ':'
        value(child(path, key));
        ws();
        if (text[i++] === '}') return;
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (let k = 0; i < text.length; k++) {
        value(child(path, k));
        ws();
        if (text[i++] === ']') return;
      }
    }
    if (ch === '"') return void readString();
    while (i < text.length && !',]} \t\r\n'.includes(text[i]!)) i++;
  };
  value('');
  const out = new Map<string, number>();
  for (const p of wanted) {
    for (let q: string | undefined = p; q !== undefined; q = parentPath(q)) {
      const l = found.get(q);
      if (l !== undefined) {
        out.set(p, l);
        break;
      }
    }
  }
  return out;
}

/** `A[0].B` → `A[0]` → `A` → `$` → undefined. */
function parentPath(p: string): string | undefined {
  if (p === '$') return undefined;
  const m = /^(.*?)(?:\.[A-Za-z_$][\w$]*|\[[^\]]*\])$/.exec(p);
  if (!m) return '$';
  return m[1] === '' ? '$' : m[1];
}
