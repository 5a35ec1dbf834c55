/**
 * The `scale` section: imports of growing broad-IAM accounts and organizations, each in its own child process
 * (scale-child.ts) with a heap limit and a wall-clock cap, so a size today's code cannot handle is reported as
 * "did not finish" with what it had used, instead of hanging the bench or taking the machine's memory.
 *
 * The bundle is generated here, outside the child and its figures. While the child runs, its peak RSS and CPU
 * time are read from /proc (Linux), which is all there is to report when it is killed; a finished child reports
 * its own (process.resourceUsage, process.cpuUsage) with its stage times and what the build produced.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../generate/catalog.ts';
import {
  PRESETS,
  broadIamSize,
  generateAccountWith,
  writeAccount,
  type PresetName,
} from '../generate/generate-account.ts';
import { generateOrganization } from '../generate/generate-organization.ts';
import type { ScaleChildResult } from './scale-child.ts';
import type { Measurement } from './results.ts';
import { SkipSection, type BenchContext, type ScaleOptions } from './context.ts';

export interface ScaleCase {
  name: string;
  /** A preset account, or `principals` per account (broad-IAM shape) in `accounts` accounts. */
  preset?: PresetName;
  principals?: number;
  accounts?: number;
}

export const SCALE_CASES: readonly ScaleCase[] = [
  { name: 'broad-500', principals: 500 },
  { name: 'broad-1k', principals: 1000 },
  { name: 'broad-2k', principals: 2000 },
  { name: 'broad-4k', principals: 4000 },
  { name: 'broad-8k', principals: 8000 },
  { name: 'broad-16k', principals: 16000 },
  { name: 'large', preset: 'large' },
  { name: 'large-self-service', preset: 'large-self-service' },
  { name: 'org-2x500', principals: 500, accounts: 2 },
  { name: 'org-4x500', principals: 500, accounts: 4 },
  { name: 'org-8x500', principals: 500, accounts: 8 },
  { name: 'org-10x2000', principals: 2000, accounts: 10 },
  { name: 'org-200x500', principals: 500, accounts: 200 },
];

interface Ratio {
  key: string;
  name: string;
  of: string;
  over: string;
  /** Compare the escalation build's CPU time only (no memory ratio). */
  build?: true;
}

/** The growth ratios that have targets (organization scale). */
const TARGET_RATIOS: readonly Ratio[] = [
  { key: 'broad-growth-16k', name: 'broad-IAM 16k over 8k principals', of: 'broad-16k', over: 'broad-8k' },
  {
    key: 'self-service',
    name: 'escalation build CPU, large + self-service group over large',
    of: 'large-self-service',
    over: 'large',
    build: true,
  },
];

/** Growth families: within each, every case that ran is compared with the smallest that ran (CPU and RSS). */
const FAMILIES: readonly { name: string; size: (c: ScaleCase) => number | undefined }[] = [
  { name: 'broad-IAM principals', size: (c) => (c.accounts === undefined ? c.principals : undefined) },
  {
    name: 'accounts of 500 principals',
    size: (c) => (c.principals === 500 && (c.accounts ?? 0) <= 8 ? c.accounts : undefined),
  },
];

function ratiosOf(ran: readonly ScaleCase[]): Ratio[] {
  const out = [...TARGET_RATIOS];
  for (const family of FAMILIES) {
    const members = ran
      .filter((c) => family.size(c) !== undefined)
      .sort((a, b) => family.size(a)! - family.size(b)!);
    const base = members[0];
    for (const c of members.slice(1)) {
      const times = family.size(c)! / family.size(base!)!;
      const key = `${c.name}-over-${base!.name}`;
      if (!out.some((r) => r.of === c.name && r.over === base!.name))
        out.push({
          key,
          name: `${c.name} over ${base!.name} (${times}× the ${family.name})`,
          of: c.name,
          over: base!.name,
        });
    }
  }
  return out;
}

interface Outcome {
  result?: ScaleChildResult;
  /** Why it did not finish. */
  unfinished?: string;
  /** Read from /proc while it ran: the last seen peak RSS (bytes) and CPU time (ms). */
  seen: { maxRssBytes: number; cpuMs: number };
  wallMs: number;
  stage: string;
  load: [number, number];
}

const CHILD = fileURLToPath(new URL('./scale-child.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TICKS_PER_SECOND = 100; // Linux USER_HZ

/** Peak RSS and CPU time of a running process, from /proc; undefined where there is no /proc. */
function procFigures(pid: number): { maxRssBytes: number; cpuMs: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    // The command name in field 2 may hold spaces: fields are counted after its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    return { maxRssBytes: hwm ? Number(hwm[1]) * 1024 : 0, cpuMs: (ticks * 1000) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

function runChild(dir: string, options: ScaleOptions, log: (m: string) => void): Promise<Outcome> {
  const load0 = os.loadavg()[0]!;
  const start = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', `--max-old-space-size=${options.heapMb}`, CHILD, dir],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const seen = { maxRssBytes: 0, cpuMs: 0 };
  let stage = 'start';
  let result: ScaleChildResult | undefined;
  let stderr = '';
  // V8's out-of-memory report is followed by a native stack trace that can push it out of the kept tail.
  let heapExhausted = false;
  let timedOut = false;
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.startsWith('stage ')) {
        stage = line.slice(6);
        log(`    ${stage} (${((performance.now() - start) / 1000).toFixed(0)} s)`);
      } else if (line.startsWith('result ')) result = JSON.parse(line.slice(7)) as ScaleChildResult;
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
    if (/heap out of memory|Reached heap limit/.test(stderr)) heapExhausted = true;
  });
  const poll = setInterval(() => {
    const f = child.pid === undefined ? undefined : procFigures(child.pid);
    if (f) {
      seen.maxRssBytes = Math.max(seen.maxRssBytes, f.maxRssBytes);
      seen.cpuMs = Math.max(seen.cpuMs, f.cpuMs);
    }
  }, 500);
  const cap = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.capSeconds * 1000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(cap);
      const wallMs = performance.now() - start;
      const load: [number, number] = [load0, os.loadavg()[0]!];
      let unfinished: string | undefined;
      if (timedOut) unfinished = `did not finish within the ${options.capSeconds} s cap (in stage ${stage})`;
      else if (heapExhausted)
        unfinished = `did not finish: heap limit of ${options.heapMb} MB reached (in stage ${stage})`;
      else if (!result)
        unfinished = `failed (exit ${code ?? signal}, in stage ${stage}): ${stderr.trim().split('\n').slice(-3).join(' ')}`;
      resolve({
        ...(result ? { result } : {}),
        ...(unfinished ? { unfinished } : {}),
        seen,
        wallMs,
        stage,
        load,
      });
    });
  });
}

async function generateCase(c: ScaleCase, seed: string, dir: string): Promise<string> {
  const catalog = await loadCatalog();
  if (c.accounts !== undefined) {
    const s = await generateOrganization(
      catalog,
      { accounts: c.accounts, principals: c.principals!, seed },
      (files) => writeAccount({ files }, dir),
    );
    return `${s.accountIds.length} accounts, ${s.principals} users and roles, ${s.admins} admins by the generator`;
  }
  const size = c.preset ? PRESETS[c.preset] : broadIamSize(c.principals!);
  const account = generateAccountWith(catalog, { ...size, seed });
  await writeAccount(account, dir);
  const s = account.summary;
  return `${s.users} users, ${s.roles} roles, ${s.admins.length} admins by the generator`;
}

export async function scaleSection(ctx: BenchContext): Promise<Measurement[]> {
  const options = ctx.scale;
  if (!options)
    throw new SkipSection('long (minutes per case): run it with `--only scale` or `--scale <cases>`');
  const cases = options.cases
    ? options.cases.map((name) => {
        const c = SCALE_CASES.find((x) => x.name === name);
        // INVARIANT: run.ts validates case names.
        if (!c) throw new Error(`unknown scale case ${name}`);
        return c;
      })
    : SCALE_CASES;
  const seed = String(ctx.options.seed);
  const out: Measurement[] = [];
  const outcomes = new Map<string, Outcome>();
  const m = (key: string, name: string, value: number, unit: string, extra: Partial<Measurement> = {}) =>
    out.push({ section: 'scale', key: `scale.${key}`, name, value, unit, ...extra });
  for (const c of cases) {
    const dir = await mkdtemp(join(os.tmpdir(), 'accessgraph-bench-scale-'));
    try {
      ctx.log(`  ${c.name}: generating …`);
      const generated = await generateCase(c, seed, dir);
      ctx.log(
        `  ${c.name}: ${generated}; importing (cap ${options.capSeconds} s, heap ${options.heapMb} MB) …`,
      );
      const o = await runChild(dir, options, ctx.log);
      outcomes.set(c.name, o);
      const load = `load average ${o.load[0].toFixed(1)} → ${o.load[1].toFixed(1)}`;
      const r = o.result;
      if (!r) {
        const unfinished = o.unfinished!;
        m(`${c.name}.wall`, `${c.name}: import wall time`, o.wallMs, 'ms', {
          unfinished,
          note: `${generated}; ${load}`,
        });
        m(`${c.name}.cpu`, `${c.name}: import CPU time`, o.seen.cpuMs, 'ms', { unfinished });
        m(`${c.name}.rss`, `${c.name}: import max RSS`, o.seen.maxRssBytes, 'bytes', { unfinished });
        ctx.log(`  ${c.name}: ${unfinished}`);
        continue;
      }
      const s = r.stages;
      const stages = `parse ${(s.parse.cpuMs / 1000).toFixed(1)} s, escalation build ${(s.build.cpuMs / 1000).toFixed(1)} s, store load ${(s.load.cpuMs / 1000).toFixed(1)} s of CPU`;
      m(
        `${c.name}.wall`,
        `${c.name}: import wall time (read + escalation build + embedded load)`,
        r.wallMs,
        'ms',
        {
          note: `${r.principals} principals in ${r.accounts} accounts; ${load}`,
        },
      );
      m(`${c.name}.cpu`, `${c.name}: import CPU time`, r.cpuMs, 'ms', { note: stages });
      m(`${c.name}.build-cpu`, `${c.name}: escalation build CPU time`, s.build.cpuMs, 'ms');
      m(`${c.name}.rss`, `${c.name}: import max RSS`, r.maxRssBytes, 'bytes');
      m(`${c.name}.edges`, `${c.name}: escalation edges`, r.edges, 'edges', {
        note: `${r.fanOutEntries} fan-out entries, ${r.admins} admin-equivalent, ${r.storedRows} stored rows`,
      });
      m(`${c.name}.fan-out`, `${c.name}: fan-out entries`, r.fanOutEntries, 'entries');
      m(`${c.name}.evidence`, `${c.name}: stored evidence (JSON, UTF-8)`, r.evidenceBytes, 'bytes');
      if (r.accounts > 1) {
        m(`${c.name}.cross-account`, `${c.name}: edges between two accounts`, r.crossAccountEdges, 'edges', {
          note: `plus ${r.crossAccountFanOutTargets} fan-out targets in another account than the source`,
        });
        m(
          `${c.name}.cross-account-escalate`,
          `${c.name}: CAN_ESCALATE edges between two accounts (false: IAM acts in the caller's account only)`,
          r.crossAccountEscalateEdges,
          'edges',
          { note: `plus ${r.crossAccountEscalateFanOutTargets} such fan-out targets` },
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  for (const ratio of ratiosOf(cases)) {
    const of = outcomes.get(ratio.of);
    const over = outcomes.get(ratio.over);
    if (!of || !over) continue;
    const unfinished = [of, over].find((x) => x.unfinished)
      ? `${[ratio.of, ratio.over].filter((n) => outcomes.get(n)!.unfinished).join(' and ')} did not finish`
      : undefined;
    const cpu = (x: Outcome) =>
      x.result ? (ratio.build ? x.result.stages.build.cpuMs : x.result.cpuMs) : x.seen.cpuMs;
    const rss = (x: Outcome) => x.result?.maxRssBytes ?? x.seen.maxRssBytes;
    const extra = unfinished ? { unfinished } : {};
    m(`${ratio.key}.time`, `${ratio.name}: CPU time ratio`, cpu(of) / cpu(over), '×', extra);
    if (!ratio.build)
      m(`${ratio.key}.memory`, `${ratio.name}: max RSS ratio`, rss(of) / rss(over), '×', extra);
  }
  return out;
}
