/**
 * Bundles packed as `.tar.gz`/`.tgz` or `.zip`, read in memory with node:zlib (nothing is extracted to disk, so
 * entry names cannot escape anywhere). Formats: POSIX ustar with pax/GNU long names; ZIP with stored or deflated
 * entries (APPNOTE.TXT §4.3), no ZIP64 and no encryption.
 */
import { gunzipSync, inflateRawSync } from 'node:zlib';

export interface ArchiveEntry {
  /** Path inside the archive, `/`-separated, with a single top-level directory stripped. */
  path: string;
  text: string;
}

/** Bundles are text files of a few MB; this bounds what a hostile archive can make us allocate. */
export const MAX_UNPACKED_BYTES = 1 << 30;

export class ArchiveError extends Error {}

export function readArchive(fileName: string, data: Buffer): ArchiveEntry[] {
  const raw = /\.zip$/i.test(fileName) ? readZip(data) : readTar(gunzip(data));
  return stripCommonTopDirectory(
    raw.filter((e) => !e.path.split('/').some((seg) => seg === '..' || seg.startsWith('.'))),
  );
}

function gunzip(data: Buffer): Buffer {
  try {
    return gunzipSync(data, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (e) {
    throw new ArchiveError(`not a gzip file: ${(e as Error).message}`);
  }
}

function readTar(data: Buffer): ArchiveEntry[] {
  const out: ArchiveEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= data.length) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    const field = (start: number, len: number) =>
      header
        .subarray(start, start + len)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    if (offset === 0 && field(257, 5) !== 'ustar')
      throw new ArchiveError('not a tar archive (no `ustar` header)');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    if (!Number.isFinite(size)) throw new ArchiveError(`bad entry size at byte ${offset}`);
    const type = field(156, 1) || '0';
    const body = data.subarray(offset + 512, offset + 512 + size);
    if (body.length < size) throw new ArchiveError('the archive ends inside an entry (truncated?)');
    const prefix = field(345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = undefined;
    if (type === 'L') longName = body.toString('utf8').replace(/\0.*$/s, '');
    else if (type === 'x') longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
    else if (type === '0' || type === '7')
      out.push({ path: name.replace(/^\.\//, ''), text: body.toString('utf8') });
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

function readZip(data: Buffer): ArchiveEntry[] {
  // End of central directory: 22 bytes plus a comment of up to 65535 bytes, at the end of the file.
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ArchiveError('not a zip archive (no end of central directory)');
  const count = data.readUInt16LE(eocd + 10);
  let p = data.readUInt32LE(eocd + 16);
  const out: ArchiveEntry[] = [];
  let total = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > data.length || data.readUInt32LE(p) !== 0x02014b50)
      throw new ArchiveError('corrupt zip central directory');
    const flags = data.readUInt16LE(p + 8);
    const method = data.readUInt16LE(p + 10);
    const compressed = data.readUInt32LE(p + 20);
    const size = data.readUInt32LE(p + 24);
    const nameLen = data.readUInt16LE(p + 28);
    const extraLen = data.readUInt16LE(p + 30);
    const commentLen = data.readUInt16LE(p + 32);
    const local = data.readUInt32LE(p + 42);
    const name = data.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue;
    if (flags & 1) throw new ArchiveError(`\`${name}\` is encrypted`);
    if (compressed === 0xffffffff || size === 0xffffffff)
      throw new ArchiveError('ZIP64 archives are not supported');
    total += size;
    if (total > MAX_UNPACKED_BYTES) throw new ArchiveError('the archive unpacks to more than 1 GiB');
    if (data.readUInt32LE(local) !== 0x04034b50)
      throw new ArchiveError(`corrupt local header for \`${name}\``);
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    const stored = data.subarray(start, start + compressed);
    let body: Buffer;
    if (method === 0) body = stored;
    else if (method === 8) {
      try {
        body = inflateRawSync(stored, { maxOutputLength: MAX_UNPACKED_BYTES });
      } catch (e) {
        throw new ArchiveError(`cannot inflate \`${name}\`: ${(e as Error).message}`);
      }
    } else throw new ArchiveError(`\`${name}\` uses unsupported compression method ${method}`);
    // The declared sizes above can lie; count what was really unpacked too.
    total += body.length - size;
    if (total > MAX_UNPACKED_BYTES) throw new ArchiveError('the archive unpacks to more than 1 GiB');
    out.push({ path: name, text: body.toString('utf8') });
  }
  return out;
}

/** `tar czf demo.tgz demo/` puts everything under `demo/`: the bundle root is that directory. */
function stripCommonTopDirectory(entries: ArchiveEntry[]): ArchiveEntry[] {
  const tops = new Set(entries.map((e) => (e.path.includes('/') ? e.path.split('/')[0] : '')));
  if (tops.size !== 1 || tops.has('')) return entries;
  const top = [...tops][0]!;
  return entries.map((e) => ({ ...e, path: e.path.slice(top.length + 1) }));
}
