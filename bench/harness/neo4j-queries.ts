/**
 * A server's questions about one principal on Neo4j, each in a fresh child process (neo4j-queries-child.ts) so
 * its peak RSS is the server's alone: the first blast radius after start, then blast radius, paths to admin and
 * who-can p50, once reading the escalation graph per principal (`readReachableRows`) and once whole (every
 * derived row back, as before), on the snapshot the neo4j section has just loaded.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRINCIPAL_CLASS_ID_PREFIX } from '../../server/graph/model.ts';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import type { StoredRows } from '../../server/analysis/escalation/stored.ts';
import type { QueriesChildConfig, QueriesChildResult } from './neo4j-queries-child.ts';
import { median } from './measure.ts';
import type { Measurement } from './results.ts';
import { needSnapshot, type BenchContext } from './context.ts';
import { snapshotWithBuckets, whoCanQueries } from './who-can-indexed.ts';

const CHILD = fileURLToPath(new URL('./neo4j-queries-child.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Every nth of a list, about n of them. */
function spread<T>(all: readonly T[], n: number): T[] {
  return all.filter((_, i) => i % Math.max(1, Math.ceil(all.length / n)) === 0);
}

function runChild(config: QueriesChildConfig, dir: string): Promise<QueriesChildResult> {
  return (async () => {
    const file = join(dir, `${config.mode}.json`);
    await writeFile(file, JSON.stringify(config));
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err = (err + c).slice(-4000)));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const line = out.split('\n').find((l) => l.startsWith('result '));
    if (code !== 0 || !line) throw new Error(`neo4j queries child (${config.mode}) exited ${code}: ${err}`);
    return JSON.parse(line.slice(7)) as QueriesChildResult;
  })();
}

/** Sources of class-wide techniques (their walks reach the most), then principals across the account. */
export function queryPrincipals(snapshot: AccountSnapshot, rows: StoredRows): string[] {
  const sources = [
    ...new Set(
      rows.derivedEdges.filter((e) => e.to.startsWith(PRINCIPAL_CLASS_ID_PREFIX)).map((e) => e.from),
    ),
  ].sort();
  const all = [...snapshot.users, ...snapshot.roles].map((p) => p.arn);
  return [...new Set([...spread(sources, 10), ...spread(all, 10)])];
}

export interface QueryRun {
  mode: QueriesChildConfig['mode'];
  /** One-minute load average when the process started. */
  load: number;
  result: QueriesChildResult;
}

/** Both ways of reading the graph, one fresh process each. */
export async function runQueryChildren(
  base: Omit<QueriesChildConfig, 'mode'>,
  log: (m: string) => void,
): Promise<QueryRun[]> {
  const dir = await mkdtemp(join(tmpdir(), 'accessgraph-bench-neo4j-queries-'));
  try {
    const out: QueryRun[] = [];
    for (const mode of ['per-principal', 'whole', 'who-can-part'] as const) {
      const load = os.loadavg()[0]!;
      log(
        `  ${mode}: a fresh process answers ${base.principals.length} principals, ${base.whoCan.length} who-can`,
      );
      out.push({ mode, load, result: await runChild({ ...base, mode }, dir) });
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function queryMeasurements(runs: readonly QueryRun[]): Measurement[] {
  return runs.flatMap(({ mode, load, result: r }): Measurement[] => {
    if (mode === 'who-can-part')
      return [
        {
          section: 'neo4j',
          key: 'neo4j.whocan-part-p50',
          name: `Neo4j who-can p50, fresh server reading only each question's candidates (the ${r.whoCanFromPart} questions whose resource policy does not name everyone)`,
          value: median(r.whoCanMs),
          unit: 'ms',
          runs: r.whoCanMs,
          note: `load ${load.toFixed(1)}; process CPU ${(r.cpuMs / 1000).toFixed(1)} s`,
        },
        {
          section: 'neo4j',
          key: 'neo4j.whocan-part-rss',
          name: 'Neo4j, server process peak RSS answering who-can from the candidates only',
          value: r.maxRssBytes,
          unit: 'bytes',
          note: `load ${load.toFixed(1)}`,
        },
      ];
    const how =
      mode === 'per-principal' ? 'escalation rows read per principal' : 'escalation graph read whole';
    const note = `load ${load.toFixed(1)}; process CPU ${(r.cpuMs / 1000).toFixed(1)} s`;
    const parts =
      `reading the snapshot back ${(r.openMs / 1000).toFixed(2)} s` +
      (mode === 'whole' ? `, the graph ${(r.graphMs / 1000).toFixed(2)} s` : '');
    const key = mode === 'per-principal' ? '' : '-whole';
    return [
      {
        section: 'neo4j',
        key: `neo4j.blast-radius-first${key}`,
        name: `Neo4j, fresh server: first blast radius (open the snapshot, ${how}, with permissions)`,
        value: r.firstBlastRadiusMs,
        unit: 'ms',
        note: `${note}; of which ${parts}`,
      },
      {
        section: 'neo4j',
        key: `neo4j.blast-radius-p50${key}`,
        name: `Neo4j blast radius p50 over ${r.blastRadiusMs.length} principals (${how})`,
        value: median(r.blastRadiusMs),
        unit: 'ms',
        runs: r.blastRadiusMs,
      },
      {
        section: 'neo4j',
        key: `neo4j.paths-p50${key}`,
        name: `Neo4j paths to admin p50 over ${r.pathsMs.length} principals, k = 3 (${how})`,
        value: median(r.pathsMs),
        unit: 'ms',
        runs: r.pathsMs,
      },
      {
        section: 'neo4j',
        key: `neo4j.server-whocan-p50${key}`,
        name: `Neo4j who-can p50 over ${r.whoCanMs.length} queries in the same process (snapshot held whole)`,
        value: median(r.whoCanMs),
        unit: 'ms',
        runs: r.whoCanMs,
      },
      {
        section: 'neo4j',
        key: `neo4j.server-rss${key}`,
        name: `Neo4j, server process peak RSS answering blast radius, paths and who-can (${how})`,
        value: r.maxRssBytes,
        unit: 'bytes',
        note,
      },
    ];
  });
}

export async function neo4jQueryMeasurements(
  ctx: BenchContext,
  connection: QueriesChildConfig['connection'],
  snapshotId: string,
  rows: StoredRows,
): Promise<Measurement[]> {
  const snapshot = needSnapshot(ctx);
  const whoCan = whoCanQueries(ctx.account ? snapshotWithBuckets(snapshot, ctx.account) : snapshot);
  const principals = queryPrincipals(snapshot, rows);
  return queryMeasurements(await runQueryChildren({ connection, snapshotId, principals, whoCan }, ctx.log));
}
