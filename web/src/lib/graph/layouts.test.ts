import { describe, expect, it } from 'vitest';
import type { GraphView } from '../api/results.ts';
import { chooseLayout, DAGRE_MAX_ELEMENTS, layeredPositions } from './layouts.ts';
import { toElements } from './to-elements.ts';

const small: GraphView = {
  nodes: [
    { id: 'u:a', kind: 'USER', label: 'a' },
    { id: 'u:b', kind: 'USER', label: 'b' },
    { id: 'g:x', kind: 'GROUP', label: 'x' },
    { id: 'g:y', kind: 'GROUP', label: 'y' },
    { id: 'p:1', kind: 'POLICY', label: '1' },
    { id: 'r:1', kind: 'RESOURCE', label: 'r' },
    { id: 'k:1', kind: 'ACCESS_KEY', label: 'k' },
  ],
  edges: [
    // Crossed on purpose: a → y, b → x. Ordering by barycentre must uncross them.
    { source: 'u:a', target: 'g:y', kind: 'MEMBER_OF' },
    { source: 'u:b', target: 'g:x', kind: 'MEMBER_OF' },
    { source: 'g:x', target: 'p:1', kind: 'HAS_POLICY' },
    { source: 'r:1', target: 'p:1', kind: 'PROTECTED_BY' },
    { source: 'u:a', target: 'k:1', kind: 'HAS_KEY' },
  ],
};

function bigView(users: number): GraphView {
  const view: GraphView = {
    nodes: [
      { id: 'g:0', kind: 'GROUP', label: 'g' },
      { id: 'g:1', kind: 'GROUP', label: 'g' },
    ],
    edges: [],
  };
  for (let i = 0; i < users; i++) {
    view.nodes.push({ id: `u:${i}`, kind: 'USER', label: String(i) });
    view.edges.push(
      { source: `u:${i}`, target: 'g:0', kind: 'MEMBER_OF' },
      { source: `u:${i}`, target: 'g:1', kind: 'MEMBER_OF' },
    );
  }
  return view;
}

describe('chooseLayout', () => {
  it('lays a small account out with dagre, left to right', () => {
    expect(chooseLayout({ focus: null, elements: toElements(small) })).toMatchObject({
      name: 'dagre',
      rankDir: 'LR',
    });
  });
  it('lays a large account out with precomputed layers', () => {
    const elements = toElements(bigView(200));
    expect(elements.nodes.length + elements.edges.length).toBeGreaterThan(DAGRE_MAX_ELEMENTS);
    const layout = chooseLayout({ focus: null, elements });
    expect(layout.name).toBe('preset');
    expect(Object.keys(layout.positions as object)).toHaveLength(elements.nodes.length);
  });
  it('uses fcose around a focus, in draft quality for large neighbourhoods', () => {
    expect(chooseLayout({ focus: 'u:a', elements: toElements(small) })).toMatchObject({
      name: 'fcose',
      quality: 'default',
    });
    expect(chooseLayout({ focus: 'u:0', elements: toElements(bigView(300)) })).toMatchObject({
      name: 'fcose',
      quality: 'draft',
    });
  });
});

describe('layeredPositions', () => {
  it('puts keys, users, groups, policies and resources in columns left to right', () => {
    const p = layeredPositions(toElements(small));
    const x = (id: string) => p.get(id)!.x;
    expect(x('k:1')).toBeLessThan(x('u:a'));
    expect(x('u:a')).toBe(x('u:b'));
    expect(x('u:a')).toBeLessThan(x('g:x'));
    expect(x('g:x')).toBeLessThan(x('p:1'));
    expect(x('p:1')).toBeLessThan(x('r:1'));
  });

  it('orders a layer by its neighbours so membership edges do not cross', () => {
    const p = layeredPositions(toElements(small));
    const y = (id: string) => p.get(id)!.y;
    expect(Math.sign(y('u:a') - y('u:b'))).toBe(Math.sign(y('g:y') - y('g:x')));
  });

  it('wraps a tall layer into sub-columns and never stacks two nodes on one spot', () => {
    const p = layeredPositions(toElements(bigView(120), { aggregateAbove: 1000 }), { maxPerColumn: 50 });
    const userXs = new Set([...p].filter(([id]) => id.startsWith('u:')).map(([, pos]) => pos.x));
    expect(userXs.size).toBe(3);
    const spots = new Set([...p.values()].map((pos) => `${pos.x},${pos.y}`));
    expect(spots.size).toBe(p.size);
  });
});
