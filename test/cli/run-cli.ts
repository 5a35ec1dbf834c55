/** Runs the real CLI (server/cli/main.ts through tsx, one process) as a child, the way users do. */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'server', 'cli', 'main.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A new, empty data directory for the embedded store. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'accessgraph-data-'));
}

/**
 * The environment without NEO4J_*: tests choose the store explicitly. Each call gets an empty embedded store of
 * its own unless `extra` names one (ACCESSGRAPH_DATA_DIR), so runs never see each other's snapshots.
 */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, NO_COLOR: '1', ACCESSGRAPH_DATA_DIR: tempDataDir(), ...extra };
  for (const k of Object.keys(env))
    if (k.startsWith('NEO4J_') && !(k in extra)) delete (env as NodeJS.ProcessEnv)[k];
  return env;
}

export function startCli(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, env: cleanEnv(env) });
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = startCli(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A temporary bundle directory holding a copy of a committed GAAD fixture (fixtures are never mutated). */
export function bundleFromFixture(fixture: string, name = 'acme'): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'accessgraph-cli-')), name);
  mkdirSync(dir);
  copyFileSync(join(ROOT, 'test', 'fixtures', 'gaad', fixture), join(dir, 'authorization-details.json'));
  return dir;
}

export function bundleWithText(text: string, name = 'broken'): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'accessgraph-cli-')), name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'authorization-details.json'), text);
  return dir;
}

/** A temporary file holding a password, for `--neo4j-password-file` (passwords are never passed in argv). */
export function passwordFile(password: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'accessgraph-cli-')), 'neo4j-password');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return file;
}
