/**
 * The GraphQL HTTP handler, without a listening socket: `server/app/http.ts` mounts it (and guards who may
 * reach it), tests call `yoga.fetch('http://yoga/graphql', …)` directly. Errors other than the typed union
 * results are masked (Yoga's default), but for an unavailable store, which is named; queries past the limits of limits.ts are rejected before they run, and
 * each request runs within a time budget (time-budget.ts). Given a pool, operations that run an analysis are
 * executed in its worker threads (execution-pool.ts). No CORS: the API answers its own origin only.
 */
import { createYoga as createYogaServer, maskError, type YogaServerInstance } from 'graphql-yoga';
import { StoreUnavailableError, type SnapshotReader } from '../graph/store.ts';
import { OpenAnalyses } from './analyses.ts';
import { createContext, type ApiContext } from './context.ts';
import { workerExecutionPlugin, type ExecutionPool } from './execution-pool.ts';
import { graphiqlPage } from './graphiql.ts';
import { DEFAULT_LIMITS, DEFAULT_TIME_BUDGET_MS, type QueryLimits } from './limit-defaults.ts';
import { limitPlugins } from './limits.ts';
import { schema } from './schema.ts';
import { requestSignal, timeBudgetPlugin } from './time-budget.ts';
import { graphql } from './graphql-runtime.ts';

/** Deep enough for principal → policies → policy → attachedTo → … in the UI; shallow enough to stop abuse. */
export const MAX_QUERY_DEPTH = DEFAULT_LIMITS.maxDepth;

export const EXAMPLE_QUERY = `# accessgraph: who can do what in an AWS account.
# Press ▶ to run. Try the other fields with Ctrl-Space.

query Overview {
  snapshots { id label accountId current counts { users groups roles policies } }
  principals(first: 10) {
    ... on PrincipalPage {
      totalCount
      items { __typename arn name }
      pageInfo { endCursor hasNextPage }
    }
    ... on Error { message }
  }
}

query Principal($arn: String = "arn:aws:iam::111122223333:user/alice") {
  principal(arn: $arn) {
    ... on QueryPrincipalSuccess {
      data {
        __typename arn name
        tags { key value }
        boundaryArn
        policies { via group { name } policy { id kind document } }
        ... on User { groups { name } accessKeys { id active lastRotated } }
        ... on Role { trustPolicy }
      }
    }
    ... on Error { message }
  }
}

query Graph($focus: String = "arn:aws:iam::111122223333:user/alice") {
  graph(focus: $focus, depth: 2) {
    ... on Graph { nodes { id kind label } edges { source target kind } }
    ... on Error { message }
  }
}
`;

export interface ApiOptions {
  store: SnapshotReader;
  /** GraphiQL at GET /graphql (on by default). */
  graphiql?: boolean;
  /** Query limits; `DEFAULT_LIMITS` where not given. */
  limits?: Partial<QueryLimits>;
  /** Milliseconds one request may run (`DEFAULT_TIME_BUDGET_MS`). */
  timeBudgetMs?: number;
  /** Worker threads for operations that run an analysis; without one every operation runs in-process. */
  pool?: ExecutionPool;
  /** Snapshot analyses kept open across requests (`DEFAULT_OPEN_ANALYSES`). */
  openAnalyses?: number;
}

/**
 * Yoga's masking, except for a store that cannot answer (Neo4j down or unreachable): the client is told so,
 * with the store's own message and `extensions.code` STORE_UNAVAILABLE, instead of "Unexpected error.".
 */
function maskErrors(error: unknown, message: string, isDev?: boolean): Error {
  const original = error instanceof graphql.GraphQLError ? error.originalError : error;
  if (original instanceof StoreUnavailableError)
    return new graphql.GraphQLError(original.message, {
      ...(error instanceof graphql.GraphQLError
        ? { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path }
        : {}),
      extensions: { code: 'STORE_UNAVAILABLE' },
    });
  return maskError(error, message, isDev);
}

export function createYoga(options: ApiOptions): YogaServerInstance<Record<string, never>, ApiContext> {
  const budget = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const analyses = new OpenAnalyses(options.store, options.openAnalyses);
  return createYogaServer<Record<string, never>, ApiContext>({
    schema,
    graphqlEndpoint: '/graphql',
    context: ({ request }) => createContext(options.store, analyses, requestSignal(request.signal, budget)),
    graphiql:
      options.graphiql === false
        ? false
        : {
            title: 'accessgraph',
            defaultQuery: EXAMPLE_QUERY,
            endpoint: '/graphql',
            method: 'POST',
            useGETForQueries: false,
          },
    renderGraphiQL: graphiqlPage,
    cors: false,
    // The worker plugin replaces execution; the time budget's, after it, wraps that with the request's signal.
    plugins: [
      ...limitPlugins({ ...DEFAULT_LIMITS, ...options.limits }),
      ...(options.pool ? [workerExecutionPlugin(options.pool)] : []),
      timeBudgetPlugin(budget),
    ],
    maskedErrors: { maskError: maskErrors },
    landingPage: false,
    logging: false,
  });
}
