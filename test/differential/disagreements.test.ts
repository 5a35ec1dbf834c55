/**
 * iam-simulate against the corpus's expectations (written from AWS's docs), without our engine: every strict
 * case iam-simulate can decide must agree with the corpus or be a named entry in `disagreements.ts`. This keeps
 * the disagreement table honest, so the engine-vs-iam-simulate test can trust it.
 */
import { describe, expect, it } from 'vitest';
import { loadCaseFiles, toPolicySet, toRequest } from '../engine/load-cases.ts';
import { findDisagreement, knownDisagreements } from './disagreements.ts';
import { simulate } from './iam-simulate-adapter.ts';

const files = loadCaseFiles();
const strictCases = files.flatMap(({ file, cases }) =>
  cases.filter((c) => c.strictContext === true).map((c) => ({ id: `${file} > ${c.name}`, c })),
);

describe('iam-simulate vs the corpus expectations', () => {
  it('every table entry names a corpus case and a doc page, and states the AWS answer the case expects', () => {
    const byId = new Map(strictCases.map((x) => [x.id, x.c]));
    for (const d of knownDisagreements) {
      const c = byId.get(d.case);
      expect(c, d.case).toBeDefined();
      expect(c?.expect.decision, d.case).toBe(d.aws);
      expect(d.iamSimulate).not.toBe(d.aws);
      expect(d.doc).toMatch(/^[a-z][a-z0-9_-]*$/);
    }
  });

  it('decides most strict cases (the comparison is not vacuous)', async () => {
    let decided = 0;
    for (const { c } of strictCases)
      if ((await simulate(toRequest(c), toPolicySet(c))).kind === 'decided') decided++;
    expect(decided).toBeGreaterThanOrEqual(400);
  });

  for (const { id, c } of strictCases) {
    it(id, async () => {
      const sim = await simulate(toRequest(c), toPolicySet(c));
      if (sim.kind === 'unsupported') return;
      const known = findDisagreement(id);
      if (known) {
        expect(sim.decision, 'listed disagreement no longer disagrees: delete it from disagreements.ts').toBe(
          known.iamSimulate,
        );
        return;
      }
      expect(sim.decision).toBe(c.expect.decision);
      // iam-simulate has no kind for a service rule's denial (it reports those as implicit).
      if (c.expect.deniedBy && c.expect.deniedBy.kind !== 'service')
        expect(sim.kind === 'decided' && sim.denial).toBe(c.expect.deniedBy.kind);
    });
  }
});
