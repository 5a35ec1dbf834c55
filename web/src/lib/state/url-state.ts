/**
 * The explorer's view state in the URL query, so every view is a link (BloodHound): `snapshot`, `focus`
 * (an ARN), `depth`, `hide` (node kinds, comma-separated), `select` (the node whose panel is open).
 */
import { NODE_KINDS, type GraphNodeKind } from '../api/types.ts';

export const DEFAULT_DEPTH = 2;
export const MAX_DEPTH = 6; // the API's MAX_GRAPH_DEPTH

export interface ViewState {
  snapshot: string | null;
  focus: string | null;
  depth: number;
  hidden: GraphNodeKind[];
  selected: string | null;
}

export function emptyViewState(): ViewState {
  return { snapshot: null, focus: null, depth: DEFAULT_DEPTH, hidden: [], selected: null };
}

export function parseViewState(search: string): ViewState {
  const params = new URLSearchParams(search);
  const depthText = params.get('depth');
  const depth = depthText === null ? DEFAULT_DEPTH : Number.parseInt(depthText, 10);
  const hidden = (params.get('hide') ?? '')
    .split(',')
    .filter((k): k is GraphNodeKind => (NODE_KINDS as readonly string[]).includes(k));
  return {
    snapshot: params.get('snapshot') || null,
    focus: params.get('focus') || null,
    depth: Number.isInteger(depth) && depth >= 0 && depth <= MAX_DEPTH ? depth : DEFAULT_DEPTH,
    hidden: [...new Set(hidden)].sort(),
    selected: params.get('select') || null,
  };
}

/** Inverse of parseViewState; defaults are left out so links stay short. */
export function serializeViewState(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.snapshot) params.set('snapshot', state.snapshot);
  if (state.focus) params.set('focus', state.focus);
  if (state.focus && state.depth !== DEFAULT_DEPTH) params.set('depth', String(state.depth));
  if (state.hidden.length) params.set('hide', [...state.hidden].sort().join(','));
  if (state.selected) params.set('select', state.selected);
  const text = params.toString();
  return text ? `?${text}` : '';
}
