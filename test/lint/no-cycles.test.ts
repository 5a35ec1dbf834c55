/**
 * No import cycles in server/, importers/ or bench/: dpdm builds the import graph (type-only imports included:
 * a cycle through types is still two layers that each need the other) and lists every cycle. A probe pair of
 * files importing each other shows the check fires.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCircular, parseDependencyTree } from 'dpdm';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Every import cycle among the files the globs match, each as the list of its files relative to `cwd`, rotated to
 * start at its first file by name: dpdm's walk order (and so where it enters a cycle) depends on file timing.
 */
async function cycles(cwd: string, globs: string[]): Promise<string[][]> {
  const tree = await parseDependencyTree(globs, {
    cwd,
    context: cwd,
    transform: false,
    skipDynamicImports: false,
    exclude: /node_modules/,
  });
  return parseCircular(tree).map((cycle) => {
    const first = cycle.indexOf([...cycle].sort()[0]!);
    return [...cycle.slice(first), ...cycle.slice(0, first)];
  });
}

describe('import cycles', { timeout: 120_000 }, () => {
  const probe = mkdtemp(path.join(tmpdir(), 'cycle-probe-'));
  afterAll(async () => rm(await probe, { recursive: true, force: true }));

  it('are found: two files importing each other', async () => {
    const dir = await probe;
    await writeFile(path.join(dir, 'a.ts'), "import { b } from './b.ts';\nexport const a = () => b;\n");
    await writeFile(
      path.join(dir, 'b.ts'),
      "import type { a } from './a.ts';\nexport const b: typeof a | 1 = 1;\n",
    );
    await writeFile(path.join(dir, 'c.ts'), "import { a } from './a.ts';\nexport const c = a;\n");
    expect(await cycles(dir, ['*.ts'])).toEqual([['a.ts', 'b.ts']]);
  });

  it('are absent from server/, importers/ and bench/', async () => {
    expect(await cycles(ROOT, ['server/**/*.ts', 'importers/**/*.ts', 'bench/**/*.ts'])).toEqual([]);
  });
});
