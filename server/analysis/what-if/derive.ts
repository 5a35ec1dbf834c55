/** A what-if as an analysis: the changes applied to a copy of the snapshot, derived from the base analysis. */
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import { SnapshotAnalysis } from '../snapshot-analysis.ts';
import type { Change } from './changes.ts';
import { applyChanges } from './overlay.ts';

/**
 * `changes` applied to a copy of `analysis`'s snapshot (overlay.ts), as the analysis of the result (whose
 * `derivation` names `analysis` and the overlay), or the diagnostics when a change failed. Its candidate index is
 * derived from the base's, compiling only the overlay's affected principals (who-can.ts `candidateIndex`).
 */
export function deriveAnalysis(
  analysis: SnapshotAnalysis,
  changes: readonly Change[],
): { after?: SnapshotAnalysis; diagnostics: Diagnostic[] } {
  const { overlay, diagnostics } = applyChanges(analysis.snapshot, changes);
  if (!overlay) return { diagnostics };
  return { after: SnapshotAnalysis.derived(overlay.after, { from: analysis, overlay }), diagnostics };
}
