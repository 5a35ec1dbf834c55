/**
 * Start-up as a user meets it: whole `accessgraph` processes on the demo bundle, the built CLI (dist/, what
 * `bin/accessgraph.js` runs) against the former tsx path (TypeScript compiled at run time). `--help`, one
 * `who-can` from a cold process, and a shell loop of `blast-radius` over the demo's principals, as a script or a
 * CI job runs it; then `who-can --from` on the generated bundle (the preset's), first into an empty embedded store
 * and again once the store holds it. Every process keeps its embedded store in a data directory of this run. The
 * built CLI is rebuilt first (`npm run build`), so the figures are of the current sources. Wall time is the
 * target; the CPU time of the processes (user + system, Linux only) is noted beside it, since on a shared two-core
 * machine the wall time mostly measures the neighbours.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { median } from './measure.ts';
import type { Measurement } from './results.ts';
import type { BenchContext } from './context.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEMO = 'examples/demo';
/** Calls in the built `blast-radius` loop (the target is set for 100). */
const LOOP_CALLS = 100;
/** The tsx loop is timed on fewer calls and scaled to LOOP_CALLS: each costs seconds. */
const TSX_LOOP_CALLS = 10;

const BUILT = ['bin/accessgraph.js'];
const TSX = [createRequire(import.meta.url).resolve('tsx/cli'), 'server/cli/main.ts'];

/**
 * CPU time (user + system) used so far by this process's waited-for children, in ms: fields 16 and 17 of
 * /proc/self/stat, in clock ticks (100 per second on Linux). Undefined where there is no /proc.
 */
function childrenCpuMs(): number | undefined {
  let stat: string;
  try {
    stat = readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name, which is in parentheses and may hold spaces: field 3 is the first.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) * 10;
}

interface Timing {
  wallMs: number;
  cpuMs?: number;
}

/** The embedded store of every process this section starts (ACCESSGRAPH_DATA_DIR), emptied by `freshStore`. */
let dataDir = '';
function freshStore(): void {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = mkdtempSync(join(tmpdir(), 'accessgraph-bench-data-'));
}

/** Wall and CPU time of running `command` and waiting for it (and everything it started). */
function timeCommand(what: string, command: string, args: string[]): Timing {
  const cpuBefore = childrenCpuMs();
  const start = performance.now();
  const r = spawnSync(command, args, {
    cwd: ROOT,
    stdio: 'ignore',
    env: { ...process.env, ACCESSGRAPH_DATA_DIR: dataDir, NEO4J_URI: '' },
  });
  const wallMs = performance.now() - start;
  if (r.status !== 0) throw new Error(`${what} exited with ${r.status}`);
  const cpuAfter = childrenCpuMs();
  return {
    wallMs,
    ...(cpuBefore !== undefined && cpuAfter !== undefined ? { cpuMs: cpuAfter - cpuBefore } : {}),
  };
}

/** One process running `node <cli…> <args…>` from the repository root. */
function timeProcess(cli: string[], args: string[]): Timing {
  return timeCommand(`\`accessgraph ${args.join(' ')}\``, process.execPath, [...cli, ...args]);
}

/** A `sh` loop running `blast-radius` once per principal name. */
function timeLoop(cli: string[], principals: string[]): Timing {
  const command = `for p in ${principals.join(' ')}; do "$0" "$@" blast-radius "$p" --from ${DEMO} >/dev/null || exit 1; done`;
  return timeCommand('the blast-radius loop', 'sh', ['-c', command, process.execPath, ...cli]);
}

/** Median wall time of `runs` processes, with the median CPU time in a note. */
function medianOf(
  runs: number,
  cli: string[],
  args: string[],
): { ms: number; runs: number[]; note?: string } {
  const timings = Array.from({ length: runs }, () => timeProcess(cli, args));
  const cpu = timings.flatMap((t) => (t.cpuMs === undefined ? [] : [t.cpuMs]));
  return {
    ms: median(timings.map((t) => t.wallMs)),
    runs: timings.map((t) => t.wallMs),
    ...(cpu.length ? { note: `CPU ${Math.round(median(cpu))} ms (median)` } : {}),
  };
}

function cpuNote(t: Timing): string | undefined {
  return t.cpuMs === undefined ? undefined : `CPU ${(t.cpuMs / 1000).toFixed(1)} s`;
}

/** The demo's users and roles by name, repeated until there are `n`. */
function demoPrincipals(n: number): string[] {
  const gaad = JSON.parse(readFileSync(`${ROOT}${DEMO}/authorization-details.json`, 'utf8')) as {
    UserDetailList: { UserName: string }[];
    RoleDetailList: { RoleName: string }[];
  };
  const names = [
    ...gaad.UserDetailList.map((u) => u.UserName),
    ...gaad.RoleDetailList.map((r) => r.RoleName),
  ];
  return Array.from({ length: n }, (_, i) => names[i % names.length]!);
}

export async function startupSection(ctx: BenchContext): Promise<Measurement[]> {
  ctx.log('  building dist/ (npm run build)');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'ignore' });
  const runs = Math.max(ctx.runs, 5);
  freshStore();
  ctx.cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const whoCan = ['who-can', 's3:GetObject', 'arn:aws:s3:::example-corp-engineering/x', '--from', DEMO];
  const out: Measurement[] = [];
  const add = (
    key: string,
    name: string,
    t: { ms: number; runs?: number[]; note?: string | undefined },
  ): void => {
    out.push({
      section: 'startup',
      key: `startup.${key}`,
      name,
      value: t.ms,
      unit: 'ms',
      ...(t.runs ? { runs: t.runs } : {}),
      ...(t.note ? { note: t.note } : {}),
    });
  };
  add('help-built', '`accessgraph --help`, built (median of runs)', medianOf(runs, BUILT, ['--help']));
  add('help-tsx', '`accessgraph --help` through tsx (before the build)', medianOf(3, TSX, ['--help']));
  const firstWhoCan = timeProcess(BUILT, whoCan);
  add('who-can-built-first', '`who-can` on the demo bundle, cold process, built, empty store', {
    ms: firstWhoCan.wallMs,
    note: cpuNote(firstWhoCan),
  });
  add(
    'who-can-built',
    '`who-can` on the demo bundle, cold process, built, the store holding it',
    medianOf(runs, BUILT, whoCan),
  );
  add(
    'who-can-tsx',
    '`who-can` on the demo bundle, cold process, tsx, the store holding it',
    medianOf(3, TSX, whoCan),
  );
  const principals = demoPrincipals(LOOP_CALLS);
  const builtLoop = timeLoop(BUILT, principals);
  add('blast-loop-built', `shell loop: \`blast-radius\` × ${LOOP_CALLS} on the demo, built, stored`, {
    ms: builtLoop.wallMs,
    note: cpuNote(builtLoop),
  });
  const scale = LOOP_CALLS / TSX_LOOP_CALLS;
  const tsxLoop = timeLoop(TSX, principals.slice(0, TSX_LOOP_CALLS));
  add('blast-loop-tsx', `shell loop: \`blast-radius\` × ${LOOP_CALLS} on the demo, tsx, stored`, {
    ms: tsxLoop.wallMs * scale,
    note: `${TSX_LOOP_CALLS} calls timed (${(tsxLoop.wallMs / 1000).toFixed(1)} s${
      tsxLoop.cpuMs === undefined ? '' : `, CPU ${(tsxLoop.cpuMs / 1000).toFixed(1)} s`
    }) and scaled to ${LOOP_CALLS}`,
  });
  out.push(...persistedWhoCan(ctx, runs, add));
  return out;
}

/**
 * `who-can --from <generated bundle>` twice: into an empty store (parse, escalation build, store) and once the
 * store holds the bundle (reused: no parse, no build). The target is on the second and on the ratio.
 */
function persistedWhoCan(
  ctx: BenchContext,
  runs: number,
  add: (key: string, name: string, t: { ms: number; runs?: number[]; note?: string | undefined }) => void,
): Measurement[] {
  if (!ctx.bundleDir) return [];
  freshStore();
  const args = ['who-can', 's3:GetObject', 'arn:aws:s3:::acme-ads-assets-192/x', '--from', ctx.bundleDir];
  const first = timeProcess(BUILT, args);
  add('who-can-persisted-first', `\`who-can --from\` the generated bundle, empty store`, {
    ms: first.wallMs,
    note: cpuNote(first),
  });
  const second = medianOf(Math.min(runs, 3), BUILT, args);
  add('who-can-persisted', `\`who-can --from\` the generated bundle again, the store holding it`, second);
  const ratio = first.wallMs / second.ms;
  return [
    {
      section: 'startup',
      key: 'startup.who-can-persisted-speedup',
      name: `first \`who-can --from\` the generated bundle over the second (wall)`,
      value: ratio,
      unit: '×',
      ...(first.cpuMs !== undefined && second.note
        ? { note: `CPU: first ${(first.cpuMs / 1000).toFixed(1)} s, second ${second.note}` }
        : {}),
    },
  ];
}
