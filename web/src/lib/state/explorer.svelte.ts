/**
 * The app's state, with runes: what the URL says (view, snapshot, focus, depth, hidden kinds, selection, the
 * who-can inputs and picked result) plus the graph fetched for it. Every change of the URL-backed fields is written back with history.pushState, and
 * popstate restores them, so back/forward and deep links work.
 */
import { describeFailure, request } from '../api/client.ts';
import { GraphQuery, isApiError, SnapshotsQuery } from '../api/documents.ts';
import type { ChangeRow } from '../what-if/changes.ts';
import { K_BOUND, MAX_DEPTH_BOUND } from '../paths/path-graph.ts';
import type { GraphNodeKind, GraphView, SnapshotSummary } from '../api/results.ts';
import {
  emptyWhoCanInputs,
  parseViewState,
  serializeViewState,
  type ViewName,
  type ViewState,
  type WhoCanInputs,
} from './url-state.ts';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export class ExplorerState {
  snapshots = $state<SnapshotSummary[]>([]);
  snapshotsStatus = $state<LoadStatus>('idle');

  view = $state<ViewName>('explore');
  snapshot = $state<string | null>(null);
  focus = $state<string | null>(null);
  depth = $state(2);
  hidden = $state<GraphNodeKind[]>([]);
  selected = $state<string | null>(null);
  statement = $state<number | null>(null);
  expandedGroups = $state<string[]>([]);
  /** The who-can question last asked (the form's draft lives in the form). */
  whoCan = $state<WhoCanInputs>(emptyWhoCanInputs());
  result = $state<string | null>(null);
  /** The what-if changes last previewed. */
  changes = $state<ChangeRow[]>([]);
  /** The picked finding (`kind|subject`). */
  finding = $state<string | null>(null);
  /** Whose blast radius is shown. */
  from = $state('');
  /** Where the paths view's paths end ('' for admin). */
  to = $state('');
  /** The paths view's bounds: how many paths, at most how many steps each. */
  k = $state(K_BOUND.fallback);
  maxDepth = $state(MAX_DEPTH_BOUND.fallback);
  /** What-if: compare the snapshot with this older one instead of previewing changes. */
  compare = $state<string | null>(null);

  graph = $state<GraphView | null>(null);
  graphStatus = $state<LoadStatus>('idle');
  error = $state<string | null>(null);

  private graphRequest: AbortController | null = null;

  readonly currentSnapshot = $derived(this.snapshots.find((s) => s.id === this.snapshot) ?? null);

  constructor(search: string) {
    this.applyViewState(parseViewState(search));
  }

  viewState(): ViewState {
    return {
      view: this.view,
      snapshot: this.snapshot,
      focus: this.focus,
      depth: this.depth,
      hidden: [...this.hidden],
      selected: this.selected,
      statement: this.statement,
      whoCan: { ...this.whoCan, context: this.whoCan.context.map((r) => ({ ...r })) },
      result: this.result,
      changes: this.changes.map((c) => ({ ...c })),
      finding: this.finding,
      from: this.from,
      to: this.to,
      k: this.k,
      maxDepth: this.maxDepth,
      compare: this.compare,
    };
  }

  applyViewState(v: ViewState): void {
    this.view = v.view;
    // An explorer link carries no who-can question: keep the last one for when the user switches back.
    if (v.view === 'who-can') {
      this.whoCan = v.whoCan;
      this.result = v.result;
    }
    if (v.view === 'what-if') {
      this.changes = v.changes;
      this.compare = v.compare;
    }
    if (v.view === 'findings') this.finding = v.finding;
    if (v.view === 'blast' || v.view === 'paths') {
      this.from = v.from;
      this.result = v.result;
    }
    if (v.view === 'rightsize') this.from = v.from;
    if (v.view === 'paths') {
      this.to = v.to;
      this.k = v.k;
      this.maxDepth = v.maxDepth;
    }
    this.snapshot = v.snapshot;
    this.focus = v.focus;
    this.depth = v.depth;
    this.hidden = v.hidden;
    this.selected = v.selected;
    this.statement = v.statement;
  }

  /** Write the view to the URL; `replace` for changes that should not add a history entry. */
  syncUrl(replace = false): void {
    const url = `${location.pathname}${serializeViewState(this.viewState())}${location.hash}`;
    if (url === `${location.pathname}${location.search}${location.hash}`) return;
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
  }

  async loadSnapshots(): Promise<void> {
    this.snapshotsStatus = 'loading';
    this.error = null;
    try {
      const { snapshots } = await request(SnapshotsQuery, {});
      this.snapshots = snapshots;
      this.snapshotsStatus = 'ready';
      if (!this.snapshot || !snapshots.some((s) => s.id === this.snapshot)) {
        this.snapshot = (snapshots.find((s) => s.current) ?? snapshots[0])?.id ?? null;
        this.syncUrl(true);
      }
    } catch (error) {
      this.snapshotsStatus = 'error';
      this.error = describeFailure(error);
    }
  }

  async loadGraph(): Promise<void> {
    if (!this.snapshot) return;
    this.graphRequest?.abort();
    const controller = new AbortController();
    this.graphRequest = controller;
    this.graphStatus = 'loading';
    this.error = null;
    try {
      const { graph } = await request(
        GraphQuery,
        { snapshotId: this.snapshot, focus: this.focus, depth: this.depth },
        { signal: controller.signal },
      );
      if (controller.signal.aborted) return;
      if (isApiError(graph)) {
        this.graph = null;
        this.graphStatus = 'error';
        this.error = graph.message;
        return;
      }
      this.graph = { nodes: graph.nodes, edges: graph.edges };
      this.graphStatus = 'ready';
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') return;
      this.graphStatus = 'error';
      this.error = describeFailure(error);
    }
  }

  setSnapshot(id: string): void {
    this.snapshot = id;
    this.focus = null;
    this.selected = null;
    this.expandedGroups = [];
    this.syncUrl();
  }

  /** Refetch the graph around `id` (expand neighbours). */
  focusOn(id: string | null, depth = this.depth): void {
    this.focus = id;
    this.depth = depth;
    if (id) this.selected = id;
    this.syncUrl();
  }

  select(id: string | null, statement: number | null = null): void {
    this.selected = id;
    this.statement = id ? statement : null;
    this.syncUrl(true);
  }

  toggleKind(kind: GraphNodeKind): void {
    this.hidden = this.hidden.includes(kind)
      ? this.hidden.filter((k) => k !== kind)
      : [...this.hidden, kind].sort();
    this.syncUrl(true);
  }

  setView(view: ViewName): void {
    if (view === this.view) return;
    this.view = view;
    this.selected = null;
    this.syncUrl();
  }

  /** Ask a who-can question: a new history entry, so back returns to the previous answer. */
  askWhoCan(inputs: WhoCanInputs): void {
    this.view = 'who-can';
    this.whoCan = inputs;
    this.result = null;
    this.selected = null;
    this.syncUrl();
  }

  /** Preview what-if changes: a new history entry, so back returns to the previous preview. */
  previewChanges(changes: ChangeRow[]): void {
    this.view = 'what-if';
    this.changes = changes;
    this.compare = null;
    this.selected = null;
    this.syncUrl();
  }

  /** What changed from snapshot `from` to the current one (null: back to previewing changes). */
  compareWith(from: string | null): void {
    this.view = 'what-if';
    this.compare = from;
    this.changes = [];
    this.selected = null;
    this.syncUrl();
  }

  /** Show the blast radius of a principal or access key: a new history entry. */
  askBlast(from: string): void {
    this.view = 'blast';
    this.from = from;
    this.result = null;
    this.selected = null;
    this.syncUrl();
  }

  /** Right-size a user or role (empty: every principal and group): a new history entry. */
  askRightsize(from: string): void {
    this.view = 'rightsize';
    this.from = from;
    this.selected = null;
    this.syncUrl();
  }

  /** Find the paths from a principal to another or (empty `to`) to admin: a new history entry. */
  askPaths(from: string, to: string, k = this.k, maxDepth = this.maxDepth): void {
    this.view = 'paths';
    this.from = from;
    this.to = to;
    this.k = k;
    this.maxDepth = maxDepth;
    this.result = null;
    this.selected = null;
    this.syncUrl();
  }

  /** Highlight one finding's entities (null: none). */
  pickFinding(key: string | null): void {
    this.finding = key;
    this.syncUrl(true);
  }

  /** Highlight one who-can result's path (null: none). */
  pickResult(principalArn: string | null): void {
    this.result = principalArn;
    this.syncUrl(true);
  }

  expandGroup(groupId: string): void {
    if (!this.expandedGroups.includes(groupId)) this.expandedGroups = [...this.expandedGroups, groupId];
  }
}
