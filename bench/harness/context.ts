/**
 * What every bench section shares: the run's context, the skip signal, and the optional import through which a
 * section reaches code that may not have landed yet.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GenerateOptions, GeneratedAccount } from '../generate/generate-account.ts';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import type { StoredRows } from '../../server/analysis/escalation/stored.ts';

/** Thrown by a section that cannot run yet; the harness reports it as skipped. */
export class SkipSection extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SkipSection';
  }
}

export interface BenchContext {
  options: GenerateOptions;
  /** Repetitions for short measurements (the median is reported). */
  runs: number;
  /** Where the generated bundle is written (a temporary directory unless `--out`). */
  bundleDir?: string;
  log: (message: string) => void;
  account?: GeneratedAccount;
  snapshot?: AccountSnapshot;
  parseMs?: number;
  /** The escalation rows an import stores with the snapshot, built once per run (`storedRowsOf`). */
  stored?: { rows: StoredRows; buildMs: number };
  /** The scale section's cases and caps; absent, the section is skipped (scale.ts). */
  scale?: ScaleOptions;
  /** Cleanups to run at the end (stop Neo4j, …), last first. */
  cleanups: (() => Promise<void>)[];
}

const REPO_ROOT = new URL('../../', import.meta.url);

/** Import `relPath` (from the repository root) or skip the section when the file does not exist yet. */
export async function importOptional<T>(relPath: string, exportName: string): Promise<T> {
  const url = new URL(relPath, REPO_ROOT);
  if (!existsSync(fileURLToPath(url))) throw new SkipSection(`\`${relPath}\` has not landed yet`);
  const mod = (await import(url.href)) as Record<string, unknown>;
  const value = mod[exportName];
  if (value === undefined) throw new SkipSection(`\`${relPath}\` does not export \`${exportName}\` yet`);
  return value as T;
}

/** The scale section's cases and caps (scale.ts). */
export interface ScaleOptions {
  /** Case names; all of SCALE_CASES when absent. */
  cases?: string[];
  capSeconds: number;
  heapMb: number;
}

export function needSnapshot(ctx: BenchContext): AccountSnapshot {
  if (!ctx.snapshot || ctx.parseMs === undefined)
    throw new SkipSection('needs a snapshot from the `parse` section, which did not run');
  return ctx.snapshot;
}
