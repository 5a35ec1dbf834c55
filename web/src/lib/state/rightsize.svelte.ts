/** Fetching right-sizing answers for the app (LatestQuery: the latest principal wins, the same one twice is not refetched). */
import { request } from '../api/client.ts';
import { RightsizeQuery } from '../api/documents.ts';
import type { RightsizeResult } from '../api/results.ts';
import { LatestQuery } from './latest-query.svelte.ts';

export class RightsizeRunner extends LatestQuery<RightsizeResult> {
  /** `principal`: a user or role name or ARN; empty asks for every principal and group of the snapshot. */
  async run(snapshotId: string | null, principal: string, force = false): Promise<void> {
    if (this.repeats([snapshotId, principal], force)) return;
    const principals = principal.trim() ? [principal.trim()] : null;
    await this.load(
      async (signal) =>
        (await request(RightsizeQuery, { snapshotId, principals, unusedDays: null }, { signal })).rightsize,
    );
  }
}
