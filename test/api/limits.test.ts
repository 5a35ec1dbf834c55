/**
 * GraphQL abuse against a real server (127.0.0.1, port 0) on the demo account: too many aliases, tokens, too
 * deep, too costly (the 170-byte `principals(first: 500) { … groups { members { groups { members …` query,
 * whose answer multiplies with each nested list), lists past their size, and the time budget. Each is refused
 * before it runs, with a message naming the limit; every query of the web UI stays within the defaults.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpOptions } from '../../server/app/http.ts';
import { importBundles } from '../../server/app/import-bundles.ts';
import { graphql } from '../../server/api/graphql-runtime.ts';
import { DEFAULT_LIMITS } from '../../server/api/limit-defaults.ts';
import { EXPENSIVE_FIELD_COST, operationCost } from '../../server/api/limits.ts';
import { schema } from '../../server/api/schema.ts';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import type { GraphStore } from '../../server/graph/store.ts';
import * as documents from '../../web/src/lib/api/documents.ts';

const DEMO = fileURLToPath(new URL('../../examples/demo', import.meta.url));
const ALICE = 'arn:aws:iam::111122223333:user/alice';
let store: GraphStore;
const servers: Server[] = [];

async function listen(options: Partial<HttpOptions> = {}): Promise<string> {
  const server = createHttpServer({ store, webDist: join(DEMO, 'no-web-dist'), ...options });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

async function ask(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  store = createMemoryStore();
  const [outcome] = await importBundles(store, [DEMO], { label: 'demo' });
  if (!outcome?.snapshot) throw new Error('demo import failed');
});

afterAll(() => {
  for (const s of servers) s.close();
});

const WHO_CAN = `whoCan(action: "s3:GetObject", resource: "arn:aws:s3:::example-corp-reports/x") {
  ... on WhoCanResult { entries { principal { arn } } } }`;

describe('query limits', () => {
  it('refuses the 170-byte amplification query before it runs, naming the cost limit', async () => {
    const url = await listen();
    const query =
      '{principals(first:500){...on PrincipalPage{items{...on User{groups{members{groups{members{groups{name}}}}}}}}}}';
    expect(query.length).toBeLessThanOrEqual(170);
    const { body } = await ask(url, query);
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions.code).toBe('COST_LIMIT');
    expect(body.errors[0].message).toContain(`limit of ${DEFAULT_LIMITS.maxCost}`);
    expect(body.errors[0].message).toContain('--max-cost');
  });

  it('counts a page size given in a variable like one written in the query', async () => {
    const url = await listen();
    const query = `query($n: Int) { principals(first: $n) { ... on PrincipalPage {
      items { ... on User { groups { members { groups { name } } } } } } } }`;
    expect((await ask(url, query, { n: 1 })).body.data).toBeDefined();
    expect((await ask(url, query, { n: 500 })).body.errors[0].extensions.code).toBe('COST_LIMIT');
  });

  it('counts a huge page size in the cost, before the resolver is asked', async () => {
    const url = await listen();
    const { body } = await ask(url, '{ principals(first: 100000) { __typename } }');
    expect(body.errors[0]).toMatchObject({ extensions: { code: 'COST_LIMIT', cost: 100_001 } });
  });

  it('refuses many aliases of an analysis (by alias count, then by cost) and answers a few', async () => {
    const url = await listen();
    const aliases = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${WHO_CAN}`).join('\n')} }`;
    const many = await ask(url, aliases(DEFAULT_LIMITS.maxAliases + 1));
    expect(many.body.data).toBeUndefined();
    expect(many.body.errors[0].message).toMatch(/aliases/i);
    const costly = await ask(url, aliases(Math.floor(DEFAULT_LIMITS.maxCost / EXPENSIVE_FIELD_COST) + 1));
    expect(costly.body.errors[0].extensions.code).toBe('COST_LIMIT');
    const few = await ask(url, aliases(3));
    expect(few.body.errors).toBeUndefined();
    expect(few.body.data.a2.entries.length).toBeGreaterThan(0);
  });

  it('refuses 1,000 aliases while parsing (token limit) and a query nested too deep', async () => {
    const url = await listen();
    const tokens = await ask(
      url,
      `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: snapshots { id }`).join(' ')} }`,
    );
    expect(tokens.body.errors[0].message).toMatch(/token limit/i);
    let sel = 'name';
    for (let i = 0; i < 6; i++) sel = `members { groups { ${sel} } }`;
    const deep = await ask(url, `{ group(arn: "x") { ... on Group { ${sel} } } }`);
    expect(deep.body.errors[0].message).toMatch(/depth/i);
  });

  it('raises each limit when the server is configured so', async () => {
    const url = await listen({ limits: { maxCost: 10_000_000, maxAliases: 100 } });
    const query = `{ ${Array.from(
      { length: 40 },
      (_, i) => `a${i}: principals(first: 500) {
      ... on PrincipalPage { items { ... on User { groups { members { name } } } } } }`,
    ).join(' ')} }`;
    const { body } = await ask(url, query);
    expect(body.errors).toBeUndefined();
    expect(body.data.a39.items.length).toBeGreaterThan(0);
  });

  it('leaves every query of the web UI within the default limits', () => {
    const variables = {
      arn: ALICE,
      from: ALICE,
      k: 100,
      first: 50,
      prefix: 's3',
      service: 's3',
      action: 's3:GetObject',
      resource: '*',
      fromSnapshotId: 'a',
      toSnapshotId: 'b',
      changes: [],
      text: '{}',
    };
    const docs = Object.entries(documents).flatMap(([name, doc]) =>
      doc instanceof String ? [[name, doc.toString()] as const] : [],
    );
    expect(docs.length).toBeGreaterThanOrEqual(10);
    for (const [name, doc] of docs) {
      const parsed = graphql.parse(doc);
      const cost = operationCost(schema, parsed, variables, undefined);
      expect({ name, within: cost <= DEFAULT_LIMITS.maxCost }).toEqual({ name, within: true });
      // Fragment spreads count as levels of the depth limit.
      const depth = graphql.validate(schema, parsed, [
        maxDepthRule({ n: DEFAULT_LIMITS.maxDepth, ignoreIntrospection: true }) as any,
      ]);
      expect({ name, errors: depth.map((e) => e.message) }).toEqual({ name, errors: [] });
    }
  });
});

describe('time budget', () => {
  it('answers an error naming the budget once it is spent, instead of running on', async () => {
    const url = await listen({ timeBudgetMs: 1 });
    // Between two analyses the server yields; by the second one the 1 ms budget is gone.
    const { status, body } = await ask(url, `{ a: ${WHO_CAN} b: ${WHO_CAN} c: ${WHO_CAN} }`);
    expect(status).toBe(200);
    expect(body.errors[0].extensions.code).toBe('TIME_BUDGET');
    expect(body.errors[0].message).toContain('time budget of 1 ms');
    expect(body.errors[0].message).toContain('--time-budget');
  });

  it('stops the analyses of a request whose client went away', async () => {
    // The real store, wrapped to count how many findings analyses start (each reads the current snapshot).
    let started = 0;
    const client = new AbortController();
    const counting = new Proxy(store, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (prop === 'currentSnapshot' && typeof v === 'function')
          return (...args: unknown[]) => {
            if (++started === 1) client.abort();
            return v.apply(target, args);
          };
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const url = await listen({ store: counting });
    const query = `{ ${Array.from({ length: 9 }, (_, i) => `a${i}: findings { __typename }`).join(' ')} }`;
    const answer = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
      signal: client.signal,
    });
    await expect(answer).rejects.toThrow(/abort/i);
    // Wait until no analysis has started for half a second: all nine would have by then without cancellation.
    let seen = -1;
    while (seen !== started) {
      seen = started;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(started).toBeLessThanOrEqual(2);
  });
});
