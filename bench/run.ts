/**
 * `npm run bench` — measure what the issues set targets for, on a generated account, and write the figures
 * into docs/benchmarks.md (between the bench markers).
 *
 *   npm run bench                         # preset large, all sections, writes docs/benchmarks.md
 *   npm run bench -- --preset small       # quicker
 *   npm run bench -- --only memory        # one section (and what it needs); docs untouched unless --write
 *   npm run bench -- --json               # results as JSON on stdout (progress on stderr)
 *   npm run bench -- --only scale --scale broad-2k,broad-4k   # growth: imports in child processes, capped
 *   npm run bench -- --only load --duration 20  # the server under 1, 10, 50 clients, 20 s each
 *   npm run bench -- --only web           # the web UI's first render of 2,000 elements in Chromium
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { Command, InvalidArgumentError } from 'commander';
import { PRESETS, type PresetName } from './generate/generate-account.ts';
import {
  formatMeasurement,
  formatTarget,
  renderBlock,
  replaceGeneratedBlock,
  type RunInfo,
} from './harness/report.ts';
import {
  ISSUE_TARGETS,
  SECTION_NAMES,
  judged,
  measurementMeets,
  type Measurement,
  type SectionName,
  type SectionOutcome,
} from './harness/results.ts';
import {
  engineSection,
  generateSection,
  memorySection,
  neo4jSection,
  parseSection,
  whoCanBruteForceSection,
} from './harness/sections.ts';
import { SkipSection, type BenchContext } from './harness/context.ts';
import { whoCanIndexedSection } from './harness/who-can-indexed.ts';
import { accessSection } from './harness/access.ts';
import { whatIfSection } from './harness/what-if.ts';
import { rightsizeSection } from './harness/rightsize.ts';
import { escalationSection } from './harness/escalation.ts';
import { startupSection } from './harness/startup.ts';
import { SCALE_CASES, scaleSection } from './harness/scale.ts';
import { loadSection } from './harness/load.ts';
import { webSection } from './harness/web.ts';

/** What each section needs to have run first. */
const NEEDS: Record<SectionName, SectionName[]> = {
  generate: [],
  parse: ['generate'],
  memory: ['generate', 'parse'],
  neo4j: ['generate', 'parse'],
  engine: [],
  whocan: ['generate', 'parse'],
  whatif: ['generate', 'parse'],
  rightsize: ['generate', 'parse'],
  escalation: ['generate', 'parse'],
  load: ['generate', 'parse'],
  startup: ['generate'],
  scale: [],
  web: [],
};

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected an integer from 0');
  return n;
}

const program = new Command()
  .name('bench')
  .option('--only <section>', `run one section (and what it needs): ${SECTION_NAMES.join(', ')}`)
  .option('--preset <name>', `account size: ${Object.keys(PRESETS).join(', ')}`, 'large')
  .option('--seed <seed>', 'generator seed', '1')
  .option('--runs <n>', 'repetitions of short measurements (median reported)', positive, 3)
  .option(
    '--out <dir>',
    'write the generated bundle here and keep it (default: a temporary directory, removed)',
  )
  .option(
    '--scale <cases>',
    `scale section cases, comma-separated (default with --only scale: all): ${SCALE_CASES.map((c) => c.name).join(', ')}`,
  )
  .option('--cap <seconds>', 'scale section: wall-clock cap per import, in seconds', positive, 300)
  .option('--heap <MB>', 'scale section: heap limit per import (--max-old-space-size), in MB', positive, 8192)
  .option('--duration <seconds>', 'load section: seconds per level of concurrent clients', positive, 60)
  .option('--workers <n>', 'load section: `serve --workers` (default: its own, one per core)', nonNegative)
  .option('--json', 'print results as JSON on stdout')
  .option('--write', 'write docs/benchmarks.md even with --only')
  .option('--no-write', 'do not write docs/benchmarks.md');
program.parse();
const opts = program.opts<{
  only?: string;
  preset: string;
  seed: string;
  runs: number;
  out?: string;
  json?: boolean;
  write?: boolean;
  scale?: string;
  cap: number;
  heap: number;
  duration: number;
  workers?: number;
}>();

if (!(opts.preset in PRESETS)) {
  console.error(`unknown preset \`${opts.preset}\`: expected one of ${Object.keys(PRESETS).join(', ')}`);
  process.exit(2);
}
if (opts.only !== undefined && !SECTION_NAMES.includes(opts.only as SectionName)) {
  console.error(`unknown section \`${opts.only}\`: expected one of ${SECTION_NAMES.join(', ')}`);
  process.exit(2);
}
const scaleCases = opts.scale?.split(',').map((c) => c.trim());
const unknownCase = scaleCases?.find((c) => !SCALE_CASES.some((x) => x.name === c));
if (unknownCase !== undefined) {
  console.error(
    `unknown scale case \`${unknownCase}\`: expected some of ${SCALE_CASES.map((c) => c.name).join(', ')}`,
  );
  process.exit(2);
}
const preset = opts.preset as PresetName;
const selected: SectionName[] = opts.only
  ? SECTION_NAMES.filter((s) => s === opts.only || NEEDS[opts.only as SectionName].includes(s))
  : [...SECTION_NAMES];
const log = (m: string) => process.stderr.write(`${m}\n`);
const loadAtStart = os.loadavg()[0]!;

const ctx: BenchContext = {
  options: { ...PRESETS[preset], seed: opts.seed },
  runs: opts.runs,
  ...(opts.out ? { bundleDir: opts.out } : {}),
  log,
  cleanups: [],
  // The scale section runs when asked for by name: its cases take minutes each.
  ...(opts.only === 'scale' || scaleCases
    ? {
        scale: {
          ...(scaleCases ? { cases: scaleCases } : {}),
          capSeconds: opts.cap,
          heapMb: opts.heap,
        },
      }
    : {}),
};

const RUNNERS: Record<SectionName, (c: BenchContext) => Promise<Measurement[]>> = {
  generate: generateSection,
  parse: parseSection,
  memory: memorySection,
  neo4j: (c) => neo4jSection(c, preset === 'large'),
  engine: engineSection,
  // Brute force and the indexed who-can in the same run (to compare them), then effective permissions.
  whocan: async (c) => {
    const out = await whoCanBruteForceSection(c);
    for (const [name, section] of [
      ['indexed who-can', whoCanIndexedSection],
      ['access', accessSection],
    ] as const) {
      try {
        out.push(...(await section(c)));
      } catch (e) {
        if (!(e instanceof SkipSection)) throw e;
        c.log(`  ${name} skipped: ${e.message}`);
      }
    }
    return out;
  },
  whatif: whatIfSection,
  rightsize: rightsizeSection,
  escalation: escalationSection,
  load: (c) =>
    loadSection(c, {
      seconds: opts.duration,
      ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    }),
  startup: startupSection,
  scale: scaleSection,
  web: webSection,
};

async function runCleanups(): Promise<void> {
  for (const cleanup of ctx.cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (e) {
      log(`cleanup failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
// Ctrl-C must not leave a Neo4j JVM behind.
process.once('SIGINT', () => {
  void runCleanups().finally(() => process.exit(130));
});

const outcomes: SectionOutcome[] = [];
try {
  for (const section of selected) {
    log(`— ${section}`);
    try {
      const measurements = await RUNNERS[section](ctx);
      outcomes.push({ section, status: 'measured', measurements });
      for (const m of measurements) log(`  ${m.name}: ${formatMeasurement(m)}`);
    } catch (e) {
      const skipped = e instanceof SkipSection;
      const reason = skipped ? e.message : e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      outcomes.push({ section, status: skipped ? 'skipped' : 'failed', reason, measurements: [] });
      log(`  ${skipped ? 'skipped' : 'FAILED'}: ${reason}`);
      if (!skipped && e instanceof Error && e.stack) log(e.stack);
    }
  }
} finally {
  await runCleanups();
  if (!opts.out && ctx.bundleDir) await rm(ctx.bundleDir, { recursive: true, force: true });
}

const cpus = os.cpus();
const o = ctx.options;
const info: RunInfo = {
  date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  machine: {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU',
    cpus: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverage: { start: loadAtStart, end: os.loadavg()[0]! },
  },
  preset,
  seed: opts.seed,
  counts: `${o.users} users, ${o.groups} groups, ${o.roles} roles, ${o.managedPolicies} customer managed policies, ${o.buckets} buckets`,
  command:
    `npm run bench -- --preset ${preset} --seed ${opts.seed}${opts.runs !== 3 ? ` --runs ${opts.runs}` : ''}` +
    (ctx.scale
      ? `${opts.only ? ` --only ${opts.only}` : ''}${opts.scale ? ` --scale ${opts.scale}` : ''} --cap ${opts.cap} --heap ${opts.heap}`
      : '') +
    (opts.duration !== 60 ? ` --duration ${opts.duration}` : '') +
    (opts.workers !== undefined ? ` --workers ${opts.workers}` : ''),
};

if (opts.json) {
  process.stdout.write(`${JSON.stringify({ info, outcomes }, null, 2)}\n`);
} else {
  const table = new Table({ head: ['section', 'measure', 'value', 'target'] });
  for (const oc of outcomes) {
    if (oc.status !== 'measured') {
      table.push([oc.section, `${oc.status}: ${oc.reason ?? ''}`, '', '']);
      continue;
    }
    for (const m of oc.measurements) {
      const t = ISSUE_TARGETS.find((x) => x.key === m.key);
      table.push([
        oc.section,
        m.name,
        formatMeasurement(m),
        !t
          ? ''
          : !judged(t, preset)
            ? `${formatTarget(t.target, t.unit)} (large preset only)`
            : `${formatTarget(t.target, t.unit)} ${measurementMeets(m, t.target) ? 'met' : 'MISSED'}`,
      ]);
    }
  }
  console.log(table.toString());
}

const write = opts.write ?? opts.only === undefined;
if (write) {
  const docUrl = new URL('../docs/benchmarks.md', import.meta.url);
  const existing = await readFile(docUrl, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  await writeFile(docUrl, replaceGeneratedBlock(existing, renderBlock(info, outcomes)));
  log(`wrote ${fileURLToPath(docUrl)}`);
}
process.exitCode = outcomes.some((x) => x.status === 'failed') ? 1 : 0;
