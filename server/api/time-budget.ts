/**
 * A per-request time budget and cancellation. Each request's context carries a signal that aborts when the
 * client disconnects or the budget is spent; the executor stops resolving fields once it has, and the request
 * answers with an error naming the budget instead of holding the socket. A request's expensive fields run one
 * at a time, each after a turn of the event loop, so the budget's timer (and other clients) get a turn between
 * analyses; one analysis that never yields still runs to its end.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { GraphQLError as GraphQLErrorType, GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ApiContext } from './context.ts';
import { graphql } from './graphql-runtime.ts';
import { EXPENSIVE_FIELDS } from './limits.ts';

const { GraphQLError, isObjectType } = graphql;

/** Aborts when `client` does (the connection closed) or, with a `TimeoutError`, after `budgetMs`. */
export function requestSignal(client: AbortSignal | undefined, budgetMs: number): AbortSignal {
  // Not AbortSignal.any/timeout: Node 20 can collect a timeout signal that only `any` refers to, and then the
  // combined signal never aborts.
  const controller = new AbortController();
  setTimeout(
    () => controller.abort(new DOMException(`time budget of ${budgetMs} ms spent`, 'TimeoutError')),
    budgetMs,
  ).unref();
  client?.addEventListener('abort', () => controller.abort(client.reason), { once: true });
  return controller.signal;
}

/** The last expensive field started for each request: they run one after the other. */
const lastExpensive = new WeakMap<ApiContext, Promise<unknown>>();

/**
 * Wraps every expensive field's resolver of `schema` (in place): within one request they run one at a time,
 * each after a turn of the event loop and only if the request has not been aborted meanwhile.
 */
export function checkpointExpensiveFields(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve;
      if (!resolve || !EXPENSIVE_FIELDS.has(`${type.name}.${field.name}`)) continue;
      field.resolve = (source, args, context: ApiContext, info) => {
        const result = (lastExpensive.get(context) ?? Promise.resolve()).then(async () => {
          await yieldToEventLoop();
          context.signal?.throwIfAborted();
          return resolve(source, args, context, info);
        });
        lastExpensive.set(
          context,
          result.catch(() => undefined),
        );
        return result;
      };
    }
  }
  return schema;
}

function budgetError(budgetMs: number): GraphQLErrorType {
  return new GraphQLError(
    `the request ran past its time budget of ${budgetMs} ms and was stopped: ask for less ` +
      '(a narrower resource, fewer fields), or raise the budget with `serve --time-budget`',
    { extensions: { code: 'TIME_BUDGET', limitMs: budgetMs } },
  );
}

/** Runs each operation with the context's signal, answering the budget error as soon as it aborts. */
export function timeBudgetPlugin(budgetMs: number): Plugin<ApiContext> {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn(async (args) => {
        const signal = (args.contextValue as ApiContext).signal;
        if (!signal) return executeFn(args);
        const aborted = new Promise<never>((_, reject) => {
          if (signal.aborted) reject(signal.reason);
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
        try {
          // graphql-tools' executor (Yoga's) reads `signal`; envelop's ExecutionArgs type does not list it.
          const withSignal = { ...args, signal } as typeof args;
          return await Promise.race([executeFn(withSignal), aborted]);
        } catch (e) {
          if (!signal.aborted) throw e;
          const timedOut = (signal.reason as Error | undefined)?.name === 'TimeoutError';
          return { errors: [timedOut ? budgetError(budgetMs) : new GraphQLError('the client went away')] };
        }
      });
    },
  };
}
