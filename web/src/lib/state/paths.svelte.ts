/** Fetching ranked paths for the app (LatestQuery: the latest question wins, the same one twice is not refetched). */
import { request } from '../api/client.ts';
import { PathsQuery } from '../api/documents.ts';
import type { PathsAnswer } from '../api/types.ts';
import { pathsArgs } from '../paths/path-graph.ts';
import { LatestQuery } from './latest-query.svelte.ts';

/** How many paths and how deep: the API's defaults are 5 and 6; a few more paths for the list to rank. */
const K = 10;
const MAX_DEPTH = 6;

export class PathsRunner extends LatestQuery<PathsAnswer> {
  async run(snapshotId: string | null, from: string, to: string): Promise<void> {
    if (this.repeats([snapshotId, from, to])) return;
    if (!from.trim()) return this.settle(null);
    await this.load(
      async (signal) =>
        (
          await request(
            PathsQuery,
            { snapshotId, ...pathsArgs(from, to), k: K, maxDepth: MAX_DEPTH },
            { signal },
          )
        ).paths,
    );
  }
}
