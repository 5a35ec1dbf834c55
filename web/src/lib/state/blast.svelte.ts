/** Fetching blast radii for the app, like WhoCanRunner: the latest start wins, the same start twice is not refetched. */
import { describeFailure, request } from '../api/client.ts';
import { BlastRadiusQuery, isApiError } from '../api/documents.ts';
import type { BlastRadius } from '../api/types.ts';
import { blastArgs } from '../blast/reach-graph.ts';
import type { LoadStatus } from './explorer.svelte.ts';

export class BlastRunner {
  answer = $state<BlastRadius | null>(null);
  status = $state<LoadStatus>('idle');
  error = $state<string | null>(null);

  private key = '';
  private inflight: AbortController | null = null;

  async run(snapshotId: string | null, from: string): Promise<void> {
    const key = JSON.stringify([snapshotId, from]);
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
      const { blastRadius } = await request(
        BlastRadiusQuery,
        { snapshotId, ...blastArgs(from) },
        { signal: controller.signal },
      );
      if (controller.signal.aborted) return;
      if (isApiError(blastRadius)) {
        this.answer = null;
        this.status = 'error';
        this.error = blastRadius.message;
        return;
      }
      this.answer = blastRadius;
      this.status = 'ready';
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') return;
      this.answer = null;
      this.status = 'error';
      this.error = describeFailure(error);
    }
  }
}
