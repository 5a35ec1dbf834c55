/** The HTTP server: GraphQL at /graphql, the web build at /, a help page when the UI is not built. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_BUILT_PAGE, createHttpServer } from '../../server/app/http.ts';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import type { GraphStore } from '../../server/graph/store.ts';
import { fixtureSnapshot } from './api-fixture.ts';

let store: GraphStore;
let dist: string;
const servers: Server[] = [];

async function listen(webDist: string, maxBodyMiB?: number): Promise<string> {
  const server = createHttpServer({ store, webDist, ...(maxBodyMiB ? { maxBodyMiB } : {}) });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(base + '/', { path }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  store = createMemoryStore();
  await store.load(fixtureSnapshot);
  dist = mkdtempSync(join(tmpdir(), 'accessgraph-web-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app shell</title>');
  writeFileSync(join(dist, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(tmpdir(), 'accessgraph-secret.txt'), 'outside the web root');
});

afterAll(() => {
  for (const s of servers) s.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('http server', () => {
  it('answers GraphQL at /graphql', async () => {
    const base = await listen(dist);
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ snapshots { label } }' }),
    });
    expect(await res.json()).toEqual({ data: { snapshots: [{ label: 'api-fixture' }] } });
  });

  it('serves files of the web build with their content type', async () => {
    const base = await listen(dist);
    const res = await fetch(`${base}/assets/app.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await res.text()).toBe('console.log("app")');
  });

  it('serves the app shell for client-side routes and 404 for missing assets', async () => {
    const base = await listen(dist);
    const route = await fetch(`${base}/principal/alice`);
    expect(await route.text()).toBe('<!doctype html><title>app shell</title>');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
  });

  it('never serves files above the web root', async () => {
    const base = await listen(dist);
    // Raw paths (fetch would normalize the dots away before sending them).
    for (const path of ['/../accessgraph-secret.txt', '/assets/..%2f..%2faccessgraph-secret.txt']) {
      const { status, body } = await rawGet(base, path);
      expect({ path, status, leaked: body.includes('outside the web root') }).toEqual({
        path,
        status: 404,
        leaked: false,
      });
    }
  });

  it('shows a help page pointing at /graphql when the UI is not built', async () => {
    const base = await listen(join(dist, 'not-built'));
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(NOT_BUILT_PAGE);
  });

  it('takes a plan of megabytes in a variable (one token); past --max-body a 413 names the limit and the flag', async () => {
    const plan = JSON.parse(
      readFileSync(
        new URL('../fixtures/terraform-plans/handmade-attach-s3-to-qa.json', import.meta.url),
        'utf8',
      ),
    );
    plan.planned_values.root_module.padding = 'x'.repeat(3 * 2 ** 20);
    const body = JSON.stringify({
      query:
        'query($text: String!) { planChanges(text: $text) { __typename ... on PlanChanges { resources } } }',
      variables: { text: JSON.stringify(plan) },
    });
    const post = (base: string) =>
      fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const fits = await post(await listen(dist));
    expect(await fits.json()).toEqual({ data: { planChanges: { __typename: 'PlanChanges', resources: 1 } } });

    const tooLarge = await post(await listen(dist, 2));
    expect(tooLarge.status).toBe(413);
    const { errors } = await tooLarge.json();
    expect(errors[0].extensions.code).toBe('BODY_TOO_LARGE');
    expect(errors[0].message).toMatch(/3\.0 MiB, more than the limit of 2 MiB.*serve --max-body/);
  });
});
