/**
 * GraphQL Code Generator: the web's documents (`graphql(…)` in web/src/lib, never in components) typed from schema/schema.graphql into
 * web/src/lib/api/generated/. Run from the repository root: `npx graphql-codegen --config web/codegen.ts`.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['web/src/lib/**/*.ts', '!web/src/lib/api/generated/**'],
  // Imports with the `.ts` extension, as the rest of the repository (tsconfig.json resolves NodeNext).
  importExtension: '.ts',
  generates: {
    'web/src/lib/api/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: false },
        scalars: { JSON: 'unknown' },
      },
    },
  },
};

export default config;
