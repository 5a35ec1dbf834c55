/** Options and helpers shared by commands that open a store and import bundles. */
import { accessSync, constants } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { hasErrors, type Diagnostic } from '../../../schema/diagnostics.ts';
import { DEFAULT_LIMITS, parseLimitsFlag } from '../../../importers/limits.ts';
import type { BundleOutcome, ImportOptions, importBundles } from '../../app/import-bundles.ts';
import { chooseStore, DATA_DIR_ENV, dataDir, openStore } from '../../app/store-config.ts';
import { SnapshotAnalysis } from '../../analysis/snapshot-analysis.ts';
import { resolvePrincipal } from '../../analysis/principal-ref.ts';
import type { AccountSnapshot } from '../../../schema/snapshot.ts';
import type { GraphStore } from '../../graph/store.ts';
import { CliError, EXIT_BAD_INPUT, type Output } from '../output.ts';

export interface StoreOptions {
  dataDir?: string;
  neo4jUri?: string;
  neo4jUser?: string;
  neo4jPasswordFile?: string;
  neo4jDatabase?: string;
}

/**
 * `--limits name=value,…`: raises the importers' limits on what is read (sizes, depth, AWS quotas); the names
 * and defaults are in importers/README.md.
 */
export function addLimitsOption(cmd: Command): Command {
  return cmd.option(
    '--limits <name=value,...>',
    `raise input limits, e.g. fileBytes=1073741824,jsonDepth=200 (names: ${Object.keys(DEFAULT_LIMITS).join(', ')})`,
    (text: string) => {
      try {
        return parseLimitsFlag(text);
      } catch (e) {
        throw new InvalidArgumentError((e as Error).message);
      }
    },
  );
}

/** Where a query command's snapshot comes from: `--from` bundles, else `--snapshot`, else the current one. */
export function addSourceOptions(cmd: Command): Command {
  return cmd
    .option(
      '--from <bundle...>',
      'bundles to import first (the embedded store keeps them: an unchanged bundle is not read again)',
    )
    .option(
      '--snapshot <id>',
      'a stored snapshot instead of --from (`accessgraph snapshots` lists them; default: the current one)',
    );
}

export function addStoreOptions(cmd: Command): Command {
  return (
    cmd
      .option(
        '--data-dir <dir>',
        `where the embedded store keeps snapshots (env ${DATA_DIR_ENV}; default ${dataDir(undefined, {})})`,
      )
      .option('--neo4j-uri <uri>', 'use this Neo4j instead of the embedded store (env NEO4J_URI)')
      .option('--neo4j-user <user>', 'Neo4j user (env NEO4J_USER, default neo4j)')
      .option(
        '--neo4j-password-file <path>',
        'file holding the Neo4j password (else env NEO4J_PASSWORD)',
        readable,
      )
      // Refused with the fix: argv is visible to every user of the machine (ps, /proc/PID/cmdline).
      .addOption(
        new Option('--neo4j-password <password>').hideHelp().argParser(() => {
          throw new InvalidArgumentError(
            'a password on the command line is visible to every user of this machine; set NEO4J_PASSWORD or use --neo4j-password-file',
          );
        }),
      )
      .option('--neo4j-database <name>', 'Neo4j database (env NEO4J_DATABASE, default: the server default)')
  );
}

function readable(path: string): string {
  try {
    accessSync(path, constants.R_OK);
  } catch (e) {
    throw new InvalidArgumentError(
      `cannot read \`${path}\`: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
    );
  }
  return path;
}

/**
 * A progress bar on stderr, only when a person is watching (a TTY) and not in --json mode; cli-progress is loaded
 * only then.
 */
export async function progressReporter(enabled: boolean): Promise<{
  onProgress: (bundle: string, stage: string, done: number, total: number) => void;
  stop: () => void;
}> {
  if (!enabled) return { onProgress: () => undefined, stop: () => undefined };
  const { SingleBar } = await import('cli-progress');
  const bar = new SingleBar({
    stream: process.stderr,
    format: '{bundle} {stage} [{bar}] {value}/{total}',
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return {
    onProgress(bundle, stage, done, total) {
      if (!started) {
        bar.start(total, done, { bundle, stage });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, { bundle, stage });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/**
 * `importBundles`, loaded on first call (`--help`, `--version` and Neo4j-only queries do not need it); its
 * notices (a stored snapshot built again) go to stderr as `note:` lines.
 */
export async function loadBundles(
  store: GraphStore,
  bundles: string[],
  options: ImportOptions = {},
): ReturnType<typeof importBundles> {
  const { importBundles } = await import('../../app/import-bundles.ts');
  return importBundles(store, bundles, {
    onNotice: (line) => process.stderr.write(`note: ${line}\n`),
    ...options,
  });
}

export function allDiagnostics(outcomes: BundleOutcome[]): Diagnostic[] {
  return outcomes.flatMap((o) => o.diagnostics);
}

/** `example-corp-prod (111122223333)`: the account name from organization data, else the label (`demo (…)`). */
export function describeOutcome(o: BundleOutcome): string {
  return o.snapshot ? `${o.accountName ?? o.snapshot.label} (${o.snapshot.accountId})` : o.bundle;
}

/** The flags of a command that reads one snapshot: `--from <bundle…>`, or the store's current one (or `--snapshot`). */
export interface DataFlags extends StoreOptions {
  from?: string[];
  json?: boolean;
  snapshot?: string;
}

/** Opens the store the flags name, runs `fn`, and always closes it. */
export async function withStore<T>(flags: StoreOptions, fn: (store: GraphStore) => Promise<T>): Promise<T> {
  const store = await openStore(chooseStore(flags));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * Imports `bundles` (with a progress bar when a person watches) and returns their snapshot ids; undefined when any
 * did not import — its diagnostics are printed and the exit code is 2, so the caller just returns.
 */
export async function importOrReport(
  store: GraphStore,
  bundles: string[],
  out: Output,
): Promise<string[] | undefined> {
  const progress = await progressReporter(!out.json && process.stderr.isTTY === true);
  const outcomes = await loadBundles(store, bundles, { onProgress: progress.onProgress }).finally(
    progress.stop,
  );
  const diagnostics = allDiagnostics(outcomes);
  out.diagnostics(diagnostics);
  if (hasErrors(diagnostics)) {
    out.result({ ok: false, diagnostics });
    process.exitCode = EXIT_BAD_INPUT;
    return undefined;
  }
  return outcomes.map((o) => o.snapshot!.id);
}

/**
 * What every query command does first: the bundles of `--from` imported (into the embedded store, which reuses
 * a bundle it holds unchanged, or into Neo4j with `--neo4j-uri`) and the first one's snapshot taken, else
 * `--snapshot` or the store's current snapshot. Undefined when a bundle did not import (already reported, exit
 * code 2).
 */
export async function withSnapshot<T>(
  flags: DataFlags,
  out: Output,
  fn: (data: { store: GraphStore; snapshotId: string }) => Promise<T>,
): Promise<T | undefined> {
  return withStore(flags, async (store) => {
    let snapshotId: string | undefined;
    if (flags.from?.length) {
      const ids = await importOrReport(store, flags.from, out);
      if (!ids) return undefined;
      snapshotId = ids[0];
    } else if (flags.snapshot) {
      if (!(await store.getSnapshot(flags.snapshot)))
        throw new CliError(
          `snapshot \`${flags.snapshot}\` not found`,
          EXIT_BAD_INPUT,
          'list them with `accessgraph snapshots`',
        );
      snapshotId = flags.snapshot;
    } else snapshotId = (await store.currentSnapshot())?.id;
    if (!snapshotId)
      throw new CliError(
        'no data: the store holds no snapshot and no --from <bundle-dir> was given',
        EXIT_BAD_INPUT,
        'give --from <bundle-dir>, or import one first with `accessgraph import <bundle-dir>`',
      );
    return fn({ store, snapshotId });
  });
}

/**
 * `withSnapshot` with the snapshot opened for analysis: the one SnapshotAnalysis of this command (its caches live
 * as long as the command).
 */
export async function withAnalysis<T>(
  flags: DataFlags,
  out: Output,
  fn: (data: { store: GraphStore; snapshotId: string; analysis: SnapshotAnalysis }) => Promise<T>,
): Promise<T | undefined> {
  return withSnapshot(flags, out, async ({ store, snapshotId }) => {
    const analysis = await openAnalysis(store, snapshotId);
    return fn({ store, snapshotId, analysis });
  });
}

/** The analysis of a stored snapshot, or a usage error naming the id and where to find the ids. */
export async function openAnalysis(store: GraphStore, snapshotId: string): Promise<SnapshotAnalysis> {
  const analysis = await SnapshotAnalysis.open(store, snapshotId);
  if (!analysis)
    throw new CliError(
      `snapshot \`${snapshotId}\` not found`,
      EXIT_BAD_INPUT,
      'list them with the GraphQL `snapshots` query',
    );
  return analysis;
}

/** ARN, name or access key id → ARN; bad input otherwise (exit 2, with the candidates when ambiguous). */
export function principalArn(snapshot: AccountSnapshot, given: string): string {
  const r = resolvePrincipal(snapshot, given);
  if (r.kind === 'found') return r.principal.arn;
  if (r.kind === 'ambiguous') throw new CliError(r.message, EXIT_BAD_INPUT, r.candidates.join(', '));
  throw new CliError(r.message, EXIT_BAD_INPUT, r.hint ?? 'give a user or role name, ARN or access key id');
}
