/**
 * The server under load: `accessgraph serve` on the generated bundle (a child process, from source, default
 * workers), then 1, 10 and 50 concurrent clients on loopback, each sending who-can queries back to back for
 * `--duration` seconds, each for a new object of one of `BUCKETS` buckets, after a warm-up that reaches each
 * worker and bucket (the steady state of a server people use, not its cold start). Per level: throughput,
 * p50/p99 latency, errors (HTTP, GraphQL, and socket errors such as ECONNRESET by code), and the server's CPU
 * time per request (/proc, every thread: on a shared host, the figure the other processes do not inflate). During
 * the 50-client level a `{ __typename }` probe is sent every 100 ms: its worst latency is the figure. The server's
 * RSS (/proc, Linux) after the warm-up and at the end tells whether memory stays flat.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Measurement } from './results.ts';
import { needSnapshot, type BenchContext } from './context.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const LOAD_LEVELS = [1, 10, 50] as const;
const PROBE_EVERY_MS = 100;
/** Buckets the who-can queries cycle through (each answer is still for a new object key). */
const BUCKETS = 10;
/**
 * Warm-up rounds over the buckets, at most this many requests at once: a bucket's requests go to whichever worker
 * is free, so each worker sees each bucket unless all 8 went to the other (1 in 128 for two workers).
 */
const WARM_UP_ROUNDS = 8;

interface Answer {
  ms: number;
  /** Undefined when the request was answered with data and no errors. */
  error?: string;
}

/** One POST of `query` to `url` through `agent`; never rejects: failures are reported in `error`. */
function post(url: URL, agent: Agent, query: string): Promise<Answer> {
  const body = JSON.stringify({ query });
  const start = performance.now();
  return new Promise((resolve) => {
    const done = (error?: string) =>
      resolve({ ms: performance.now() - start, ...(error !== undefined ? { error } : {}) });
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
        res.on('end', () => {
          if (res.statusCode !== 200) return done(`HTTP ${res.statusCode}`);
          const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            errors?: { extensions?: { code?: string } }[];
          };
          done(answer.errors ? `GraphQL ${answer.errors[0]?.extensions?.code ?? 'error'}` : undefined);
        });
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
    req.end(body);
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Resident set size of process `pid` in bytes (Linux /proc), undefined elsewhere. */
function rssOf(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** CPU time process `pid` has used, all threads, in ms (Linux /proc; clock ticks of 10 ms), undefined elsewhere. */
function cpuMsOf(pid: number): number | undefined {
  try {
    // The fields after the command's closing parenthesis, from field 3 (state): utime and stime are 14 and 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * Starts `serve` on `bundle` (port 0) with its own embedded store in `dataDir` (the default one is shared: an
 * import there by another process would change the snapshot the server answers about), and resolves with its
 * GraphQL URL once it listens.
 */
function startServer(
  bundle: string,
  dataDir: string,
  serveArgs: readonly string[],
  log: (m: string) => void,
): Promise<{ child: ChildProcess; url: URL }> {
  const child = spawn(
    process.execPath,
    // One process (tsx's loader, not its CLI, which would run the server in a child): its RSS is the server's.
    [
      ...['--import', 'tsx', 'server/cli/main.ts', 'serve', bundle, '--port', '0', '--json'],
      ...['--data-dir', dataDir, ...serveArgs],
    ],
    {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', NEO4J_URI: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, url: new URL((JSON.parse(line) as { url: string }).url) });
    });
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) =>
      reject(new Error(`serve exited with ${code} before listening: ${err.slice(-2000)}`)),
    );
    log('  serve is importing the bundle (parse + escalation build) …');
  });
}

interface LevelResult {
  clients: number;
  latencies: number[];
  errors: Map<string, number>;
  seconds: number;
}

/** `clients` loops sending `nextQuery()` back to back until `seconds` have passed. */
async function runLevel(
  url: URL,
  clients: number,
  seconds: number,
  nextQuery: () => string,
): Promise<LevelResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const a = await post(url, agent, nextQuery());
        if (a.error === undefined) latencies.push(a.ms);
        else errors.set(a.error, (errors.get(a.error) ?? 0) + 1);
      }
    }),
  );
  agent.destroy();
  return {
    clients,
    latencies: latencies.sort((a, b) => a - b),
    errors,
    seconds: (performance.now() - start) / 1000,
  };
}

export interface LoadOptions {
  /** Seconds per level (default 60). */
  seconds: number;
  /** `serve --workers` (its default when undefined). */
  workers?: number;
}

export async function loadSection(ctx: BenchContext, options: LoadOptions): Promise<Measurement[]> {
  const snapshot = needSnapshot(ctx);
  if (!ctx.bundleDir) throw new Error('load needs the generated bundle');
  const buckets = snapshot.resources
    .filter((r) => r.arn.startsWith('arn:aws:s3:::'))
    .map((r) => r.arn)
    .slice(0, BUCKETS);
  if (buckets.length === 0) throw new Error('the generated account has no bucket to ask about');
  let n = 0;
  const whoCan = () => {
    const resource = `${buckets[n % buckets.length]}/load/object-${n}`;
    n++;
    return `{ whoCan(action: "s3:GetObject", resource: "${resource}") {
      ... on WhoCanResult { entries { principal { arn } decision } } ... on Error { message } } }`;
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'accessgraph-load-'));
  ctx.cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const { child, url } = await startServer(
    ctx.bundleDir,
    dataDir,
    options.workers !== undefined ? ['--workers', String(options.workers)] : [],
    ctx.log,
  );
  const exited = new Promise((r) => child.once('exit', r));
  try {
    // Every worker reads the snapshot and builds its index on its first who-can, and compiles a bucket's policy
    // on its first question about that bucket: seconds each, paid here rather than by the first level.
    ctx.log(`  serving at ${url.href}; warming up (each worker, each bucket) …`);
    const warmAgent = new Agent({ keepAlive: true, maxSockets: WARM_UP_ROUNDS });
    for (let round = 0; round < WARM_UP_ROUNDS; round++)
      await Promise.all(buckets.map(() => post(url, warmAgent, whoCan())));
    warmAgent.destroy();
    const rssStart = rssOf(child.pid!);
    const out: Measurement[] = [];
    const m = (key: string, name: string, value: number, unit: string, note?: string): Measurement => ({
      section: 'load',
      key: `load.${key}`,
      name,
      value,
      unit,
      ...(note ? { note } : {}),
    });
    let probeMs: number[] = [];
    for (const clients of LOAD_LEVELS) {
      ctx.log(`  ${clients} client(s) for ${options.seconds} s …`);
      let probing = clients === LOAD_LEVELS[LOAD_LEVELS.length - 1];
      const probeAgent = new Agent({ keepAlive: true, maxSockets: 1 });
      const probes = (async () => {
        const seen: number[] = [];
        while (probing) {
          const a = await post(url, probeAgent, '{ __typename }');
          seen.push(a.error === undefined ? a.ms : Infinity);
          await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
        }
        return seen;
      })();
      const cpuBefore = cpuMsOf(child.pid!);
      const r = await runLevel(url, clients, options.seconds, whoCan);
      const cpuAfter = cpuMsOf(child.pid!);
      probing = false;
      const seen = await probes;
      probeAgent.destroy();
      if (clients === LOAD_LEVELS[LOAD_LEVELS.length - 1]) probeMs = seen;
      const errorCount = [...r.errors.values()].reduce((a, b) => a + b, 0);
      const errorNote = [...r.errors].map(([code, count]) => `${count} ${code}`).join(', ');
      const c = `c${clients}`;
      const who = `who-can, ${clients} concurrent client${clients > 1 ? 's' : ''}`;
      out.push(
        m(`${c}.throughput`, `${who}: throughput`, r.latencies.length / r.seconds, 'requests/s'),
        m(`${c}.p50`, `${who}: p50 latency`, percentile(r.latencies, 50), 'ms'),
        m(`${c}.p99`, `${who}: p99 latency`, percentile(r.latencies, 99), 'ms'),
        m(`${c}.errors`, `${who}: failed requests`, errorCount, 'requests', errorNote || undefined),
      );
      const answered = r.latencies.length + errorCount;
      if (cpuBefore !== undefined && cpuAfter !== undefined && answered > 0)
        out.push(
          m(
            `${c}.cpu-per-request`,
            `${who}: server CPU per request (all threads)`,
            (cpuAfter - cpuBefore) / answered,
            'ms',
            `${((cpuAfter - cpuBefore) / 1000).toFixed(1)} s of CPU in ${r.seconds.toFixed(0)} s`,
          ),
        );
      ctx.log(
        `    ${(r.latencies.length / r.seconds).toFixed(1)} req/s, p50 ${percentile(r.latencies, 50).toFixed(0)} ms, ` +
          `p99 ${percentile(r.latencies, 99).toFixed(0)} ms, ${errorCount} errors${errorNote ? ` (${errorNote})` : ''}` +
          (cpuBefore !== undefined && cpuAfter !== undefined
            ? `, server CPU ${((cpuAfter - cpuBefore) / 1000).toFixed(1)} s`
            : ''),
      );
    }
    const rssEnd = rssOf(child.pid!);
    const sortedProbes = [...probeMs].sort((a, b) => a - b);
    out.push(
      m(
        'probe-max',
        `\`{ __typename }\` probe while ${LOAD_LEVELS[LOAD_LEVELS.length - 1]} clients ask who-can: worst latency`,
        sortedProbes[sortedProbes.length - 1] ?? NaN,
        'ms',
        `${sortedProbes.length} probes, p50 ${percentile(sortedProbes, 50).toFixed(1)} ms`,
      ),
    );
    if (rssStart !== undefined && rssEnd !== undefined)
      out.push(
        m('rss-start', 'server RSS after warm-up', rssStart, 'bytes'),
        m('rss-end', 'server RSS after every level', rssEnd, 'bytes'),
        m('rss-growth', 'server RSS growth over the levels (end / start)', rssEnd / rssStart, '×'),
      );
    return out;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
