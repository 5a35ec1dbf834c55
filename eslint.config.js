// @ts-check
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TESTS = ['**/*.test.ts'];
const AGPL = { group: ['@cloud-copilot/iam-simulate'], message: 'AGPL: differential tests only' };

/**
 * `no-restricted-imports` with the given patterns plus the ones every production file has.
 * @param {...{ group: string[], message: string }} patterns
 */
function boundary(...patterns) {
  return { 'no-restricted-imports': ['error', { patterns: [...patterns, AGPL] }] };
}

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      '.data/**',
      'web/dist/**',
      'web/src/lib/api/generated/**',
      'scripts/neo4j/target/**',
      'coverage/**',
    ],
  },
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    // Svelte components: TypeScript in <script lang="ts">, run in the browser.
    files: ['web/**/*.svelte', 'web/**/*.svelte.ts'],
    languageOptions: {
      globals: globals.browser,
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  // Import boundaries. Flat config keeps one `no-restricted-imports` per file (the last matching block's), so each
  // block below lists the general patterns too (`boundary`), and the narrower folders come after the wider ones.
  // test/lint/boundaries.test.ts checks that each rule fires.
  {
    files: ['server/**/*.ts', 'importers/**/*.ts', 'web/**/*.ts'],
    ignores: TESTS,
    rules: boundary(),
  },
  {
    files: ['importers/**/*.ts'],
    ignores: TESTS,
    rules: boundary({
      group: ['neo4j-driver', '**/server/graph/**', '**/server/api/**'],
      message: 'importers know nothing of stores',
    }),
  },
  {
    // The store sits under the analyses: it never imports them, the API, the app or the CLI.
    files: ['server/graph/**/*.ts'],
    ignores: TESTS,
    rules: boundary({
      group: ['**/analysis/**', '**/api/**', '**/app/**', '**/cli/**'],
      message: 'server/graph is the store: it never imports the analyses, API, app or CLI',
    }),
  },
  {
    // The engine is pure: no I/O, no store, no GraphQL (tests included).
    files: ['server/engine/**/*.ts'],
    rules: boundary(
      { group: ['node:*', 'fs', 'path', 'child_process', 'net'], message: 'server/engine is pure: no I/O' },
      { group: ['neo4j-driver', 'graphql', 'graphql-yoga', '@pothos/*'], message: 'server/engine is pure' },
      {
        group: ['**/graph/**', '**/api/**', '**/app/**', '**/analysis/**', '**/importers/**', '**/cli/**'],
        message: 'the engine imports nothing of ours',
      },
    ),
  },
  {
    // The web UI talks to the server over GraphQL only.
    files: ['web/**/*.ts', 'web/**/*.svelte'],
    rules: boundary({
      group: ['**/server/**', '**/importers/**', 'neo4j-driver'],
      message: 'web never imports the server: ask the GraphQL API',
    }),
  },
  {
    // IAM wildcards are matched by the engine's one glob (server/engine/compile/glob.ts, linear time), never by a
    // regular expression built at run time: a backtracking RegExp lets one policy stall the process. Listed
    // exceptions build fixed file-name patterns from constants, not from input.
    files: ['server/**/*.ts', 'importers/**/*.ts', 'web/src/**/*.ts', 'web/src/**/*.svelte'],
    ignores: [
      'server/engine/compile/glob.test.ts', // the old regex matcher, as the property tests' oracle
      'importers/sources/resource-policies/parse.ts', // bundle file names
      'importers/sources/organizations/parse.ts', // bundle file names
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['NewExpression', 'CallExpression'].map((node) => ({
          selector: `${node}[callee.name='RegExp']`,
          message:
            'no RegExp built at run time: match IAM wildcards with compileGlob/globMatches from server/engine/index.ts',
        })),
      ],
    },
  },
);
