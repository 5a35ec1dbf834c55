import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Four projects, all in `npm test`: `unit` needs nothing but Node and is the inner loop (about a minute on two
// cores); `slow` holds what spawns processes (the CLI, packing, hostile input under a heap limit, the bench) or
// builds generated accounts; `neo4j` gets one real Neo4j per test run, started by the global setup
// (test/support/neo4j-global-setup.ts) and stopped at teardown; `browser` builds the web UI and drives Debian's
// Chromium against the real HTTP server (test/browser/*.browser.test.ts). Name Neo4j-backed tests
// `*.neo4j.test.ts`. Property tests read SEED and RUNS from the environment (test/support/property.ts).
const SLOW = [
  'test/cli/**/*.test.ts',
  'test/hostile-input/**/*.test.ts',
  'test/package/**/*.test.ts',
  'test/bench/**/*.test.ts',
  'test/api/workers.test.ts',
  'test/golden/golden.test.ts',
  'test/contract/escalation-in-store.test.ts',
  'server/analysis/what-if/diff.test.ts',
  'server/analysis/what-if/derived-analysis.test.ts',
  'server/analysis/escalation/incremental.test.ts',
  'server/analysis/candidate-index.test.ts',
  'server/analysis/candidate-index.derive.test.ts',
  'server/analysis/access-vs-brute-force.test.ts',
  'server/analysis/effective-permissions.differential.test.ts',
  'server/analysis/unused-access/unused-access.test.ts',
  'importers/cloudformation-change-set/change-set.test.ts',
];
const NOT_NODE_ONLY = [
  '**/*.neo4j.test.ts',
  '**/*.browser.test.ts',
  'node_modules/**',
  'dist/**',
  'web/node_modules/**',
];

export default defineConfig({
  test: {
    // Every CLI a test starts keeps its embedded store in a directory of this run, never the user's data dir.
    env: { ACCESSGRAPH_DATA_DIR: mkdtempSync(join(tmpdir(), 'accessgraph-test-data-')) },
    // One test file per core (vitest's default is one fewer: a single file at a time on two cores, with the
    // other core idle while a file waits on its child processes).
    maxWorkers: availableParallelism(),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          // Files share a worker's loaded modules (the analysis stack, the AWS managed policies) instead of
          // loading them again per file: unit tests keep no global state (no mocks, no environment changes).
          isolate: false,
          // Hang guards, not speed checks (speed is measured by `npm run bench`): seconds are normal on two
          // busy cores, and a `beforeAll` importing the demo is one more analysis.
          testTimeout: 30_000,
          hookTimeout: 60_000,
          exclude: [...NOT_NODE_ONLY, ...SLOW],
        },
      },
      {
        extends: true,
        test: {
          name: 'slow',
          include: SLOW,
          exclude: NOT_NODE_ONLY,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'neo4j',
          include: ['**/*.neo4j.test.ts'],
          exclude: ['node_modules/**', 'dist/**'],
          globalSetup: ['test/support/neo4j-global-setup.ts'],
          // One file at a time, after `unit` and `slow`: the files share one database, and three start
          // Neo4j JVMs of their own.
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
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
          // One Chromium at a time: each drives a server and a browser, on a machine of two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
