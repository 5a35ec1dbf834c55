/**
 * Import bundles and load each into a store: the one path both `accessgraph import` and `serve` take.
 * Bundles are validated one by one; a bundle with an error-severity diagnostic loads nothing (the store keeps
 * serving what it had), and its diagnostics are returned with the file each came from.
 */
import { basename, resolve } from 'node:path';
import { importBundle } from '../../importers/index.ts';
import { hasErrors, type Diagnostic } from '../engine/diagnostics.ts';
import type { GraphStore, SnapshotInfo } from '../graph/store.ts';

export type ImportStage = string;

export interface BundleOutcome {
  bundle: string;
  diagnostics: Diagnostic[];
  /** Set when the bundle was valid and loaded. */
  snapshot?: SnapshotInfo;
  /** The account's name, when the bundle says it (an Organizations account list). */
  accountName?: string;
}

export interface ImportOptions {
  /** Label for the snapshot; defaults to the bundle directory name (per bundle). */
  label?: string;
  onProgress?: (bundle: string, stage: ImportStage, done: number, total: number) => void;
}

export async function importBundles(
  store: GraphStore,
  bundles: string[],
  options: ImportOptions = {},
): Promise<BundleOutcome[]> {
  const outcomes: BundleOutcome[] = [];
  for (const bundle of bundles) {
    const path = resolve(bundle);
    const result = await importBundle([path], {
      label: options.label ?? basename(path),
      onProgress: (stage, done, total) => options.onProgress?.(bundle, String(stage), done, total),
    });
    if (!result.snapshot || hasErrors(result.diagnostics)) {
      outcomes.push({ bundle, diagnostics: result.diagnostics });
      continue;
    }
    const snapshot = await store.load(result.snapshot, {
      onProgress: (done, total) => options.onProgress?.(bundle, 'load', done, total),
    });
    const accountName = result.snapshot.accounts.find((a) => a.id === result.snapshot?.accountId)?.name;
    outcomes.push({
      bundle,
      diagnostics: result.diagnostics,
      snapshot,
      ...(accountName ? { accountName } : {}),
    });
  }
  return outcomes;
}
