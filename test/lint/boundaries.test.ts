/**
 * The import boundaries in eslint.config.js fire: ESLint's own API lints a one-line snippet as if it were a file
 * in each folder, and each illegal import is reported with its folder's message while legal ones pass.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** The `no-restricted-imports` messages for `source` imported by a file at `filePath` (relative to the root). */
async function restricted(filePath: string, source: string): Promise<string[]> {
  const script = `import * as probe from '${source}';\n`;
  const code = filePath.endsWith('.svelte')
    ? `<script lang="ts">\n  ${script}  console.log(probe);\n</script>\n`
    : `${script}export { probe };\n`;
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${filePath}` });
  if (!result) throw new Error(`ESLint returned no result for ${filePath}`);
  expect(result.messages.filter((m) => m.ruleId !== 'no-restricted-imports')).toEqual([]);
  return result.messages.map((m) => m.message);
}

const AGPL = 'AGPL: differential tests only';
const ENGINE_IO = 'server/engine is pure: no I/O';
const ENGINE_OURS = 'the engine imports nothing of ours';
const STORE = 'server/graph is the store: it never imports the analyses, API, app or CLI';
const WEB = 'web never imports the server: ask the GraphQL API';
const IMPORTERS = 'importers know nothing of stores';
const SCHEMA = 'schema/ holds the shared contracts: it imports nothing else';

describe('import boundaries (eslint.config.js)', { timeout: 60_000 }, () => {
  it.each([
    ['server/engine/probe.ts', 'node:fs', ENGINE_IO],
    ['server/engine/compile/probe.ts', 'path', ENGINE_IO],
    ['server/engine/probe.test.ts', 'node:child_process', ENGINE_IO],
    ['server/engine/probe.ts', 'neo4j-driver', 'server/engine is pure'],
    ['server/engine/probe.ts', 'graphql', 'server/engine is pure'],
    ['server/engine/probe.ts', '../graph/store.ts', ENGINE_OURS],
    ['server/engine/evaluate/probe.ts', '../../analysis/access.ts', ENGINE_OURS],
    ['server/engine/probe.ts', '../../schema/snapshot.ts', ENGINE_OURS],
    ['server/engine/probe.ts', '../../importers/index.ts', ENGINE_OURS],
    ['server/engine/probe.ts', '@cloud-copilot/iam-simulate', AGPL],
    ['server/graph/probe.ts', '../analysis/access.ts', STORE],
    ['server/graph/neo4j/probe.ts', '../../api/schema.ts', STORE],
    ['server/graph/memory/probe.ts', '../../app/server.ts', STORE],
    ['server/graph/probe.ts', '../cli/main.ts', STORE],
    ['server/graph/probe.ts', '@cloud-copilot/iam-simulate', AGPL],
    ['web/src/lib/probe.ts', '../../../server/engine/index.ts', WEB],
    ['web/src/components/probe.ts', '../../../server/analysis/who-can.ts', WEB],
    ['web/src/lib/probe.ts', '../../../schema/snapshot.ts', WEB],
    ['web/src/lib/probe.ts', '../../../importers/index.ts', WEB],
    ['web/src/lib/probe.ts', '@cloud-copilot/iam-simulate', AGPL],
    ['web/src/components/Probe.svelte', '../../../server/engine/index.ts', WEB],
    ['web/src/views/Probe.svelte', '../../../schema/snapshot.ts', WEB],
    ['schema/probe.ts', '../server/engine/index.ts', SCHEMA],
    ['schema/probe.ts', '../importers/index.ts', SCHEMA],
    ['schema/probe.ts', 'node:fs', SCHEMA],
    ['importers/sources/probe.ts', 'neo4j-driver', IMPORTERS],
    ['importers/sources/probe.ts', '../../server/graph/store.ts', IMPORTERS],
    ['importers/probe.ts', '@cloud-copilot/iam-simulate', AGPL],
    ['server/analysis/probe.ts', '@cloud-copilot/iam-simulate', AGPL],
  ])('%s may not import %s', async (filePath, source, message) => {
    const messages = await restricted(filePath, source);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(message);
  });

  it.each([
    ['server/engine/probe.ts', './compile/glob.ts'],
    ['server/engine/probe.ts', 'ipaddr.js'],
    ['server/graph/probe.ts', '../engine/index.ts'],
    ['server/graph/probe.ts', '../../schema/snapshot.ts'],
    ['server/engine/probe.ts', '../../schema/diagnostics.ts'],
    ['importers/probe.ts', '../schema/snapshot.ts'],
    ['schema/probe.ts', './diagnostics.ts'],
    ['server/graph/neo4j/probe.ts', 'neo4j-driver'],
    ['server/analysis/probe.ts', '../graph/store.ts'],
    ['web/src/lib/probe.ts', 'cytoscape'],
    ['web/src/components/Probe.svelte', '../lib/format.ts'],
    ['importers/probe.ts', '../server/engine/index.ts'],
    ['test/differential/probe.ts', '@cloud-copilot/iam-simulate'],
  ])('%s may import %s', async (filePath, source) => {
    expect(await restricted(filePath, source)).toEqual([]);
  });
});

/** The `no-restricted-syntax` messages for `code` in a file at `filePath` (relative to the root). */
async function restrictedSyntax(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${filePath}` });
  if (!result) throw new Error(`ESLint returned no result for ${filePath}`);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const MODULE_CACHE = 'no module-level Map/WeakMap in server/analysis';

describe('module caches in server/analysis (eslint.config.js)', { timeout: 60_000 }, () => {
  it.each([
    ['server/analysis/probe.ts', 'const cache = new WeakMap<object, number>();\nexport { cache };\n'],
    ['server/analysis/what-if/probe.ts', 'export const byArn = new Map<string, string>();\n'],
    ['server/analysis/findings/probe.ts', 'let memo = new Map();\nexport { memo };\n'],
  ])('%s may not hold a module-level cache', async (filePath, code) => {
    const messages = await restrictedSyntax(filePath, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(MODULE_CACHE);
  });

  it('still refuses a run-time RegExp there (the rule replaces the general block for these files)', async () => {
    const messages = await restrictedSyntax(
      'server/analysis/probe.ts',
      'export const r = new RegExp("a");\n',
    );
    expect(messages).toEqual([expect.stringContaining('no RegExp built at run time')]);
  });

  it.each([
    // A Map made per call, or owned by an object, is fine.
    ['server/analysis/probe.ts', 'export function f() {\n  return new Map<string, number>();\n}\n'],
    ['server/analysis/probe.ts', 'export class C {\n  readonly m = new Map<string, number>();\n}\n'],
    // The listed owners (SnapshotAnalysis's registry) and tests.
    ['server/analysis/snapshot-analysis.ts', 'export const registry = new WeakMap<object, object>();\n'],
    ['server/analysis/probe.test.ts', 'export const m = new Map();\n'],
    // Outside server/analysis the rule does not apply.
    ['server/engine/compile/probe.ts', 'export const m = new Map<string, number>();\n'],
  ])('%s may hold %j', async (filePath, code) => {
    expect(await restrictedSyntax(filePath, code)).toEqual([]);
  });
});
