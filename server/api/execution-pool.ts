/**
 * GraphQL execution in worker threads, so that an analysis (whoCan, whatIf, …) never holds the main thread:
 * HTTP, the request guard, parsing, validation and the limits stay there, and an operation that selects an
 * expensive field (`EXPENSIVE_FIELDS`) is executed by a worker (execution-worker.ts) running the same schema
 * over a `remoteStore` of the main thread's store (store-rpc.ts). Cheap operations run in-process.
 *
 * A worker runs one operation at a time and keeps its analysis caches between them; operations beyond the
 * idle workers wait in a queue, unless the operations ahead would keep them past `maxWaitMs` (the time budget,
 * estimated from the warm workers' mean operation time): those are refused at once (`PoolBusyError`, answered
 * SERVER_BUSY with HTTP 503). A worker answers successful results as JSON text, which the main thread sends as
 * is. Workers start on first use, or all at once with `start`. An operation whose
 * request aborts (client gone, time budget spent) leaves the queue, or is signalled to its worker: the worker
 * stops at the next expensive field, and is replaced if it is still busy `abortGraceMs` later (one analysis that
 * runs on). The grace is long by default (a time budget): a cold worker's first analysis reads and indexes the
 * snapshot, which on a large account under load can outlast one budget, and killing it would start over cold.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { ExecutionResult, GraphQLError as GraphQLErrorType } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { SnapshotReader } from '../graph/store.ts';
import type { ApiContext } from './context.ts';
import { graphql } from './graphql-runtime.ts';
import { DEFAULT_OPEN_ANALYSES, DEFAULT_TIME_BUDGET_MS, DEFAULT_WORKERS } from './limit-defaults.ts';
import { operationWeight } from './limits.ts';
import { errorFromWire, serveStore, type WireError } from './store-rpc.ts';

const { GraphQLError, Source, print } = graphql;

export interface ExecuteRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** A GraphQL error as the worker sends it: positions index the request's `query`. */
interface WireGraphQLError {
  message: string;
  positions?: readonly number[];
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
  original?: WireError;
}

export interface WireResult {
  data?: Record<string, unknown> | null;
  errors?: WireGraphQLError[];
  /**
   * A result without errors, serialised by the worker (then `data` is absent): the main thread sends it as is
   * rather than cloning a large answer across and serialising it again.
   */
  json?: string;
}

export type ToWorker =
  ({ type: 'execute' } & ExecuteRequest & { id: number }) | { type: 'abort'; id: number };
export interface FromWorker {
  id: number;
  result: WireResult;
}

/** A result that carries its own serialisation: Yoga sends `stringify`'s text (its `ExecutionResultWithSerializer`). */
type SerialisedResult = ExecutionResult & { stringify?: (result: ExecutionResult) => string };

/**
 * The result as graphql-js would have returned it in-process: errors with their original error's class. A result
 * the worker serialised keeps its text for Yoga; its `data` is parsed only if something reads it.
 */
function fromWire(wire: WireResult, query: string): SerialisedResult {
  const json = wire.json;
  if (json !== undefined)
    return {
      get data() {
        return (JSON.parse(json) as ExecutionResult).data;
      },
      stringify: () => json,
    };
  const source = new Source(query);
  return {
    ...(wire.data !== undefined ? { data: wire.data } : {}),
    ...(wire.errors
      ? {
          errors: wire.errors.map(
            (e): GraphQLErrorType =>
              new GraphQLError(e.message, {
                ...(e.positions ? { source, positions: e.positions } : {}),
                ...(e.path ? { path: e.path } : {}),
                ...(e.extensions ? { extensions: e.extensions } : {}),
                ...(e.original ? { originalError: errorFromWire(e.original) } : {}),
              }),
          ),
        }
      : {}),
  };
}

interface Job {
  id: number;
  request: ExecuteRequest;
  /** When a worker took it (performance.now()). */
  started?: number;
  signal: AbortSignal | undefined;
  resolve: (result: WireResult) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  /** It has answered an operation: its first, which starts the worker and reads the snapshot, is not typical. */
  answered?: boolean;
}

/** How much each finished operation moves the pool's mean operation time (an exponential moving average). */
const OPERATION_TIME_WEIGHT = 0.2;

/** Refused at once (`ExecutionPool.run`): with the operations ahead of it, it would finish after `maxWaitMs`. */
export class PoolBusyError extends Error {
  constructor(
    readonly expectedMs: number,
    readonly maxWaitMs: number,
    /** When the operations ahead should be done. */
    readonly retryAfterSeconds: number,
  ) {
    super(
      `the server is busy: this analysis would be expected to finish in ${(expectedMs / 1000).toFixed(1)} s, ` +
        `past its time budget of ${(maxWaitMs / 1000).toFixed(1)} s; retry in ${retryAfterSeconds} s`,
    );
    this.name = 'PoolBusyError';
  }
}

const WORKER_EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const WORKER_URL = new URL(`./execution-worker${WORKER_EXT}`, import.meta.url);

/**
 * Built (`dist/`, plain JS) the worker file runs as is. From source (tsx, vitest) it is TypeScript: a
 * bootstrap registers tsx in the worker first (Node 20 applies neither the parent's `--import tsx` nor one in the
 * worker's own execArgv to its entry file).
 */
/** The ESM build of `tsx/esm/api` (`require.resolve` would pick its CommonJS one). */
function tsxApiUrl(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as TsxManifest).exports;
  return pathToFileURL(join(dirname(manifest), exports['./esm/api'].import.default)).href;
}
interface TsxManifest {
  exports: { './esm/api': { import: { default: string } } };
}

/** What a worker is started with (execution-worker.ts reads it). */
export interface WorkerStart {
  storePort: MessagePort;
  /** Snapshot analyses the worker keeps open (analyses.ts). */
  openAnalyses: number;
}

function startWorker(storePort: MessagePort, openAnalyses: number): Worker {
  const workerData: WorkerStart = { storePort, openAnalyses };
  const options = { workerData, transferList: [storePort] };
  if (WORKER_EXT === '.js') return new Worker(WORKER_URL, options);
  const bootstrap =
    `import(${JSON.stringify(tsxApiUrl())}).then((tsx) => { tsx.register(); ` +
    `return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

export class ExecutionPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closed = false;

  readonly size: number;
  private readonly abortGraceMs: number;
  private readonly openAnalyses: number;
  private readonly maxWaitMs: number;
  /** The mean time a worker takes per operation, once one has finished. */
  private meanMs: number | undefined;

  constructor(
    private readonly store: SnapshotReader,
    options: { size?: number; abortGraceMs?: number; openAnalyses?: number; maxWaitMs?: number } = {},
  ) {
    this.size = options.size ?? DEFAULT_WORKERS;
    this.abortGraceMs = options.abortGraceMs ?? DEFAULT_TIME_BUDGET_MS;
    this.openAnalyses = options.openAnalyses ?? DEFAULT_OPEN_ANALYSES;
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_TIME_BUDGET_MS;
  }

  /** Starts every worker now rather than on first use (each loads the schema: seconds from source). */
  start(): void {
    while (!this.closed && this.slots.length < this.size) this.spawn();
  }

  /** The thread ids of the running workers (a replaced worker's id is not reused). */
  get threadIds(): number[] {
    return this.slots.map((s) => s.worker.threadId);
  }

  /**
   * How an operation sent now would fare, from the mean operation time of warm workers: the rounds of `size`
   * operations ahead of it (running or queued) before a worker takes it, and when it would be expected to
   * finish. Undefined before a warm worker has answered.
   */
  outlook(): { rounds: number; expectedMs: number } | undefined {
    if (this.meanMs === undefined) return undefined;
    const rounds = Math.floor((this.queue.length + this.slots.filter((s) => s.job).length) / this.size);
    return { rounds, expectedMs: (rounds + 1) * this.meanMs };
  }

  /**
   * Executes `request` in a worker, resolving with the result as in-process execution gives it (`fromWire`);
   * rejects with the signal's reason as soon as it aborts, and at once with a `PoolBusyError` when it would be
   * expected to finish after `maxWaitMs` (the time budget: it would only be answered with an error then).
   */
  run(request: ExecuteRequest, signal?: AbortSignal): Promise<SerialisedResult> {
    return new Promise<WireResult>((resolve, reject) => {
      if (this.closed) return reject(new Error('the GraphQL worker pool is closed'));
      if (signal?.aborted) return reject(signal.reason);
      // Never while a worker is idle (no round ahead): only an operation that must wait its turn is refused.
      const o = this.outlook();
      if (o && o.rounds > 0 && o.expectedMs > this.maxWaitMs)
        return reject(
          new PoolBusyError(o.expectedMs, this.maxWaitMs, Math.ceil((o.rounds * this.meanMs!) / 1000)),
        );
      const job: Job = { id: this.nextId++, request, signal, resolve, reject };
      signal?.addEventListener('abort', () => this.abort(job), { once: true });
      this.queue.push(job);
      this.dispatch();
    }).then((wire) => fromWire(wire, request.query));
  }

  /** Stops every worker; queued and running operations are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new Error('the GraphQL worker pool is closed');
    for (const job of this.queue.splice(0)) job.reject(error);
    await Promise.all(
      this.slots.splice(0).map((slot) => {
        slot.job?.reject(error);
        return slot.worker.terminate();
      }),
    );
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      job.started = performance.now();
      slot.worker.ref();
      slot.worker.postMessage({ type: 'execute', id: job.id, ...job.request } satisfies ToWorker);
    }
  }

  private spawn(): Slot {
    const channel = new MessageChannel();
    serveStore(channel.port1, this.store);
    channel.port1.unref();
    const slot: Slot = { worker: startWorker(channel.port2, this.openAnalyses) };
    slot.worker.on('message', ({ id, result }: FromWorker) => {
      const job = slot.job;
      if (!job || job.id !== id) return;
      const ms = performance.now() - job.started!;
      if (slot.answered)
        this.meanMs =
          this.meanMs === undefined ? ms : this.meanMs + OPERATION_TIME_WEIGHT * (ms - this.meanMs);
      slot.answered = true;
      this.finish(slot);
      job.resolve(result);
    });
    const lost = (why: string) => {
      channel.port1.close();
      const index = this.slots.indexOf(slot);
      if (index === -1) return;
      this.slots.splice(index, 1);
      slot.job?.reject(new Error(`the GraphQL worker stopped: ${why}`));
      this.dispatch();
    };
    slot.worker.on('error', (e) => lost(e.message));
    slot.worker.on('exit', (code) => lost(`exit code ${code}`));
    slot.worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private finish(slot: Slot): void {
    slot.job = undefined;
    slot.worker.unref();
    this.dispatch();
  }

  private abort(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued !== -1) this.queue.splice(queued, 1);
    job.reject(job.signal?.reason);
    const slot = this.slots.find((s) => s.job === job);
    if (!slot) return;
    slot.worker.postMessage({ type: 'abort', id: job.id } satisfies ToWorker);
    setTimeout(() => {
      const index = this.slots.indexOf(slot);
      if (slot.job !== job || index === -1) return;
      // Still computing: a fresh worker takes its place (its caches start empty).
      this.slots.splice(index, 1);
      void slot.worker.terminate();
      this.dispatch();
    }, this.abortGraceMs).unref();
  }
}

/** HTTP 503 with `Retry-After` (Yoga reads `extensions.http` and leaves it out of the answer). */
function busyError(e: PoolBusyError): GraphQLErrorType {
  return new GraphQLError(e.message, {
    extensions: {
      code: 'SERVER_BUSY',
      retryAfterSeconds: e.retryAfterSeconds,
      http: { status: 503, headers: { 'Retry-After': String(e.retryAfterSeconds) } },
    },
  });
}

/**
 * Sends each operation that runs an analysis to `pool`, or answers SERVER_BUSY (HTTP 503) at once when the pool
 * refuses it. Registered before the time budget's plugin, which then wraps this execution with the request's
 * signal.
 */
export function workerExecutionPlugin(pool: ExecutionPool): Plugin<ApiContext> {
  return {
    onExecute({ args, setExecuteFn }) {
      const variables = (args.variableValues ?? undefined) as Record<string, unknown> | undefined;
      const operationName = args.operationName ?? undefined;
      let analyses = 0;
      try {
        analyses = operationWeight(args.schema, args.document, variables, operationName).analyses;
      } catch {
        // Invalid variables: the cost limit answers them before execution.
      }
      if (analyses === 0) return;
      const query = args.document.loc?.source.body ?? print(args.document);
      setExecuteFn(async (execArgs) => {
        const signal = (execArgs as { signal?: AbortSignal }).signal;
        const request: ExecuteRequest = {
          query,
          ...(variables ? { variables } : {}),
          ...(operationName ? { operationName } : {}),
        };
        try {
          return await pool.run(request, signal);
        } catch (e) {
          if (!(e instanceof PoolBusyError)) throw e;
          return { errors: [busyError(e)] };
        }
      });
    },
  };
}
