/**
 * The real accessgraph HTTP server (server/app/http.ts, what `accessgraph serve` runs: GraphQL at /graphql, the
 * built UI at /) over the embedded store, loaded through the real importer from the demo bundle
 * (examples/demo, Example Corp 111122223333). In-process rather than a `tsx` child so a test run starts in
 * seconds and the port is known without parsing output.
 */
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHttpServer } from '../../server/app/http.ts';
import { importBundles } from '../../server/app/import-bundles.ts';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_DIST = join(REPO_ROOT, 'web/dist');

/** `npm run web:build`, as CI would. */
export function buildWebApp(): void {
  execFileSync(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'web/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    },
  );
}

export interface RunningServer {
  url: string;
  bundle: string;
  close(): Promise<void>;
}

export interface AppServerOptions {
  /** Import the demo once per label, oldest first (the last one is the current snapshot). */
  labels?: string[];
  /** Or import these bundles, oldest first (a temporary variant of the demo, say). */
  imports?: { label: string; bundle: string }[];
  /** Require this bearer token on GraphQL requests (`serve --token-file`). */
  token?: string;
}

export async function startAppServer(options: AppServerOptions = {}): Promise<RunningServer> {
  const bundle = join(REPO_ROOT, 'examples/demo');
  const store = createMemoryStore();
  const imports = options.imports ?? (options.labels ?? ['demo']).map((label) => ({ label, bundle }));
  for (const { label, bundle } of imports) {
    const [outcome] = await importBundles(store, [bundle], { label });
    if (!outcome?.snapshot)
      throw new Error(`import of ${bundle} failed: ${JSON.stringify(outcome?.diagnostics)}`);
  }
  const server = createHttpServer({
    store,
    webDist: WEB_DIST,
    ...(options.token ? { token: options.token } : {}),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bundle,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
