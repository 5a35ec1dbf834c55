/**
 * What the browser tests share: the suite fixture (`useBrowserApp`), where screenshots go (test-results/screenshots/, or docs/screenshots/ with
 * UPDATE_SCREENSHOTS=1), waiting for the canvas to finish a layout, and clicking a node where cytoscape drew it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { chromiumAvailable, launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import {
  buildWebApp,
  REPO_ROOT,
  startAppServer,
  type AppServerOptions,
  type RunningServer,
} from './app-server.ts';

export const SCREENSHOTS = join(
  REPO_ROOT,
  process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots',
);

/** Wait until the canvas has laid out at least `minElements` elements; returns how many it drew. */
export async function waitForGraph(page: Page, minElements = 1): Promise<number> {
  await page.waitForFunction(
    (min) => {
      const el = document.querySelector('[data-testid="graph-canvas"]');
      return el?.getAttribute('data-status') === 'ready' && Number(el.getAttribute('data-elements')) >= min;
    },
    minElements,
    { timeout: 30_000 },
  );
  return Number(await page.getByTestId('graph-canvas').getAttribute('data-elements'));
}

/** Ids drawn on the canvas (nodes and edges). */
export function drawnIds(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as any).__accessgraphCanvas.ids());
}

/** Ids carrying the who-can highlight. */
export function highlightedIds(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as any).__accessgraphCanvas.highlighted());
}

/** Click a node where cytoscape drew it, as a user would. */
export async function clickNode(page: Page, id: string): Promise<void> {
  const pos = await page.evaluate(
    (nodeId) => (window as any).__accessgraphCanvas.renderedPosition(nodeId),
    id,
  );
  expect(pos, `node ${id} is drawn`).not.toBeNull();
  const box = (await page.getByTestId('graph-canvas').boundingBox())!;
  await page.mouse.click(box.x + pos.x, box.y + pos.y);
}

export interface BrowserApp {
  /** The running server (set once `beforeAll` has run). */
  readonly server: RunningServer;
  /** A fresh tab; an uncaught page error fails the test. */
  newPage(): Promise<Page>;
}

/**
 * Register the suite's fixture: build the UI (as CI would), start the real server on the demo (or on the bundles
 * `options` names; a function is called in `beforeAll`, so it may build temporary bundles), launch Chromium at
 * 1280×800; all closed after the suite.
 */
export function useBrowserApp(options: AppServerOptions | (() => AppServerOptions) = {}): BrowserApp {
  let server: RunningServer | undefined;
  let chromium: LaunchedChromium | undefined;
  beforeAll(async () => {
    if (!chromiumAvailable())
      throw new Error('Chromium not found at /usr/bin/chromium: apt-get install -y chromium');
    buildWebApp();
    server = await startAppServer(typeof options === 'function' ? options() : options);
    chromium = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error('the server starts in beforeAll');
      return server;
    },
    async newPage() {
      const page = await chromium!.context.newPage();
      page.on('pageerror', (e) => {
        throw e;
      });
      return page;
    },
  };
}
