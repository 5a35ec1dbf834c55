/**
 * The importers' public surface: bundle paths → an AccountSnapshot plus every diagnostic.
 * Pure except for reading the bundle files; knows nothing of graph stores.
 */
import type { Diagnostic } from '../server/engine/diagnostics.ts';
import { hasErrors } from '../server/engine/diagnostics.ts';
import { SNAPSHOT_SCHEMA_VERSION, type AccountSnapshot } from './snapshot/model.ts';
import { readBundle, type Bundle } from './bundle/read-bundle.ts';
import { parseGaad } from './sources/gaad/parse.ts';
import { normalizeGaad, type GaadInput } from './sources/gaad/normalize.ts';
import { linesOfJsonPaths } from './shared/json-text.ts';
import { importAccountFiles } from './sources/account-files.ts';

export type { BundleFile, Bundle } from './bundle/read-bundle.ts';
export { readBundle } from './bundle/read-bundle.ts';

export interface ImportResult {
  /** Present only when no diagnostic has severity `error`: bad input loads nothing. */
  snapshot?: AccountSnapshot;
  /** Errors and warnings, in input order; the warnings are also in `snapshot.warnings`. */
  diagnostics: Diagnostic[];
}

export interface ImportOptions {
  /** The snapshot's label; default: the (first) bundle's directory name. */
  label?: string;
  /** Called as stages progress: `read` (bundles), `parse` (files), `normalize` (1 step). */
  onProgress?: (stage: string, done: number, total: number) => void;
}

/**
 * Import one account from one or more bundle paths (directories, or GAAD files given directly; several paths
 * are several pages/bundles of the same account). Never throws on bad input.
 */
export async function importBundle(paths: string[], options: ImportOptions = {}): Promise<ImportResult> {
  const progress = options.onProgress ?? (() => {});
  const diagnostics: Diagnostic[] = [];
  if (paths.length === 0) {
    return { diagnostics: [{ severity: 'error', code: 'bundle.no-input', message: 'no bundle path given' }] };
  }
  const bundles: Bundle[] = [];
  for (const [i, p] of paths.entries()) {
    const { bundle, diagnostics: ds } = await readBundle(p);
    diagnostics.push(...ds);
    if (bundle) bundles.push(bundle);
    progress('read', i + 1, paths.length);
  }
  if (hasErrors(diagnostics)) return { diagnostics };

  // With several bundle directories, file names could repeat: prefix them with the directory name to keep
  // them apart. A file named directly is shown by its own name.
  const display = (b: Bundle, rel: string) =>
    bundles.length > 1 && b.kind !== 'file' ? `${b.name}/${rel}` : rel;
  const gaadFiles = bundles.flatMap((b) => b.gaad.map((f) => ({ ...f, path: display(b, f.path) })));
  /** Gives every diagnostic that has a JSON path the line it points at, so editors can jump there. */
  const placed = (ds: Diagnostic[]): Diagnostic[] => {
    for (const f of gaadFiles) {
      const here = ds.filter((d) => d.file === f.path && d.jsonPath !== undefined && d.line === undefined);
      if (here.length === 0) continue;
      const lines = linesOfJsonPaths(f.text, new Set(here.map((d) => d.jsonPath!)));
      for (const d of here) {
        const line = lines.get(d.jsonPath!);
        if (line !== undefined) d.line = line;
      }
    }
    return ds;
  };
  const inputs: GaadInput[] = [];
  for (const [i, f] of gaadFiles.entries()) {
    const parsed = parseGaad(f.text, f.path);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.page) inputs.push({ file: f.path, page: parsed.page });
    progress('parse', i + 1, gaadFiles.length);
  }
  if (hasErrors(diagnostics)) return { diagnostics: placed(diagnostics) };

  const { fragment, diagnostics: normalizeDiagnostics } = normalizeGaad(inputs);
  diagnostics.push(...normalizeDiagnostics);
  progress('normalize', 1, 1);

  const accounts = [...fragment.accountIds.entries()].sort((a, b) => b[1] - a[1]);
  if (accounts.length === 0) {
    diagnostics.push({
      severity: 'error',
      code: 'bundle.no-account-id',
      message: 'no user, group, role or customer managed policy ARN names an account',
      file: gaadFiles[0]?.path,
      hint: 'an account with no IAM entities at all has nothing to analyse',
    });
  } else if (accounts.length > 1) {
    diagnostics.push({
      severity: 'error',
      code: 'bundle.multiple-accounts',
      message: `the input holds several accounts: ${accounts.map(([id]) => `\`${id}\``).join(', ')}`,
      file: gaadFiles[0]?.path,
      hint: 'import one account at a time: multi-account bundles with organization data are not supported yet',
    });
  }
  placed(diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };

  const accountId = accounts[0]![0];
  // The credential report and the password policy, at each bundle's root.
  const account = importAccountFiles(
    bundles.flatMap((b) => b.files.map((f) => ({ ...f, relative: f.path, path: display(b, f.path) }))),
    fragment.users,
    accountId,
  );
  diagnostics.push(...account.diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };

  const snapshot: AccountSnapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    accountId,
    partition: fragment.partition ?? 'aws',
    accounts: [{ id: accountId, ...(account.root ? { root: account.root } : {}) }],
    ...(account.collectedAt ? { collectedAt: account.collectedAt } : {}),
    label: options.label ?? bundles[0]!.name,
    sourceFiles: [...gaadFiles.map((f) => f.path), ...account.sourceFiles],
    users: account.users,
    groups: fragment.groups,
    roles: fragment.roles,
    policies: fragment.policies,
    resources: [],
    ...(account.passwordPolicy ? { passwordPolicy: account.passwordPolicy } : {}),
    warnings: diagnostics.filter((d) => d.severity === 'warning'),
  };
  return { snapshot, diagnostics };
}
