import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing but Node; `neo4j` gets one real Neo4j per test run, started by the
// global setup (test/support/neo4j-global-setup.ts) and stopped at teardown. Name Neo4j-backed tests
// `*.neo4j.test.ts`.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['**/*.neo4j.test.ts', '**/*.browser.test.ts', 'node_modules/**', 'dist/**', 'web/node_modules/**'],
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
    ],
  },
});
