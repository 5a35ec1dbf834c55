import { describe, expect, it } from 'vitest';
import { ApiRequestError, describeFailure, request } from './client.ts';
import { SnapshotsQuery } from './documents.ts';

// A real fetch-shaped function over canned HTTP responses: the client is what is under test, not a server.
function respond(status: number, body: string): typeof fetch {
  return async () => new Response(body, { status, headers: { 'content-type': 'application/json' } });
}

describe('request', () => {
  it('posts the document with its operation name and returns data', async () => {
    let sent: any;
    const fetchFn: typeof fetch = async (_url, init) => {
      sent = JSON.parse(String(init!.body));
      return new Response(JSON.stringify({ data: { snapshots: [] } }), { status: 200 });
    };
    await expect(request(SnapshotsQuery, {}, { fetch: fetchFn })).resolves.toEqual({ snapshots: [] });
    expect(sent.operationName).toBe('Snapshots');
    expect(sent.query).toContain('query Snapshots');
  });

  it('maps a refused connection to server-unreachable', async () => {
    const down: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    const err = await request(SnapshotsQuery, {}, { fetch: down }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiRequestError);
    expect(err.key).toBe('server-unreachable');
    expect(describeFailure(err)).toMatch(/Cannot reach the accessgraph server/);
  });

  it('surfaces GraphQL errors even with HTTP 200, and non-JSON bodies by status', async () => {
    const gql = await request(
      SnapshotsQuery,
      {},
      { fetch: respond(200, '{"errors":[{"message":"boom"}]}') },
    ).catch((e) => e);
    expect([gql.key, gql.message]).toEqual(['graphql-error', 'boom']);
    const proxy = await request(
      SnapshotsQuery,
      {},
      { fetch: respond(502, '<html>Bad gateway</html>') },
    ).catch((e) => e);
    expect([proxy.key, proxy.message]).toEqual(['http-error', 'HTTP 502: the body is not JSON']);
  });
});
