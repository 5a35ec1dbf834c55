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

describe('import boundaries (eslint.config.js)', { timeout: 60_000 }, () => {
  it.each([
    ['server/engine/probe.ts', 'node:fs', ENGINE_IO],
    ['server/engine/compile/probe.ts', 'path', ENGINE_IO],
    ['server/engine/probe.test.ts', 'node:child_process', ENGINE_IO],
    ['server/engine/probe.ts', 'neo4j-driver', 'server/engine is pure'],
    ['server/engine/probe.ts', 'graphql', 'server/engine is pure'],
    ['server/engine/probe.ts', '../graph/store.ts', ENGINE_OURS],
    ['server/engine/evaluate/probe.ts', '../../analysis/access.ts', ENGINE_OURS],
    ['server/engine/probe.ts', '../../importers/snapshot/model.ts', ENGINE_OURS],
    ['server/engine/probe.ts', '@cloud-copilot/iam-simulate', AGPL],
    ['server/graph/probe.ts', '../analysis/access.ts', STORE],
    ['server/graph/neo4j/probe.ts', '../../api/schema.ts', STORE],
    ['server/graph/memory/probe.ts', '../../app/server.ts', STORE],
    ['server/graph/probe.ts', '../cli/main.ts', STORE],
    ['server/graph/probe.ts', '@cloud-copilot/iam-simulate', AGPL],
    ['web/src/lib/probe.ts', '../../../server/engine/index.ts', WEB],
    ['web/src/components/probe.ts', '../../../server/analysis/who-can.ts', WEB],
    ['web/src/lib/probe.ts', '../../../importers/snapshot/model.ts', WEB],
    ['web/src/lib/probe.ts', '@cloud-copilot/iam-simulate', AGPL],
    ['web/src/components/Probe.svelte', '../../../server/engine/index.ts', WEB],
    ['web/src/views/Probe.svelte', '../../../importers/snapshot/model.ts', WEB],
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
    ['server/graph/probe.ts', '../../importers/snapshot/model.ts'],
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
