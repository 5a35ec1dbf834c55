/**
 * The only code that touches cytoscape. One instance per canvas, created once; new elements are diffed into it
 * (added, removed, data updated) rather than rebuilt, and every handler is removed on destroy (Kibana's service
 * map). Components hand it element definitions and receive selections through callbacks.
 */
import cytoscape from 'cytoscape';
import dagre from 'cytoscape-dagre';
import { dagreLayout, type LayoutName, type LayoutOptions } from './layouts.ts';
import { stylesheet } from './stylesheet.ts';
import type { ElementDefinitions, NodeData } from './to-elements.ts';

/** The largest zoom a fit may choose. */
export const FIT_MAX_ZOOM = 1.5;

let registered = false;
function registerExtensions(): void {
  if (registered) return;
  cytoscape.use(dagre);
  registered = true;
}

/**
 * Layouts fetched on first use: fcose (with cose-base and layout-base, a third of the graph code) draws only a
 * focused neighbourhood, a blast radius or paths, so the whole-account first render does not wait for it.
 */
const LAZY_LAYOUTS: Partial<Record<LayoutName, () => Promise<{ default: cytoscape.Ext }>>> = {
  fcose: () => import('cytoscape-fcose'),
};
const lazyLayouts = new Map<LayoutName, Promise<void>>();

/** Null when the layout is there already; else its registration, retried on the next use if it failed. */
function layoutReady(name: LayoutName): Promise<void> | null {
  const load = LAZY_LAYOUTS[name];
  if (!load) return null;
  let ready = lazyLayouts.get(name);
  if (!ready) {
    ready = load().then((m) => {
      cytoscape.use(m.default);
      LAZY_LAYOUTS[name] = undefined;
    });
    ready.catch(() => lazyLayouts.delete(name));
    lazyLayouts.set(name, ready);
  }
  return ready;
}

export interface CytoscapeViewOptions {
  /** Omit for a headless instance (tests, measurements). */
  container?: HTMLElement;
  /** A node was tapped (aggregate nodes included: check `data.aggregate`). */
  onSelectNode?: (data: NodeData) => void;
  /** The background was tapped. */
  onClearSelection?: () => void;
}

export interface ApplyResult {
  added: number;
  removed: number;
  updated: number;
}

export class CytoscapeView {
  readonly cy: cytoscape.Core;
  private readonly options: CytoscapeViewOptions;
  private layout: cytoscape.Layouts | null = null;
  private destroyed = false;
  /** The user panned or zoomed since the last fit: a resize must then keep their viewport, not refit. */
  private userMoved = false;
  private marked: string[] = [];
  /** Counts runLayout calls, so one waiting for its layout's code knows when a newer one superseded it. */
  private layoutRuns = 0;

  constructor(options: CytoscapeViewOptions = {}) {
    registerExtensions();
    this.options = options;
    this.cy = cytoscape({
      container: options.container,
      headless: options.container === undefined,
      style: stylesheet() as unknown as cytoscape.StylesheetJson,
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: false,
    });
    this.cy.on('tap', 'node', this.handleNodeTap);
    this.cy.on('tap', this.handleBackgroundTap);
    this.cy.on('dragpan scrollzoom pinchzoom', this.handleUserViewport);
  }

  private readonly handleUserViewport = (): void => {
    this.userMoved = true;
  };

  private readonly handleNodeTap = (event: cytoscape.EventObject): void => {
    this.options.onSelectNode?.(event.target.data() as NodeData);
  };

  private readonly handleBackgroundTap = (event: cytoscape.EventObject): void => {
    if (event.target === this.cy) this.options.onClearSelection?.();
  };

  /** Diff `elements` into the graph; returns what changed so callers can decide whether to re-layout. */
  setElements(elements: ElementDefinitions): ApplyResult {
    this.assertAlive();
    const wanted = new Map<string, { group: 'nodes' | 'edges'; data: object }>();
    for (const n of elements.nodes) wanted.set(n.data.id, n);
    for (const e of elements.edges) wanted.set(e.data.id, e);
    let removed = 0;
    let updated = 0;
    const toAdd: cytoscape.ElementDefinition[] = [];
    this.cy.batch(() => {
      const stale = this.cy.elements().filter((el) => !wanted.has(el.id()));
      removed = stale.length;
      stale.remove();
      for (const [id, def] of wanted) {
        const existing = this.cy.getElementById(id);
        if (existing.nonempty()) {
          if (JSON.stringify(existing.data()) !== JSON.stringify(def.data)) {
            // Keys missing from the new data (e.g. `focus` cleared) must go too.
            for (const key of Object.keys(existing.data())) if (!(key in def.data)) existing.removeData(key);
            existing.data(def.data);
            updated++;
          }
        } else {
          toAdd.push(def as cytoscape.ElementDefinition);
        }
      }
      // Nodes before edges: an edge needs both ends present.
      toAdd.sort((a, b) => (a.group === b.group ? 0 : a.group === 'nodes' ? -1 : 1));
      this.cy.add(toAdd);
    });
    return { added: toAdd.length, removed, updated };
  }

  /**
   * Lay the graph out; resolves true when done. A layout still being fetched is awaited; a newer call meanwhile
   * supersedes this one, which then resolves false without running. If it cannot be fetched, dagre stands in.
   */
  async runLayout(options: LayoutOptions): Promise<boolean> {
    this.assertAlive();
    this.layout?.stop();
    const run = ++this.layoutRuns;
    const ready = layoutReady(options.name);
    if (ready) {
      try {
        await ready;
      } catch {
        options = { ...dagreLayout(), fit: options.fit };
      }
      if (this.destroyed || run !== this.layoutRuns) return false;
    }
    const layout = this.cy.layout(options as unknown as cytoscape.LayoutOptions);
    this.layout = layout;
    const done = new Promise<void>((resolve) =>
      layout.one('layoutstop', () => {
        if (options.fit !== false) {
          this.limitZoom();
          this.userMoved = false;
        }
        resolve();
      }),
    );
    layout.run();
    await done;
    // A newer call stopped this layout: the newer one reports when the graph is laid out.
    return run === this.layoutRuns;
  }

  select(id: string | null): void {
    this.assertAlive();
    this.cy.$(':selected').unselect();
    if (id) this.cy.getElementById(id).select();
  }

  /**
   * Make `ids` stand out and fade everything else (a who-can explanation); null or empty clears it. Ids not
   * drawn are ignored. Returns the ids actually highlighted.
   */
  highlight(ids: readonly string[] | null): string[] {
    this.assertAlive();
    const wanted = new Set(ids ?? []);
    const lit: string[] = [];
    this.cy.batch(() => {
      this.cy.elements().removeClass('highlighted faded');
      if (wanted.size === 0) return;
      this.cy.elements().forEach((el) => {
        if (wanted.has(el.id())) {
          el.addClass('highlighted');
          lit.push(el.id());
        } else el.addClass('faded');
      });
    });
    return lit;
  }

  /**
   * Put classes on elements (a what-if preview: `added`, `removed`, `gained`, `lost`), replacing the previous
   * marks. Ids not drawn are ignored.
   */
  mark(marks: Readonly<Record<string, readonly string[]>>): void {
    this.assertAlive();
    this.cy.batch(() => {
      for (const cls of this.marked) this.cy.$(`.${cls}`).removeClass(cls);
      this.marked = Object.keys(marks);
      for (const [cls, ids] of Object.entries(marks))
        for (const id of ids) this.cy.getElementById(id).addClass(cls);
    });
  }

  /** Ids carrying a mark class, for tests. */
  marks(): Record<string, string[]> {
    return Object.fromEntries(this.marked.map((cls) => [cls, this.cy.$(`.${cls}`).map((el) => el.id())]));
  }

  /** Ids carrying the highlight, for tests. */
  highlighted(): string[] {
    return this.cy.$('.highlighted').map((el) => el.id());
  }

  /** The whole graph as a PNG (not just the viewport), at twice the screen resolution, on white. */
  png(): Blob {
    this.assertAlive();
    return this.cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff' }) as Blob;
  }

  fit(): void {
    this.cy.fit(undefined, 24);
    this.limitZoom();
    this.userMoved = false;
  }

  /**
   * The canvas was resized (panel opened, window resized): cytoscape caches its size. A graph still as it was
   * fitted is fitted again, so opening the panel does not push half of it out of sight.
   */
  resize(): void {
    if (this.destroyed) return;
    this.cy.resize();
    if (!this.userMoved && this.cy.elements().nonempty()) this.fit();
  }

  /** Fitting a handful of nodes would blow them up to poster size: cap the zoom a fit may choose. */
  private limitZoom(): void {
    if (this.cy.zoom() > FIT_MAX_ZOOM) {
      this.cy.zoom(FIT_MAX_ZOOM);
      this.cy.center();
    }
  }

  /** Zoom around the centre of the viewport by `factor` (>1 in, <1 out). */
  zoomBy(factor: number): void {
    const level = Math.min(this.cy.maxZoom(), Math.max(this.cy.minZoom(), this.cy.zoom() * factor));
    this.userMoved = true;
    this.cy.zoom({ level, renderedPosition: { x: this.cy.width() / 2, y: this.cy.height() / 2 } });
  }

  /** Pan to `id` only if it is outside the visible area (after the panel opened and narrowed the canvas). */
  ensureVisible(id: string): void {
    const el = this.cy.getElementById(id);
    if (el.empty()) return;
    const p = el.renderedPosition();
    if (p.x < 0 || p.y < 0 || p.x > this.cy.width() || p.y > this.cy.height()) this.cy.center(el);
  }

  centre(id: string): void {
    const el = this.cy.getElementById(id);
    if (el.nonempty()) {
      this.userMoved = true;
      this.cy.center(el);
    }
  }

  /** Where a node is drawn, in pixels from the canvas's top-left corner; null when it is not drawn. */
  renderedPosition(id: string): { x: number; y: number } | null {
    const el = this.cy.getElementById(id);
    return el.nonempty() && el.isNode() ? el.renderedPosition() : null;
  }

  /**
   * The node `step` places from `current` in reading order (columns left to right, top to bottom within a
   * column), for keyboard users who cannot click the canvas. Wraps around; the first node when none is current.
   */
  neighbourInReadingOrder(current: string | null, step: number): NodeData | null {
    const nodes = this.cy
      .nodes()
      .toArray()
      .map((n) => ({ data: n.data() as NodeData, x: Math.round(n.position('x')), y: n.position('y') }))
      .sort((a, b) => a.x - b.x || a.y - b.y);
    if (nodes.length === 0) return null;
    const at = nodes.findIndex((n) => n.data.id === current);
    const next = at < 0 ? 0 : (((at + step) % nodes.length) + nodes.length) % nodes.length;
    return nodes[next]!.data;
  }

  zoom(): number {
    return this.cy.zoom();
  }

  /** Ids currently drawn, for tests and the browser measurement. */
  ids(): string[] {
    return this.cy.elements().map((el) => el.id());
  }

  /** The text drawn on an element (an edge's `label`), null when none or not drawn; for tests. */
  label(id: string): string | null {
    const el = this.cy.getElementById(id);
    return el.nonempty() ? ((el.data('label') as string | undefined) ?? null) : null;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.layout?.stop();
    this.cy.removeListener('tap', 'node', this.handleNodeTap);
    this.cy.removeListener('tap', this.handleBackgroundTap);
    this.cy.removeListener('dragpan scrollzoom pinchzoom', this.handleUserViewport);
    this.cy.destroy();
    this.destroyed = true;
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  private assertAlive(): void {
    // INVARIANT: the component destroys the view on unmount and never calls it afterwards.
    if (this.destroyed) throw new Error('CytoscapeView used after destroy()');
  }
}
