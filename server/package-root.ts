/**
 * Where the package's own files are (package.json, web/dist, schema/, the technique catalog), whether this
 * module runs from source (`server/`) or from the build (`dist/server/`): the nearest ancestor directory holding
 * a package.json. Everything read at run time relative to the package goes through `packagePath`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** An absolute path inside the package, from a path relative to its root (`web/dist`, `schema/…`). */
export function packagePath(relative: string): string {
  return path.join(PACKAGE_ROOT, relative);
}

/** The package's version, from its package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
}
