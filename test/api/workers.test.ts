/**
 * GraphQL execution in worker threads, against a real server (127.0.0.1, port 0) on a generated account: a
 * `{ __typename }` probe is answered while an analysis runs (and, as a control, is not when every operation
 * runs on the main thread), and what the workers answer is what the main thread answers: results, typed
 * errors, masked errors, the store's own error, the limits and the time budget.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS, generateAccount, writeAccount } from '../../bench/generate/generate-account.ts';
import { ExecutionPool } from '../../server/api/execution-pool.ts';
import { createYoga } from '../../server/api/yoga.ts';
import { createHttpServer, type HttpOptions } from '../../server/app/http.ts';
import { importBundles } from '../../server/app/import-bundles.ts';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import { StoreUnavailableError, type GraphStore, type SnapshotReader } from '../../server/graph/store.ts';

let dir: string;
let store: GraphStore;
let bucket: string;
const servers: Server[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accessgraph-workers-'));
  const account = await generateAccount({ ...PRESETS.tiny, seed: 'workers' });
  await writeAccount(account, dir);
  store = createMemoryStore();
  const [outcome] = await importBundles(store, [dir], { label: 'workers' });
  if (!outcome?.snapshot) throw new Error('generated bundle failed to import');
  const policy = account.files.find((f) => f.path.endsWith('.get-bucket-policy.json'))!;
  bucket = policy.path
    .split('/')
    .pop()!
    .replace(/\.get-bucket-policy\.json$/, '');
}, 120_000);

afterAll(async () => {
  for (const s of servers) s.close();
  await rm(dir, { recursive: true, force: true });
});

async function listen(options: Partial<HttpOptions> = {}): Promise<string> {
  const server = createHttpServer({ store, webDist: join(dir, 'no-web-dist'), ...options });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

async function ask(url: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

const whoCan = (resource: string) => `whoCan(action: "s3:GetObject", resource: "${resource}") {
  __typename ... on Error { message } ... on WhoCanResult { entries { principal { arn } decision } } }`;

/** `store` that calls `onRead` when an analysis reads the whole snapshot (the start of its work). */
function watching(onRead: () => void): SnapshotReader {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      if (prop === 'readSnapshot')
        return (...args: unknown[]) => {
          onRead();
          return v.apply(target, args);
        };
      return v.bind(target);
    },
  });
}

/**
 * Sends `findings` (every finding analysis over the snapshot, on a fresh server: nothing cached), and a
 * `{ __typename }` probe once the analysis has read the snapshot; returns which answered first.
 */
async function probeDuringAnalysis(workers: number): Promise<string[]> {
  const order: string[] = [];
  let probe: Promise<void> | undefined;
  let url = '';
  const reader = watching(() => {
    probe ??= ask(url, '{ __typename }').then((r) => {
      expect(r).toEqual({ data: { __typename: 'Query' } });
      order.push('probe');
    });
  });
  url = await listen({ store: reader, workers });
  const analysis = ask(url, '{ findings { __typename ... on FindingsResult { findings { kind } } } }');
  const answer = await analysis;
  order.push('analysis');
  expect(answer.data.findings.__typename).toBe('FindingsResult');
  await probe;
  return order;
}

describe('GraphQL in worker threads', () => {
  it('answers a { __typename } probe while an analysis runs in a worker', { timeout: 120_000 }, async () => {
    expect(await probeDuringAnalysis(1)).toEqual(['probe', 'analysis']);
  });

  it(
    'makes the probe wait for the analysis without workers (the control)',
    { timeout: 120_000 },
    async () => {
      expect(await probeDuringAnalysis(0)).toEqual(['analysis', 'probe']);
    },
  );

  it('answers an analysis in a worker as the main thread does', { timeout: 120_000 }, async () => {
    const query = `{ a: ${whoCan(`arn:aws:s3:::${bucket}/x`)} b: ${whoCan('arn:aws:s3:::no-such-bucket/x')}
      c: whoCan(action: "nonsense", resource: "*") { __typename ... on Error { message } } }`;
    const inWorker = await ask(await listen({ workers: 1 }), query);
    const inProcess = await ask(await listen({ workers: 0 }), query);
    expect(inWorker.data.a.entries.length).toBeGreaterThan(0);
    expect(inWorker.data.c).toEqual({ __typename: 'InvalidArgument', message: expect.any(String) });
    expect(inWorker).toEqual(inProcess);
  });

  it('names a snapshot the store does not have, through the typed union', { timeout: 60_000 }, async () => {
    const url = await listen({ workers: 1 });
    const body = await ask(
      url,
      `{ whoCan(action: "s3:GetObject", resource: "*", snapshotId: "nope") {
      __typename ... on SnapshotNotFound { snapshotId message } } }`,
    );
    expect(body).toEqual({
      data: {
        whoCan: { __typename: 'SnapshotNotFound', snapshotId: 'nope', message: 'snapshot `nope` not found' },
      },
    });
  });

  it(
    'names an unavailable store (STORE_UNAVAILABLE) and masks other errors',
    { timeout: 60_000 },
    async () => {
      let failure: Error = new StoreUnavailableError(
        'neo4j: reading the snapshot failed: connection refused',
      );
      const failing = new Proxy(store, {
        get(target, prop, receiver) {
          const v = Reflect.get(target, prop, receiver);
          if (prop === 'readSnapshot') return () => Promise.reject(failure);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
      const url = await listen({ store: failing, workers: 1 });
      const unavailable = await ask(url, `{ ${whoCan('*')} }`);
      expect(unavailable.errors[0]).toMatchObject({
        message: 'neo4j: reading the snapshot failed: connection refused',
        path: ['whoCan'],
        locations: [{ line: 1, column: 3 }],
        extensions: { code: 'STORE_UNAVAILABLE' },
      });
      failure = new Error('disk on fire at /secret/path');
      const masked = await ask(url, `{ ${whoCan('*')} }`);
      expect(masked.errors[0]).toMatchObject({
        message: 'Unexpected error.',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
      expect(JSON.stringify(masked)).not.toContain('secret');
    },
  );

  it(
    'answers TIME_BUDGET for an analysis sent to a worker once the budget is spent',
    { timeout: 120_000 },
    async () => {
      const url = await listen({ workers: 1, timeBudgetMs: 1 });
      const body = await ask(url, `{ ${whoCan('*')} }`);
      expect(body.errors[0].extensions.code).toBe('TIME_BUDGET');
    },
  );

  it(
    'replaces a worker that is still busy after its operation was aborted',
    { timeout: 120_000 },
    async () => {
      // No grace: the worker, still starting when the abort comes, cannot have answered; it is terminated.
      const pool = new ExecutionPool(store, { size: 1, abortGraceMs: 0 });
      try {
        const client = new AbortController();
        const abandoned = pool.run({ query: `{ ${whoCan('*')} }` }, client.signal);
        const [first] = pool.threadIds;
        client.abort(new Error('client gone'));
        await expect(abandoned).rejects.toThrow('client gone');
        await new Promise((r) => setTimeout(r, 50));
        expect(pool.threadIds).toEqual([]);
        const answer = await pool.run({ query: `{ ${whoCan(`arn:aws:s3:::${bucket}/x`)} }` });
        expect(pool.threadIds).toHaveLength(1);
        expect(pool.threadIds[0]).not.toBe(first);
        expect((answer.data as any).whoCan.entries.length).toBeGreaterThan(0);
      } finally {
        await pool.close();
      }
    },
  );

  it('queues operations beyond its workers and answers each', { timeout: 120_000 }, async () => {
    const pool = new ExecutionPool(store, { size: 1 });
    try {
      const answers = await Promise.all(
        [bucket, 'no-such-bucket', bucket].map((b) =>
          pool.run({ query: `{ ${whoCan(`arn:aws:s3:::${b}/x`)} }` }),
        ),
      );
      expect(pool.threadIds).toHaveLength(1);
      expect(answers.map((a) => (a.data as any).whoCan.__typename)).toEqual([
        'WhoCanResult',
        'WhoCanResult',
        'WhoCanResult',
      ]);
      expect(answers[0]!.data).toEqual(answers[2]!.data);
      // An answer without errors comes serialised by the worker: Yoga sends that text as the response body.
      const [first] = answers;
      expect(JSON.parse(first!.stringify!(first!))).toEqual({ data: first!.data });
    } finally {
      await pool.close();
    }
  });
});

describe('admission: an analysis that would finish past its time budget is refused at once', () => {
  it(
    'answers SERVER_BUSY (HTTP 503, Retry-After) while the queue is full; { __typename } still answers',
    { timeout: 120_000 },
    async () => {
      // Every analysis here reads a snapshot id the store answers after 1 s: an operation takes at least that.
      const slow = new Proxy(store, {
        get(target, prop, receiver) {
          const v = Reflect.get(target, prop, receiver);
          if (prop === 'getSnapshot')
            return (...args: unknown[]) =>
              new Promise((r) => setTimeout(r, 1000)).then(() => v.apply(target, args));
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
      // One worker, refusing what would finish after 1.5 s: with one operation ahead, 2 × ≥ 1 s.
      const pool = new ExecutionPool(slow, { size: 1, maxWaitMs: 1500 });
      const server = createServer(createYoga({ store: slow, pool, graphiql: false }));
      servers.push(server);
      server.on('close', () => void pool.close());
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
      const slowQuery = (n: number) =>
        `{ whoCan(action: "s3:GetObject", resource: "*", snapshotId: "slow-${n}") { __typename } }`;
      const post = async (query: string) => {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
        });
        return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
      };
      // The worker's first answer (it starts) does not count; the second gives the pool its operation time.
      for (const n of [0, 1])
        expect((await post(slowQuery(n))).body.data.whoCan.__typename).toBe('SnapshotNotFound');

      const order: string[] = [];
      const settle = (what: string) => (a: Awaited<ReturnType<typeof post>>) => {
        order.push(what);
        return a;
      };
      const admitted = post(slowQuery(2)).then(settle('admitted'));
      // Until the worker has taken it (one round of operations ahead of the next).
      while (pool.outlook()?.rounds !== 1) await new Promise((r) => setTimeout(r, 10));
      const refused = await Promise.all([3, 4, 5].map((n) => post(slowQuery(n)).then(settle('refused'))));
      const probe = await post('{ __typename }');
      order.push('probe');
      expect(probe.body).toEqual({ data: { __typename: 'Query' } });
      for (const r of refused) {
        expect(r.status).toBe(503);
        expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(r.body.errors[0].extensions).toMatchObject({
          code: 'SERVER_BUSY',
          retryAfterSeconds: Number(r.retryAfter),
        });
        expect(r.body.errors[0].extensions.http).toBeUndefined();
      }
      expect((await admitted).body.data.whoCan.__typename).toBe('SnapshotNotFound');
      // Refused while the admitted one still waited for its snapshot, not after it.
      expect(order).toEqual(['refused', 'refused', 'refused', 'probe', 'admitted']);
    },
  );
});
