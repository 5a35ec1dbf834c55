/**
 * Per-request context: the store (read port only — the API never writes), the API's open analyses (shared by
 * every request, analyses.ts) and fresh DataLoaders, so one request batches and caches its lookups and no request
 * sees another's loader cache.
 */
import type { SnapshotAnalysis } from '../analysis/snapshot-analysis.ts';
import { SnapshotNotFoundError, type SnapshotReader } from '../graph/store.ts';
import type { OpenAnalyses } from './analyses.ts';
import { createLoaders, type Loaders } from './loaders.ts';

export interface ApiContext {
  store: SnapshotReader;
  loaders: Loaders;
  /** The analysis of a snapshot id; throws SnapshotNotFoundError when the store has none. */
  analysis(snapshotId: string): Promise<SnapshotAnalysis>;
  /** Whether the analysis of a snapshot id is open already (its snapshot held whole), without opening it. */
  analysisOpen(snapshotId: string): boolean;
  /** Aborts when the request should stop (client gone, time budget spent); see time-budget.ts. */
  signal?: AbortSignal;
}

export function createContext(
  store: SnapshotReader,
  analyses: OpenAnalyses,
  signal?: AbortSignal,
): ApiContext {
  return {
    store,
    loaders: createLoaders(store),
    async analysis(snapshotId) {
      const a = await analyses.get(snapshotId);
      if (!a) throw new SnapshotNotFoundError(snapshotId);
      return a;
    },
    analysisOpen: (snapshotId) => analyses.has(snapshotId),
    ...(signal ? { signal } : {}),
  };
}
