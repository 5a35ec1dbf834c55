/**
 * SnapshotAnalysis's memo: each key computed once per analysis, kept apart per analysis, readable without computing
 * (`peek`), dropped by `forget`; and the escalation graph kept in it is tried again after a failed read.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import { importDemo } from '../../test/api/demo-fixture.ts';
import { createMemoryStore } from '../graph/memory/memory-store.ts';
import type { SnapshotReader } from '../graph/store.ts';
import { escalationGraph } from './escalation/analysis-graph.ts';
import { memoKey, SnapshotAnalysis } from './snapshot-analysis.ts';

const COUNTER = memoKey<{ n: number }>('test: counter');

describe('SnapshotAnalysis.memo', () => {
  let snapshot: AccountSnapshot;
  beforeAll(async () => {
    snapshot = await importDemo();
  });

  it('computes a key once per analysis and keeps analyses apart', () => {
    const a = SnapshotAnalysis.of(structuredClone(snapshot));
    const b = SnapshotAnalysis.of(structuredClone(snapshot));
    let computed = 0;
    const compute = () => ({ n: ++computed });
    expect(a.peek(COUNTER)).toBeUndefined();
    const first = a.memo(COUNTER, compute);
    expect(a.memo(COUNTER, compute)).toBe(first);
    expect(a.peek(COUNTER)).toBe(first);
    expect(SnapshotAnalysis.of(a.snapshot).peek(COUNTER)).toBe(first);
    expect(b.peek(COUNTER)).toBeUndefined();
    expect(b.memo(COUNTER, compute)).toEqual({ n: 2 });
    a.forget(COUNTER);
    expect(a.peek(COUNTER)).toBeUndefined();
    expect(a.memo(COUNTER, compute)).toEqual({ n: 3 });
  });

  it('keys with the same name are distinct', () => {
    const a = SnapshotAnalysis.of(structuredClone(snapshot));
    const other = memoKey<{ n: number }>('test: counter');
    a.memo(COUNTER, () => ({ n: 1 }));
    expect(a.peek(other)).toBeUndefined();
  });

  it('reads the escalation graph again after a failed read from the store', async () => {
    const store = createMemoryStore();
    const info = await store.load(structuredClone(snapshot));
    let failures = 1;
    // The store itself, whose first derived-edge read fails (a dropped connection).
    const flaky: SnapshotReader = Object.create(store, {
      readDerivedEdges: {
        value: (id: string) =>
          failures-- > 0 ? Promise.reject(new Error('connection lost')) : store.readDerivedEdges(id),
      },
    });
    const analysis = (await SnapshotAnalysis.open(flaky, info.id))!;
    await expect(escalationGraph(analysis)).rejects.toThrow('connection lost');
    const graph = await escalationGraph(analysis);
    expect(graph.admins.size).toBeGreaterThan(0);
    expect(escalationGraph(analysis)).toBe(escalationGraph(analysis));
    await store.close();
  });
});
