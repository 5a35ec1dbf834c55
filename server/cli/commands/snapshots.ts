/**
 * `accessgraph snapshots`: what the store holds (id, account, label, when loaded, counts; the current one per
 * account marked), and `accessgraph snapshots rm <id…>` to remove some. The embedded store in the data
 * directory by default, Neo4j with --neo4j-uri.
 */
import { Command } from 'commander';
import type { SnapshotInfo } from '../../graph/store.ts';
import { SnapshotNotFoundError } from '../../graph/store.ts';
import { CliError, EXIT_BAD_INPUT, EXIT_OK, createOutput } from '../output.ts';
import { addStoreOptions, withStore, type StoreOptions } from './shared.ts';

interface ListFlags extends StoreOptions {
  json?: boolean;
}

/** Aligned columns: id, account, label, loaded at, counts; `*` marks the current snapshot of its account. */
export function renderSnapshots(snapshots: readonly SnapshotInfo[]): string {
  const rows = snapshots.map((s) => [
    `${s.current ? '*' : ' '} ${s.id}`,
    s.accountId,
    s.label,
    s.loadedAt,
    `${s.counts.users} users, ${s.counts.groups} groups, ${s.counts.roles} roles, ` +
      `${s.counts.policies} policies, ${s.counts.resources} resources`,
  ]);
  const header = ['  ID', 'ACCOUNT', 'LABEL', 'LOADED AT', 'COUNTS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows]
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '))
    .join('\n');
}

function listCommand(): Command {
  const cmd = new Command('list')
    .description('list the stored snapshots, newest first (* = the current one of its account)')
    .option('--json', 'print a JSON array of snapshots');
  addStoreOptions(cmd);
  return cmd.action(async (flags: ListFlags) => {
    const out = createOutput(flags.json === true);
    await withStore(flags, async (store) => {
      const snapshots = await store.listSnapshots();
      if (out.json) process.stdout.write(JSON.stringify(snapshots, null, 2) + '\n');
      else
        out.info(
          snapshots.length
            ? renderSnapshots(snapshots)
            : 'no snapshots stored: `accessgraph import <bundle-dir>` keeps one',
        );
      process.exitCode = EXIT_OK;
    });
  });
}

function rmCommand(): Command {
  const cmd = new Command('rm')
    .description('remove stored snapshots (with their escalation rows)')
    .argument('<id...>', 'snapshot ids, as `accessgraph snapshots` lists them')
    .option('--json', 'print one JSON document');
  addStoreOptions(cmd);
  return cmd.action(async (ids: string[], flags: ListFlags) => {
    const out = createOutput(flags.json === true);
    await withStore(flags, async (store) => {
      // All or nothing: an unknown id removes none.
      for (const id of ids)
        if (!(await store.getSnapshot(id)))
          throw new CliError(
            new SnapshotNotFoundError(id).message,
            EXIT_BAD_INPUT,
            'list the stored ones with `accessgraph snapshots`',
          );
      for (const id of ids) {
        await store.deleteSnapshot(id);
        out.info(`removed ${id}`);
      }
      out.result({ ok: true, removed: ids });
      process.exitCode = EXIT_OK;
    });
  });
}

export function snapshotsCommand(): Command {
  const cmd = new Command('snapshots').description(
    'list the snapshots the store holds (`snapshots rm <id>` removes one)',
  );
  cmd.addCommand(listCommand(), { isDefault: true });
  cmd.addCommand(rmCommand());
  cmd.addHelpText(
    'after',
    '\nExamples: accessgraph snapshots\n          accessgraph snapshots --json\n' +
      '          accessgraph snapshots rm 111122223333-mfx3k2-1a2b3c4d',
  );
  return cmd;
}
