/** Reading the snapshot a what-if or diff command works on: from bundles (embedded store) or from Neo4j. */
import { InvalidArgumentError } from 'commander';
import type { AccountSnapshot } from '../../../importers/snapshot/model.ts';
import { GATES, type Gate } from '../../analysis/what-if/what-if.ts';
import { CliError, EXIT_BAD_INPUT, type Output } from '../output.ts';
import { withSnapshot, type DataFlags } from './shared.ts';

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

/** One snapshot: the first bundle of --from, else --snapshot or the current snapshot of Neo4j. */
export async function openSnapshot(
  flags: DataFlags,
  out: Output,
  run: (s: { snapshot: AccountSnapshot; id: string }) => Promise<void>,
): Promise<void> {
  await withSnapshot(flags, out, async ({ store, snapshotId: id }) => {
    const snapshot = await store.readSnapshot(id);
    if (!snapshot)
      throw new CliError(
        `snapshot \`${id}\` not found`,
        EXIT_BAD_INPUT,
        'list them with the GraphQL `snapshots` query',
      );
    await run({ snapshot, id });
  });
}
