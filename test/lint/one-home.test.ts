/**
 * One home per idea in server/analysis, server/api and server/cli: ARNs are parsed by the engine's ARN module
 * (server/engine/arn.ts: `parseArn`, `arnAccount`, `arnService`), the Principal element of a resource or trust
 * policy is read by server/analysis/policy-principals.ts, and the arguments GraphQL and the CLI both take are
 * checked by server/analysis/arguments.ts. A new hand-written copy fails here with where it is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** `file:line` of every line matching `pattern` outside `allowed`. */
function copies(pattern: RegExp, allowed: string[]): string[] {
  return ['server/analysis', 'server/api', 'server/cli'].flatMap(sources).flatMap((file) =>
    allowed.includes(file)
      ? []
      : readFileSync(join(ROOT, file), 'utf8')
          .split('\n')
          .flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1}`] : [])),
  );
}

// The escalation builder's copies go when its owner's branch lands (server/analysis/README.md, "Caches").
const ESCALATION = ['server/analysis/escalation/build.ts', 'server/analysis/escalation/incremental.ts'];

describe('one home', () => {
  it('no ARN field is read by splitting on `:` (use parseArn / arnAccount / arnService)', () => {
    expect(copies(/\.split\(':'\)\[[1-5]\]/, ESCALATION)).toEqual([]);
  });

  it('no Principal element is read outside policy-principals.ts', () => {
    expect(
      copies(/\b(not)?[pP]rincipal\??\.aws\b/, [
        'server/analysis/policy-principals.ts',
        ...ESCALATION,
        // The diff's grant source reads exact names for its sharing keys (README "Caches": one engine pending).
        'server/analysis/what-if/grants.ts',
        // Which foreign accounts a trust policy names: accounts, not principals to evaluate.
        'server/analysis/findings/cross-account-trust.ts',
      ]),
    ).toEqual([]);
  });

  it('no action format is checked outside arguments.ts (use actionProblem)', () => {
    expect(copies(/\[\^:\\s\]\+:/, ['server/analysis/arguments.ts'])).toEqual([]);
  });

  it('the probes find what they look for', () => {
    expect(/\[\^:\\s\]\+:/.test('/^[^:\\s]+:[^:\\s]+$/.test(action)')).toBe(true);
    expect(/\.split\(':'\)\[[1-5]\]/.test("arn.split(':')[4]")).toBe(true);
    expect(/\b(not)?[pP]rincipal\??\.aws\b/.test('st.notPrincipal?.aws ?? []')).toBe(true);
  });
});
