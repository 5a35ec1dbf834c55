/** `bin/accessgraph.js` in a package whose build is missing: it says how to build, with a failure exit code. */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run-cli.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'accessgraph-bin-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bin/accessgraph.js', () => {
  it('without dist/ names the missing file and the command that builds it, and exits 1', async () => {
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(ROOT, 'bin', 'accessgraph.js'), join(dir, 'bin', 'accessgraph.js'));
    copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    const e = (await run(process.execPath, [join(dir, 'bin', 'accessgraph.js'), '--version']).catch(
      (err: unknown) => err,
    )) as { code: number; stdout: string; stderr: string };
    expect(e.code).toBe(1);
    expect(e.stdout).toBe('');
    expect(e.stderr).toContain(join(dir, 'dist', 'server', 'cli', 'main.js'));
    expect(e.stderr).toContain('npm run build');
  });
});
