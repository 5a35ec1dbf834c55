/** Fetching ranked paths for the app (LatestQuery: the latest question wins, the same one twice is not refetched). */
import { request } from '../api/client.ts';
import { PathsQuery } from '../api/documents.ts';
import type { PathsAnswer } from '../api/results.ts';
import { pathsArgs } from '../paths/path-graph.ts';
import { LatestQuery } from './latest-query.svelte.ts';

export class PathsRunner extends LatestQuery<PathsAnswer> {
  async run(snapshotId: string | null, from: string, to: string, k: number, maxDepth: number): Promise<void> {
    if (this.repeats([snapshotId, from, to, k, maxDepth])) return;
    if (!from.trim()) return this.settle(null);
    await this.load(
      async (signal) =>
        (await request(PathsQuery, { snapshotId, ...pathsArgs(from, to), k, maxDepth }, { signal })).paths,
    );
  }
}
