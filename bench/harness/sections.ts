/**
 * The bench sections. Each reaches the code it measures through a dynamic `import()` of a file someone else
 * owns, so a section whose dependency has not landed yet is skipped with a message instead of breaking the run.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../generate/catalog.ts';
import { generateAccountWith, writeAccount } from '../generate/generate-account.ts';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import type { StoredRows } from '../../server/analysis/escalation/stored.ts';
import type { EscalationGraph } from '../../server/analysis/escalation/graph.ts';
import type { GraphStore } from '../../server/graph/store.ts';
import { timeRuns } from './measure.ts';
import {
  bruteForceWhoCan,
  compileAllPrincipals,
  compileDistinctPolicies,
  type EngineApi,
} from './brute-force.ts';
import type { Measurement, SectionName } from './results.ts';
import { whoCanNeo4jMeasurements } from './who-can-neo4j.ts';
import { neo4jQueryMeasurements } from './neo4j-queries.ts';
import { SkipSection, importOptional, needSnapshot, type BenchContext } from './context.ts';

function measurement(
  section: SectionName,
  key: string,
  name: string,
  value: number,
  unit: string,
  extra: Partial<Measurement> = {},
): Measurement {
  return { section, key: `${section}.${key}`, name, value, unit, ...extra };
}

export async function generateSection(ctx: BenchContext): Promise<Measurement[]> {
  const catalogStart = performance.now();
  const catalog = await loadCatalog();
  const catalogMs = performance.now() - catalogStart;
  const timed = await timeRuns(ctx.runs, () => generateAccountWith(catalog, ctx.options));
  const account = timed.result;
  ctx.account = account;
  ctx.bundleDir ??= await mkdtemp(join(tmpdir(), 'accessgraph-bench-'));
  const writeStart = performance.now();
  await writeAccount(account, ctx.bundleDir);
  const writeMs = performance.now() - writeStart;
  ctx.log(`bundle written to ${ctx.bundleDir}`);
  return [
    measurement(
      'generate',
      'catalog',
      'load the catalog (iam-data, AWS managed policies), once per process',
      catalogMs,
      'ms',
    ),
    measurement('generate', 'time', 'generate the account in memory', timed.ms, 'ms', { runs: timed.runsMs }),
    measurement(
      'generate',
      'gaad-bytes',
      'GAAD size (AWS CLI JSON, 4-space indent)',
      account.gaadBytes,
      'bytes',
    ),
    measurement('generate', 'files', 'bundle files (GAAD + bucket policies)', account.files.length, 'files'),
    measurement('generate', 'write', 'write the bundle to disk', writeMs, 'ms'),
  ];
}

interface ImportResultLike {
  snapshot?: AccountSnapshot;
  diagnostics?: { severity: string; code: string; message: string; file?: string; jsonPath?: string }[];
}
type ImportBundle = (paths: string[], options?: Record<string, unknown>) => Promise<ImportResultLike>;

export async function parseSection(ctx: BenchContext): Promise<Measurement[]> {
  const importBundle = await importOptional<ImportBundle>('importers/index.ts', 'importBundle');
  // INVARIANT: the harness runs `generate` before `parse`.
  if (!ctx.bundleDir) throw new Error('parse needs the generated bundle');
  const dir = ctx.bundleDir;
  const timed = await timeRuns(ctx.runs, () => importBundle([dir], {}));
  const errors = (timed.result.diagnostics ?? []).filter((d) => d.severity === 'error');
  if (errors.length > 0 || !timed.result.snapshot) {
    const shown = errors
      .slice(0, 3)
      .map((d) => `${d.code} ${d.file ?? ''}${d.jsonPath ? ` ${d.jsonPath}` : ''}: ${d.message}`);
    throw new Error(
      `importBundle rejected the generated bundle (${errors.length} errors): ${shown.join('; ')}`,
    );
  }
  ctx.snapshot = timed.result.snapshot;
  ctx.parseMs = timed.ms;
  const s = timed.result.snapshot;
  const warnings = (timed.result.diagnostics ?? []).length - errors.length;
  return [
    measurement('parse', 'time', 'importBundle: read + parse + validate + normalize', timed.ms, 'ms', {
      runs: timed.runsMs,
      note: `${s.users.length} users, ${s.groups.length} groups, ${s.roles.length} roles, ${s.policies.length} policies, ${s.resources.length} resources, ${warnings} warnings`,
    }),
  ];
}

/**
 * What `accessgraph import` hands a store besides the snapshot: the escalation graph's rows (CAN_ASSUME and
 * CAN_ESCALATE edges, principal classes). Stores are timed loading both, as the app loads them.
 */
export async function storedRowsOf(ctx: BenchContext): Promise<{ rows: StoredRows; buildMs: number }> {
  if (ctx.stored) return ctx.stored;
  const build = await importOptional<(s: AccountSnapshot) => Promise<EscalationGraph>>(
    'server/analysis/escalation/index.ts',
    'buildEscalationGraph',
  );
  const toStoredRows = await importOptional<(g: EscalationGraph) => StoredRows>(
    'server/analysis/escalation/stored.ts',
    'toStoredRows',
  );
  const start = performance.now();
  const graph = await build(needSnapshot(ctx));
  const buildMs = performance.now() - start;
  ctx.stored = { rows: toStoredRows(graph), buildMs };
  return ctx.stored;
}

/** Import totals: the snapshot (what the import target times) and the whole import with the escalation build. */
function importTotals(section: SectionName, store: string, ctx: BenchContext, loadMs: number): Measurement[] {
  const { buildMs } = ctx.stored!;
  return [
    measurement(
      section,
      'import-total',
      `${store}: import total (parse median + load of the snapshot and its escalation rows)`,
      ctx.parseMs! + loadMs,
      'ms',
    ),
    measurement(
      section,
      'import-with-build',
      `${store}: import as \`accessgraph import\` runs it (parse + escalation build ${(buildMs / 1000).toFixed(2)} s + load)`,
      ctx.parseMs! + buildMs + loadMs,
      'ms',
    ),
  ];
}

export async function memorySection(ctx: BenchContext): Promise<Measurement[]> {
  const createMemoryStore = await importOptional<() => GraphStore>(
    'server/graph/memory/memory-store.ts',
    'createMemoryStore',
  );
  const snapshot = needSnapshot(ctx);
  const { rows } = await storedRowsOf(ctx);
  const timed = await timeRuns(
    ctx.runs,
    (store: GraphStore) => store.load(snapshot, rows),
    () => createMemoryStore(),
  );
  return [
    measurement('memory', 'load', 'embedded store: load(snapshot, escalation rows)', timed.ms, 'ms', {
      runs: timed.runsMs,
    }),
    ...importTotals('memory', 'embedded store', ctx, timed.ms),
  ];
}

interface Neo4jHandle {
  uri: string;
  user: string;
  password: string;
  stop(): Promise<void>;
}
type StartNeo4j = (options: { dataDir: string; port?: number; password?: string }) => Promise<Neo4jHandle>;
type CreateNeo4jStore = (options: { uri: string; user: string; password: string }) => Promise<GraphStore>;

export async function neo4jSection(ctx: BenchContext, large: boolean): Promise<Measurement[]> {
  const createNeo4jStore = await importOptional<CreateNeo4jStore>(
    'server/graph/neo4j/neo4j-store.ts',
    'createNeo4jStore',
  );
  const snapshot = needSnapshot(ctx);
  const { rows } = await storedRowsOf(ctx);
  let connection: { uri: string; user: string; password: string };
  let startMs: number | undefined;
  let stop: (() => Promise<void>) | undefined;
  if (process.env.NEO4J_URI) {
    connection = {
      uri: process.env.NEO4J_URI,
      user: process.env.NEO4J_USER ?? 'neo4j',
      password: process.env.NEO4J_PASSWORD ?? '',
    };
    ctx.log(`using Neo4j at ${connection.uri}`);
  } else {
    const startNeo4j = await importOptional<StartNeo4j>('scripts/neo4j/launcher.ts', 'startNeo4j');
    const dataDir = await mkdtemp(join(tmpdir(), 'accessgraph-bench-neo4j-'));
    ctx.log(`starting Neo4j (data in ${dataDir}) …`);
    const t = performance.now();
    const handle = await startNeo4j({ dataDir });
    startMs = performance.now() - t;
    stop = () => handle.stop();
    ctx.cleanups.push(stop);
    connection = handle;
  }
  try {
    const store = await createNeo4jStore(connection);
    try {
      // A Neo4j load of the large account takes seconds to tens of seconds: one run is enough there.
      const runs = large ? 1 : ctx.runs;
      const loaded: string[] = [];
      const timed = await timeRuns(runs, async () => {
        const info = await store.load(snapshot, rows);
        loaded.push(info.id);
        return info;
      });
      // who-can on what was just loaded (the Neo4j who-can figure), before the snapshot goes.
      let whoCan: Measurement[] = [];
      try {
        whoCan = await whoCanNeo4jMeasurements(ctx, store, loaded[loaded.length - 1]!);
      } catch (e) {
        // Reported, not thrown: the snapshots below must still be deleted.
        ctx.log(
          `  who-can on Neo4j ${e instanceof SkipSection ? 'skipped' : 'FAILED'}: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      // One principal's questions in a fresh server process, before the snapshot goes.
      let queries: Measurement[] = [];
      try {
        queries = await neo4jQueryMeasurements(ctx, connection, loaded[loaded.length - 1]!, rows);
      } catch (e) {
        ctx.log(`  Neo4j per-principal queries FAILED: ${e instanceof Error ? e.message : String(e)}`);
      }
      // Leave a user's own Neo4j as we found it.
      for (const id of loaded) await store.deleteSnapshot(id);
      const out = [
        measurement('neo4j', 'load', 'Neo4j: load(snapshot, escalation rows)', timed.ms, 'ms', {
          runs: timed.runsMs,
        }),
        ...importTotals('neo4j', 'Neo4j', ctx, timed.ms),
        ...whoCan,
        ...queries,
      ];
      if (startMs !== undefined)
        out.push(
          measurement(
            'neo4j',
            'start',
            'start the embedded Neo4j (launcher, not part of import)',
            startMs,
            'ms',
          ),
        );
      return out;
    } finally {
      await store.close();
    }
  } finally {
    // Stop our Neo4j now rather than at exit, so its JVM does not compete with later measurements.
    if (stop) {
      ctx.cleanups.splice(ctx.cleanups.indexOf(stop), 1);
      await stop();
    }
  }
}

type BenchEngine = () => Promise<{ name: string; value: number; unit: string; key?: string }[]>;

export async function engineSection(_ctx: BenchContext): Promise<Measurement[]> {
  const benchEngine = await importOptional<BenchEngine>('bench/engine.bench.ts', 'benchEngine');
  const rows = await benchEngine();
  return rows.map((r, i) =>
    measurement(
      'engine',
      r.key ??
        (r.unit === 'evaluations/s' && !rows.slice(0, i).some((x) => x.unit === 'evaluations/s')
          ? 'evaluations'
          : `row-${i}`),
      r.name,
      r.value,
      r.unit,
    ),
  );
}

/**
 * The brute-force loop over all principals, measured beside the indexed who-can in the same run: the
 * baseline the candidate index must beat. `s3:GetObject` on an object of the first bucket, with its bucket policy.
 */
export async function whoCanBruteForceSection(ctx: BenchContext): Promise<Measurement[]> {
  const engine = await importOptional<EngineApi['compilePolicySet']>(
    'server/engine/index.ts',
    'compilePolicySet',
  ).then(async (compilePolicySet) => ({
    compilePolicySet,
    evaluateCompiled: await importOptional<EngineApi['evaluateCompiled']>(
      'server/engine/index.ts',
      'evaluateCompiled',
    ),
  }));
  const snapshot = needSnapshot(ctx);
  const bucket = ctx.account?.files.find(
    (f) => f.path.startsWith('resource-policies/s3/') && f.path.endsWith('.get-bucket-policy.json'),
  );
  if (!bucket) throw new SkipSection('the generated account has no bucket to ask about');
  const name = bucket.path.slice('resource-policies/s3/'.length).replace(/\.get-bucket-policy\.json$/, '');
  const bucketArn = `arn:aws:s3:::${name}`;
  // The bucket policy as imported when the importer knows S3; otherwise straight from the generated file.
  const imported = snapshot.resources.find((r) => r.arn === bucketArn)?.policy;
  const document = imported ?? (JSON.parse(bucket.text) as { Policy: string }).Policy;
  // Distinct policies first, while the engine's process-wide caches (resolved variable globs) are cold: the
  // per-principal compile below then runs warm, as it would in a long-lived server.
  const distinctStart = performance.now();
  const distinct = compileDistinctPolicies(engine, snapshot);
  const distinctMs = performance.now() - distinctStart;
  const compileStart = performance.now();
  const principals = compileAllPrincipals(engine, snapshot, { id: bucketArn, document });
  const compileMs = performance.now() - compileStart;
  // A concrete request (strict context: keys not given are absent, as in a real call), so the answer is a list of
  // principals rather than a list of residual conditions.
  const request = {
    action: 's3:GetObject',
    resource: `${bucketArn}/data/report.csv`,
    context: {
      'aws:SecureTransport': 'true',
      'aws:MultiFactorAuthPresent': 'true',
      'aws:SourceIp': '203.0.113.10',
      'aws:RequestedRegion': 'eu-west-1',
      'aws:CurrentTime': '2026-06-01T00:00:00Z',
    },
    strictContext: true,
  };
  const timed = await timeRuns(ctx.runs, () => bruteForceWhoCan(engine, principals, request));
  const d = timed.result;
  const failures =
    principals.failures.length > 0
      ? `; ${principals.failures.length} principals failed to compile, first: ${principals.failures[0]!.message}`
      : '';
  return [
    measurement(
      'whocan',
      'compile',
      "compile every principal's policy set (users + roles)",
      compileMs,
      'ms',
      {
        note: `${principals.compiled.length} principals${failures}`,
      },
    ),
    measurement(
      'whocan',
      'compile-distinct',
      'compile each distinct identity policy once (what sharing compiled policies between principals costs; runs first, cold caches)',
      distinctMs,
      'ms',
      { note: `${distinct} policies` },
    ),
    measurement(
      'whocan',
      'brute-force',
      'brute-force who-can: one request evaluated for every principal',
      timed.ms,
      'ms',
      {
        runs: timed.runsMs,
        note: `s3:GetObject on an object of ${name} over TLS with MFA, bucket policy ${imported ? 'as imported' : 'from the generated file'}: ${Object.entries(
          d,
        )
          .map(([k, n]) => `${n} ${k}`)
          .join(', ')}`,
      },
    ),
  ];
}
