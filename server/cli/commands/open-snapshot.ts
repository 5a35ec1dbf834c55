/** Reading the snapshot a what-if or diff command works on: from bundles (embedded store) or from Neo4j. */
import { InvalidArgumentError } from 'commander';
import { GATES, type Gate } from '../../analysis/what-if/what-if.ts';
import type { SnapshotAnalysis } from '../../analysis/snapshot-analysis.ts';
import type { Output } from '../output.ts';
import { withAnalysis, type DataFlags } from './shared.ts';

/** `new-access,new-admin` (repeatable) → gates; anything else is a usage error. */
export function parseGates(value: string, previous: Gate[] = []): Gate[] {
  const gates = value
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  for (const g of gates)
    if (!(GATES as readonly string[]).includes(g))
      throw new InvalidArgumentError(`unknown gate \`${g}\`: one of ${GATES.join(', ')}`);
  return [...new Set([...previous, ...(gates as Gate[])])];
}

/** One snapshot opened for analysis: the first bundle of --from, else --snapshot or the current snapshot of Neo4j. */
export async function openSnapshot(
  flags: DataFlags,
  out: Output,
  run: (s: { analysis: SnapshotAnalysis; id: string }) => Promise<void>,
): Promise<void> {
  await withAnalysis(flags, out, ({ analysis, snapshotId: id }) => run({ analysis, id }));
}
