/**
 * Import bundles and load each into a store: the one path both `accessgraph import` and `serve` take.
 * All bundles are validated first; if any has an error-severity diagnostic nothing is loaded (the store keeps
 * serving what it had), and the diagnostics are returned per bundle with the file each came from.
 *
 * The escalation graph (CAN_ASSUME / CAN_ESCALATE / IS_ADMIN, and the classes of principals that techniques reach
 * as a whole) is computed here, for every bundle before any is loaded, and handed to the store as rows with its
 * snapshot: the stores know nothing of how edges are derived, and a build that fails leaves the store as it was.
 */
import { resolve } from 'node:path';
import { importBundle, type Limits } from '../../importers/index.ts';
import { buildEscalationGraph } from '../analysis/escalation/index.ts';
import { toStoredRows, type StoredRows } from '../analysis/escalation/stored.ts';
import { hasErrors, type Diagnostic } from '../engine/diagnostics.ts';
import type { GraphStore, SnapshotInfo } from '../graph/store.ts';

export type ImportStage = string;

export interface BundleOutcome {
  bundle: string;
  diagnostics: Diagnostic[];
  /** No error-severity diagnostic. A valid bundle is still not loaded when another bundle has errors. */
  valid: boolean;
  /** Set when the bundle was loaded. */
  snapshot?: SnapshotInfo;
  /** The account's name, when the bundle says it (an Organizations account list). */
  accountName?: string;
}

export interface ImportOptions {
  /** Label for the snapshot; defaults to the importer's (the bundle directory name). */
  label?: string;
  onProgress?: (bundle: string, stage: ImportStage, done: number, total: number) => void;
  /** Limits on what the importers read (importers/limits.ts); unset ones keep their defaults. */
  limits?: Partial<Limits>;
}

export async function importBundles(
  store: GraphStore,
  bundles: string[],
  options: ImportOptions = {},
): Promise<BundleOutcome[]> {
  // Validate every bundle before loading any: bad input anywhere changes nothing in the store.
  const results = [];
  for (const bundle of bundles) {
    const result = await importBundle([resolve(bundle)], {
      ...(options.label ? { label: options.label } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      onProgress: (stage, done, total) => options.onProgress?.(bundle, String(stage), done, total),
    });
    results.push({ bundle, result, valid: result.snapshot !== undefined && !hasErrors(result.diagnostics) });
  }
  const allValid = results.every((r) => r.valid);
  const derived: StoredRows[] = [];
  if (allValid)
    for (const { bundle, result } of results) {
      const graph = await buildEscalationGraph(result.snapshot!, {
        onProgress: (done, total) => options.onProgress?.(bundle, 'escalation', done, total),
      });
      derived.push(toStoredRows(graph));
    }
  const outcomes: BundleOutcome[] = [];
  for (const [i, { bundle, result, valid }] of results.entries()) {
    if (!allValid || !result.snapshot) {
      outcomes.push({ bundle, valid, diagnostics: result.diagnostics });
      continue;
    }
    const snapshot = await store.load(result.snapshot, {
      ...derived[i]!,
      onProgress: (done, total) => options.onProgress?.(bundle, 'load', done, total),
    });
    const accountName = result.snapshot.accounts.find((a) => a.id === result.snapshot?.accountId)?.name;
    outcomes.push({
      bundle,
      valid,
      diagnostics: result.diagnostics,
      snapshot,
      ...(accountName ? { accountName } : {}),
    });
  }
  return outcomes;
}
