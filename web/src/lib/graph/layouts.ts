/**
 * Layout choice, pure. The whole account reads best as RBAC layers, left to right: access keys → users →
 * groups and roles → policies → resources. Small graphs get dagre (it also minimises edge crossings well);
 * large ones get `layeredPositions`, the same layers computed here in linear-ish time, because dagre's network
 * simplex takes many seconds on a 2,000-element account (measured in test/browser). The neighbourhood of a
 * focus reads best force-directed (fcose), in draft quality when large so first render stays fast.
 */
import type { GraphNodeKind } from '../api/results.ts';
import type { ElementDefinitions } from './to-elements.ts';

export type LayoutName = 'dagre' | 'fcose' | 'preset';

export interface LayoutOptions {
  name: LayoutName;
  [option: string]: unknown;
}

/** Above this many elements, the whole-account view uses `layeredPositions` instead of dagre. */
export const DAGRE_MAX_ELEMENTS = 400;

export function chooseLayout(input: { focus: string | null; elements: ElementDefinitions }): LayoutOptions {
  const count = input.elements.nodes.length + input.elements.edges.length;
  if (input.focus) return fcoseLayout(count);
  if (count <= DAGRE_MAX_ELEMENTS) return dagreLayout();
  return {
    name: 'preset',
    positions: Object.fromEntries(layeredPositions(input.elements)),
    fit: true,
    padding: 24,
    animate: false,
  };
}

export function dagreLayout(): LayoutOptions {
  return {
    name: 'dagre',
    rankDir: 'LR',
    nodeSep: 14,
    rankSep: 160,
    edgeSep: 6,
    animate: false,
    fit: true,
    padding: 24,
  };
}

export function fcoseLayout(elementCount: number): LayoutOptions {
  return {
    name: 'fcose',
    quality: elementCount > 600 ? 'draft' : 'default',
    randomize: true,
    animate: false,
    fit: true,
    padding: 24,
    nodeRepulsion: 6000,
    idealEdgeLength: 80,
    nodeSeparation: 60,
  };
}

/** The layer (column) of each kind, left to right. */
export const LAYER: Record<GraphNodeKind, number> = {
  ACCESS_KEY: 0,
  USER: 1,
  ACCOUNT: 1,
  GROUP: 2,
  ROLE: 2,
  POLICY: 3,
  RESOURCE: 4,
};

export interface LayeredOptions {
  /** Nodes per sub-column before a tall layer wraps into several sub-columns. */
  maxPerColumn?: number;
  rowGap?: number;
  columnGap?: number;
  subColumnGap?: number;
}

/**
 * Positions for the layers: each layer's nodes ordered by the barycentre of their neighbours in the layers
 * already placed (one sweep left to right, one back), so related nodes sit side by side; tall layers wrap.
 */
export function layeredPositions(
  elements: ElementDefinitions,
  options: LayeredOptions = {},
): Map<string, { x: number; y: number }> {
  const maxPerColumn = options.maxPerColumn ?? 50;
  const rowGap = options.rowGap ?? 34;
  const columnGap = options.columnGap ?? 220;
  const subColumnGap = options.subColumnGap ?? 130;

  const layers: string[][] = [[], [], [], [], []];
  const layerOf = new Map<string, number>();
  for (const n of elements.nodes) {
    const layer = LAYER[n.data.kind];
    layers[layer]!.push(n.data.id);
    layerOf.set(n.data.id, layer);
  }
  for (const layer of layers) layer.sort();
  const neighbours = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    const list = neighbours.get(a);
    if (list) list.push(b);
    else neighbours.set(a, [b]);
  };
  for (const e of elements.edges) {
    link(e.data.source, e.data.target);
    link(e.data.target, e.data.source);
  }

  // Normalised rank (0..1) of every placed node, updated as each layer is ordered.
  const rank = new Map<string, number>();
  const setRanks = (layer: string[]) =>
    layer.forEach((id, i) => rank.set(id, layer.length > 1 ? i / (layer.length - 1) : 0.5));
  const orderBy = (layer: string[], from: (l: number) => boolean) => {
    const keyed = layer.map((id, i) => {
      const ranks = (neighbours.get(id) ?? [])
        .filter((n) => from(layerOf.get(n)!) && rank.has(n))
        .map((n) => rank.get(n)!);
      // Nodes with no placed neighbour keep their place relative to the others.
      const key = ranks.length
        ? ranks.reduce((a, b) => a + b, 0) / ranks.length
        : layer.length > 1
          ? i / (layer.length - 1)
          : 0.5;
      return { id, key, i };
    });
    keyed.sort((a, b) => a.key - b.key || a.i - b.i);
    return keyed.map((k) => k.id);
  };

  // Start from the middle layer (groups and roles), which links to everything else.
  setRanks(layers[2]!);
  for (const l of [1, 0, 3, 4]) {
    layers[l] = orderBy(layers[l]!, (other) => (l < 2 ? other > l : other < l));
    setRanks(layers[l]!);
  }
  layers[2] = orderBy(layers[2]!, (other) => other !== 2);
  setRanks(layers[2]!);

  const positions = new Map<string, { x: number; y: number }>();
  let x = 0;
  for (const layer of layers) {
    if (layer.length === 0) continue;
    const subColumns = Math.ceil(layer.length / maxPerColumn);
    const perColumn = Math.ceil(layer.length / subColumns);
    layer.forEach((id, i) => {
      const column = Math.floor(i / perColumn);
      const row = i % perColumn;
      const inColumn = Math.min(perColumn, layer.length - column * perColumn);
      positions.set(id, { x: x + column * subColumnGap, y: (row - (inColumn - 1) / 2) * rowGap });
    });
    x += (subColumns - 1) * subColumnGap + columnGap;
  }
  return positions;
}
