/**
 * A bundle's content key: SHA-256 over the label the snapshot gets (by default the bundle's base name) and every
 * file of the bundle (its relative path and bytes; a directory walked in path order, dot-entries skipped as the
 * importer skips them). Two imports with the same key and the same versions (analysis-versions.ts, recorded
 * beside the key) give the same snapshot, so the embedded store keeps one and later imports reuse it. Undefined
 * when the bundle cannot be read whole or holds more than `maxBytes`: such a bundle is just imported (and the
 * importer reports what is wrong with it).
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface KeyOptions {
  label?: string;
  /** Bundles larger than this are not keyed (the importers' `bundleBytes` limit). */
  maxBytes: number;
}

async function hashFile(hash: Hash, file: string): Promise<void> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
}

/** Regular files under `dir` (links followed), relative paths with `/`, in path order. */
async function filesOf(root: string, dir = ''): Promise<{ rel: string; size: number }[]> {
  const out: { rel: string; size: number }[] = [];
  const names = (await readdir(path.join(root, dir))).filter((n) => !n.startsWith('.')).sort();
  for (const name of names) {
    const rel = dir ? `${dir}/${name}` : name;
    const info = await stat(path.join(root, rel));
    if (info.isDirectory()) out.push(...(await filesOf(root, rel)));
    else if (info.isFile()) out.push({ rel, size: info.size });
  }
  return out;
}

export async function bundleKey(bundlePath: string, options: KeyOptions): Promise<string | undefined> {
  try {
    const info = await stat(bundlePath);
    const files = info.isDirectory()
      ? await filesOf(bundlePath)
      : [{ rel: path.basename(bundlePath), size: info.size }];
    if (files.reduce((n, f) => n + f.size, 0) > options.maxBytes) return undefined;
    const hash = createHash('sha256');
    // The base name too: it is the snapshot's default label.
    const head = [options.label ?? null, path.basename(bundlePath)];
    hash.update(JSON.stringify([...head, info.isDirectory()]));
    for (const f of files) {
      hash.update(`\u0000${f.rel}\u0000${f.size}\u0000`);
      await hashFile(hash, info.isDirectory() ? path.join(bundlePath, f.rel) : bundlePath);
    }
    return hash.digest('hex');
  } catch {
    return undefined;
  }
}
