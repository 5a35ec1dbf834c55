/**
 * What `accessgraph paths` and `accessgraph blast-radius` share: opening the data (bundles into the embedded
 * store, or Neo4j's current snapshot) with its escalation graph, and rendering paths as one line each —
 * `user bob -[sts:AssumeRole]-> role Deploy -[iam:PassRole+lambda:CreateFunction]-> ADMIN`.
 */
import type { AccountSnapshot } from '../../../importers/snapshot/model.ts';
import { ADMIN } from '../../analysis/escalation/graph.ts';
import type { EscalationPath } from '../../analysis/escalation/paths.ts';
import { escalationInStore, type StoredEscalation } from '../../analysis/escalation/stored.ts';
import { hasErrors } from '../../engine/diagnostics.ts';
import { importBundles } from '../../app/import-bundles.ts';
import { chooseStore, openStore } from '../../app/store-config.ts';
import type { GraphStore } from '../../graph/store.ts';
import { CliError, EXIT_BAD_INPUT, type Output } from '../output.ts';
import { allDiagnostics, progressReporter, type StoreOptions } from './shared.ts';

export interface DataFlags extends StoreOptions {
  from?: string[];
  json?: boolean;
}

/**
 * Runs `fn` over the snapshot the flags name and its escalation graph; undefined when the bundles had errors
 * (already reported, exit code set).
 */
export async function withEscalation<T>(
  flags: DataFlags,
  out: Output,
  fn: (stored: StoredEscalation & { snapshotId: string; store: GraphStore }) => Promise<T>,
): Promise<T | undefined> {
  const choice = chooseStore(flags);
  if (choice.kind === 'memory' && !flags.from?.length)
    throw new CliError('no data: give --from <bundle-dir> or --neo4j-uri', EXIT_BAD_INPUT);
  const store = await openStore(choice);
  try {
    let snapshotId: string | undefined;
    if (flags.from?.length) {
      const progress = progressReporter(!out.json && process.stderr.isTTY === true);
      const outcomes = await importBundles(store, flags.from, { onProgress: progress.onProgress }).finally(
        progress.stop,
      );
      const diagnostics = allDiagnostics(outcomes);
      out.diagnostics(diagnostics);
      if (hasErrors(diagnostics)) {
        out.result({ ok: false, diagnostics });
        process.exitCode = EXIT_BAD_INPUT;
        return undefined;
      }
      snapshotId = outcomes[0]?.snapshot?.id;
    } else {
      snapshotId = (await store.currentSnapshot())?.id;
    }
    if (!snapshotId) throw new CliError('no snapshot in the store: import one first', EXIT_BAD_INPUT);
    const stored = await escalationInStore(store, snapshotId);
    if (!stored) throw new CliError(`snapshot \`${snapshotId}\` not found`);
    return await fn({ ...stored, snapshotId, store });
  } finally {
    await store.close();
  }
}

/** `user bob`, `role Deploy`, `ADMIN`. */
export function nodeLabel(snapshot: AccountSnapshot, arn: string): string {
  if (arn === ADMIN) return 'ADMIN';
  const p = snapshot.users.find((u) => u.arn === arn) ?? snapshot.roles.find((r) => r.arn === arn);
  return p ? `${p.kind} ${p.name}` : arn;
}

export function pathLine(snapshot: AccountSnapshot, path: EscalationPath): string {
  const first = path.steps[0];
  if (!first) return '';
  return [
    nodeLabel(snapshot, first.from),
    ...path.steps.map((s) => `-[${s.technique}]-> ${nodeLabel(snapshot, s.to)}`),
  ].join(' ');
}

/** A numbered path with its conditions and, indented, the evidence of each step. */
export function renderPath(snapshot: AccountSnapshot, path: EscalationPath, n: number): string {
  const lines = [`${n}. ${pathLine(snapshot, path)}`];
  if (path.conditional)
    lines.push(`   only if: ${path.conditions.join(' AND ') || '(conditions not rendered)'}`);
  for (const s of path.steps)
    for (const e of s.evidence.filter((x) => x.effect === 'Allow'))
      lines.push(`   ${s.technique}: ${e.path}`);
  return lines.join('\n');
}
