/**
 * The API's open analyses (server/api/analyses.ts): one SnapshotAnalysis per snapshot id shared by every request,
 * the least recently used closed beyond the configured size, and a missing snapshot never kept.
 */
import { describe, expect, it } from 'vitest';
import { OpenAnalyses } from '../../server/api/analyses.ts';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import { importDemo } from './demo-fixture.ts';

describe('OpenAnalyses', () => {
  it('opens a snapshot once, keeps the most recently used, and forgets a missing one', async () => {
    const store = createMemoryStore();
    const demo = await importDemo();
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((label) => store.load({ ...demo, label })));
    const open = new OpenAnalyses(store, 2);
    const first = await open.get(a!.id);
    expect(first?.snapshot.label).toBe('a');
    expect(await open.get(a!.id)).toBe(first);
    await open.get(b!.id);
    await open.get(a!.id); // a is now the most recently used: b goes first
    await open.get(c!.id);
    expect(open.ids()).toEqual([a!.id, c!.id]);
    // `has` neither opens nor reorders: a stays least recently used.
    expect([open.has(a!.id), open.has(b!.id), open.has(c!.id)]).toEqual([true, false, true]);
    expect(open.ids()).toEqual([a!.id, c!.id]);
    expect(await open.get(a!.id)).toBe(first);
    expect(await open.get(b!.id)).not.toBe(undefined);
    expect(await open.get('no-such-snapshot')).toBeUndefined();
    await Promise.resolve();
    expect(open.ids()).not.toContain('no-such-snapshot');
    await store.close();
  });

  it('refuses a size that is not a positive integer', () => {
    const store = createMemoryStore();
    expect(() => new OpenAnalyses(store, 0)).toThrow(/positive integer/);
    expect(() => new OpenAnalyses(store, 1.5)).toThrow(/positive integer/);
  });
});
