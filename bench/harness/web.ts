/**
 * The web UI's first interactive render: the built UI (rebuilt when web/src is newer than web/dist) served by the
 * real HTTP server, Debian's headless Chromium through playwright-core, and the synthetic 2,000-element graph in
 * place of the server's answers. Per view (the whole account, drawn with the layered preset; one user's
 * neighbourhood, laid out by fcose), the median over the runs of: navigation start → layout done → next painted
 * frame, and the canvas's own phases (`setElements`, setElements → layout done). The CPU time of the renderer's
 * main thread (CDP `TaskDuration` in thread ticks) is noted beside each total: on a shared machine the wall time
 * mostly measures the neighbours.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createHttpServer } from '../../server/app/http.ts';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import { buildWebApp, REPO_ROOT, WEB_DIST } from '../../test/browser/app-server.ts';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium } from '../../test/support/chromium.ts';
import { serveSyntheticGraph, syntheticGraph } from '../generate/synthetic-graph.ts';
import { median } from './measure.ts';
import type { Measurement } from './results.ts';
import { SkipSection, type BenchContext } from './context.ts';

/** Newest modification time of the files under `dir`, in ms. */
function newest(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => statSync(join(e.parentPath, e.name)).mtimeMs),
  );
}

interface Render {
  total: number;
  setElements: number;
  layout: number;
  /** CPU time of the renderer's main thread from navigation to the painted frame (CDP `TaskDuration` in thread ticks), ms. */
  cpu: number;
}

/** One first render in a fresh tab; what `GraphCanvas` marks (`accessgraph:set-elements`, `accessgraph:layout`). */
async function renderOnce(page: Page, url: string): Promise<Render> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  await page.goto(url);
  await page.waitForFunction(
    () => {
      const el = document.querySelector('[data-testid="graph-canvas"]');
      return el?.getAttribute('data-status') === 'ready' && Number(el.getAttribute('data-elements')) >= 2000;
    },
    undefined,
    { timeout: 120_000 },
  );
  const timing = await page.evaluate(
    () =>
      new Promise<Omit<Render, 'cpu'>>((resolve) =>
        requestAnimationFrame(() =>
          resolve({
            total: performance.now(),
            setElements: performance.getEntriesByName('accessgraph:set-elements').at(-1)!.duration,
            layout: performance.getEntriesByName('accessgraph:layout').at(-1)!.duration,
          }),
        ),
      ),
  );
  const { metrics } = await cdp.send('Performance.getMetrics');
  const cpu = 1000 * (metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN);
  await cdp.detach();
  return { ...timing, cpu };
}

export async function webSection(ctx: BenchContext): Promise<Measurement[]> {
  if (!chromiumAvailable())
    throw new SkipSection(`no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  const index = join(WEB_DIST, 'index.html');
  if (!existsSync(index) || statSync(index).mtimeMs < newest(join(REPO_ROOT, 'web/src'))) {
    ctx.log('  building the web UI (web/dist is older than web/src)');
    buildWebApp();
  }
  const store = createMemoryStore();
  const server = createHttpServer({ store, webDist: WEB_DIST });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const chromium = await launchChromium();
  try {
    const graph = syntheticGraph();
    const out: Measurement[] = [];
    for (const [key, view, query] of [
      ['render', 'whole account (layered preset)', ''],
      ['render-focus', 'one user in focus (fcose)', `?focus=${encodeURIComponent(graph.nodes[0]!.id)}`],
    ] as const) {
      const runs: Render[] = [];
      for (let i = 0; i < ctx.runs; i++) {
        const page = await chromium.context.newPage();
        await serveSyntheticGraph(page, graph);
        runs.push(await renderOnce(page, `${base}/${query}`));
        await page.close();
      }
      const of = (phase: keyof Render) => runs.map((r) => r[phase]);
      const measure = (phase: keyof Render, name: string, note?: string): Measurement => ({
        key: `web.${key}-${phase === 'total' ? 'total' : phase === 'setElements' ? 'set-elements' : 'layout'}`,
        section: 'web',
        name: `first interactive render, 2,000 elements, ${view}: ${name}`,
        value: median(of(phase)),
        unit: 'ms',
        runs: of(phase),
        ...(note ? { note } : {}),
      });
      out.push(
        measure(
          'total',
          'navigation start → layout done → next frame',
          `CPU time of the renderer's main thread ${Math.round(median(of('cpu')))} ms`,
        ),
        measure('setElements', 'setElements'),
        measure('layout', 'setElements start → layout done'),
      );
    }
    return out;
  } finally {
    await chromium.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
  }
}
