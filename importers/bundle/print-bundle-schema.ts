/** Writes schema/snapshot-bundle.schema.json (run: `npx tsx importers/bundle/print-bundle-schema.ts`). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { BUNDLE_SCHEMA_PATH, bundleJsonSchemaText } from './bundle-schema.ts';

writeFileSync(path.resolve(import.meta.dirname, '../..', BUNDLE_SCHEMA_PATH), bundleJsonSchemaText());
