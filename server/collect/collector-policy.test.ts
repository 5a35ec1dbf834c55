/**
 * docs/collector-policy.json, the least privilege `accessgraph collect` needs, is a valid identity policy by
 * the engine's own parser and names only actions the catalog knows (a typo would otherwise surface as a
 * denied service in someone's account). That it covers every call the collector makes is in collect.test.ts.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadCatalog, parsePolicy } from '../engine/index.ts';

const text = await readFile(new URL('../../docs/collector-policy.json', import.meta.url), 'utf8');

describe('docs/collector-policy.json', () => {
  it('is the policy the README shows', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const shown = /## Collect from a live account[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(shown && JSON.parse(shown)).toEqual(JSON.parse(text));
  });

  it('parses as an identity policy without errors or warnings', () => {
    const { policy, diagnostics } = parsePolicy(text, { kind: 'identity' });
    expect(diagnostics).toEqual([]);
    expect(policy!.statements.every((s) => s.effect === 'Allow')).toBe(true);
  });

  it('names only actions the catalog knows, each of access level Read or List', async () => {
    const { policy } = parsePolicy(text, { kind: 'identity' });
    const actions = policy!.statements.flatMap((s) => s.action ?? []);
    expect(actions.length).toBeGreaterThan(20);
    const catalog = await loadCatalog();
    expect(actions.filter((a) => !catalog.isKnownAction(a))).toEqual([]);
    expect(catalog.checkPolicy(policy!)).toEqual([]);
    // The collector never changes the account (AWS classes even GenerateCredentialReport as Read): an action
    // of level Write or Permissions management here would be a mistake.
    const levels = new Map(actions.map((a) => [a, catalog.accessLevel(a)]));
    expect([...levels].filter(([, l]) => l !== 'Read' && l !== 'List')).toEqual([]);
  });
});
