/**
 * Layout choice, pure: the whole account reads best as RBAC layers (users → groups → policies → resources,
 * dagre left to right); the neighbourhood of a focus reads best force-directed (fcose), which keeps clusters
 * together. Big graphs get fcose's draft quality so first render stays fast.
 */

export type LayoutName = 'dagre' | 'fcose' | 'grid';

export interface LayoutOptions {
  name: LayoutName;
  [option: string]: unknown;
}

export function chooseLayout(input: { focus: string | null; elementCount: number }): LayoutOptions {
  if (input.focus) return fcoseLayout(input.elementCount);
  return dagreLayout();
}

export function dagreLayout(): LayoutOptions {
  return { name: 'dagre', rankDir: 'LR', nodeSep: 14, rankSep: 160, edgeSep: 6, animate: false, fit: true, padding: 24 };
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
