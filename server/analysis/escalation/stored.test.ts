/**
 * The escalation graph through a store and back (stored.ts): what the queries read must be what the builder
 * built, fan-out entries included, stored as one class node per distinct class.
 */
import { describe, expect, it } from 'vitest';
import { importDemo } from '../../../test/api/demo-fixture.ts';
import { createMemoryStore } from '../../graph/memory/memory-store.ts';
import { ADMIN_NODE_ID, PRINCIPAL_CLASS_ID_PREFIX } from '../../graph/model.ts';
import { blastRadius } from './blast-radius.ts';
import { ADMIN, buildEscalationGraph, type EscalationGraph } from './index.ts';
import {
  fromDerivedEdges,
  principalClassId,
  toDerivedEdges,
  toStoredRows,
  readEscalationGraph,
} from './stored.ts';
import { arn, testGraphWithFanOut, testSnapshot } from './test-graph.ts';

/** The graph as comparable data: edge and entry order is the store's business, targets order too. */
export function normalized(g: EscalationGraph): unknown {
  const sorted = (xs: unknown[]): string[] => xs.map((x) => JSON.stringify(x)).sort();
  return {
    edges: sorted(g.edges),
    fanOut: sorted((g.fanOut ?? []).map((f) => ({ ...f, targets: [...f.targets].sort() }))),
    admins: [...g.admins].sort(([a], [b]) => (a < b ? -1 : 1)),
  };
}

describe('the escalation graph in a store', () => {
  it('ADMIN is the store admin node', () => {
    expect(ADMIN).toBe(ADMIN_NODE_ID);
  });

  it('round-trips a built graph, fan-out included, with one targets array per class', async () => {
    const snapshot = await importDemo();
    const built = await buildEscalationGraph(snapshot);
    expect(built.fanOut?.length).toBeGreaterThan(0);
    const rows = toStoredRows(built);
    const store = createMemoryStore();
    const info = await store.load(snapshot, rows);
    const read = await readEscalationGraph(store, info.id);
    expect(normalized(read)).toEqual(normalized(built));
    // Every entry of a class reads back the same array (the traversal indexes classes by it).
    expect(new Set(read.fanOut!.map((f) => f.targets)).size).toBe(rows.principalClasses.length);
    expect(rows.principalClasses.length).toBeLessThanOrEqual(
      new Set(built.fanOut!.map((f) => f.targets)).size,
    );
  });

  it('stores each entry as one row to its class, each class once: entries + Σ class sizes', () => {
    const graph = testGraphWithFanOut();
    const rows = toStoredRows(graph);
    expect(rows.principalClasses).toEqual([
      {
        id: principalClassId('every user of account 111122223333', [arn.carol, arn.frank, arn.erin]),
        name: 'every user of account 111122223333',
        members: [arn.carol, arn.frank, arn.erin],
      },
    ]);
    const toClass = rows.derivedEdges.filter((e) => e.to.startsWith(PRINCIPAL_CLASS_ID_PREFIX));
    expect(toClass.map((e) => [e.type, e.from, e.conditional])).toEqual([
      ['CAN_ESCALATE', arn.frank, false],
      ['CAN_ESCALATE', arn.audit, true],
    ]);
    expect(rows.derivedEdges).toHaveLength(graph.edges.length + graph.admins.size + 2);
    const back = fromDerivedEdges(rows.derivedEdges, rows.principalClasses);
    expect(normalized(back)).toEqual(normalized(graph));
    expect(back.fanOut![0]!.targets).toBe(back.fanOut![1]!.targets);
  });

  it('answers blast radius the same from the stored graph', async () => {
    const graph = testGraphWithFanOut();
    const store = createMemoryStore();
    const info = await store.load(testSnapshot(), toStoredRows(graph));
    const read = await readEscalationGraph(store, info.id);
    const reached = (g: EscalationGraph): unknown => {
      const r = blastRadius(g, testSnapshot(), arn.frank);
      if (r.kind !== 'ok') throw new Error(r.kind);
      return r.answer.principals.map((p) => [p.name, p.hops, p.conditional]);
    };
    expect(reached(read)).toEqual(reached(graph));
    expect(reached(read)).toContainEqual(['carol', 1, false]);
  });

  it('class ids depend on the class, not on the order of its members', () => {
    const id = principalClassId('every user', ['b', 'a']);
    expect(principalClassId('every user', ['a', 'b'])).toBe(id);
    expect(principalClassId('every role', ['a', 'b'])).not.toBe(id);
    expect(principalClassId('every user', ['a'])).not.toBe(id);
  });

  it('refuses to write a graph with fan-out as edges only (its classes would be lost)', () => {
    expect(() => toDerivedEdges(testGraphWithFanOut())).toThrow(/toStoredRows/);
  });
});
