/** Options and helpers shared by commands that open a store and import bundles. */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { Diagnostic } from '../../engine/diagnostics.ts';
import type { BundleOutcome } from '../../app/import-bundles.ts';

export interface StoreOptions {
  neo4jUri?: string;
  neo4jUser?: string;
  neo4jPassword?: string;
  neo4jDatabase?: string;
}

export function addStoreOptions(cmd: Command): Command {
  return cmd
    .option('--neo4j-uri <uri>', 'use this Neo4j instead of the embedded store (env NEO4J_URI)')
    .option('--neo4j-user <user>', 'Neo4j user (env NEO4J_USER, default neo4j)')
    .option('--neo4j-password <password>', 'Neo4j password (env NEO4J_PASSWORD)')
    .option('--neo4j-database <name>', 'Neo4j database (env NEO4J_DATABASE, default: the server default)');
}

/** A progress bar on stderr, only when a person is watching (a TTY) and not in --json mode. */
export function progressReporter(enabled: boolean): {
  onProgress: (bundle: string, stage: string, done: number, total: number) => void;
  stop: () => void;
} {
  if (!enabled) return { onProgress: () => undefined, stop: () => undefined };
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

export function allDiagnostics(outcomes: BundleOutcome[]): Diagnostic[] {
  return outcomes.flatMap((o) => o.diagnostics);
}

/** `Example Corp (111122223333)` when the bundle names the account, else `demo (111122223333)`. */
export function describeOutcome(o: BundleOutcome): string {
  return o.snapshot ? `${o.accountName ?? o.snapshot.label} (${o.snapshot.accountId})` : o.bundle;
}
