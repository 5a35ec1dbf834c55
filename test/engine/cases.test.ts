/**
 * The engine held to AWS's documented behaviour: every case in `test/cases/engine/**` (written from the AWS pages
 * each case names, not from the engine's code) run through the public `evaluate`.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../server/engine/index.ts';
import {
  loadCaseFiles,
  matchedRefs,
  residualKeysOf,
  testName,
  toPolicySet,
  toRequest,
} from './load-cases.ts';

const files = loadCaseFiles();

describe('engine case corpus', () => {
  it('holds at least 300 cases, each with a unique name per file', () => {
    const total = files.reduce((n, f) => n + f.cases.length, 0);
    expect(total).toBeGreaterThanOrEqual(300);
    for (const f of files) {
      const names = f.cases.map((c) => c.name);
      expect(new Set(names).size, f.file).toBe(names.length);
    }
  });
});

for (const { file, cases } of files) {
  describe(file, () => {
    for (const c of cases) {
      const run = c.skip ? it.skip : c.only ? it.only : it;
      run(testName(c), () => {
        const result = evaluate(toRequest(c), toPolicySet(c));
        expect(result.decision).toBe(c.expect.decision);
        if (c.expect.deniedBy) {
          const { kind, layer, level } = c.expect.deniedBy;
          expect(result.deniedBy?.kind).toBe(kind);
          if (layer !== undefined) expect(result.deniedBy?.layer).toBe(layer);
          if (level !== undefined) expect(result.deniedBy?.level).toBe(level);
        }
        if (c.expect.decision !== 'DENIED') expect(result.deniedBy).toBeUndefined();
        expect(result.serviceRule?.id).toBe(c.expect.serviceRule);
        if (c.expect.matched) {
          const refs = matchedRefs(result.explanation);
          for (const m of c.expect.matched) expect(refs).toContainEqual(m);
        }
        if (c.expect.settledBy) {
          const decided = result.explanation.notes
            .filter((n) => n.includes(' decided a condition: '))
            .map((n) => n.slice(0, n.indexOf(' ')));
          expect(decided.sort()).toEqual([...c.expect.settledBy].sort());
        }
        if (c.expect.residualKeys) {
          expect(residualKeysOf(result.conditions)).toEqual(
            c.expect.residualKeys.map((k) => k.toLowerCase()).sort(),
          );
        }
      });
    }
  });
}
