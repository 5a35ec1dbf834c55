import { afterEach, describe, expect, it } from 'vitest';
import type { GraphView } from '../api/results.ts';
import { CytoscapeView } from './cytoscape-view.ts';
import type { NodeData } from './to-elements.ts';
import { toElements } from './to-elements.ts';

const view: GraphView = {
  nodes: [
    { id: 'u:alice', kind: 'USER', label: 'alice' },
    { id: 'g:devs', kind: 'GROUP', label: 'devs' },
    { id: 'p:s3', kind: 'POLICY', label: 'S3' },
  ],
  edges: [
    { source: 'u:alice', target: 'g:devs', kind: 'MEMBER_OF' },
    { source: 'g:devs', target: 'p:s3', kind: 'HAS_POLICY' },
  ],
};

let current: CytoscapeView | null = null;
afterEach(() => current?.destroy());

describe('CytoscapeView (headless cytoscape)', () => {
  it('diffs new elements in: keeps unchanged ones, removes stale ones, updates data', () => {
    const selected: NodeData[] = [];
    current = new CytoscapeView({ onSelectNode: (d) => selected.push(d) });
    expect(current.setElements(toElements(view))).toEqual({ added: 5, removed: 0, updated: 0 });
    const alice = current.cy.getElementById('u:alice');

    const next = toElements(
      { nodes: view.nodes.filter((n) => n.id !== 'p:s3'), edges: view.edges.slice(0, 1) },
      { focus: 'u:alice' },
    );
    expect(current.setElements(next)).toEqual({ added: 0, removed: 2, updated: 1 });
    // Same element object: cytoscape keeps positions of what stays.
    expect(current.cy.getElementById('u:alice')).toBe(alice);
    expect(alice.data('focus')).toBe(true);
    expect(current.ids().sort()).toEqual(['g:devs', 'u:alice', 'u:alice|MEMBER_OF|g:devs']);

    // Clearing the focus removes the key rather than leaving a stale `focus: true`.
    current.setElements(toElements(view));
    expect(alice.data('focus')).toBeUndefined();
  });

  it('emits the tapped node and background taps, and stops after destroy', () => {
    const selected: string[] = [];
    let cleared = 0;
    current = new CytoscapeView({
      onSelectNode: (d) => selected.push(d.id),
      onClearSelection: () => cleared++,
    });
    current.setElements(toElements(view));
    current.cy.getElementById('g:devs').emit('tap');
    current.cy.emit('tap');
    expect(selected).toEqual(['g:devs']);
    expect(cleared).toBe(1);
    const cy = current.cy;
    current.destroy();
    expect(cy.destroyed()).toBe(true);
    expect(() => current!.setElements(toElements(view))).toThrow(/after destroy/);
  });

  it('runs the dagre layout headless, ranking users before groups before policies', async () => {
    current = new CytoscapeView();
    current.setElements(toElements(view));
    await current.runLayout({ name: 'dagre', rankDir: 'LR', animate: false, fit: false });
    const x = (id: string) => current!.cy.getElementById(id).position('x');
    expect(x('u:alice')).toBeLessThan(x('g:devs'));
    expect(x('g:devs')).toBeLessThan(x('p:s3'));
  });

  it('walks nodes in reading order for the keyboard, wrapping around', async () => {
    current = new CytoscapeView();
    current.setElements(toElements(view));
    await current.runLayout({ name: 'dagre', rankDir: 'LR', animate: false, fit: false });
    const walk = (from: string | null, step: number) => current!.neighbourInReadingOrder(from, step)?.id;
    expect(walk(null, 1)).toBe('u:alice');
    expect(walk('u:alice', 1)).toBe('g:devs');
    expect(walk('g:devs', 1)).toBe('p:s3');
    expect(walk('p:s3', 1)).toBe('u:alice');
    expect(walk('u:alice', -1)).toBe('p:s3');
  });

  it('selects one node at a time', () => {
    current = new CytoscapeView();
    current.setElements(toElements(view));
    current.select('u:alice');
    current.select('g:devs');
    expect(current.cy.$(':selected').map((e) => e.id())).toEqual(['g:devs']);
    current.select(null);
    expect(current.cy.$(':selected').length).toBe(0);
  });

  it('highlights a path and fades the rest; a new highlight or null replaces it', () => {
    current = new CytoscapeView();
    current.setElements(toElements(view));
    const path = ['u:alice', 'g:devs', 'u:alice|MEMBER_OF|g:devs'];
    expect(current.highlight([...path, 'not-drawn']).sort()).toEqual([...path].sort());
    expect(current.highlighted().sort()).toEqual([...path].sort());
    expect(
      current.cy
        .$('.faded')
        .map((e) => e.id())
        .sort(),
    ).toEqual(['g:devs|HAS_POLICY|p:s3', 'p:s3']);
    current.highlight(['p:s3']);
    expect(current.highlighted()).toEqual(['p:s3']);
    expect(current.cy.getElementById('u:alice').hasClass('faded')).toBe(true);
    current.highlight(null);
    expect(current.cy.$('.faded, .highlighted').length).toBe(0);
  });
});
