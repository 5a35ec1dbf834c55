/**
 * The app's frame in Chromium against the real server: the snapshot picker over two imports of the demo, what
 * the user sees while waiting and when the server is gone, exports, and keyboard use at 1280×800.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, startAppServer } from './app-server.ts';
import { useBrowserApp, waitForGraph } from './page-helpers.ts';

const ACCT = 'arn:aws:iam::111122223333';
const BUCKET_OBJECTS = 'arn:aws:s3:::example-corp-engineering/*';

const app = useBrowserApp({ labels: ['monday', 'tuesday'] });
const newPage = () => app.newPage();

describe('snapshot picker', () => {
  it('lists every import, starts on the current one, and switching puts the snapshot in the URL', async () => {
    const page = await newPage();
    await page.goto(app.server.url);
    await waitForGraph(page);
    const picker = page.getByTestId('snapshot-picker');
    const options = await picker.locator('option').allInnerTexts();
    expect(options).toHaveLength(2);
    expect(options.find((o) => o.includes('(current)'))).toMatch(/^tuesday · 111122223333 · \d{4}-\d\d-\d\d/);
    expect(options.some((o) => o.startsWith('monday · 111122223333'))).toBe(true);
    const current = await picker.inputValue();
    const older = await picker.locator('option', { hasText: 'monday' }).getAttribute('value');
    expect(older).not.toBe(current);
    await picker.selectOption(older!);
    await page.waitForURL((u) => u.searchParams.get('snapshot') === older);
    await waitForGraph(page);
    // The who-can question is asked of the picked snapshot.
    await page.getByTestId('view-who-can').click();
    await page.getByTestId('who-can-action').fill('s3:GetObject');
    await page.getByTestId('who-can-resource').fill(BUCKET_OBJECTS);
    const asked = page.waitForRequest((r) => r.postDataJSON()?.operationName === 'WhoCan');
    await page.getByRole('button', { name: 'Ask' }).click();
    expect((await asked).postDataJSON().variables.snapshotId).toBe(older);
    await page.close();
  });
});

describe('loading and error states', () => {
  it('shows that it is evaluating while the answer is on its way', async () => {
    const page = await newPage();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/graphql', async (route) => {
      if (route.request().postDataJSON()?.operationName === 'WhoCan') await held;
      await route.continue();
    });
    await page.goto(`${app.server.url}/?view=who-can`);
    await page.getByTestId('who-can-action').fill('s3:GetObject');
    await page.getByTestId('who-can-resource').fill(BUCKET_OBJECTS);
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.getByTestId('who-can-answer').getByRole('status').getByText('Evaluating…').waitFor();
    release();
    await page.locator('[data-testid="who-can-answer"][data-status="ready"]').waitFor();
    await page.close();
  });

  it('says clearly when the server went away after the page loaded', async () => {
    const own = await startAppServer();
    const page = await newPage();
    await page.goto(`${own.url}/?view=who-can`);
    await page.getByTestId('snapshot-picker').locator('option').first().waitFor({ state: 'attached' });
    await own.close();
    await page.getByTestId('who-can-action').fill('s3:GetObject');
    await page.getByTestId('who-can-resource').fill(BUCKET_OBJECTS);
    await page.getByRole('button', { name: 'Ask' }).click();
    const error = page.getByTestId('who-can-error');
    await error.waitFor();
    await expect(error.innerText()).resolves.toContain(
      'Cannot reach the accessgraph server. Is `accessgraph serve` running?',
    );
    await page.close();
  });

  it('a page loaded from a server that is down says so instead of an empty graph', async () => {
    // A port where a server was and is no more; the page comes from the live server, its GraphQL goes there.
    const gone = await startAppServer();
    await gone.close();
    const deadPort = new URL(gone.url).port;
    const page = await newPage();
    await page.route('**/graphql', (route) =>
      route.continue({ url: `http://127.0.0.1:${deadPort}/graphql` }),
    );
    await page.goto(app.server.url);
    const error = page.getByTestId('error');
    await error.waitFor();
    await expect(error.innerText()).resolves.toContain('Cannot reach the accessgraph server');
    await expect(page.getByTestId('snapshot-picker').innerText()).resolves.toContain('unavailable');
    await page.close();
  });
});

describe('export', () => {
  it('saves the who-can view as a PNG and as JSON holding the question, the answer and the drawn elements', async () => {
    const page = await newPage();
    const params = new URLSearchParams([
      ['view', 'who-can'],
      ['action', 's3:GetObject'],
      ['resource', BUCKET_OBJECTS],
      ['ctx', 'aws:SecureTransport=true'],
    ]);
    await page.goto(`${app.server.url}/?${params}`);
    await waitForGraph(page);

    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
    expect(png.suggestedFilename()).toBe('accessgraph-who-can-s3-GetObject.png');
    const image = await readFile((await png.path())!);
    expect(image.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(image.length).toBeGreaterThan(5_000); // a drawn graph, not an empty canvas

    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-json').click(),
    ]);
    expect(json.suggestedFilename()).toBe('accessgraph-who-can-s3-GetObject.json');
    const saved = JSON.parse(await readFile((await json.path())!, 'utf8'));
    expect(saved).toMatchObject({
      format: 'accessgraph-view/1',
      view: 'who-can',
      query: {
        action: 's3:GetObject',
        resource: BUCKET_OBJECTS,
        context: [{ key: 'aws:SecureTransport', values: ['true'] }],
        includeDenied: false,
      },
    });
    expect(saved.link).toContain('view=who-can');
    expect(saved.answer.entries.map((e: any) => e.principal.name)).toContain('alice');
    const nodeIds = saved.elements.nodes.map((n: any) => n.id);
    expect(nodeIds).toEqual(expect.arrayContaining([`${ACCT}:user/alice`, BUCKET_OBJECTS]));
    expect(saved.elements.edges.length).toBeGreaterThan(0);
    await page.close();
  });

  it('saves the explorer view with its focus', async () => {
    const page = await newPage();
    await page.goto(`${app.server.url}/?focus=${encodeURIComponent(`${ACCT}:user/alice`)}&depth=1`);
    await waitForGraph(page);
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-json').click(),
    ]);
    expect(json.suggestedFilename()).toBe('accessgraph-explore-alice.json');
    const saved = JSON.parse(await readFile((await json.path())!, 'utf8'));
    expect(saved.query).toEqual({ focus: `${ACCT}:user/alice`, depth: 1, hidden: [] });
    expect(saved.elements.nodes.map((n: any) => n.id)).toContain(`${ACCT}:group/Engineering`);
    await page.close();
  });
});

describe('keyboard and 1280×800', () => {
  it('the who-can view works from the keyboard alone: Tab through the form, Enter asks and picks, Escape closes the panel', async () => {
    const page = await newPage();
    await page.goto(`${app.server.url}/?view=who-can`);
    await page.getByTestId('who-can-action').waitFor();
    // Tab order follows the page: the view switch, the snapshot, search, then the form top to bottom.
    const order: string[] = [];
    await page.locator('body').focus();
    for (let i = 0; i < 11; i++) {
      await page.keyboard.press('Tab');
      order.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          return el.dataset.testid ?? el.id ?? el.tagName;
        }),
      );
    }
    expect(order).toEqual([
      'view-explore',
      'view-who-can',
      'view-what-if',
      'view-blast',
      'view-paths',
      'view-findings',
      'view-rightsize',
      'snapshot-picker',
      'search',
      'who-can-action',
      'who-can-resource',
    ]);
    await page.keyboard.type(BUCKET_OBJECTS);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.type('s3:GetObject');
    // Escape closes the autocomplete list; a second Enter submits.
    await page.getByRole('listbox', { name: 'Actions' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('listbox', { name: 'Actions' }).waitFor({ state: 'detached' });
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="who-can-answer"][data-status="ready"]').waitFor();

    // Tab to the first result and pick it with Enter.
    const first = page.locator('button.result').first();
    for (let i = 0; i < 20 && !(await first.evaluate((el) => el === document.activeElement)); i++)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(first.getAttribute('aria-pressed')).resolves.toBe('true');
    await page.waitForFunction(() => (window as any).__accessgraphCanvas.highlighted().length > 0);

    // Arrow keys on the canvas open a panel; Escape from anywhere closes it.
    await page.getByTestId('graph-canvas').focus();
    await page.keyboard.press('ArrowRight');
    const panel = page.getByTestId('entity-panel');
    await panel.waitFor();
    await page.getByTestId('who-can-resource').focus();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    await page.close();
  });

  it('at 1280×800 with both side panels open nothing overflows and the graph keeps room', async () => {
    const page = await newPage();
    expect(page.viewportSize()).toEqual({ width: 1280, height: 800 });
    const params = new URLSearchParams([
      ['view', 'who-can'],
      ['action', 's3:GetObject'],
      ['resource', BUCKET_OBJECTS],
      ['denied', '1'],
      ['select', `${ACCT}:user/elena`],
    ]);
    await page.goto(`${app.server.url}/?${params}`);
    await waitForGraph(page);
    await page.getByTestId('entity-panel').getByRole('heading', { name: 'elena' }).waitFor();
    const layout = await page.evaluate(() => {
      const box = (sel: string) => document.querySelector(sel)!.getBoundingClientRect();
      return {
        scrollWidth: document.documentElement.scrollWidth,
        scrollHeight: document.documentElement.scrollHeight,
        header: box('header.top').height,
        canvas: box('[data-testid="graph-canvas"]').width,
        canvasHeight: box('[data-testid="graph-canvas"]').height,
      };
    });
    expect(layout.scrollWidth).toBeLessThanOrEqual(1280);
    expect(layout.scrollHeight).toBeLessThanOrEqual(800);
    expect(layout.header).toBeLessThan(60); // one line of controls
    expect(layout.canvas).toBeGreaterThanOrEqual(500);
    expect(layout.canvasHeight).toBeGreaterThanOrEqual(500);
    // Evidence for a reader, not a README picture: always under test-results/.
    await page.screenshot({ path: join(REPO_ROOT, 'test-results/screenshots/who-can-1280x800.png') });
    // Every view keeps its header and toolbar inside the window (clipped controls do not scroll, so measure them).
    for (const view of ['explore', 'who-can', 'what-if', 'blast', 'paths', 'findings']) {
      await page.getByTestId(`view-${view}`).click();
      for (const id of ['search', 'export-json', `view-findings`]) {
        const box = (await page.getByTestId(id).boundingBox())!;
        expect(box.x + box.width, `${id} in ${view}`).toBeLessThanOrEqual(1280);
      }
      // The graph controls wrap as one group: never a lone zoom button on a line of its own.
      const fit = (await page.getByRole('button', { name: 'Fit', exact: true }).boundingBox())!;
      const json = (await page.getByTestId('export-json').boundingBox())!;
      expect(Math.abs(fit.y - json.y), `graph controls on one line in ${view}`).toBeLessThan(4);
      expect(
        await page.evaluate(() => document.querySelector('header.top')!.getBoundingClientRect().height),
      ).toBeLessThan(60);
    }
    await page.close();
  });
});

describe('code loaded on demand', () => {
  const LAZY =
    /\/assets\/(WhoCanView|WhatIfView|BlastView|PathsView|FindingsView|EntityPanel|cytoscape-fcose)-/;

  it('the explorer draws the account without fetching the other views, the entity panel or fcose', async () => {
    const page = await newPage();
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await page.goto(app.server.url);
    await waitForGraph(page, 20);
    expect(scripts.filter((s) => LAZY.test(s))).toEqual([]);
    expect(scripts.some((s) => /\/assets\/cytoscape-view-/.test(s))).toBe(true);

    // Opening a tab fetches its view, once.
    await page.getByTestId('view-who-can').click();
    await page.getByTestId('who-can-action').waitFor();
    await page.getByTestId('view-explore').click();
    await page.getByTestId('view-who-can').click();
    await page.getByTestId('who-can-action').waitFor();
    expect(scripts.filter((s) => LAZY.test(s)).map((s) => s.match(LAZY)![1])).toEqual(['WhoCanView']);
    await page.close();
  });

  it('a tab opened after the server went away says its view could not be loaded', async () => {
    const own = await startAppServer();
    const page = await newPage();
    await page.goto(own.url);
    await waitForGraph(page);
    await own.close();
    await page.getByTestId('view-blast').click();
    const error = page.getByTestId('view-load-error');
    await error.waitFor();
    await expect(error.innerText()).resolves.toContain('This view could not be loaded from the server');
    // Over the graph, the frame's own message (refetching the account graph failed the same way).
    await expect(page.getByTestId('error').innerText()).resolves.toContain(
      'Cannot reach the accessgraph server',
    );
    await page.close();
  });
});

describe('page load', () => {
  it('loads without a console error or a failed request, and the icons it names are served', async () => {
    const page = await newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(app.server.url);
    await waitForGraph(page);
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(icon).toBe('./favicon.svg');
    // Browsers also ask for /favicon.ico on their own, for pages that name no icon.
    for (const [path, type] of [
      [icon!, 'image/svg+xml'],
      ['/favicon.ico', 'image/x-icon'],
    ]) {
      const res = await page.request.get(new URL(path!, app.server.url).href);
      expect(res.status(), path).toBe(200);
      expect(res.headers()['content-type']).toBe(type);
    }
    expect(problems).toEqual([]);
    await page.close();
  });
});
