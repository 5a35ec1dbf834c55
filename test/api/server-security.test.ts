/**
 * The HTTP server against pages of other origins, on a real socket (127.0.0.1, port 0): no CORS grant, the Host
 * header checked (DNS rebinding), GraphQL only as a same-origin `application/json` POST, security headers on
 * every response, GraphiQL from this origin only, and a bearer token when one is configured.
 */
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpOptions } from '../../server/app/http.ts';
import { acceptedHosts, isLoopback } from '../../server/app/request-guard.ts';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import type { GraphStore } from '../../server/graph/store.ts';
import { fixtureSnapshot } from './api-fixture.ts';

let store: GraphStore;
const servers: Server[] = [];
const QUERY = JSON.stringify({ query: '{ snapshots { label } }' });
const TOKEN = 'a-long-enough-test-token-0123456789';

async function listen(options: Partial<HttpOptions> = {}): Promise<{ base: string; port: number }> {
  const server = createHttpServer({ store, ...options });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, port };
}

/** A raw request (fetch would not let a test set `Host`). */
function raw(
  base: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      base + (options.path ?? '/graphql'),
      { method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const post = (base: string, headers: Record<string, string> = {}, body = QUERY) =>
  raw(base, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

beforeAll(async () => {
  store = createMemoryStore();
  await store.load(fixtureSnapshot);
});

afterAll(() => {
  for (const s of servers) s.close();
});

describe('same origin only', () => {
  it('answers a same-origin JSON POST, and one without Origin (curl, scripts)', async () => {
    const { base } = await listen();
    const cases: Record<string, string>[] = [{ origin: base, 'sec-fetch-site': 'same-origin' }, {}];
    for (const headers of cases) {
      const res = await post(base, headers);
      expect({ headers, status: res.status, body: JSON.parse(res.body) }).toEqual({
        headers,
        status: 200,
        body: { data: { snapshots: [{ label: 'api-fixture' }] } },
      });
    }
  });

  it('grants no CORS to another origin: the POST and its preflight are refused', async () => {
    const { base } = await listen();
    const evil = 'http://evil.example';
    const preflight = await raw(base, {
      method: 'OPTIONS',
      headers: {
        origin: evil,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBeGreaterThanOrEqual(400);
    const cross = await post(base, { origin: evil, 'sec-fetch-site': 'cross-site' });
    expect(cross.status).toBe(403);
    expect(JSON.parse(cross.body).errors[0]).toMatchObject({ extensions: { code: 'CROSS_ORIGIN' } });
    // Another port of the same host is another origin (a dev server, another local app).
    const sameSite = await post(base, { origin: base.replace(/\d+$/, '1'), 'sec-fetch-site': 'same-site' });
    expect(sameSite.status).toBe(403);
    for (const res of [preflight, cross, sameSite]) {
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      expect(res.body).not.toContain('api-fixture');
    }
  });

  it('refuses a Host that does not name this server (DNS rebinding) on the UI and the API', async () => {
    const { base, port } = await listen();
    for (const path of ['/', '/graphql']) {
      const res = await raw(base, {
        method: path === '/' ? 'GET' : 'POST',
        path,
        headers: { host: `rebind.evil.example:${port}`, 'content-type': 'application/json' },
        body: path === '/' ? undefined : QUERY,
      });
      expect({ path, status: res.status, leaked: res.body.includes('api-fixture') }).toEqual({
        path,
        status: 421,
        leaked: false,
      });
      expect(JSON.parse(res.body).errors[0].message).toContain('--allow-host');
    }
    // The names of loopback on this port are this server; another port is not.
    for (const [host, status] of [
      [`localhost:${port}`, 200],
      [`[::1]:${port}`, 200],
      [`127.0.0.1:${port + 1}`, 421],
    ] as const) {
      const res = await post(base, { host });
      expect({ host, status: res.status }).toEqual({ host, status });
    }
  });

  it('accepts names given with allowedHosts, and the interfaces when bound to every interface', () => {
    const hosts = acceptedHosts(4000, { host: '0.0.0.0', allowedHosts: ['Graph.Corp.Example'] });
    expect(hosts).toContain('graph.corp.example:4000');
    expect(hosts).toContain('127.0.0.1:4000');
    expect(hosts).toContain('0.0.0.0:4000');
    expect([...hosts].some((h) => h.startsWith('evil'))).toBe(false);
    expect(acceptedHosts(80, {})).toContain('localhost');
  });

  it('refuses GraphQL over GET and bodies a form or a plain page can send without a preflight', async () => {
    const { base } = await listen();
    const get = await raw(base, { path: `/graphql?query=${encodeURIComponent('{ snapshots { label } }')}` });
    expect(get.status).toBe(405);
    expect(JSON.parse(get.body).errors[0].message).toContain('POST');
    for (const type of [
      'application/x-www-form-urlencoded',
      'text/plain',
      'multipart/form-data; boundary=x',
      'application/graphql',
    ]) {
      const res = await post(base, { 'content-type': type });
      expect({ type, status: res.status, leaked: res.body.includes('api-fixture') }).toEqual({
        type,
        status: 415,
        leaked: false,
      });
    }
    expect((await post(base, { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
  });

  it('sends a CSP and the other security headers on /, the UI files and the API', async () => {
    const { base } = await listen({ webDist: '/nonexistent-web-dist' });
    for (const res of [await raw(base, { path: '/' }), await post(base)]) {
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy']).toContain("connect-src 'self'");
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
      });
    }
  });
});

describe('GraphiQL', () => {
  it('is a page whose scripts and styles all come from this server, not a CDN', async () => {
    const { base } = await listen();
    const page = await raw(base, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const urls = [...page.body.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1] as string);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const url of urls) expect(url).toMatch(/^\/graphiql\//);
    // No inline script: the CSP allows none.
    expect(page.body.match(/<script(?![^>]*\bsrc=)(?![^>]*application\/json)[^>]*>/g)).toBeNull();
    for (const url of urls) {
      const asset = await raw(base, { path: url });
      expect({ url, status: asset.status }).toEqual({ url, status: 200 });
      expect(asset.body.length).toBeGreaterThan(100);
    }
    for (const label of ['editorWorkerService', 'json', 'graphql'])
      expect((await raw(base, { path: `/graphiql/${label}.worker.js` })).status).toBe(200);
    expect((await raw(base, { path: '/graphiql/nothing.js' })).status).toBe(404);
  });
});

describe('bearer token', () => {
  it('refuses GraphQL without the token or with a wrong one, and answers with it', async () => {
    const { base } = await listen({ token: TOKEN });
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, TOKEN, `Basic ${TOKEN}`]) {
      const res = await post(base, authorization ? { authorization } : {});
      expect({ authorization, status: res.status, leaked: res.body.includes('api-fixture') }).toEqual({
        authorization,
        status: 401,
        leaked: false,
      });
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
    const ok = await post(base, { authorization: `Bearer ${TOKEN}` });
    expect(JSON.parse(ok.body)).toEqual({ data: { snapshots: [{ label: 'api-fixture' }] } });
    // The UI files and GraphiQL's page hold no data: they load without it (the page then sends it).
    expect((await raw(base, { headers: { accept: 'text/html' } })).status).toBe(200);
    expect((await raw(base, { path: '/' })).status).toBe(200);
  });

  it('tells loopback addresses from the others', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect({ host, loopback: isLoopback(host) }).toEqual({ host, loopback: true });
    for (const host of ['0.0.0.0', '::', '192.0.2.10', 'example.com', '::ffff:192.0.2.1'])
      expect({ host, loopback: isLoopback(host) }).toEqual({ host, loopback: false });
  });
});
