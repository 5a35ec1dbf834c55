/**
 * The server against pages of other origins, in Debian's Chromium: a page served by a second local server (another
 * port, so another origin) cannot read the API by any request a page can make; the real UI and GraphiQL still work
 * under the server's Content-Security-Policy (no violation reported); on a token-protected server the UI takes the
 * token from the printed `#token=` link.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer } from './app-server.ts';
import { useBrowserApp, waitForGraph } from './page-helpers.ts';

const app = useBrowserApp();
const TOKEN = 'browser-test-token-0123456789abcdef';

/** The attacker's page: every way a page can send the query, reporting what it could read. */
function attackerPage(api: string): string {
  return `<!doctype html><title>elsewhere</title><script>
const api = ${JSON.stringify(api)};
const body = JSON.stringify({ query: '{ snapshots { label accountId } }' });
const attempt = (name, run) => run().then(
  async (res) => ({ name, read: res.type === 'opaque' ? null : await res.text() }),
  (e) => ({ name, error: String(e) }),
);
window.__results = Promise.all([
  attempt('json POST', () => fetch(api, { method: 'POST', headers: { 'content-type': 'application/json' }, body })),
  attempt('json POST with credentials', () =>
    fetch(api, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body })),
  attempt('text/plain POST', () => fetch(api, { method: 'POST', headers: { 'content-type': 'text/plain' }, body })),
  attempt('GET', () => fetch(api + '?query=' + encodeURIComponent('{ snapshots { label } }'))),
  attempt('no-cors POST', () => fetch(api, { method: 'POST', mode: 'no-cors', body })),
]);
</script>`;
}

let elsewhere: Server;
let elsewhereUrl: string;

beforeAll(async () => {
  elsewhere = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(attackerPage(`${app.server.url}/graphql`));
  });
  await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
  elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/`;
});

afterAll(() => {
  elsewhere?.close();
});

/** CSP violations the page reports (Chromium logs each one to the console). */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

describe('pages of other origins', () => {
  it('cannot read the API by any request a page can make', async () => {
    const page = await app.newPage();
    await page.goto(elsewhereUrl);
    const results: { name: string; read?: string | null; error?: string }[] = await page.evaluate(
      () => (window as any).__results,
    );
    expect(results.map((r) => r.name)).toHaveLength(5);
    for (const r of results) {
      // Either the browser refused to hand over the response (CORS), or the server refused the request.
      expect({ name: r.name, leaked: (r.read ?? '').includes('111122223333') }).toEqual({
        name: r.name,
        leaked: false,
      });
      if (r.read)
        expect({ name: r.name, body: r.read }).toMatchObject({ body: expect.stringContaining('errors') });
    }
    expect(results.find((r) => r.name === 'json POST')?.error).toMatch(/Failed to fetch/);
  });
});

describe('under the Content-Security-Policy', () => {
  it('the web UI loads and draws the account with no violation', async () => {
    const page = await app.newPage();
    const violations = cspViolations(page);
    await page.goto(app.server.url);
    expect(await waitForGraph(page)).toBeGreaterThan(5);
    expect(violations).toEqual([]);
  });

  it('GraphiQL loads from this server only and runs a query', async () => {
    const page = await app.newPage();
    const violations = cspViolations(page);
    const origins = new Set<string>();
    page.on('request', (r) => origins.add(new URL(r.url()).origin));
    await page.goto(`${app.server.url}/graphql`);
    await page.locator('.graphiql-execute-button').click();
    // The example document holds three operations: GraphiQL asks which one to run.
    await page.getByRole('menuitem', { name: 'Overview' }).click();
    await page.locator('.graphiql-response').getByText('111122223333').first().waitFor({ timeout: 30_000 });
    expect([...origins].filter((o) => o.startsWith('http'))).toEqual([app.server.url]);
    expect(violations).toEqual([]);
  });
});

describe('a token-protected server', () => {
  it('the UI takes the token from the printed link, hides it, and draws the account', async () => {
    const guarded = await startAppServer({ token: TOKEN });
    try {
      const page = await app.newPage();
      await page.goto(`${guarded.url}/#token=${TOKEN}`);
      expect(await waitForGraph(page)).toBeGreaterThan(5);
      expect(page.url()).not.toContain(TOKEN);
      // Another tab (sessionStorage is per tab) without the link: the UI shows the server's refusal.
      const stranger = await app.newPage();
      await stranger.goto(`${guarded.url}/`);
      await expect
        .poll(() => stranger.locator('body').innerText(), { timeout: 15_000 })
        .toContain('needs its token');
    } finally {
      await guarded.close();
    }
  });
});
