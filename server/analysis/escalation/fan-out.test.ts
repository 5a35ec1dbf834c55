import { describe, expect, it } from 'vitest';
import { demo, importDemo } from '../../../test/api/demo-fixture.ts';
import { buildEscalationGraph } from './build.ts';
import { expandFanOut, fanOutSize, FanOutTooLarge } from './fan-out.ts';

describe('expandFanOut', async () => {
  const graph = await buildEscalationGraph(await importDemo());

  it("draws the demo's fan-out as edges: bob → lambda-order-processor by lambda-003, conditional on the function", () => {
    const expanded = expandFanOut(graph);
    expect(expanded.fanOut).toBeUndefined();
    const e = expanded.edges.find((x) => x.from === demo.bob && x.technique === 'lambda-003')!;
    expect(e).toMatchObject({ to: demo.lambdaRole, conditional: true, kind: 'escalate' });
    expect(e.evidence.length).toBeGreaterThan(0);
    // Every original edge is kept, none is drawn twice, and no edge loops.
    expect(expanded.edges.slice(0, graph.edges.length)).toEqual(graph.edges);
    const keys = expanded.edges.map((x) => `${x.from} ${x.to} ${x.technique}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(expanded.edges.every((x) => x.from !== x.to)).toBe(true);
  });

  it('refuses past the limit', () => {
    expect(fanOutSize(graph)).toBeGreaterThan(0);
    expect(() => expandFanOut(graph, 0)).toThrow(FanOutTooLarge);
  });
});
