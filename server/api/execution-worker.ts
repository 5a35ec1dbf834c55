/**
 * A GraphQL execution worker (execution-pool.ts starts it): executes the operations the main thread sends,
 * already parsed, validated and within the limits there, over the main thread's store (store-rpc.ts). Its
 * store object lives as long as the worker, so the analyses' caches keyed by it keep what they read.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ExecutionResult } from 'graphql';
import { OpenAnalyses } from './analyses.ts';
import { createContext } from './context.ts';
import type { FromWorker, ToWorker, WireResult, WorkerStart } from './execution-pool.ts';
import { graphql } from './graphql-runtime.ts';
import { schema } from './schema.ts';
import { errorToWire, remoteStore } from './store-rpc.ts';

const { GraphQLError } = graphql;

/**
 * A result without errors as its JSON text; errors as the pool rebuilds them (`fromWire`): the original error's
 * class decides how Yoga masks them.
 */
function toWire(result: ExecutionResult): WireResult {
  if (!result.errors && !result.extensions) return { json: JSON.stringify(result) };
  return {
    ...(result.data !== undefined ? { data: result.data } : {}),
    ...(result.errors
      ? {
          errors: result.errors.map((e) => ({
            message: e.message,
            ...(e.positions ? { positions: e.positions } : {}),
            ...(e.path ? { path: e.path } : {}),
            ...(e.extensions && Object.keys(e.extensions).length > 0 ? { extensions: e.extensions } : {}),
            ...(e.originalError && !(e.originalError instanceof GraphQLError)
              ? { original: errorToWire(e.originalError) }
              : {}),
          })),
        }
      : {}),
  };
}

const port = parentPort!;
const start = workerData as WorkerStart;
const store = remoteStore(start.storePort);
// The worker's own open analyses: they live as long as the worker, over the main thread's store.
const analyses = new OpenAnalyses(store, start.openAnalyses);
const running = new Map<number, AbortController>();

async function execute(message: Extract<ToWorker, { type: 'execute' }>): Promise<void> {
  const controller = new AbortController();
  running.set(message.id, controller);
  let result: WireResult;
  try {
    result = toWire(
      await graphql.execute({
        schema,
        document: graphql.parse(message.query),
        variableValues: message.variables,
        operationName: message.operationName,
        contextValue: createContext(store, analyses, controller.signal),
      }),
    );
  } catch (e) {
    result = { errors: [{ message: e instanceof Error ? e.message : String(e), original: errorToWire(e) }] };
  } finally {
    running.delete(message.id);
  }
  port.postMessage({ id: message.id, result } satisfies FromWorker);
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'abort') running.get(message.id)?.abort();
  else void execute(message);
});
