/**
 * Fetching who-can answers for the app: the latest question wins (earlier requests are aborted), and asking the
 * same question twice (a re-render, back then forward) does not refetch.
 */
import { describeFailure, request } from '../api/client.ts';
import { isApiError, WhoCanQuery } from '../api/documents.ts';
import type { WhoCanResult } from '../api/types.ts';
import { contextEntries } from '../who-can/context-rows.ts';
import type { LoadStatus } from './explorer.svelte.ts';
import type { WhoCanInputs } from './url-state.ts';

export class WhoCanRunner {
  answer = $state<WhoCanResult | null>(null);
  /** The resource the answer is about (the graph's resource node). */
  resource = $state('');
  status = $state<LoadStatus>('idle');
  error = $state<string | null>(null);

  private key = '';
  private inflight: AbortController | null = null;

  /** Whether `inputs` hold a question to ask (both action and resource given). */
  static complete(inputs: WhoCanInputs): boolean {
    return inputs.action.trim() !== '' && inputs.resource.trim() !== '';
  }

  async run(snapshotId: string | null, inputs: WhoCanInputs, force = false): Promise<void> {
    const key = JSON.stringify([snapshotId, inputs]);
    if (!force && key === this.key && this.status !== 'error') return;
    this.key = key;
    this.inflight?.abort();
    if (!WhoCanRunner.complete(inputs)) {
      this.answer = null;
      this.status = 'idle';
      this.error = null;
      return;
    }
    const { entries, errors } = contextEntries(inputs.context);
    if (errors.length) {
      this.answer = null;
      this.status = 'error';
      this.error = errors.join('\n');
      return;
    }
    const controller = new AbortController();
    this.inflight = controller;
    this.status = 'loading';
    this.error = null;
    try {
      const { whoCan } = await request(
        WhoCanQuery,
        {
          snapshotId,
          action: inputs.action.trim(),
          resource: inputs.resource.trim(),
          context: entries,
          includeDenied: inputs.includeDenied,
        },
        { signal: controller.signal },
      );
      if (controller.signal.aborted) return;
      if (isApiError(whoCan)) {
        this.answer = null;
        this.status = 'error';
        this.error = whoCan.message;
        return;
      }
      this.answer = whoCan;
      this.resource = inputs.resource.trim();
      this.status = 'ready';
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') return;
      this.answer = null;
      this.status = 'error';
      this.error = describeFailure(error);
    }
  }
}
