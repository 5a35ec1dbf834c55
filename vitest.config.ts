import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Three projects: `unit` needs nothing but Node; `neo4j` gets one real Neo4j per test run, started by the
// global setup (test/support/neo4j-global-setup.ts) and stopped at teardown. Name Neo4j-backed tests
// `*.neo4j.test.ts`. `browser` builds the web UI and drives Debian's Chromium against the real HTTP server
// (test/browser/*.browser.test.ts).
export default defineConfig({
  test: {
    // Every CLI a test starts keeps its embedded store in a directory of this run, never the user's data dir.
    env: { ACCESSGRAPH_DATA_DIR: mkdtempSync(join(tmpdir(), 'accessgraph-test-data-')) },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          // Some suites build generated accounts or spawn the CLI: seconds each on two busy cores. A hang guard,
          // not a speed check (speed is measured by `npm run bench`).
          testTimeout: 30_000,
          exclude: [
            '**/*.neo4j.test.ts',
            '**/*.browser.test.ts',
            'node_modules/**',
            'dist/**',
            'web/node_modules/**',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'neo4j',
          include: ['**/*.neo4j.test.ts'],
          exclude: ['node_modules/**', 'dist/**'],
          globalSetup: ['test/support/neo4j-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.browser.test.ts'],
          exclude: ['node_modules/**', 'dist/**'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // One Chromium at a time: the machine has two cores and the render timing must not compete.
          fileParallelism: false,
        },
      },
    ],
  },
});
