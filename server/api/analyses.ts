/**
 * The snapshots the API has open for analysis: one SnapshotAnalysis per snapshot id (its caches — candidate
 * index, compiled policies, escalation graph — shared by every request), the `size` most recently used kept,
 * the least recently used closed. One per API instance (yoga.ts); snapshots never change once loaded.
 */
import type { SnapshotReader } from '../graph/store.ts';
import { SnapshotAnalysis } from '../analysis/snapshot-analysis.ts';
import { DEFAULT_OPEN_ANALYSES } from './limit-defaults.ts';

export class OpenAnalyses {
  readonly #open = new Map<string, Promise<SnapshotAnalysis | undefined>>();

  constructor(
    private readonly store: SnapshotReader,
    readonly size = DEFAULT_OPEN_ANALYSES,
  ) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`open analyses: ${size} is not a positive integer`);
  }

  /** The analysis of `snapshotId`, opened on first use; undefined when the store has no such snapshot. */
  get(snapshotId: string): Promise<SnapshotAnalysis | undefined> {
    let entry = this.#open.get(snapshotId);
    if (entry) this.#open.delete(snapshotId);
    else {
      entry = SnapshotAnalysis.open(this.store, snapshotId);
      const forget = () => {
        if (this.#open.get(snapshotId) === entry) this.#open.delete(snapshotId);
      };
      entry.then((a) => a ?? forget(), forget);
    }
    this.#open.set(snapshotId, entry);
    if (this.#open.size > this.size) this.#open.delete(this.#open.keys().next().value as string);
    return entry;
  }

  /** Whether the analysis of `snapshotId` is open (or opening), without opening it or marking it used. */
  has(snapshotId: string): boolean {
    return this.#open.has(snapshotId);
  }

  /** Snapshot ids open now, least recently used first. */
  ids(): string[] {
    return [...this.#open.keys()];
  }
}
