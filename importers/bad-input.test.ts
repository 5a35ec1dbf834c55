/**
 * The bad-input corpus (test/fixtures/bad-input/<case>/): every malformed bundle gives exactly the expected
 * error diagnostics (code, file, JSON path or line) and no snapshot, so nothing can be loaded.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importBundle } from './index.ts';

const CORPUS = path.resolve(import.meta.dirname, '../test/fixtures/bad-input');

interface Expected {
  description: string;
  input?: string;
  errors: { code: string; file?: string; jsonPath?: string; line?: number }[];
}

const cases = readdirSync(CORPUS, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('bad-input corpus', () => {
  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  for (const name of cases) {
    const dir = path.join(CORPUS, name);
    const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
    it(`${name}: ${expected.description}`, async () => {
      const input = path.join(dir, expected.input ?? 'bundle');
      const result = await importBundle([input]);
      expect(result.snapshot).toBeUndefined();
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      for (const e of errors) expect(e.message.length).toBeGreaterThan(0);
      // Every error inside a file points at a line, so an editor can jump to it.
      for (const e of errors)
        if (e.jsonPath !== undefined) expect(e.line, `${e.code} ${e.jsonPath}`).toBeGreaterThan(0);
      // Bundle-level diagnostics name the path as given; show it relative to the case directory.
      const shown = errors.map((e) => {
        const file = e.file && path.isAbsolute(e.file) ? path.relative(dir, e.file) : e.file;
        const picked: Expected['errors'][number] = { code: e.code };
        if (file !== undefined) picked.file = file;
        if (e.jsonPath !== undefined && expected.errors.some((x) => x.jsonPath !== undefined))
          picked.jsonPath = e.jsonPath;
        if (e.line !== undefined && expected.errors.some((x) => x.line !== undefined)) picked.line = e.line;
        return picked;
      });
      expect(shown).toEqual(expected.errors);
    });
  }
});
