/**
 * `accessgraph diff <from> <to>`: drift between two snapshots of one account — who gained or lost access since
 * the earlier one. Each side is a bundle (a path that exists: imported, or reused from the embedded store) or the
 * id of a stored snapshot (`accessgraph snapshots` lists them); with --neo4j-uri both are ids.
 */
import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import {
  AccountMismatchError,
  diffAccount,
  gateViolations,
  GATES,
  type Gate,
} from '../../analysis/what-if/what-if.ts';
import { chooseStore } from '../../app/store-config.ts';
import { CliError, EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, createOutput } from '../output.ts';
import { parseGates } from './open-snapshot.ts';
import { renderDiff } from './render-diff.ts';
import { addStoreOptions, importOrReport, openAnalysis, withStore, type StoreOptions } from './shared.ts';

interface DiffFlags extends StoreOptions {
  failOn?: Gate[];
  json?: boolean;
}

export function diffCommand(): Command {
  const cmd = new Command('diff')
    .description('what changed between two snapshots of one account: access granted and revoked since <from>')
    .argument('<from>', 'the earlier bundle, or a stored snapshot id (`accessgraph snapshots`)')
    .argument('<to>', 'the later bundle, or a stored snapshot id')
    .addOption(
      new Option('--fail-on <gates>', `exit 1 when <to> brings any of: ${GATES.join(', ')}`).argParser(
        parseGates,
      ),
    )
    .option('--json', 'print the diff as JSON');
  addStoreOptions(cmd);
  cmd.addHelpText(
    'after',
    '\nExamples: accessgraph diff ./bundle-2026-10 ./bundle-2026-11\n' +
      '          accessgraph diff 111122223333-mfx3k2-1a2b3c4d ./bundle-2026-11\n' +
      'An argument that names an existing file or directory is a bundle; anything else a stored snapshot id.\n' +
      'Exit codes: 0 ok, 1 --fail-on violated (or Neo4j unreachable), 2 bad input (a bundle does not import,\n' +
      'an id the store does not hold, snapshots of two accounts).',
  );
  return cmd.action(async (from: string, to: string, flags: DiffFlags) => {
    const out = createOutput(flags.json === true);
    const neo4j = chooseStore(flags).kind === 'neo4j';
    await withStore(flags, async (store) => {
      const args = [from, to];
      const bundles = neo4j ? [] : args.filter((a) => existsSync(a));
      const imported = bundles.length ? await importOrReport(store, bundles, out) : [];
      if (!imported) return;
      const ids = args.map((a) => (bundles.includes(a) ? imported[bundles.indexOf(a)]! : a));
      for (const [i, id] of ids.entries())
        if (!bundles.includes(args[i]!) && !(await store.getSnapshot(id)))
          throw new CliError(
            neo4j
              ? `snapshot \`${id}\` not found`
              : `\`${id}\` is neither a bundle (no such file or directory) nor a stored snapshot id`,
            EXIT_BAD_INPUT,
            'list the stored snapshots with `accessgraph snapshots`',
          );
      const [before, after] = await Promise.all(ids.map((id) => openAnalysis(store, id)));
      const [a, b] = [before!.snapshot, after!.snapshot];
      let diff;
      try {
        diff = await diffAccount(before!, after!);
      } catch (e) {
        if (e instanceof AccountMismatchError) throw new CliError(e.message, EXIT_BAD_INPUT);
        throw e;
      }
      const violations = gateViolations(diff, flags.failOn ?? []);
      out.result({ ok: violations.length === 0, from: ids[0], to: ids[1], violations, diff });
      if (!out.json) {
        out.info(`diff of ${b!.label} (${b!.accountId}) since ${a!.label}\n`);
        out.info(renderDiff(diff));
        if (violations.length) out.info(`\ngate FAILED:\n${violations.map((v) => `  ${v}`).join('\n')}`);
      }
      process.exitCode = violations.length ? EXIT_FAILURE : EXIT_OK;
    });
  });
}
