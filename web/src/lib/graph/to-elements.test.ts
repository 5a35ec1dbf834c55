import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode, GraphView } from '../api/results.ts';
import { aggregateId, toElements } from './to-elements.ts';

const acct = 'arn:aws:iam::111122223333';
const user = (name: string): GraphNode => ({ id: `${acct}:user/${name}`, kind: 'USER', label: name });
const group = (name: string): GraphNode => ({ id: `${acct}:group/${name}`, kind: 'GROUP', label: name });
const policy = (name: string): GraphNode => ({ id: `${acct}:policy/${name}`, kind: 'POLICY', label: name });
const edge = (source: GraphNode, kind: GraphEdge['kind'], target: GraphNode): GraphEdge => ({
  source: source.id,
  target: target.id,
  kind,
});

/** A group with `n` plain members plus one member (`carol`) who also has a direct policy. */
function bigGroup(n: number): { view: GraphView; devs: GraphNode; carol: GraphNode } {
  const devs = group('devs');
  const admin = policy('Admin');
  const carol = user('carol');
  const members = Array.from({ length: n }, (_, i) => user(`u${String(i).padStart(3, '0')}`));
  const key: GraphNode = { id: 'AKIAEXAMPLE0000', kind: 'ACCESS_KEY', label: 'AKIAEXAMPLE0000' };
  return {
    devs,
    carol,
    view: {
      nodes: [devs, admin, carol, key, ...members],
      edges: [
        ...members.map((m) => edge(m, 'MEMBER_OF', devs)),
        edge(members[0]!, 'HAS_KEY', key),
        edge(carol, 'MEMBER_OF', devs),
        edge(carol, 'HAS_POLICY', admin),
        edge(devs, 'HAS_POLICY', admin),
      ],
    },
  };
}

describe('toElements', () => {
  it('maps nodes and edges one to one for a small graph', () => {
    const alice = user('alice');
    const devs = group('devs');
    const els = toElements({ nodes: [alice, devs], edges: [edge(alice, 'MEMBER_OF', devs)] });
    expect(els).toEqual({
      nodes: [
        { group: 'nodes', data: { id: alice.id, label: 'alice', kind: 'USER' } },
        { group: 'nodes', data: { id: devs.id, label: 'devs', kind: 'GROUP' } },
      ],
      edges: [
        {
          group: 'edges',
          data: {
            id: `${alice.id}|MEMBER_OF|${devs.id}`,
            source: alice.id,
            target: devs.id,
            kind: 'MEMBER_OF',
          },
        },
      ],
    });
  });

  it('collapses plain members of a group above the threshold into one "+N users" node, keys included', () => {
    const { view, devs, carol } = bigGroup(30);
    const els = toElements(view, { aggregateAbove: 12 });
    const ids = els.nodes.map((n) => n.data.id);
    // carol has a direct policy: she stays visible; the 30 plain members and u000's key are absorbed.
    expect(ids).toEqual([devs.id, `${acct}:policy/Admin`, carol.id, aggregateId(devs.id)]);
    const agg = els.nodes.find((n) => n.data.aggregate)!;
    expect(agg.data.label).toBe('+30 users');
    expect(agg.data.aggregate!.members).toHaveLength(30);
    expect(els.edges.map((e) => e.data.id)).toContain(`${aggregateId(devs.id)}|MEMBER_OF|${devs.id}`);
    // no edge may dangle
    const present = new Set(ids);
    for (const e of els.edges) expect(present.has(e.data.source) && present.has(e.data.target)).toBe(true);
  });

  it('does not aggregate at or below the threshold, nor an expanded group, nor the focus', () => {
    const { view, devs } = bigGroup(12);
    expect(toElements(view, { aggregateAbove: 12 }).nodes.some((n) => n.data.aggregate)).toBe(false);
    const big = bigGroup(20);
    expect(
      toElements(big.view, { aggregateAbove: 12, expandedGroups: new Set([devs.id]) }).nodes.some(
        (n) => n.data.aggregate,
      ),
    ).toBe(false);
    const focused = toElements(big.view, { aggregateAbove: 12, focus: `${acct}:user/u005` });
    expect(focused.nodes.find((n) => n.data.id === `${acct}:user/u005`)?.data.focus).toBe(true);
    expect(focused.nodes.find((n) => n.data.aggregate)?.data.label).toBe('+19 users');
  });

  it('a user in two groups is never absorbed', () => {
    const a = group('a');
    const b = group('b');
    const members = Array.from({ length: 5 }, (_, i) => user(`m${i}`));
    const both = user('both');
    const view: GraphView = {
      nodes: [a, b, both, ...members],
      edges: [
        ...members.map((m) => edge(m, 'MEMBER_OF', a)),
        edge(both, 'MEMBER_OF', a),
        edge(both, 'MEMBER_OF', b),
      ],
    };
    const ids = toElements(view, { aggregateAbove: 2 }).nodes.map((n) => n.data.id);
    expect(ids).toContain(both.id);
    expect(ids).toContain(aggregateId(a.id));
  });

  it('leaves out unconnected nodes unless asked, and says which', () => {
    const lonely = policy('UnusedManagedPolicy');
    const alice = user('alice');
    const devs = group('devs');
    const view: GraphView = { nodes: [alice, devs, lonely], edges: [edge(alice, 'MEMBER_OF', devs)] };
    const els = toElements(view);
    expect(els.nodes.map((n) => n.data.id)).toEqual([alice.id, devs.id]);
    expect(els.unconnected).toEqual([lonely.id]);
    expect(toElements(view, { showUnconnected: true }).nodes).toHaveLength(3);
    // The focus is always drawn, even alone.
    expect(toElements({ nodes: [lonely], edges: [] }, { focus: lonely.id }).nodes).toHaveLength(1);
  });

  it('drops hidden kinds with their edges', () => {
    const { view } = bigGroup(3);
    const els = toElements(view, { hiddenKinds: new Set(['POLICY', 'ACCESS_KEY']) });
    expect(new Set(els.nodes.map((n) => n.data.kind))).toEqual(new Set(['USER', 'GROUP']));
    expect(new Set(els.edges.map((e) => e.data.kind))).toEqual(new Set(['MEMBER_OF']));
  });

  it('draws PROTECTED_BY policy → resource, marked reversed, so layers run users → … → resources', () => {
    const bucket: GraphNode = { id: 'arn:aws:s3:::demo', kind: 'RESOURCE', label: 'demo' };
    const bp: GraphNode = { id: 'arn:aws:s3:::demo#policy', kind: 'POLICY', label: 'bucket policy' };
    const [e] = toElements({ nodes: [bucket, bp], edges: [edge(bucket, 'PROTECTED_BY', bp)] }).edges;
    expect(e!.data).toEqual({
      id: `${bucket.id}|PROTECTED_BY|${bp.id}`,
      source: bp.id,
      target: bucket.id,
      kind: 'PROTECTED_BY',
      reversed: true,
    });
  });
});
