// @ts-check
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      '.data/**',
      'web/dist/**',
      'scripts/neo4j/target/**',
      'coverage/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // The engine is pure: no I/O, no store, no GraphQL (docs/architecture.md).
    files: ['server/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'child_process', 'net'],
              message: 'server/engine is pure: no I/O',
            },
            {
              group: ['neo4j-driver', 'graphql', 'graphql-yoga', '@pothos/*'],
              message: 'server/engine is pure',
            },
            {
              group: ['**/graph/**', '**/api/**', '**/analysis/**', '**/importers/**', '**/cli/**'],
              message: 'the engine imports nothing of ours',
            },
            { group: ['@cloud-copilot/iam-simulate'], message: 'AGPL: differential tests only' },
          ],
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts', 'importers/**/*.ts', 'web/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@cloud-copilot/iam-simulate'], message: 'AGPL: differential tests only' }] },
      ],
    },
  },
  {
    files: ['importers/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['neo4j-driver', '**/server/graph/**', '**/server/api/**'],
              message: 'importers know nothing of stores',
            },
            { group: ['@cloud-copilot/iam-simulate'], message: 'AGPL: differential tests only' },
          ],
        },
      ],
    },
  },
  {
    // IAM wildcards are matched by the engine's one glob (server/engine/compile/glob.ts, linear time), never by a
    // regular expression built at run time: a backtracking RegExp lets one policy stall the process. Listed
    // exceptions build fixed file-name patterns from constants, not from input.
    files: ['server/**/*.ts', 'importers/**/*.ts', 'web/src/**/*.ts'],
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
