/**
 * A bundle on disk → its files as text. A bundle is a directory (docs/architecture.md, "The snapshot bundle"),
 * a `.zip`/`.tar.gz` of one, or a single GAAD file given directly.
 * This is the importers' only I/O.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../../server/engine/diagnostics.ts';
import { ArchiveError, readArchive } from './archive.ts';
import { convertIamCollect, isIamCollectTree } from '../sources/iam-collect/convert.ts';

export interface BundleFile {
  /** Relative to the bundle root, with `/` separators (what diagnostics and `sourceFiles` show). */
  path: string;
  /** On disk; for an archive entry `<archive>!/<path>`. */
  absolutePath: string;
  text: string;
}

export interface Bundle {
  /** A bundle directory, a `.zip`/`.tar.gz` of one, or one GAAD file named directly. */
  kind: 'directory' | 'archive' | 'file';
  /** The directory (the archive file; for a single file, its directory). */
  root: string;
  /** The bundle's name: the directory's base name, or the file's without `.json`. */
  name: string;
  files: BundleFile[];
  /** The files holding GAAD pages: `*authorization-details*.json`, or the JSON file given directly. */
  gaad: BundleFile[];
}

/** GAAD files: `aws iam get-account-authorization-details` output, possibly several pages. */
export const GAAD_FILE = /authorization-details[^/]*\.json$/i;

export function isGaadFile(relativePath: string): boolean {
  return GAAD_FILE.test(relativePath);
}

const ARCHIVE = /\.(zip|tar\.gz|tgz)$/i;

/** Only these are read: JSON and CSV outputs of the `aws` CLI. Anything else in the directory is ignored. */
const READABLE = /\.(json|csv)$/i;

export async function readBundle(
  bundlePath: string,
): Promise<{ bundle?: Bundle; diagnostics: Diagnostic[] }> {
  const shown = bundlePath;
  let info;
  try {
    info = await stat(bundlePath);
  } catch {
    return {
      diagnostics: [
        { severity: 'error', code: 'bundle.not-found', message: `\`${shown}\` does not exist`, file: shown },
      ],
    };
  }
  if (info.isFile()) {
    if (ARCHIVE.test(bundlePath)) return readArchiveBundle(bundlePath);
    const name = path.basename(bundlePath);
    const text = await readFile(bundlePath, 'utf8');
    const file: BundleFile = { path: name, absolutePath: path.resolve(bundlePath), text };
    // A file named on the command line is taken as a GAAD page whatever its name (people save
    // `get-account-authorization-details` output under many names).
    if (!/\.json$/i.test(name)) {
      return {
        diagnostics: [
          {
            severity: 'error',
            code: 'bundle.no-gaad',
            message: `\`${shown}\` is not a JSON file`,
            file: name,
            hint: 'pass a directory or a GAAD `.json` file',
          },
        ],
      };
    }
    return {
      bundle: {
        kind: 'file',
        root: path.dirname(path.resolve(bundlePath)),
        name: name.replace(/\.json$/i, ''),
        files: [file],
        gaad: [file],
      },
      diagnostics: [],
    };
  }
  if (!info.isDirectory()) {
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'bundle.not-found',
          message: `\`${shown}\` is neither a file nor a directory`,
          file: shown,
        },
      ],
    };
  }
  const root = path.resolve(bundlePath);
  const relPaths = (await listFiles(root)).filter((p) => READABLE.test(p)).sort();
  const files = await Promise.all(
    relPaths.map(async (rel) => ({
      path: rel,
      absolutePath: path.join(root, rel),
      text: await readFile(path.join(root, rel), 'utf8'),
    })),
  );
  return withGaadCheck({ kind: 'directory', root, name: path.basename(root), files, gaad: [] }, shown);
}

/** Picks the GAAD pages; a bundle without any is an error. */
function withGaadCheck(bundle: Bundle, shown: string): { bundle: Bundle; diagnostics: Diagnostic[] } {
  // An iam-collect tree is read as the bundle files it converts to (sources/iam-collect/).
  const converted = isIamCollectTree(bundle.files, bundle.root)
    ? convertIamCollect(bundle.files, bundle.root)
    : undefined;
  if (converted) {
    bundle = { ...bundle, files: converted.files };
    if (converted.diagnostics.some((d) => d.severity === 'error'))
      return { bundle, diagnostics: converted.diagnostics };
  }
  const gaad = bundle.files.filter((f) => isGaadFile(f.path));
  const diagnostics: Diagnostic[] = [...(converted?.diagnostics ?? [])];
  if (gaad.length === 0)
    diagnostics.push({
      severity: 'error',
      code: 'bundle.no-gaad',
      message: `no \`*authorization-details*.json\` in \`${shown}\``,
      file: shown,
      hint: 'run `aws iam get-account-authorization-details --output json > authorization-details.json` in the bundle directory',
    });
  return { bundle: { ...bundle, gaad }, diagnostics };
}

/** A `.zip` / `.tar.gz` of a bundle directory; entries are read in memory. */
async function readArchiveBundle(
  archivePath: string,
): Promise<{ bundle?: Bundle; diagnostics: Diagnostic[] }> {
  const absolute = path.resolve(archivePath);
  let entries;
  try {
    entries = readArchive(archivePath, await readFile(archivePath));
  } catch (e) {
    if (!(e instanceof ArchiveError)) throw e;
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'bundle.archive-invalid',
          message: `\`${archivePath}\`: ${e.message}`,
          file: archivePath,
        },
      ],
    };
  }
  const files = entries
    .filter((e) => READABLE.test(e.path))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((e) => ({ path: e.path, absolutePath: `${absolute}!/${e.path}`, text: e.text }));
  const name = path.basename(absolute).replace(ARCHIVE, '');
  return withGaadCheck({ kind: 'archive', root: absolute, name, files, gaad: [] }, archivePath);
}

/** Relative paths (with `/`) of all files under root, skipping dot-directories. */
async function listFiles(root: string, dir = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(root, rel)));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}
