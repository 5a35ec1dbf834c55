/**
 * Import bundles and load each into a store: the one path both `accessgraph import` and `serve` take.
 * All bundles are validated first; if any has an error-severity diagnostic nothing is loaded (the store keeps
 * serving what it had), and the diagnostics are returned per bundle with the file each came from.
 *
 * The escalation graph (CAN_ASSUME / CAN_ESCALATE / IS_ADMIN, and the classes of principals that techniques reach
 * as a whole) is computed here, for every bundle before any is loaded, and handed to the store as rows with its
 * snapshot: the stores know nothing of how edges are derived, and a build that fails leaves the store as it was.
 *
 * Into the embedded store each snapshot is kept under its bundle's content key (bundle-key.ts) with the versions it
 * was built with (analysis-versions.ts): a bundle already stored unchanged, under the same versions, is not parsed
 * nor built again — its snapshot is made current as a new load would, and the import's diagnostics are replayed
 * (`reused` says so). One stored under other versions is imported anew, and `onNotice` is told why in one line.
 * The importers and the escalation builder (a few hundred modules) are loaded only when some bundle is not reused.
 */
import { resolve } from 'node:path';
import type { ImportResult } from '../../importers/index.ts';
import { DEFAULT_LIMITS, type Limits } from '../../importers/limits.ts';
import type { StoredRows } from '../analysis/escalation/stored.ts';
import { hasErrors, type Diagnostic } from '../../schema/diagnostics.ts';
import type { EmbeddedStore, SnapshotSource } from '../graph/embedded/embedded-store.ts';
import { sameVersions } from '../graph/embedded/source-versions.ts';
import type { GraphStore, SnapshotInfo } from '../graph/store.ts';
import { analysisVersions, versionChanges } from './analysis-versions.ts';
import { bundleKey } from './bundle-key.ts';

export type ImportStage = string;

export interface BundleOutcome {
  bundle: string;
  diagnostics: Diagnostic[];
  /** No error-severity diagnostic. A valid bundle is still not loaded when another bundle has errors. */
  valid: boolean;
  /** Set when the bundle was loaded. */
  snapshot?: SnapshotInfo;
  /** The account's name, when the bundle says it (an Organizations account list). */
  accountName?: string;
  /** The embedded store already held this bundle unchanged: nothing was parsed or built. */
  reused?: boolean;
}

export interface ImportOptions {
  /** Label for the snapshot; defaults to the importer's (the bundle directory name). */
  label?: string;
  onProgress?: (bundle: string, stage: ImportStage, done: number, total: number) => void;
  /** Limits on what the importers read (importers/limits.ts); unset ones keep their defaults. */
  limits?: Partial<Limits>;
  /** Told, in one line, when a stored snapshot of the bundle is not reused because versions changed. */
  onNotice?: (line: string) => void;
}

type Prepared =
  | { bundle: string; key?: string; reused: { info: SnapshotInfo; source: SnapshotSource } }
  | { bundle: string; key?: string; result: ImportResult; valid: boolean; reused?: undefined };

export async function importBundles(
  store: GraphStore,
  bundles: string[],
  options: ImportOptions = {},
): Promise<BundleOutcome[]> {
  const embedded = store.kind === 'embedded' ? (store as EmbeddedStore) : undefined;
  const versions = embedded && analysisVersions(embedded.format);
  // Validate every bundle before loading any: bad input anywhere changes nothing in the store.
  const prepared: Prepared[] = [];
  for (const bundle of bundles) {
    const key =
      embedded &&
      (await bundleKey(resolve(bundle), {
        ...(options.label ? { label: options.label } : {}),
        maxBytes: options.limits?.bundleBytes ?? DEFAULT_LIMITS.bundleBytes,
      }));
    const stored = key && embedded ? await embedded.findSource(key) : undefined;
    if (stored && sameVersions(stored.source.versions, versions)) {
      prepared.push({ bundle, key: key!, reused: stored });
      continue;
    }
    if (stored)
      options.onNotice?.(
        `${bundle}: stored snapshot ${stored.info.id} was built with other versions ` +
          `(${versionChanges(stored.source.versions, versions!).join(', ')}); importing the bundle again`,
      );
    const { importBundle } = await import('../../importers/index.ts');
    const result = await importBundle([resolve(bundle)], {
      ...(options.label ? { label: options.label } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      onProgress: (stage, done, total) => options.onProgress?.(bundle, String(stage), done, total),
    });
    const valid = result.snapshot !== undefined && !hasErrors(result.diagnostics);
    prepared.push({ bundle, ...(key ? { key } : {}), result, valid });
  }
  const allValid = prepared.every((p) => p.reused || p.valid);
  const derived = new Map<Prepared, StoredRows>();
  if (allValid)
    for (const p of prepared) {
      if (p.reused) continue;
      const { buildEscalationGraph } = await import('../analysis/escalation/index.ts');
      const { toStoredRows } = await import('../analysis/escalation/stored.ts');
      const graph = await buildEscalationGraph(p.result.snapshot!, {
        onProgress: (done, total) => options.onProgress?.(p.bundle, 'escalation', done, total),
      });
      derived.set(p, toStoredRows(graph));
    }
  const outcomes: BundleOutcome[] = [];
  for (const p of prepared) {
    const { bundle } = p;
    if (p.reused) {
      const { diagnostics, accountName } = p.reused.source;
      outcomes.push({
        bundle,
        valid: true,
        diagnostics,
        // Only when every bundle is valid: made current again, as a new load would be.
        ...(allValid ? { snapshot: await embedded!.republish(p.reused.info.id), reused: true } : {}),
        ...(allValid && accountName ? { accountName } : {}),
      });
      continue;
    }
    const { result, valid } = p;
    if (!allValid || !result.snapshot) {
      outcomes.push({ bundle, valid, diagnostics: result.diagnostics });
      continue;
    }
    const accountName = result.snapshot.accounts.find((a) => a.id === result.snapshot?.accountId)?.name;
    const source: SnapshotSource | undefined = p.key
      ? {
          key: p.key,
          diagnostics: result.diagnostics,
          ...(versions ? { versions } : {}),
          ...(accountName ? { accountName } : {}),
        }
      : undefined;
    const snapshot = await (embedded ?? store).load(result.snapshot, {
      ...derived.get(p)!,
      ...(source ? { source } : {}),
      onProgress: (done, total) => options.onProgress?.(bundle, 'load', done, total),
    });
    outcomes.push({
      bundle,
      valid,
      diagnostics: result.diagnostics,
      snapshot,
      ...(accountName ? { accountName } : {}),
    });
  }
  return outcomes;
}
