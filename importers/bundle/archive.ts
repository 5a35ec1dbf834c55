/**
 * Bundles packed as `.tar.gz`/`.tgz` or `.zip`, read in memory (nothing is extracted to disk). Formats: POSIX
 * ustar with pax/GNU long names, streamed through node:zlib; ZIP with stored or deflated entries (APPNOTE.TXT
 * §4.3), no ZIP64 and no encryption. Hostile archives are bounded by `Limits`: sizes are counted while
 * inflating (headers can lie), entries beyond `fileBytes` and archives beyond `bundleBytes` or
 * `archiveEntries` are refused, and so are entry names that climb out (`..`) or are absolute, links, and
 * entries whose CRC-32 does not match.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createGunzip, crc32, inflateRawSync } from 'node:zlib';
import type { Limits } from '../limits.ts';

export interface ArchiveEntry {
  /** Path inside the archive, `/`-separated, with a single top-level directory stripped. */
  path: string;
  bytes: Buffer;
}

export class ArchiveError extends Error {
  constructor(
    message: string,
    /** The limit the archive exceeds, when that is the problem. */
    readonly limit?: keyof Limits,
  ) {
    super(message);
  }
}

/**
 * The entries of an archive whose path `wanted` accepts (others are skipped without being kept). Throws
 * ArchiveError on anything unreadable or over a limit.
 */
export async function readArchive(
  fileName: string,
  limits: Limits,
  wanted: (path: string) => boolean,
): Promise<ArchiveEntry[]> {
  const raw = /\.zip$/i.test(fileName)
    ? readZip(await readFile(fileName), limits, wanted)
    : await readTarGz(fileName, limits, wanted);
  return stripCommonTopDirectory(raw.filter((e) => !e.path.split('/').some((seg) => seg.startsWith('.'))));
}

/** An entry name as a relative `/` path, or an ArchiveError for names that would escape the bundle root. */
function entryPath(name: string): string {
  const p = name.replace(/^(\.\/)+/, '');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.includes('\\'))
    throw new ArchiveError(`entry \`${name}\` has an absolute or Windows path`);
  if (p.split('/').includes('..'))
    throw new ArchiveError(`entry \`${name}\` climbs out of the archive with \`..\``);
  return p;
}

const tooBig = (name: string, limits: Limits) =>
  new ArchiveError(`entry \`${name}\` unpacks to more than ${limits.fileBytes} bytes`, 'fileBytes');
const tooBigTotal = (limits: Limits) =>
  new ArchiveError(`the archive unpacks to more than ${limits.bundleBytes} bytes`, 'bundleBytes');
const tooMany = (limits: Limits) =>
  new ArchiveError(`the archive has more than ${limits.archiveEntries} entries`, 'archiveEntries');

async function readTarGz(
  fileName: string,
  limits: Limits,
  wanted: (path: string) => boolean,
): Promise<ArchiveEntry[]> {
  const source = createReadStream(fileName);
  const gunzip = createGunzip();
  source.on('error', (e) => gunzip.destroy(e));
  source.pipe(gunzip);
  const tar = new TarReader(limits, wanted);
  let total = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limits.bundleBytes) throw tooBigTotal(limits);
      if (tar.push(chunk)) break;
    }
  } catch (e) {
    if (e instanceof ArchiveError) throw e;
    throw new ArchiveError(`not a readable gzip file: ${(e as Error).message}`);
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  return tar.finish();
}

/** A ustar reader fed chunk by chunk; keeps only wanted regular files. */
class TarReader {
  private pending: Buffer = Buffer.alloc(0);
  private offset = 0;
  private entries = 0;
  private longName: string | undefined;
  /** The entry being read: bytes still to consume (body plus padding) and the kept body so far. */
  private body:
    | {
        name: string;
        type: string;
        size: number;
        remaining: number;
        chunks: Buffer[] | undefined;
        got: number;
      }
    | undefined;
  private ended = false;
  readonly out: ArchiveEntry[] = [];

  constructor(
    private readonly limits: Limits,
    private readonly wanted: (path: string) => boolean,
  ) {}

  /** Feeds bytes; returns true at the end-of-archive marker. */
  push(chunk: Buffer): boolean {
    let data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      if (this.body) {
        const take = Math.min(this.body.remaining, data.length);
        const keep = Math.min(take, this.body.size - this.body.got);
        if (this.body.chunks && keep > 0) this.body.chunks.push(data.subarray(0, keep));
        this.body.got += keep;
        this.body.remaining -= take;
        this.offset += take;
        data = data.subarray(take);
        if (this.body.remaining > 0) break;
        this.completeEntry();
        continue;
      }
      if (data.length < 512) break;
      const header = data.subarray(0, 512);
      data = data.subarray(512);
      if (header.every((b) => b === 0)) {
        this.ended = true;
        return true;
      }
      this.startEntry(header);
      this.offset += 512;
    }
    this.pending = Buffer.from(data);
    return false;
  }

  finish(): ArchiveEntry[] {
    if (this.body) throw new ArchiveError('the archive ends inside an entry (truncated?)');
    if (!this.ended && this.pending.length > 0)
      throw new ArchiveError('the archive ends inside a header (truncated?)');
    return this.out;
  }

  private startEntry(header: Buffer): void {
    const field = (start: number, len: number) =>
      header
        .subarray(start, start + len)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    if (this.offset === 0 && field(257, 5) !== 'ustar')
      throw new ArchiveError('not a tar archive (no `ustar` header)');
    const sizeText = field(124, 12).trim();
    // Octal digits only: a sign or a base-256 size (files over 8 GiB) is refused, never stepped backwards over.
    if (!/^[0-7]*$/.test(sizeText))
      throw new ArchiveError(`bad entry size \`${sizeText}\` at byte ${this.offset}`);
    const size = parseInt(sizeText || '0', 8);
    if (++this.entries > this.limits.archiveEntries) throw tooMany(this.limits);
    const type = field(156, 1) || '0';
    const prefix = field(345, 155);
    const name = this.longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    const isFile = type === '0' || type === '7';
    const isName = type === 'L' || type === 'x';
    if (!isName) this.longName = undefined;
    const path = isFile || type === '1' || type === '2' ? entryPath(name) : name;
    const wanted = isFile && this.wanted(path);
    if ((type === '1' || type === '2') && this.wanted(path))
      throw new ArchiveError(
        `entry \`${name}\` is a link, not a file: archive the files themselves (\`tar -h\`)`,
      );
    if ((wanted || isName) && size > this.limits.fileBytes) throw tooBig(name, this.limits);
    this.body = {
      name: path,
      type,
      size,
      remaining: Math.ceil(size / 512) * 512,
      chunks: wanted || isName ? [] : undefined,
      got: 0,
    };
    if (this.body.remaining === 0) this.completeEntry();
  }

  private completeEntry(): void {
    const b = this.body!;
    this.body = undefined;
    if (!b.chunks) return;
    const bytes = Buffer.concat(b.chunks);
    if (b.type === 'L') this.longName = bytes.toString('utf8').replace(/\0.*$/s, '');
    else if (b.type === 'x') this.longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(bytes.toString('utf8'))?.[1];
    else this.out.push({ path: b.name, bytes });
  }
}

function readZip(data: Buffer, limits: Limits, wanted: (path: string) => boolean): ArchiveEntry[] {
  const corrupt = (what: string) => new ArchiveError(`corrupt zip: ${what}`);
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
  if (count > limits.archiveEntries) throw tooMany(limits);
  let p = data.readUInt32LE(eocd + 16);
  const out: ArchiveEntry[] = [];
  let total = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > data.length || data.readUInt32LE(p) !== 0x02014b50) throw corrupt('central directory');
    const flags = data.readUInt16LE(p + 8);
    const method = data.readUInt16LE(p + 10);
    const crc = data.readUInt32LE(p + 16);
    const compressed = data.readUInt32LE(p + 20);
    const size = data.readUInt32LE(p + 24);
    const nameLen = data.readUInt16LE(p + 28);
    const extraLen = data.readUInt16LE(p + 30);
    const commentLen = data.readUInt16LE(p + 32);
    const local = data.readUInt32LE(p + 42);
    if (p + 46 + nameLen > data.length) throw corrupt('central directory');
    const name = data.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue;
    const path = entryPath(name);
    if (!wanted(path)) continue;
    if (flags & 1) throw new ArchiveError(`\`${name}\` is encrypted`);
    if (compressed === 0xffffffff || size === 0xffffffff)
      throw new ArchiveError('ZIP64 archives are not supported');
    if (local + 30 > data.length || data.readUInt32LE(local) !== 0x04034b50)
      throw corrupt(`local header of \`${name}\` (offset ${local} of ${data.length} bytes)`);
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    if (start + compressed > data.length) throw corrupt(`\`${name}\` extends past the end of the file`);
    const stored = data.subarray(start, start + compressed);
    // Inflate at most one byte past the smaller limit, so an entry lying about its size is caught while inflating.
    const room = Math.min(limits.fileBytes, limits.bundleBytes - total);
    let body: Buffer;
    if (method === 0) body = stored;
    else if (method === 8) {
      try {
        body = inflateRawSync(stored, { maxOutputLength: room + 1 });
      } catch (e) {
        if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
          throw room === limits.fileBytes ? tooBig(name, limits) : tooBigTotal(limits);
        throw new ArchiveError(`cannot inflate \`${name}\`: ${(e as Error).message}`);
      }
    } else throw new ArchiveError(`\`${name}\` uses unsupported compression method ${method}`);
    if (body.length > room) throw room === limits.fileBytes ? tooBig(name, limits) : tooBigTotal(limits);
    total += body.length;
    if (body.length !== size)
      throw corrupt(`\`${name}\` unpacks to ${body.length} bytes, its header says ${size}`);
    if (crc32(body) !== crc) throw corrupt(`\`${name}\` fails its CRC-32 check`);
    out.push({ path, bytes: body });
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
