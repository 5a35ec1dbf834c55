/**
 * The app's view state in the URL query, so every view is a link (BloodHound) and back/forward walks them:
 * - `view`: `who-can` (the explorer is the default and is left out);
 * - explorer: `snapshot`, `focus` (an ARN), `depth`, `hide` (node kinds, comma-separated), `select` (the node
 *   whose panel is open), `stmt` (the statement of the selected policy to mark);
 * - who-can: `action`, `resource`, `ctx` (one `key=value` per request context entry, repeated), `denied=1`
 *   (include denied principals), `result` (the principal whose explanation is highlighted);
 * - what-if: `change` (one `op|policy-or-user|target-or-group` per change, repeated; an inline policy adds
 *   `|document`), or `compare` (an older snapshot id: what changed from it to `snapshot`);
 * - findings: `finding` (`kind|subject`, the finding whose entities are highlighted);
 * - blast radius: `from` (a principal ARN or name, or an access key id), `result` (the highlighted path:
 *   `admin:<i>` or a reached principal's ARN);
 * - paths: `from`, `to` (a principal; none: to admin), `k` (how many paths), `maxDepth` (at most so many steps),
 *   `result` (the rank of the highlighted path, from 0); k and maxDepth only when not the defaults.
 */
import type { GraphNodeKind } from '../api/results.ts';
import { NODE_KINDS } from '../graph/kinds.ts';
import { decodeChange, encodeChange, type ChangeRow } from '../what-if/changes.ts';
import type { ContextRow } from '../who-can/context-rows.ts';
import { K_BOUND, MAX_DEPTH_BOUND, parseBound, type Bound } from '../paths/path-graph.ts';

export const DEFAULT_DEPTH = 2;
export const MAX_DEPTH = 6; // the API's MAX_GRAPH_DEPTH

export type ViewName = 'explore' | 'who-can' | 'what-if' | 'findings' | 'blast' | 'paths' | 'rightsize';
const VIEWS: readonly ViewName[] = [
  'explore',
  'who-can',
  'what-if',
  'findings',
  'blast',
  'paths',
  'rightsize',
];

export interface WhoCanInputs {
  action: string;
  resource: string;
  context: ContextRow[];
  includeDenied: boolean;
}

export interface ViewState {
  view: ViewName;
  snapshot: string | null;
  focus: string | null;
  depth: number;
  hidden: GraphNodeKind[];
  selected: string | null;
  /** The statement of the selected policy to mark (a who-can match). */
  statement: number | null;
  whoCan: WhoCanInputs;
  /** The who-can result (a principal ARN) whose path is highlighted. */
  result: string | null;
  /** The what-if changes last previewed. */
  changes: ChangeRow[];
  /** The picked finding, `kind|subject`. */
  finding: string | null;
  /** Whose blast radius; where the paths start. */
  from: string;
  /** Where the paths end ('' for admin). */
  to: string;
  /** How many paths, and at most how many steps each (the API's `k` and `maxDepth`). */
  k: number;
  maxDepth: number;
  /** What-if: the snapshot to compare `snapshot` with, instead of changes. */
  compare: string | null;
}

export function emptyWhoCanInputs(): WhoCanInputs {
  return { action: '', resource: '', context: [], includeDenied: false };
}

export function emptyViewState(): ViewState {
  return {
    view: 'explore',
    snapshot: null,
    focus: null,
    depth: DEFAULT_DEPTH,
    hidden: [],
    selected: null,
    statement: null,
    whoCan: emptyWhoCanInputs(),
    result: null,
    changes: [],
    finding: null,
    from: '',
    to: '',
    k: K_BOUND.fallback,
    maxDepth: MAX_DEPTH_BOUND.fallback,
    compare: null,
  };
}

export function parseViewState(search: string): ViewState {
  const params = new URLSearchParams(search);
  const depthText = params.get('depth');
  const depth = depthText === null ? DEFAULT_DEPTH : Number.parseInt(depthText, 10);
  const hidden = (params.get('hide') ?? '')
    .split(',')
    .filter((k): k is GraphNodeKind => (NODE_KINDS as readonly string[]).includes(k));
  const asked = params.get('view') as ViewName | null;
  const view: ViewName = asked && VIEWS.includes(asked) ? asked : 'explore';
  const context = params.getAll('ctx').map((entry): ContextRow => {
    const eq = entry.indexOf('=');
    return eq < 0 ? { key: entry, value: '' } : { key: entry.slice(0, eq), value: entry.slice(eq + 1) };
  });
  return {
    view,
    snapshot: params.get('snapshot') || null,
    focus: params.get('focus') || null,
    depth: Number.isInteger(depth) && depth >= 0 && depth <= MAX_DEPTH ? depth : DEFAULT_DEPTH,
    hidden: [...new Set(hidden)].sort(),
    selected: params.get('select') || null,
    statement: statementOf(params),
    whoCan:
      view === 'who-can'
        ? {
            action: params.get('action') ?? '',
            resource: params.get('resource') ?? '',
            context,
            includeDenied: params.get('denied') === '1',
          }
        : emptyWhoCanInputs(),
    result: ((view === 'who-can' || view === 'blast' || view === 'paths') && params.get('result')) || null,
    changes:
      view === 'what-if'
        ? params
            .getAll('change')
            .map(decodeChange)
            .filter((c): c is ChangeRow => c !== null)
        : [],
    finding: (view === 'findings' && params.get('finding')) || null,
    from: ((view === 'blast' || view === 'paths' || view === 'rightsize') && params.get('from')) || '',
    to: (view === 'paths' && params.get('to')) || '',
    k: view === 'paths' ? boundOf(params.get('k'), K_BOUND) : K_BOUND.fallback,
    maxDepth: view === 'paths' ? boundOf(params.get('maxDepth'), MAX_DEPTH_BOUND) : MAX_DEPTH_BOUND.fallback,
    compare: (view === 'what-if' && params.get('compare')) || null,
  };
}

/** A hand-edited link's bound out of range falls back to the default, like an out-of-range depth. */
function boundOf(text: string | null, bound: Bound): number {
  const parsed = parseBound(text ?? '', bound);
  return 'value' in parsed ? parsed.value : bound.fallback;
}

function statementOf(params: URLSearchParams): number | null {
  const n = Number.parseInt(params.get('stmt') ?? '', 10);
  return params.get('select') && Number.isInteger(n) && n >= 0 ? n : null;
}

/** Inverse of parseViewState; defaults are left out so links stay short. */
export function serializeViewState(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.view !== 'explore') params.set('view', state.view);
  if (state.snapshot) params.set('snapshot', state.snapshot);
  if (state.focus) params.set('focus', state.focus);
  if (state.focus && state.depth !== DEFAULT_DEPTH) params.set('depth', String(state.depth));
  if (state.hidden.length) params.set('hide', [...state.hidden].sort().join(','));
  if (state.selected) params.set('select', state.selected);
  if (state.selected && state.statement !== null) params.set('stmt', String(state.statement));
  if (state.view === 'who-can') {
    const w = state.whoCan;
    if (w.action) params.set('action', w.action);
    if (w.resource) params.set('resource', w.resource);
    for (const row of w.context) if (row.key || row.value) params.append('ctx', `${row.key}=${row.value}`);
    if (w.includeDenied) params.set('denied', '1');
    if (state.result) params.set('result', state.result);
  }
  if (state.view === 'what-if') {
    for (const c of state.changes) params.append('change', encodeChange(c));
    if (state.compare) params.set('compare', state.compare);
  }
  if (state.view === 'findings' && state.finding) params.set('finding', state.finding);
  if (state.view === 'rightsize' && state.from) params.set('from', state.from);
  if (state.view === 'blast' || state.view === 'paths') {
    if (state.from) params.set('from', state.from);
    if (state.view === 'paths' && state.to) params.set('to', state.to);
    if (state.view === 'paths' && state.k !== K_BOUND.fallback) params.set('k', String(state.k));
    if (state.view === 'paths' && state.maxDepth !== MAX_DEPTH_BOUND.fallback)
      params.set('maxDepth', String(state.maxDepth));
    if (state.result) params.set('result', state.result);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
