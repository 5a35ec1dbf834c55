/**
 * Every GraphQL document the web UI sends validates against the schema, so an API change that would break
 * the UI fails here, in the unit project, before the browser test ever runs.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { schema } from '../../server/api/schema.ts';
import * as documents from '../../web/src/lib/api/documents.ts';

// The CJS build, as Pothos uses (see server/api/schema.ts: graphql's dual-package hazard under Vite).
const { parse, validate } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

// The generated documents are strings (`TypedDocumentString`), fragments included.
const docs = Object.entries(documents).flatMap(([name, doc]) =>
  doc instanceof String ? [[name, doc.toString()] as const] : [],
);

describe('web documents against the schema', () => {
  it('finds the documents', () => {
    expect(docs.length).toBeGreaterThanOrEqual(6);
  });

  for (const [exportName, doc] of docs) {
    it(`${exportName} validates`, () => {
      expect(validate(schema, parse(doc)).map((e) => e.message)).toEqual([]);
    });
  }
});
