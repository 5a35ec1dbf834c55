/**
 * Fetching right-sizing answers for the app (LatestQuery: the latest principal wins, the same one twice is not
 * refetched), a page of principals at a time: `more` appends the next page to the answer shown.
 */
import { describeFailure, request } from '../api/client.ts';
import { isApiError, RightsizeQuery } from '../api/documents.ts';
import type { RightsizeResult } from '../api/results.ts';
import { appendPage } from '../rightsize/usage.ts';
import { LatestQuery } from './latest-query.svelte.ts';

/** Principals per page, the API's default. */
export const RIGHTSIZE_PAGE = 50;

export class RightsizeRunner extends LatestQuery<RightsizeResult> {
  /** The next page's request: `loading`, or `error` with `moreError`; `idle` otherwise. */
  moreStatus = $state<'idle' | 'loading' | 'error'>('idle');
  moreError = $state<string | null>(null);

  /** The question answered, for its next pages; a new object for each question asked. */
  private question: { snapshotId: string | null; principals: string[] | null } | null = null;
  private moreInflight: AbortController | null = null;

  /** `principal`: a user or role name or ARN; empty asks for every principal and group of the snapshot. */
  async run(snapshotId: string | null, principal: string, force = false): Promise<void> {
    if (this.repeats([snapshotId, principal], force)) return;
    const question = { snapshotId, principals: principal.trim() ? [principal.trim()] : null };
    this.question = question;
    this.moreInflight?.abort();
    this.moreStatus = 'idle';
    this.moreError = null;
    await this.load(
      async (signal) =>
        (
          await request(
            RightsizeQuery,
            { ...question, unusedDays: null, first: RIGHTSIZE_PAGE, after: null },
            { signal },
          )
        ).rightsize,
    );
  }

  /** Fetches the page after the answer shown and appends it; dropped if another question is asked meanwhile. */
  async more(): Promise<void> {
    const question = this.question;
    const after = this.answer?.pageInfo.endCursor;
    if (!question || !after || this.status !== 'ready' || this.moreStatus === 'loading') return;
    const controller = new AbortController();
    this.moreInflight = controller;
    this.moreStatus = 'loading';
    this.moreError = null;
    try {
      const { rightsize } = await request(
        RightsizeQuery,
        { ...question, unusedDays: null, first: RIGHTSIZE_PAGE, after },
        { signal: controller.signal },
      );
      if (controller.signal.aborted || this.question !== question || !this.answer) return;
      if (isApiError(rightsize)) {
        this.moreStatus = 'error';
        this.moreError = rightsize.message;
        return;
      }
      this.answer = appendPage(this.answer, rightsize);
      this.moreStatus = 'idle';
    } catch (error) {
      if ((error as Error)?.name === 'AbortError' || this.question !== question) return;
      this.moreStatus = 'error';
      this.moreError = describeFailure(error);
    }
  }
}
