import type { Diagnostic } from '../../server/engine/diagnostics.ts';

/**
 * JSON text → value, or one diagnostic with the 1-based line of the first syntax error. V8's `JSON.parse`
 * messages do not always carry a position (Node 20: "Unexpected token '}', … is not valid JSON"), so the
 * position comes from our own scan of the text, not from the message.
 */
export type JsonTextResult = { ok: true; value: unknown } | { ok: false; diagnostic: Diagnostic };

export function parseJsonText(text: string, file: string, codePrefix: string): JsonTextResult {
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
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (e) {
    const at = findJsonSyntaxError(body);
    const offset = at?.offset ?? body.length;
    const truncated = at?.reason === 'unexpected end of input';
    return {
      ok: false,
      diagnostic: {
        severity: 'error',
        code: truncated ? `${codePrefix}.truncated-json` : `${codePrefix}.invalid-json`,
        message: `invalid JSON: ${at?.reason ?? (e as Error).message}`,
        file,
        line: lineAt(body, offset),
        ...(truncated
          ? { hint: 'the file ends early: was the download or the `aws` command interrupted?' }
          : {}),
      },
    };
  }
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * A strict RFC 8259 scanner that only locates the first syntax error (the value comes from `JSON.parse`).
 * Returns undefined when the text is valid.
 */
export function findJsonSyntaxError(text: string): { offset: number; reason: string } | undefined {
  let i = 0;
  class Stop {
    constructor(
      readonly offset: number,
      readonly reason: string,
    ) {}
  }
  const fail = (reason: string): never => {
    throw new Stop(i, i >= text.length ? 'unexpected end of input' : reason);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const show = () => `unexpected \`${text[i]}\``;
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail(show());
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('');
      const ch = text[i]!;
      if (ch === '"') return void i++;
      if (ch === '\\') {
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
      } else if (ch.charCodeAt(0) < 0x20) fail('control character in string');
      else i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail(show());
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    if (i >= text.length) fail('');
    const ch = text[i]!;
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a double-quoted property name');
        string();
        ws();
        if (text[i] !== ':') fail('expected `:` after a property name');
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') return void i++;
        fail('expected `,` or `}` after a property value');
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') return void i++;
        fail('expected `,` or `]` after an array element');
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === '-' || (ch >= '0' && ch <= '9')) return number();
    fail(show());
  };
  try {
    value();
    ws();
    if (i < text.length) fail('unexpected text after the JSON value');
    return undefined;
  } catch (e) {
    if (e instanceof Stop) return { offset: e.offset, reason: e.reason };
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
  const value = (path: string): void => {
    ws();
    if (want.has(path || '$') && !found.has(path || '$')) found.set(path || '$', line);
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
