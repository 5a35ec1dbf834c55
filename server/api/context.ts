/**
 * Per-request context: the store (read port only — the API never writes) and fresh DataLoaders, so one
 * request batches and caches its lookups and no request sees another's cache.
 */
import type { SnapshotReader } from '../graph/store.ts';
import { createLoaders, type Loaders } from './loaders.ts';

export interface ApiContext {
  store: SnapshotReader;
  loaders: Loaders;
  /** Aborts when the request should stop (client gone, time budget spent); see time-budget.ts. */
  signal?: AbortSignal;
}

export function createContext(store: SnapshotReader, signal?: AbortSignal): ApiContext {
  return { store, loaders: createLoaders(store), ...(signal ? { signal } : {}) };
}
