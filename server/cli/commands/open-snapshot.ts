/** Reading the snapshot a what-if or diff command works on: from bundles (embedded store) or from Neo4j. */
import { InvalidArgumentError } from 'commander';
import type { AccountSnapshot } from '../../../importers/snapshot/model.ts';
import { GATES, type Gate } from '../../analysis/what-if/what-if.ts';
import { importBundles } from '../../app/import-bundles.ts';
import { chooseStore, openStore } from '../../app/store-config.ts';
import { hasErrors } from '../../engine/diagnostics.ts';
import type { GraphStore } from '../../graph/store.ts';
import { CliError, EXIT_BAD_INPUT, type Output } from '../output.ts';
import { allDiagnostics, type StoreOptions } from './shared.ts';

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

export async function withStore<T>(
  flags: StoreOptions & { from?: string[] },
  run: (store: GraphStore) => Promise<T>,
): Promise<T> {
  const store = await openStore(chooseStore(flags));
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

/** Load `bundles` into the store; undefined (diagnostics printed, exit code 2 set) when any does not import. */
export async function importOrReport(
  store: GraphStore,
  bundles: string[],
  out: Output,
): Promise<string[] | undefined> {
  const outcomes = await importBundles(store, bundles);
  const diagnostics = allDiagnostics(outcomes);
  out.diagnostics(diagnostics);
  if (hasErrors(diagnostics)) {
    out.result({ ok: false, diagnostics });
    process.exitCode = EXIT_BAD_INPUT;
    return undefined;
  }
  return outcomes.map((o) => o.snapshot!.id);
}

/** One snapshot: the first bundle of --from, else --snapshot or the current snapshot of Neo4j. */
export async function openSnapshot(
  flags: StoreOptions & { from?: string[]; snapshot?: string },
  out: Output,
  run: (s: { snapshot: AccountSnapshot; id: string }) => Promise<void>,
): Promise<void> {
  if (chooseStore(flags).kind === 'memory' && !flags.from?.length)
    throw new CliError('no data: give --from <bundle-dir> or --neo4j-uri', EXIT_BAD_INPUT);
  await withStore(flags, async (store) => {
    let id: string | undefined;
    if (flags.from?.length) {
      const ids = await importOrReport(store, flags.from, out);
      if (!ids) return;
      id = ids[0];
    } else id = flags.snapshot ?? (await store.currentSnapshot())?.id;
    if (!id) throw new CliError('no snapshot in the store: import one first', EXIT_BAD_INPUT);
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
