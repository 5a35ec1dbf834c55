/** Fetching ranked paths for the app, like BlastRunner: the latest question wins, the same one twice is not refetched. */
import { describeFailure, request } from '../api/client.ts';
import { isApiError, PathsQuery } from '../api/documents.ts';
import type { PathsAnswer } from '../api/types.ts';
import { pathsArgs } from '../paths/path-graph.ts';
import type { LoadStatus } from './explorer.svelte.ts';

/** How many paths and how deep: the API's defaults are 5 and 6; a few more paths for the list to rank. */
const K = 10;
const MAX_DEPTH = 6;

export class PathsRunner {
  answer = $state<PathsAnswer | null>(null);
  status = $state<LoadStatus>('idle');
  error = $state<string | null>(null);

  private key = '';
  private inflight: AbortController | null = null;

  async run(snapshotId: string | null, from: string, to: string): Promise<void> {
    const key = JSON.stringify([snapshotId, from, to]);
    if (key === this.key && this.status !== 'error') return;
    this.key = key;
    this.inflight?.abort();
    if (!from.trim()) {
      this.answer = null;
      this.status = 'idle';
      this.error = null;
      return;
    }
    const controller = new AbortController();
    this.inflight = controller;
    this.status = 'loading';
    this.error = null;
    try {
      const { paths } = await request(
        PathsQuery,
        { snapshotId, ...pathsArgs(from, to), k: K, maxDepth: MAX_DEPTH },
        { signal: controller.signal },
      );
      if (controller.signal.aborted) return;
      if (isApiError(paths)) {
        this.answer = null;
        this.status = 'error';
        this.error = paths.message;
        return;
      }
      this.answer = paths;
      this.status = 'ready';
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') return;
      this.answer = null;
      this.status = 'error';
      this.error = describeFailure(error);
    }
  }
}
