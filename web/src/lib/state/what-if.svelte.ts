/**
 * Fetching what-if previews (or, with `compare`, the diff between two snapshots: the same answer shape) for the app, like WhoCanRunner: the latest changes win, the same changes twice do not
 * refetch. Invalid changes come back as a list of messages (each with its change index), not as one error.
 */
import { describeFailure, request } from '../api/client.ts';
import { isApiError, SnapshotDiffQuery, WhatIfQuery } from '../api/documents.ts';
import type { WhatIfResult } from '../api/types.ts';
import { toChangeInputs, type ChangeDiagnostic, type ChangeRow } from '../what-if/changes.ts';
import type { LoadStatus } from './explorer.svelte.ts';

export class WhatIfRunner {
  answer = $state<WhatIfResult | null>(null);
  status = $state<LoadStatus>('idle');
  errors = $state<string[]>([]);
  /** The server's InvalidChanges diagnostics, with JSON paths, for the form to show beside each change. */
  diagnostics = $state<ChangeDiagnostic[]>([]);

  private key = '';
  private inflight: AbortController | null = null;

  async run(
    snapshotId: string | null,
    rows: readonly ChangeRow[],
    compare: string | null = null,
    force = false,
  ): Promise<void> {
    const key = JSON.stringify([snapshotId, rows, compare]);
    if (!force && key === this.key && this.status !== 'error') return;
    this.key = key;
    this.inflight?.abort();
    this.diagnostics = [];
    if (compare && snapshotId) return this.runDiff(compare, snapshotId);
    const { changes, errors } = toChangeInputs(rows);
    if (errors.length || changes.length === 0) {
      this.answer = null;
      this.status = errors.length ? 'error' : 'idle';
      this.errors = errors;
      return;
    }
    const controller = new AbortController();
    this.inflight = controller;
    this.status = 'loading';
    this.errors = [];
    try {
      const { whatIf } = await request(WhatIfQuery, { snapshotId, changes }, { signal: controller.signal });
      if (controller.signal.aborted) return;
      if (whatIf.__typename === 'WhatIfResult') {
        this.answer = whatIf;
        this.status = 'ready';
        return;
      }
      this.answer = null;
      this.status = 'error';
      if (whatIf.__typename === 'InvalidChanges') this.diagnostics = whatIf.diagnostics;
      this.errors =
        whatIf.__typename === 'InvalidChanges'
          ? whatIf.diagnostics.map((d) => d.message)
          : [isApiError(whatIf) ? whatIf.message : 'unexpected answer'];
    } catch (error) {
      this.fail(error);
    }
  }

  private async runDiff(fromSnapshotId: string, toSnapshotId: string): Promise<void> {
    const controller = new AbortController();
    this.inflight = controller;
    this.status = 'loading';
    this.errors = [];
    try {
      const { diff } = await request(
        SnapshotDiffQuery,
        { fromSnapshotId, toSnapshotId },
        { signal: controller.signal },
      );
      if (controller.signal.aborted) return;
      if (diff.__typename === 'SnapshotDiff') {
        this.answer = { affected: [], warnings: [], diff: diff.diff };
        this.status = 'ready';
        return;
      }
      this.answer = null;
      this.status = 'error';
      this.errors = [diff.message];
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    if ((error as Error)?.name === 'AbortError') return;
    this.answer = null;
    this.status = 'error';
    this.errors = [describeFailure(error)];
  }
}
