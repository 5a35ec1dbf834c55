/**
 * What "Export JSON" saves, pure: the question that produced the view (explorer focus and filters, the who-can
 * inputs or the what-if changes, with the answer) and the elements as drawn, so the file can be read or re-drawn without the server.
 */
import type { BlastRadius, PathsAnswer, WhatIfResult, WhoCanResult } from '../api/results.ts';
import { toChangeInputs, type ChangeInput } from '../what-if/changes.ts';
import type { ElementDefinitions } from '../graph/to-elements.ts';
import type { ViewState } from '../state/url-state.ts';
import { contextEntries } from '../who-can/context-rows.ts';

/** The answer a view shows, saved with it. */
export type ViewAnswer = WhoCanResult | WhatIfResult | BlastRadius | PathsAnswer;

export interface ViewExport {
  format: 'accessgraph-view/1';
  exportedAt: string;
  link: string;
  view: ViewState['view'];
  snapshotId: string | null;
  query:
    | { focus: string | null; depth: number; hidden: string[] }
    | {
        action: string;
        resource: string;
        context: { key: string; values: string[] }[];
        includeDenied: boolean;
      }
    | { changes: ChangeInput[] }
    | { from: string }
    | { from: string; to: string | null; k: number; maxDepth: number }
    | { finding: string | null };
  answer?: ViewAnswer;
  elements: { nodes: object[]; edges: object[] };
}

export function viewExport(input: {
  state: ViewState;
  elements: ElementDefinitions;
  answer: ViewAnswer | null;
  link: string;
  now?: Date;
}): ViewExport {
  const { state } = input;
  const query: ViewExport['query'] =
    state.view === 'who-can'
      ? {
          action: state.whoCan.action,
          resource: state.whoCan.resource,
          context: contextEntries(state.whoCan.context).entries,
          includeDenied: state.whoCan.includeDenied,
        }
      : state.view === 'what-if'
        ? { changes: toChangeInputs(state.changes).changes }
        : state.view === 'blast' || state.view === 'rightsize'
          ? { from: state.from }
          : state.view === 'paths'
            ? { from: state.from, to: state.to || null, k: state.k, maxDepth: state.maxDepth }
            : state.view === 'findings'
              ? { finding: state.finding }
              : { focus: state.focus, depth: state.depth, hidden: [...state.hidden] };
  return {
    format: 'accessgraph-view/1',
    exportedAt: (input.now ?? new Date()).toISOString(),
    link: input.link,
    view: state.view,
    snapshotId: state.snapshot,
    query,
    ...(state.view !== 'explore' && input.answer ? { answer: input.answer } : {}),
    elements: {
      nodes: input.elements.nodes.map((n) => n.data),
      edges: input.elements.edges.map((e) => e.data),
    },
  };
}

/** `accessgraph-who-can-s3-GetObject.png`, `accessgraph-explore-alice.json`: safe on every file system. */
export function exportFileName(state: ViewState, extension: 'png' | 'json'): string {
  const subject =
    state.view === 'who-can'
      ? state.whoCan.action || 'who-can'
      : state.view === 'what-if'
        ? (state.changes[0]?.subject ?? 'changes')
        : state.view === 'blast' || state.view === 'paths' || state.view === 'rightsize'
          ? state.from || state.view
          : state.view === 'findings'
            ? 'findings'
            : state.focus
              ? (state.focus.split(/[:/]/).pop() ?? 'focus')
              : 'account';
  const safe = subject.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'view';
  return `accessgraph-${state.view}-${safe}.${extension}`;
}

/** Hand a blob to the browser as a download. */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
