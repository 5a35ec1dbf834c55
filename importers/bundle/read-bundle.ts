/**
 * A bundle on disk → its files as text. A bundle is a directory (docs/architecture.md, "The snapshot bundle"),
 * a `.zip`/`.tar.gz` of one, or a single JSON file given directly. Knows no file format: which files are
 * which is the sources' business (sources/registry.ts). This is the importers' only I/O.
 */
import { constants } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { hasErrors, type Diagnostic } from '../../schema/diagnostics.ts';
import { DEFAULT_LIMITS, limitHint, type Limits } from '../limits.ts';
import { decodeFileText } from '../shared/decode-text.ts';
import { ArchiveError, readArchive } from './archive.ts';

export interface BundleFile {
  /** Relative to the bundle root, with `/` separators (what diagnostics and `sourceFiles` show). */
  path: string;
  /** On disk; for an archive entry `<archive>!/<path>`. */
  absolutePath: string;
  text: string;
}

export interface Bundle {
  /** A bundle directory, a `.zip`/`.tar.gz` of one, or one JSON file named directly. */
  kind: 'directory' | 'archive' | 'file';
  /** The directory (the archive file; for a single file, its directory). */
  root: string;
  /** The bundle's name: the directory's base name, or the file's without `.json`. */
  name: string;
  files: BundleFile[];
}

const ARCHIVE = /\.(zip|tar\.gz|tgz)$/i;

/** Only these are read: JSON and CSV outputs of the `aws` CLI. Anything else in the directory is ignored. */
const READABLE = /\.(json|csv)$/i;

export async function readBundle(
  bundlePath: string,
  limits: Limits = DEFAULT_LIMITS,
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
    if (info.size > limits.fileBytes) return { diagnostics: [tooLarge(shown, info.size, limits)] };
    if (ARCHIVE.test(bundlePath)) return readArchiveBundle(bundlePath, limits);
    const name = path.basename(bundlePath);
    // A file named on the command line is the bundle's only file; the GAAD source takes it as a page whatever
    // its name (people save
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
    const read = await readRegularFile(path.resolve(bundlePath), name, limits);
    if (!read.file) return { diagnostics: [read.diagnostic] };
    return {
      bundle: {
        kind: 'file',
        root: path.dirname(path.resolve(bundlePath)),
        name: name.replace(/\.json$/i, ''),
        files: [read.file],
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
  const diagnostics: Diagnostic[] = [];
  const listed = await listFiles(root, await realpath(root), diagnostics);
  // Sizes first, all of them: nothing is read when the files add up to more than memory should hold.
  const sized: { rel: string; target: string }[] = [];
  let total = 0;
  for (const f of listed) {
    const size = (await stat(f.target).catch(() => undefined))?.size ?? 0;
    if (size > limits.fileBytes) diagnostics.push(tooLarge(f.rel, size, limits));
    else {
      total += size;
      sized.push(f);
    }
  }
  if (total > limits.bundleBytes)
    diagnostics.push({
      severity: 'error',
      code: 'bundle.too-large',
      message: `the files of \`${shown}\` add up to ${total} bytes, over the limit of ${limits.bundleBytes}`,
      file: shown,
      hint: limitHint('bundleBytes', limits.bundleBytes),
    });
  if (hasErrors(diagnostics)) return { diagnostics };
  const files: BundleFile[] = [];
  for (const { rel, target } of sized) {
    const read = await readRegularFile(target, rel, limits);
    if (read.file) files.push({ ...read.file, absolutePath: path.join(root, rel) });
    else diagnostics.push(read.diagnostic);
  }
  if (hasErrors(diagnostics)) return { diagnostics };
  return { bundle: { kind: 'directory', root, name: path.basename(root), files }, diagnostics };
}

function tooLarge(file: string, size: number, limits: Limits): Diagnostic {
  return {
    severity: 'error',
    code: 'bundle.file-too-large',
    message: `\`${file}\` is ${size} bytes, over the limit of ${limits.fileBytes}`,
    file,
    hint: limitHint('fileBytes', limits.fileBytes),
  };
}

/**
 * One bundle file, opened without following links and without blocking (a FIFO swapped in after the listing
 * cannot stall the read), checked to be a regular file within the size limit, then decoded (`decodeText`).
 */
async function readRegularFile(
  absolute: string,
  shown: string,
  limits: Limits,
): Promise<{ file: BundleFile; diagnostic?: undefined } | { file?: undefined; diagnostic: Diagnostic }> {
  const handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(
    (e: NodeJS.ErrnoException) => e,
  );
  if (handle instanceof Error)
    return {
      diagnostic: {
        severity: 'error',
        code: 'bundle.unreadable-file',
        message: `\`${shown}\` cannot be read: ${handle.code ?? handle.message}`,
        file: shown,
        hint: 'check its permissions; bundle files must be regular files inside the bundle directory',
      },
    };
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { diagnostic: notRegular(shown) };
    if (info.size > limits.fileBytes) return { diagnostic: tooLarge(shown, info.size, limits) };
    const decoded = decodeBundleFile(await handle.readFile(), shown);
    if (!decoded.ok) return { diagnostic: decoded.diagnostic };
    return { file: { path: shown, absolutePath: absolute, text: decoded.text } };
  } finally {
    await handle.close();
  }
}

function notRegular(file: string): Diagnostic {
  return {
    severity: 'error',
    code: 'bundle.not-regular-file',
    message: `\`${file}\` is not a regular file (a FIFO, socket or device)`,
    file,
    hint: 'bundle files must be regular files: copy the `aws` output into the bundle directory',
  };
}

function decodeBundleFile(bytes: Uint8Array, file: string): ReturnType<typeof decodeFileText> {
  const decoded = decodeFileText(bytes, file, 'bundle');
  if (decoded.ok) return decoded;
  const d = decoded.diagnostic;
  return {
    ok: false,
    diagnostic: {
      ...d,
      message: `\`${file}\` is ${d.message}`,
      hint: 'the `aws` CLI writes UTF-8: re-run it, or convert the file (`iconv -f latin1 -t utf-8`)',
    },
  };
}

/** A `.zip` / `.tar.gz` of a bundle directory; entries are read in memory. */
async function readArchiveBundle(
  archivePath: string,
  limits: Limits,
): Promise<{ bundle?: Bundle; diagnostics: Diagnostic[] }> {
  const absolute = path.resolve(archivePath);
  let entries;
  try {
    entries = await readArchive(archivePath, limits, (p) => READABLE.test(p));
  } catch (e) {
    if (!(e instanceof ArchiveError)) throw e;
    return {
      diagnostics: [
        {
          severity: 'error',
          code: e.limit ? 'bundle.archive-too-large' : 'bundle.archive-invalid',
          message: `\`${archivePath}\`: ${e.message}`,
          file: archivePath,
          ...(e.limit ? { hint: limitHint(e.limit, limits[e.limit]) } : {}),
        },
      ],
    };
  }
  const files: BundleFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const e of entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const decoded = decodeBundleFile(e.bytes, e.path);
    if (decoded.ok) files.push({ path: e.path, absolutePath: `${absolute}!/${e.path}`, text: decoded.text });
    else diagnostics.push(decoded.diagnostic);
  }
  if (diagnostics.length > 0) return { diagnostics };
  const name = path.basename(absolute).replace(ARCHIVE, '');
  return { bundle: { kind: 'archive', root: absolute, name, files }, diagnostics: [] };
}

/**
 * The readable files under root (relative paths with `/`, skipping dot-directories) and what to open for each.
 * A symbolic link is followed only when it resolves to a regular file inside root; one that leaves the bundle,
 * and any FIFO, socket or device, is reported and skipped.
 */
async function listFiles(
  root: string,
  realRoot: string,
  diagnostics: Diagnostic[],
  dir = '',
): Promise<{ rel: string; target: string }[]> {
  const entries = await readdir(path.join(root, dir), { withFileTypes: true });
  const out: { rel: string; target: string }[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(root, realRoot, diagnostics, rel)));
    else if (e.isSymbolicLink()) {
      // Any link leaving the bundle is reported, whatever its name (a link to `/etc` as a directory too).
      const target = await realpath(path.join(root, rel)).catch(() => undefined);
      if (target === undefined || !target.startsWith(realRoot + path.sep))
        diagnostics.push({
          severity: 'warning',
          code: 'bundle.link-outside',
          message: `\`${rel}\` is a symbolic link ${target ? `to \`${target}\`, outside the bundle` : 'to nothing'}: ignored`,
          file: rel,
          hint: 'copy the file into the bundle directory if it belongs there',
        });
      else if (READABLE.test(e.name)) out.push({ rel, target });
    } else if (!READABLE.test(e.name)) continue;
    else if (e.isFile()) out.push({ rel, target: path.join(root, rel) });
    else
      diagnostics.push({
        ...notRegular(rel),
        severity: 'warning',
        message: `${notRegular(rel).message}: ignored`,
      });
  }
  return out;
}
