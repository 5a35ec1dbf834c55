/**
 * Fetching who-can answers for the app: the latest question wins (earlier requests are aborted), and asking the
 * same question twice (a re-render, back then forward) does not refetch.
 */
import { request } from '../api/client.ts';
import { WhoCanQuery } from '../api/documents.ts';
import type { WhoCanResult } from '../api/results.ts';
import { contextEntries } from '../who-can/context-rows.ts';
import { LatestQuery } from './latest-query.svelte.ts';
import type { WhoCanInputs } from './url-state.ts';

export class WhoCanRunner extends LatestQuery<WhoCanResult> {
  /** The resource the answer is about (the graph's resource node). */
  resource = $state('');

  /** The resource of the question being asked, shown as `resource` with its answer. */
  private asking = '';

  protected override accept(): void {
    this.resource = this.asking;
  }

  /** Whether `inputs` hold a question to ask (both action and resource given). */
  static complete(inputs: WhoCanInputs): boolean {
    return inputs.action.trim() !== '' && inputs.resource.trim() !== '';
  }

  async run(snapshotId: string | null, inputs: WhoCanInputs, force = false): Promise<void> {
    if (this.repeats([snapshotId, inputs], force)) return;
    if (!WhoCanRunner.complete(inputs)) return this.settle(null);
    const { entries, errors } = contextEntries(inputs.context);
    if (errors.length) return this.settle(errors.join('\n'));
    const resource = inputs.resource.trim();
    this.asking = resource;
    await this.load(
      async (signal) =>
        (
          await request(
            WhoCanQuery,
            {
              snapshotId,
              action: inputs.action.trim(),
              resource,
              context: entries,
              includeDenied: inputs.includeDenied,
            },
            { signal },
          )
        ).whoCan,
    );
  }
}
