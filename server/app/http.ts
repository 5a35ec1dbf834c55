/**
 * The HTTP server: `/graphql` is the Yoga handler, `/graphiql/` GraphiQL's files; everything else is the web
 * UI's static build (`web/dist`), with `index.html` for unknown paths (the UI routes client-side) and a short
 * help page when the UI has not been built. Only GET/HEAD for static files; paths are resolved inside the
 * root, never above it. Every request first passes request-guard.ts (Host, origin, method, token).
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { SnapshotReader } from '../graph/store.ts';
import { ExecutionPool } from '../api/execution-pool.ts';
import { GRAPHIQL_ASSETS_PATH, graphiqlAsset } from '../api/graphiql.ts';
import { DEFAULT_TIME_BUDGET_MS, DEFAULT_WORKERS, type QueryLimits } from '../api/limit-defaults.ts';
import { createYoga } from '../api/yoga.ts';
import { packagePath } from '../package-root.ts';
import {
  SECURITY_HEADERS,
  acceptedHosts,
  checkGraphQLRequest,
  checkHost,
  type GuardOptions,
  type Refusal,
} from './request-guard.ts';

export const DEFAULT_WEB_DIST = packagePath('web/dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>accessgraph</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>accessgraph</h1>
<p>The GraphQL API is running: open <a href="/graphql">/graphql</a> for GraphiQL with example queries.</p>
<p>The web UI has not been built. Build it with <code>npm run build</code> in the checkout (<code>npm install</code>
and <code>npm start</code> do), then reload this page.</p>
</body></html>
`;

export interface HttpOptions extends GuardOptions {
  store: SnapshotReader;
  /** Directory of the built web UI; defaults to `web/dist` in the checkout. */
  webDist?: string;
  /** GraphQL limits (`DEFAULT_LIMITS` where not given). */
  limits?: Partial<QueryLimits>;
  /** Milliseconds one GraphQL request may run (`DEFAULT_TIME_BUDGET_MS`). */
  timeBudgetMs?: number;
  /**
   * Worker threads executing the operations that run an analysis (`DEFAULT_WORKERS`, one per core); 0 runs
   * every operation on the main thread. They stop when the server closes.
   */
  workers?: number;
  /** Start the workers with the server instead of on the first analysis. */
  startWorkers?: boolean;
  /** Snapshot analyses kept open across requests (`DEFAULT_OPEN_ANALYSES`). */
  openAnalyses?: number;
}

export function createHttpServer(options: HttpOptions): Server {
  const workers = options.workers ?? DEFAULT_WORKERS;
  const budget = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  // An abandoned operation's worker gets one more time budget to finish before it is replaced; an operation
  // expected to finish past its budget is refused at once.
  const pool =
    workers > 0
      ? new ExecutionPool(options.store, {
          size: workers,
          abortGraceMs: budget,
          maxWaitMs: budget,
          ...(options.openAnalyses ? { openAnalyses: options.openAnalyses } : {}),
        })
      : undefined;
  if (options.startWorkers) pool?.start();
  const yoga = createYoga({
    store: options.store,
    ...(pool ? { pool } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.timeBudgetMs ? { timeBudgetMs: options.timeBudgetMs } : {}),
    ...(options.openAnalyses ? { openAnalyses: options.openAnalyses } : {}),
  });
  const root = options.webDist ?? DEFAULT_WEB_DIST;
  // The port is known once listening (`listen(0)` picks one).
  let accepted: Set<string> | undefined;
  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    accepted ??= acceptedHosts((server.address() as AddressInfo).port, options);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const isGraphQL = url.pathname === '/graphql' || url.pathname.startsWith('/graphql/');
    const refusal =
      checkHost(req.headers, accepted) ??
      (isGraphQL
        ? checkGraphQLRequest(req.method ?? 'GET', url, req.headers, options.token, options.maxBodyMiB)
        : undefined);
    if (refusal) {
      // Read and drop the body, so that the client gets the answer rather than a reset connection.
      req.resume();
      refuse(res, refusal);
      return;
    }
    if (isGraphQL) {
      void yoga(req, res);
      return;
    }
    const served = url.pathname.startsWith(GRAPHIQL_ASSETS_PATH)
      ? serveGraphiQLAsset(url.pathname.slice(GRAPHIQL_ASSETS_PATH.length), req, res)
      : serveStatic(root, url.pathname, req, res);
    served.catch(() => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
    });
  });
  if (pool) server.on('close', () => void pool.close());
  return server;
}

/** A GraphQL-shaped error body, so that clients show `message` as they show any query error. */
function refuse(res: ServerResponse, refusal: Refusal): void {
  res
    .writeHead(refusal.status, { 'content-type': 'application/json', ...refusal.headers })
    .end(
      JSON.stringify({ errors: [{ message: refusal.message, extensions: { code: refusal.code } }] }) + '\n',
    );
}

async function serveGraphiQLAsset(name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const asset = await graphiqlAsset(name);
  if (!asset) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  res.writeHead(200, {
    'content-type': asset.type,
    'content-length': Buffer.byteLength(asset.body),
    'cache-control': 'max-age=3600',
  });
  res.end(req.method === 'HEAD' ? undefined : asset.body);
}

async function serveStatic(
  root: string,
  pathname: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const index = join(root, 'index.html');
  if (!existsSync(index)) {
    res
      .writeHead(200, { 'content-type': TYPES['.html'] as string })
      .end(req.method === 'HEAD' ? undefined : NOT_BUILT_PAGE);
    return;
  }
  let rel: string;
  try {
    rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  } catch {
    res.writeHead(400).end();
    return;
  }
  const candidate = join(root, rel);
  // `normalize` removed `..` segments that stay inside; anything escaping the root is refused.
  const inside = candidate === root || candidate.startsWith(root.endsWith(sep) ? root : root + sep);
  if (!inside) {
    res.writeHead(404).end();
    return;
  }
  const isFile = existsSync(candidate) && statSync(candidate).isFile();
  // Unknown paths without an extension are client-side routes of the UI: serve the app shell.
  const file = isFile ? candidate : extname(rel) ? undefined : index;
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  const body = await readFile(file);
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
