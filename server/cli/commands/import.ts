/**
 * `accessgraph import <bundle…>`: validate bundles and load them into a store, the embedded one in the data
 * directory (the default) or Neo4j. The embedded store keeps each snapshot with its escalation rows under the
 * bundle's content key: importing an unchanged bundle again reuses it (`reused`), and later queries take it with
 * `--from <bundle>` or `--snapshot <id>` without parsing anything.
 */
import { Command } from 'commander';
import { hasErrors } from '../../../schema/diagnostics.ts';
import { chooseStore, describeStore, openStore } from '../../app/store-config.ts';
import { EXIT_BAD_INPUT, EXIT_OK, createOutput } from '../output.ts';
import type { Limits } from '../../../importers/limits.ts';
import {
  addLimitsOption,
  addStoreOptions,
  allDiagnostics,
  describeOutcome,
  loadBundles,
  progressReporter,
  type StoreOptions,
} from './shared.ts';

interface ImportFlags extends StoreOptions {
  label?: string;
  json?: boolean;
  limits?: Limits;
}

export function importCommand(): Command {
  const cmd = new Command('import')
    .description('validate AWS bundles and keep them in the store (the embedded one in --data-dir, or Neo4j)')
    .argument('<bundle...>', 'bundle directories (or .zip/.tar.gz) holding authorization-details JSON etc.')
    .option('--label <label>', 'snapshot label (default: the bundle directory name)')
    .option('--json', 'print one JSON document instead of text');
  addLimitsOption(cmd);
  addStoreOptions(cmd);
  cmd.addHelpText(
    'after',
    '\nExit codes: 0 imported, 2 bad input (diagnostics name file, JSON path and line), 1 other failure.\n' +
      'Examples: accessgraph import ./bundle          # then: accessgraph who-can … --from ./bundle, or --snapshot <id>\n' +
      '          NEO4J_PASSWORD=… accessgraph import ./bundle --neo4j-uri bolt://127.0.0.1:7687',
  );
  return cmd.action(async (bundles: string[], flags: ImportFlags) => {
    const out = createOutput(flags.json === true);
    const choice = chooseStore(flags);
    const store = await openStore(choice);
    const progress = await progressReporter(!out.json && process.stderr.isTTY === true);
    try {
      const outcomes = await loadBundles(store, bundles, {
        ...(flags.label ? { label: flags.label } : {}),
        ...(flags.limits ? { limits: flags.limits } : {}),
        onProgress: progress.onProgress,
      });
      progress.stop();
      const diagnostics = allDiagnostics(outcomes);
      const ok = !hasErrors(diagnostics);
      out.diagnostics(diagnostics);
      for (const o of outcomes) {
        if (!o.snapshot) {
          out.info(
            o.valid
              ? `${o.bundle}: valid, not imported because another bundle has errors`
              : `${o.bundle}: not imported (see the errors above)`,
          );
          continue;
        }
        const c = o.snapshot.counts;
        const warnings = o.diagnostics.filter((d) => d.severity === 'warning').length;
        out.info(
          `${o.bundle}: ${describeOutcome(o)} — ${c.users} users, ${c.groups} groups, ${c.roles} roles, ` +
            `${c.policies} managed policies, ${c.resources} resources, ${warnings} warning${warnings === 1 ? '' : 's'}` +
            (o.reused
              ? `; unchanged since ${o.snapshot.loadedAt}: snapshot ${o.snapshot.id} reused`
              : `; snapshot ${o.snapshot.id}`),
        );
      }
      out.info(
        ok
          ? `imported into the ${describeStore(store, choice)}`
          : `nothing new was loaded into the ${describeStore(store, choice)}`,
      );
      out.result({
        ok,
        store: choice.kind,
        persisted: true,
        bundles: outcomes.map((o) => ({
          bundle: o.bundle,
          valid: o.valid,
          ...(o.reused ? { reused: true } : {}),
          ...(o.snapshot
            ? {
                snapshot: {
                  id: o.snapshot.id,
                  accountId: o.snapshot.accountId,
                  ...(o.accountName ? { accountName: o.accountName } : {}),
                  label: o.snapshot.label,
                  counts: o.snapshot.counts,
                },
              }
            : {}),
          diagnostics: o.diagnostics,
        })),
      });
      process.exitCode = ok ? EXIT_OK : EXIT_BAD_INPUT;
    } finally {
      progress.stop();
      await store.close();
    }
  });
}
