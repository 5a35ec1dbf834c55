/** Fetching blast radii for the app (LatestQuery: the latest start wins, the same start twice is not refetched). */
import { request } from '../api/client.ts';
import { BlastRadiusQuery } from '../api/documents.ts';
import type { BlastRadius } from '../api/results.ts';
import { blastArgs } from '../blast/reach-graph.ts';
import { LatestQuery } from './latest-query.svelte.ts';

export class BlastRunner extends LatestQuery<BlastRadius> {
  async run(snapshotId: string | null, from: string): Promise<void> {
    if (this.repeats([snapshotId, from])) return;
    if (!from.trim()) return this.settle(null);
    await this.load(
      async (signal) =>
        (await request(BlastRadiusQuery, { snapshotId, ...blastArgs(from) }, { signal })).blastRadius,
    );
  }
}
