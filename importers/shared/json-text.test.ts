/** The strict JSON scan and byte decoding every bundle file goes through before `JSON.parse`. */
import { describe, expect, it } from 'vitest';
import { decodeText } from './decode-text.ts';
import { parseJsonText, scanJson, linesOfJsonPaths } from './json-text.ts';

const limits = { jsonDepth: 3, stringChars: 5 };

describe('scanJson', () => {
  it('reports a duplicate key with its JSON path, escapes decoded', () => {
    expect(scanJson('{"A":[{"b":1},{"b":1,"\\u0062":2}]}')).toMatchObject({
      kind: 'duplicate-key',
      jsonPath: 'A[1].b',
    });
    expect(scanJson('{"a":{"b":1},"c":{"b":1}}')).toBeUndefined();
  });

  it('allows exactly jsonDepth levels and refuses one more, at the path that opens it', () => {
    expect(scanJson('[[[1]]]', limits)).toBeUndefined();
    expect(scanJson('{"x":[[[1]]]}', limits)).toMatchObject({
      kind: 'too-deep',
      jsonPath: 'x[0][0]',
      limit: 3,
    });
  });

  it('refuses a string longer than stringChars, keys included', () => {
    expect(scanJson('["abcde"]', limits)).toBeUndefined();
    expect(scanJson('["abcdef"]', limits)).toMatchObject({ kind: 'string-too-long', jsonPath: '[0]' });
    expect(scanJson('{"abcdef":1}', limits)).toMatchObject({ kind: 'string-too-long' });
  });

  it('scans 1,000,000 levels without overflowing the stack', () => {
    expect(scanJson('['.repeat(1_000_000))).toMatchObject({ kind: 'too-deep' });
    expect(scanJson('['.repeat(1_000_000), { jsonDepth: 2_000_000, stringChars: 1 })).toMatchObject({
      kind: 'truncated',
    });
  });

  it('gives the diagnostic the line, the path and the flag that raises the limit', () => {
    const r = parseJsonText('{\n"a": 1,\n"a": 2}', 'f.json', 'gaad');
    expect(r).toMatchObject({
      ok: false,
      diagnostic: { code: 'gaad.duplicate-key', line: 3, jsonPath: 'a' },
    });
    const deep = parseJsonText('[[[[1]]]]', 'f.json', 'gaad', limits);
    expect(deep).toMatchObject({ ok: false, diagnostic: { code: 'gaad.too-deep', jsonPath: '[0][0][0]' } });
    expect(!deep.ok && deep.diagnostic.hint).toMatch(/--limits jsonDepth=6/);
  });
});

describe('decodeText', () => {
  it('reads UTF-8, and UTF-16 in either byte order by its BOM', () => {
    expect(decodeText(Buffer.from('{"é":1}'))).toEqual({ ok: true, text: '{"é":1}' });
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"é":1}', 'utf16le')]);
    expect(decodeText(le)).toEqual({ ok: true, text: '{"é":1}' });
    const be = Buffer.from(le.subarray(2)).swap16();
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toEqual({ ok: true, text: '{"é":1}' });
  });

  it('refuses Latin-1, naming the line of the first bad byte', () => {
    expect(decodeText(Buffer.from('{\n"a":\n"José"}', 'latin1'))).toMatchObject({ ok: false, line: 3 });
  });
});

describe('linesOfJsonPaths', () => {
  // Values before the wanted ones hold brackets, quotes and escapes inside strings, and span lines: the lines
  // counted while skipping them must still be right.
  const text = [
    '{',
    '  "Skipped": [',
    '    {"Name": "a]b}c", "Doc": "{\\"Statement\\": [1]}"},',
    '    [1, 2,',
    '     3], true, null, -1.5e3',
    '  ],',
    '  "Users": [',
    '    {"UserName": "u0"},',
    '    {',
    '      "UserName": "u1",',
    '      "Policy": "{\\"Version\\": \\"2012-10-17\\"}"',
    '    }',
    '  ],',
    '  "Last": {"Deep": [0, {"Key": "v"}]}',
    '}',
  ].join('\n');

  it('finds each wanted path, skipping the values outside every one', () => {
    const lines = linesOfJsonPaths(
      text,
      new Set(['Users[1].UserName', 'Users[1].Policy', 'Last.Deep[1].Key', 'Users[0]']),
    );
    expect(Object.fromEntries(lines)).toEqual({
      'Users[1].UserName': 10,
      'Users[1].Policy': 11,
      'Last.Deep[1].Key': 14,
      'Users[0]': 8,
    });
  });

  it('gives a path inside a JSON string, or absent, its nearest ancestor in the file', () => {
    const lines = linesOfJsonPaths(text, new Set(['Users[1].Policy.Version', 'Users[5].UserName']));
    expect(Object.fromEntries(lines)).toEqual({ 'Users[1].Policy.Version': 11, 'Users[5].UserName': 7 });
  });
});
