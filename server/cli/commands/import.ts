/**
 * `accessgraph import <bundle…>`: validate bundles and load them into a store. Into Neo4j the snapshots
 * persist; into the embedded store (the default) they live only as long as this process, so without
 * --neo4j-uri the command is a validation run that reports what would be loaded.
 */
import { Command } from 'commander';
import { hasErrors } from '../../engine/diagnostics.ts';
import { chooseStore, openStore } from '../../app/store-config.ts';
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
    .description(
      'validate AWS bundles and load them into the store (Neo4j with --neo4j-uri, else validate only)',
    )
    .argument('<bundle...>', 'bundle directories (or .zip/.tar.gz) holding authorization-details JSON etc.')
    .option('--label <label>', 'snapshot label (default: the bundle directory name)')
    .option('--json', 'print one JSON document instead of text');
  addLimitsOption(cmd);
  addStoreOptions(cmd);
  cmd.addHelpText(
    'after',
    '\nExit codes: 0 imported, 2 bad input (diagnostics name file, JSON path and line), 1 other failure.\n' +
      'Example: NEO4J_PASSWORD=… accessgraph import ./bundle --neo4j-uri bolt://127.0.0.1:7687',
  );
  return cmd.action(async (bundles: string[], flags: ImportFlags) => {
    const out = createOutput(flags.json === true);
    const choice = chooseStore(flags);
    const store = await openStore(choice);
    const progress = progressReporter(!out.json && process.stderr.isTTY === true);
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
            `${c.policies} managed policies, ${c.resources} resources, ${warnings} warning${warnings === 1 ? '' : 's'}`,
        );
      }
      if (choice.kind === 'memory') {
        out.info(
          ok
            ? 'validated: the embedded store keeps nothing after this command; use --neo4j-uri (or NEO4J_URI) to persist, or `accessgraph serve <bundle…>` to explore'
            : 'nothing imported',
        );
      } else {
        out.info(
          ok
            ? `imported into Neo4j at ${choice.uri}`
            : 'nothing new was loaded into Neo4j for the bundles with errors',
        );
      }
      out.result({
        ok,
        store: choice.kind,
        persisted: choice.kind === 'neo4j',
        bundles: outcomes.map((o) => ({
          bundle: o.bundle,
          valid: o.valid,
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
