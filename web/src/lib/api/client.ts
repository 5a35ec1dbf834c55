/**
 * The one GraphQL client: POST a typed document to `/graphql`, return its data or throw an `ApiRequestError`
 * whose `key` names the failure for the UI (BloodHound's getErrorMessage: stable keys, one message each).
 */
import type { TypedDocumentString } from './generated/graphql.ts';

export type ApiFailureKey = 'server-unreachable' | 'http-error' | 'graphql-error' | 'bad-response';

export class ApiRequestError extends Error {
  constructor(
    readonly key: ApiFailureKey,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiRequestError';
  }
}

/** What the user reads for each failure key. */
export function describeFailure(error: unknown): string {
  if (error instanceof ApiRequestError) {
    switch (error.key) {
      case 'server-unreachable':
        return 'Cannot reach the accessgraph server. Is `accessgraph serve` running?';
      case 'http-error':
        return `The server answered with an error: ${error.message}`;
      case 'graphql-error':
        return `The query failed: ${error.message}`;
      case 'bad-response':
        return `The server sent an unexpected response: ${error.message}`;
    }
  }
  return error instanceof Error ? error.message : String(error);
}

const TOKEN_KEY = 'accessgraph.token';

/**
 * The bearer token of a server started with a token (`accessgraph serve --generate-token`, …): read once from
 * the `#token=` link the server printed, removed from the address bar, then kept for the tab's session.
 */
function serverToken(): string | null {
  if (typeof location === 'undefined' || typeof sessionStorage === 'undefined') return null;
  const fragment = /^#token=(.+)$/.exec(location.hash);
  if (fragment?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(fragment[1]));
    history.replaceState(history.state, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export interface ClientOptions {
  endpoint?: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** The name of the document's operation (its fragments follow it). */
const operationName = (query: string): string | undefined => /\b(?:query|mutation)\s+(\w+)/.exec(query)?.[1];

export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  options: ClientOptions = {},
): Promise<TResult> {
  const doFetch = options.fetch ?? fetch;
  const query = document.toString();
  const token = serverToken();
  let response: Response;
  try {
    response = await doFetch(options.endpoint ?? '/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables, operationName: operationName(query) }),
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if ((cause as Error)?.name === 'AbortError') throw cause;
    throw new ApiRequestError('server-unreachable', 'network request failed', { cause });
  }
  let body: { data?: TResult | null; errors?: { message: string }[] };
  try {
    body = await response.json();
  } catch (cause) {
    throw new ApiRequestError(
      response.ok ? 'bad-response' : 'http-error',
      `HTTP ${response.status}: the body is not JSON`,
      { cause },
    );
  }
  if (body.errors?.length) {
    throw new ApiRequestError('graphql-error', body.errors.map((e) => e.message).join('; '));
  }
  if (!response.ok) throw new ApiRequestError('http-error', `HTTP ${response.status}`);
  if (body.data == null) throw new ApiRequestError('bad-response', 'no data in the response');
  return body.data;
}
