/**
 * What a view hands the frame (App.svelte) to draw: the graph, how to lay it out around what, what to highlight or
 * mark, its own loading and empty messages, the legend it needs and the answer the JSON export saves. Each view
 * (a component in this folder) computes one from its answer; the frame owns the canvas, the toolbar and the
 * generic states (server down, no snapshot, everything filtered out).
 */
import type { GraphView } from '../lib/api/results.ts';
import type { ViewAnswer } from '../lib/export/view-export.ts';
import type { ExplorerState } from '../lib/state/explorer.svelte.ts';
import type { ViewName } from '../lib/state/url-state.ts';

export interface Overlay {
  kind: 'loading' | 'empty';
  text: string;
}

export interface Drawing {
  /** The view this drawing belongs to: a drawing left by the previous tab is never shown. */
  view: ViewName;
  /** Null: nothing to draw yet. */
  graph: GraphView | null;
  /** Laid out around this node (force-directed), else as RBAC layers. */
  focus: string | null;
  /** Element ids to make stand out, the rest fading (a path, an explanation, a finding's entities). */
  highlighted: string[] | null;
  /** Classes to put on elements (the what-if marks), class → ids. */
  marks: Record<string, string[]>;
  /** Draw every principal (no "+N users"), so each principal of an answer can be highlighted. */
  everyPrincipal?: boolean;
  /** Shown over the graph: the view's own loading or empty state. */
  overlay: Overlay | null;
  /** Legend entries beyond the account graph's. */
  legend: { explanation?: boolean; whatIf?: boolean };
  /** What the JSON export saves with the question. */
  answer: ViewAnswer | null;
}

/** The explorer, and the base of the views drawn on the account graph: the graph around the focus, as fetched. */
export function accountDrawing(explorer: ExplorerState, view: ViewName = 'explore'): Drawing {
  return {
    view,
    graph: explorer.graph,
    focus: explorer.focus,
    highlighted: null,
    marks: {},
    overlay: null,
    legend: {},
    answer: null,
  };
}

/** The props every view component takes. */
export interface ViewProps {
  explorer: ExplorerState;
  /** Called with the view's drawing whenever it changes. */
  ondraw: (drawing: Drawing) => void;
}

/** The overlay of a view that answers a question in its side panel (who-can, blast radius, paths). */
export function answerOverlay(
  status: 'idle' | 'loading' | 'ready' | 'error',
  texts: { loading: string; idle: string },
): Overlay | null {
  if (status === 'loading') return { kind: 'loading', text: texts.loading };
  if (status === 'error') return { kind: 'empty', text: 'No answer: see the message on the left.' };
  if (status === 'idle') return { kind: 'empty', text: texts.idle };
  return null;
}
