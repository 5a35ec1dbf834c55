/**
 * Fetching what-if previews for the app, like WhoCanRunner: of the form's changes, of a Terraform plan or
 * CloudFormation change set (the server turns it into changes: `planChanges`), or with `compare` the diff between
 * two snapshots (the same answer shape). The latest question wins; the same changes twice do not refetch. Invalid
 * changes come back as a list of messages (each with its change index or plan resource), not as one error.
 */
import { describeFailure, request } from '../api/client.ts';
import { isApiError, PlanChangesQuery, SnapshotDiffQuery, WhatIfQuery } from '../api/documents.ts';
import type { PlanChanges, PlanDiagnostic, WhatIfResult } from '../api/results.ts';
import {
  fromApiChange,
  toChangeInputs,
  type ChangeDiagnostic,
  type ChangeInput,
  type ChangeRow,
} from '../what-if/changes.ts';
import { decodePlanBytes } from '../what-if/plan-file.ts';
import type { LoadStatus } from './explorer.svelte.ts';

/** A plan file read by the server: its name and what `planChanges` answered. */
export interface LoadedPlan {
  file: string;
  answer: PlanChanges;
  /** Its changes as `whatIf` takes them. */
  changes: ChangeInput[];
}

/** `message (resource_changes[0].change)`, or `(line 3)` when the file is not JSON, then the hint. */
export function describePlanDiagnostic(d: PlanDiagnostic): string {
  const where = d.jsonPath ? ` (${d.jsonPath})` : d.line ? ` (line ${d.line})` : '';
  return `${d.message}${where}${d.hint ? ` — ${d.hint}` : ''}`;
}

/** A dropped plan file (a `File`, or its bytes in tests). */
export interface PlanFile {
  name: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export class WhatIfRunner {
  answer = $state<WhatIfResult | null>(null);
  status = $state<LoadStatus>('idle');
  errors = $state<string[]>([]);
  /** The server's InvalidChanges diagnostics, with JSON paths, for the form to show beside each change. */
  diagnostics = $state<ChangeDiagnostic[]>([]);
  /** The plan whose changes are previewed, if the last question was a plan. */
  plan = $state<LoadedPlan | null>(null);

  private key = '';
  /** The plan file of the last question, if it was one (for `retry`). */
  private lastPlan: PlanFile | null = null;
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
    this.lastPlan = null;
    this.inflight?.abort();
    this.diagnostics = [];
    this.plan = null;
    if (compare && snapshotId) return this.runDiff(compare, snapshotId);
    const { changes, errors } = toChangeInputs(rows);
    if (errors.length || changes.length === 0) {
      this.answer = null;
      this.status = errors.length ? 'error' : 'idle';
      this.errors = errors;
      return;
    }
    await this.preview(snapshotId, changes, this.start());
  }

  /**
   * Preview a plan file's changes: the server reads the plan (`planChanges`, which also checks it is for the
   * snapshot's account), then previews its changes as `whatIf`. A later `run` of the form's changes replaces it.
   */
  async runPlan(snapshotId: string | null, file: PlanFile) {
    this.inflight?.abort();
    this.lastPlan = file;
    const controller = this.start();
    this.key = `plan:${file.name}`;
    this.diagnostics = [];
    this.plan = null;
    this.answer = null;
    try {
      const text = decodePlanBytes(new Uint8Array(await file.arrayBuffer()));
      const { planChanges } = await request(
        PlanChangesQuery,
        { snapshotId, text, file: file.name },
        { signal: controller.signal },
      );
      if (controller.signal.aborted) return;
      if (planChanges.__typename !== 'PlanChanges') {
        this.status = 'error';
        this.errors =
          planChanges.__typename === 'InvalidPlan'
            ? planChanges.diagnostics.map(describePlanDiagnostic)
            : [planChanges.message];
        return;
      }
      const changes = planChanges.changes.map((c) => fromApiChange(c.change));
      this.plan = { file: file.name, answer: planChanges, changes };
      if (!changes.length) {
        this.status = 'idle';
        return;
      }
      const addresses = planChanges.changes.map((c) => c.address);
      await this.preview(snapshotId, changes, controller, addresses);
    } catch (error) {
      this.fail(error);
    }
  }

  /** Asks the last question again: the last plan file, else the form's changes or the comparison. */
  retry(snapshotId: string | null, rows: readonly ChangeRow[], compare: string | null): Promise<void> {
    return this.lastPlan
      ? this.runPlan(snapshotId, this.lastPlan)
      : this.run(snapshotId, rows, compare, true);
  }

  private start(): AbortController {
    const controller = new AbortController();
    this.inflight = controller;
    this.status = 'loading';
    this.errors = [];
    return controller;
  }

  /**
   * `whatIf` for `changes`. Its diagnostics name `changes[i]`: for a plan's changes (`addresses`) they are told as
   * the plan resource that made change i; for the form's, kept for the form to show beside each change.
   */
  private async preview(
    snapshotId: string | null,
    changes: ChangeInput[],
    controller: AbortController,
    addresses?: readonly string[],
  ): Promise<void> {
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
      if (whatIf.__typename !== 'InvalidChanges') {
        this.errors = [isApiError(whatIf) ? whatIf.message : 'unexpected answer'];
        return;
      }
      if (!addresses) this.diagnostics = whatIf.diagnostics;
      this.errors = whatIf.diagnostics.map((d) => {
        const address = addresses?.[Number(/^changes\[(\d+)\]/.exec(d.jsonPath ?? '')?.[1] ?? NaN)];
        return address ? `\`${address}\`: ${d.message}` : d.message;
      });
    } catch (error) {
      this.fail(error);
    }
  }

  private async runDiff(fromSnapshotId: string, toSnapshotId: string): Promise<void> {
    const controller = this.start();
    try {
      const { diff } = await request(
        SnapshotDiffQuery,
        { fromSnapshotId, toSnapshotId },
        { signal: controller.signal },
      );
      if (controller.signal.aborted) return;
      if (diff.__typename === 'SnapshotDiff') {
        this.answer = { affected: [], warnings: [], keysDeactivated: [], diff: diff.diff };
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
