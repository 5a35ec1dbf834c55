/**
 * The request protocol the app's query panels share: the latest question wins (the request in flight is aborted),
 * asking the same question again (a re-render, back then forward) does not refetch unless it failed, and an
 * expected failure from the API (`... on Error`) shows its message like a network failure does.
 */
import { describeFailure } from '../api/client.ts';
import { isApiError } from '../api/documents.ts';
import type { ApiErrorResult } from '../api/results.ts';
import type { LoadStatus } from './explorer.svelte.ts';

export class LatestQuery<T> {
  answer = $state<T | null>(null);
  status = $state<LoadStatus>('idle');
  error = $state<string | null>(null);

  private key = '';
  private inflight: AbortController | null = null;

  /**
   * True when `question` is the one already answered (or being answered) and not `force`d; otherwise it becomes
   * the current question and whatever was in flight is aborted.
   */
  protected repeats(question: unknown, force = false): boolean {
    const key = JSON.stringify(question);
    if (!force && key === this.key && this.status !== 'error') return true;
    this.key = key;
    this.inflight?.abort();
    return false;
  }

  /** No answer: idle when there is no question (`null`), else the input problem as the error. */
  protected settle(error: string | null): void {
    this.answer = null;
    this.status = error === null ? 'idle' : 'error';
    this.error = error;
  }

  /**
   * Called with an answer just before it is shown, for state that must change with it: effects reading the
   * answer may run before the caller's `await load(…)` resumes.
   */
  protected accept(_answer: T): void {}

  /** Runs the request and shows its answer or its failure, unless a newer question superseded it. */
  protected async load(
    fetch: (signal: AbortSignal) => Promise<({ __typename: string } & T) | ApiErrorResult>,
  ): Promise<void> {
    const controller = new AbortController();
    this.inflight = controller;
    this.status = 'loading';
    this.error = null;
    try {
      const result = await fetch(controller.signal);
      if (controller.signal.aborted) return;
      if (isApiError(result)) {
        this.settle(result.message);
        return;
      }
      this.accept(result);
      this.answer = result;
      this.status = 'ready';
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') return;
      this.settle(describeFailure(error));
    }
  }
}
