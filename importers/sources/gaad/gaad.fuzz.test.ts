/**
 * Bad input never crashes the importer: random damage to a real GAAD gives either a snapshot that keeps the
 * model's invariants or at least one error diagnostic — never an exception.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { propertyRuns } from '../../../test/support/property.ts';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../../schema/diagnostics.ts';
import { parseGaad } from './parse.ts';
import { normalizeGaad } from './normalize.ts';

const text = readFileSync(
  path.resolve(import.meta.dirname, '../../../test/fixtures/gaad/cloudmapper-demo-gaad.json'),
  'utf8',
);
const original = JSON.parse(text);

function importText(t: string) {
  const parsed = parseGaad(t, 'f.json');
  if (!parsed.page) return { diagnostics: parsed.diagnostics };
  const { fragment, diagnostics } = normalizeGaad([{ file: 'f.json', page: parsed.page }]);
  return { fragment, diagnostics };
}

/** Every [path, container] pair in a JSON value, to pick a place to damage. */
function places(
  v: unknown,
  at: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (Array.isArray(v)) v.forEach((x, i) => places(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) places(x, [...at, k], out);
  out.push(at);
  return out;
}
const allPlaces = places(original).filter((p) => p.length > 0);

function damage(value: unknown, where: (string | number)[], replacement: unknown, remove: boolean): unknown {
  const copy = structuredClone(value) as any;
  let parent = copy;
  for (const k of where.slice(0, -1)) parent = parent[k];
  const last = where.at(-1)!;
  if (remove) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = replacement;
  return copy;
}

function checkOutcome(result: ReturnType<typeof importText>): void {
  if (hasErrors(result.diagnostics)) return;
  const f = result.fragment!;
  for (const p of f.policies)
    expect(p.versions.filter((v) => v.isDefault).map((v) => v.versionId)).toEqual([p.defaultVersionId]);
  for (const x of [...f.users, ...f.roles, ...f.groups])
    for (const ip of x.inlinePolicies) expect(typeof JSON.parse(ip.document)).toBe('object');
  for (const u of f.users) for (const g of u.groups) expect(f.groups.some((x) => x.arn === g)).toBe(true);
}

describe('random damage never crashes the GAAD importer', () => {
  it('replaced or removed values', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...allPlaces),
        fc.jsonValue({ maxDepth: 2 }),
        fc.boolean(),
        (where, replacement, remove) => {
          checkOutcome(importText(JSON.stringify(damage(original, where, replacement, remove), null, 2)));
        },
      ),
      propertyRuns(300, 20261128),
    );
  });

  it('text cut at any offset', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.trimEnd().length - 1 }), (cut) => {
        const result = importText(text.slice(0, cut));
        expect(result.diagnostics.map((d) => d.code)).toContainEqual(
          expect.stringMatching(/^gaad\.(truncated-json|invalid-json|empty-file)$/),
        );
        expect(result.diagnostics[0]!.line).toBeGreaterThan(0);
      }),
      propertyRuns(200, 20261128),
    );
  });
});
