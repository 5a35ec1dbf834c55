/**
 * The named defaults of what one GraphQL request may ask for (limits.ts enforces them, time-budget.ts the
 * budget) and of the execution workers (execution-pool.ts). Kept apart from the enforcing code so the CLI can show them without loading GraphQL.
 */
import { availableParallelism } from 'node:os';

export interface QueryLimits {
  /** Nesting of selections (introspection excepted). */
  maxDepth: number;
  /** Aliased fields in one operation. */
  maxAliases: number;
  /** Lexical tokens in one document. */
  maxTokens: number;
  /** Total cost of one operation (see `operationCost` in limits.ts). */
  maxCost: number;
}

export const DEFAULT_LIMITS: Readonly<QueryLimits> = {
  maxDepth: 10,
  maxAliases: 30,
  maxTokens: 2000,
  maxCost: 10_000,
};

/** Worker threads executing analyses (execution-pool.ts): one per core, the main thread mostly waits on sockets. */
export const DEFAULT_WORKERS = availableParallelism();

/** How long one request may run before it is answered with an error naming the budget. */
export const DEFAULT_TIME_BUDGET_MS = 30_000;

/**
 * Snapshot analyses the API keeps open across requests (analyses.ts): each holds a snapshot's candidate index,
 * compiled policies and escalation graph, from a few MB to a few hundred MB by the account's size.
 */
export const DEFAULT_OPEN_ANALYSES = 4;
