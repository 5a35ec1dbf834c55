/**
 * The hostile-input corpus (cases.ts) run through the real `importBundle`, and a few through the real CLI, each
 * in a child process with a time limit and a 256 MiB heap: every case must end by itself with its expected
 * diagnostic, never crash, hang or run out of memory.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CASES, type HostileCase } from './cases.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Per child: far above what any case needs on a loaded 2-core machine, far below "hangs". */
const TIME_LIMIT_MS = 60_000;
const HEAP_MB = 256;

interface ChildResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runChild(args: string[]): Promise<ChildResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      {
        cwd: ROOT,
        timeout: TIME_LIMIT_MS,
        killSignal: 'SIGKILL',
        maxBuffer: 64 << 20,
        // NODE_OPTIONS reaches the CLI's own child (bin/accessgraph.js starts tsx in a second process).
        env: { ...process.env, NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}`, NO_COLOR: '1' },
      },
      (error, stdout, stderr) =>
        resolve({
          status: error ? (typeof error.code === 'number' ? error.code : null) : 0,
          signal: error?.signal ?? null,
          stdout,
          stderr,
        }),
    );
  });
}

/** Children at once: the machine has 2 cores. */
let running = 0;
const waiting: (() => void)[] = [];
async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

interface Reported {
  severity: string;
  code: string;
  file?: string;
  jsonPath?: string;
  hint?: string;
}

function expectEndedByItself(r: ChildResult) {
  // Killed by the time limit (SIGKILL), or aborted out of memory (SIGABRT, "heap out of memory").
  expect(r.signal, r.stderr.slice(-2000)).toBeNull();
  expect(r.stderr).not.toMatch(/heap out of memory|Maximum call stack|RangeError|TypeError/);
}

function expectDiagnostic(c: HostileCase, diagnostics: Reported[], snapshot: boolean) {
  expect(snapshot, JSON.stringify(diagnostics).slice(0, 1000)).toBe(c.snapshot);
  if (c.code === undefined) {
    expect(diagnostics).toEqual([]);
    return;
  }
  const found = diagnostics.find((d) => d.code === c.code);
  expect(found, `${c.code} in ${JSON.stringify(diagnostics).slice(0, 1000)}`).toBeDefined();
  expect(found!.file).toBeTruthy();
  if (c.jsonPath !== undefined) expect(found!.jsonPath).toBe(c.jsonPath);
  // A limit names the flag that raises it.
  if (/too-large|too-deep|too-long|over-quota|too-many/.test(c.code))
    expect(found!.hint).toMatch(/--limits \w+=/);
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function prepare(c: HostileCase): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hostile-'));
  dirs.push(dir);
  return c.make(dir);
}

describe.concurrent('hostile input through importBundle', () => {
  for (const c of CASES)
    it(c.name, { timeout: 3 * TIME_LIMIT_MS }, async () => {
      const input = await prepare(c);
      const r = await limited(() =>
        runChild(['--import', 'tsx', path.join(import.meta.dirname, 'run-import.ts'), input]),
      );
      expectEndedByItself(r);
      expect(r.status, r.stderr.slice(-2000)).toBe(0);
      const out = JSON.parse(r.stdout) as { snapshot: boolean; diagnostics: Reported[] };
      expectDiagnostic(c, out.diagnostics, out.snapshot);
    });
});

describe.concurrent('hostile input through `accessgraph import --json`', () => {
  for (const c of CASES.filter((x) => x.cli))
    it(c.name, { timeout: 3 * TIME_LIMIT_MS }, async () => {
      const input = await prepare(c);
      const r = await limited(() =>
        runChild([path.join(ROOT, 'bin/accessgraph.js'), 'import', input, '--json']),
      );
      expectEndedByItself(r);
      // 2: bad input, reported; 0: imported with warnings.
      expect(r.status, r.stderr.slice(-2000)).toBe(c.snapshot ? 0 : 2);
      const doc = JSON.parse(r.stdout) as { bundles: { diagnostics: Reported[] }[] };
      expectDiagnostic(
        c,
        doc.bundles.flatMap((b) => b.diagnostics),
        c.snapshot,
      );
    });
});
