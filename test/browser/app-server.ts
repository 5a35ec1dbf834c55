/**
 * The real accessgraph HTTP server (server/app/http.ts: GraphQL at /graphql, the built UI at /) over the
 * embedded store, loaded through the real importer from a temporary bundle holding the cloudsplaining GAAD
 * fixture (test/fixtures/gaad, BSD-3-Clause): a real account whose users and groups the tests can name.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
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

export async function startAppServer(): Promise<RunningServer> {
  const bundle = await mkdtemp(join(tmpdir(), 'accessgraph-browser-bundle-'));
  // The importer looks for `*authorization-details*.json`; the committed fixture is never modified.
  await copyFile(
    join(REPO_ROOT, 'test/fixtures/gaad/cloudsplaining-example-authz-details.json'),
    join(bundle, 'authorization-details.json'),
  );
  const store = createMemoryStore();
  const [outcome] = await importBundles(store, [bundle], { label: 'cloudsplaining-example' });
  if (!outcome?.snapshot)
    throw new Error(`import of ${bundle} failed: ${JSON.stringify(outcome?.diagnostics)}`);
  const server = createHttpServer({ store, webDist: WEB_DIST });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bundle,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      await rm(bundle, { recursive: true, force: true });
    },
  };
}
