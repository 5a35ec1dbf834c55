import { describe, expect, it } from 'vitest';
import { EDGE_KINDS, NODE_KINDS } from './kinds.ts';
import { NODE_KIND_STYLE } from './kinds.ts';
import { stylesheet } from './stylesheet.ts';

describe('stylesheet', () => {
  it('has one rule per node kind with its colour and per edge kind', () => {
    const rules = stylesheet();
    for (const kind of NODE_KINDS) {
      const rule = rules.find((r) => r.selector === `node[kind = "${kind}"]`);
      expect(rule?.style['background-color']).toBe(NODE_KIND_STYLE[kind].color);
    }
    for (const kind of EDGE_KINDS)
      expect(rules.some((r) => r.selector === `edge[kind = "${kind}"]`)).toBe(true);
  });

  it('styles reversed edges with the arrow at the source end and selection after kinds', () => {
    const rules = stylesheet();
    expect(rules.find((r) => r.selector === 'edge[?reversed]')?.style).toMatchObject({
      'source-arrow-shape': 'triangle',
      'target-arrow-shape': 'none',
    });
    // cytoscape applies later rules over earlier ones: selection must win over the kind colour.
    const selected = rules.findIndex((r) => r.selector === 'node:selected');
    const lastKind = rules.findLastIndex((r) => r.selector.startsWith('node[kind'));
    expect(selected).toBeGreaterThan(lastKind);
  });

  it('is pure: two calls give equal, independent values', () => {
    const a = stylesheet();
    a[0]!.style['font-size'] = 99;
    expect(stylesheet()[0]!.style['font-size']).toBe(11);
  });
});
