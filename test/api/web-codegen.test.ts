/**
 * The web's generated GraphQL types (web/src/lib/api/generated/) are what GraphQL Code Generator makes now from
 * schema/schema.graphql and the web's documents: a schema or document change without regenerating fails here
 * (and, once regenerated, `npm run typecheck` fails where the web no longer fits the schema).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../../web/codegen.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('web/src/lib/api/generated', () => {
  it('matches what the codegen makes from the schema and the documents (npx graphql-codegen --config web/codegen.ts)', async () => {
    const cwd = process.cwd();
    process.chdir(ROOT);
    let files: { filename: string; content: string }[];
    try {
      files = await generate({ ...config, cwd: ROOT, silent: true }, false);
    } finally {
      process.chdir(cwd);
    }
    expect(files.map((f) => f.filename).sort()).toEqual(
      ['gql.ts', 'graphql.ts', 'index.ts'].map((f) => `web/src/lib/api/generated/${f}`),
    );
    for (const f of files) expect(readFileSync(join(ROOT, f.filename), 'utf8'), f.filename).toBe(f.content);
  });
});
