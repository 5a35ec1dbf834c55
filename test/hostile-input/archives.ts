/**
 * Writers of small hostile archives for the corpus: ustar headers and ZIP records built byte by byte, so that
 * sizes, offsets, names and checksums can lie. Large bodies are streamed through zlib, never held whole.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { crc32, createDeflateRaw, createGzip } from 'node:zlib';

/** A 512-byte ustar header; `size` is written verbatim (octal digits, or anything else to lie). */
export function tarHeader(name: string, size: string, type = '0'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.padEnd(11, ' ').slice(0, 11) + '\0', 124);
  h.write('00000000000\0', 136);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.fill(' ', 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);
export const tarFile = (name: string, body: Buffer) => [
  tarHeader(name, body.length.toString(8)),
  body,
  pad(body.length),
];

/** Writes a .tar.gz of `parts`, where a number stands for that many zero bytes streamed in 1 MiB chunks. */
export async function writeTarGz(file: string, parts: (Buffer | number)[]): Promise<void> {
  const gz = createGzip({ level: 1 });
  const out = createWriteStream(file);
  gz.pipe(out);
  const zeros = Buffer.alloc(1 << 20);
  for (const p of parts) {
    if (typeof p === 'number') {
      for (let left = p; left > 0; left -= zeros.length)
        if (!gz.write(left >= zeros.length ? zeros : zeros.subarray(0, left))) await once(gz, 'drain');
    } else if (!gz.write(p)) await once(gz, 'drain');
  }
  gz.end(Buffer.alloc(1024));
  await once(out, 'finish');
}

/** Deflates `zeroBytes` zeros in 1 MiB chunks: a bomb of a few hundred KB. */
export async function deflatedZeros(zeroBytes: number): Promise<Buffer> {
  const d = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  d.on('data', (c: Buffer) => chunks.push(c));
  const zeros = Buffer.alloc(1 << 20);
  for (let left = zeroBytes; left > 0; left -= zeros.length)
    if (!d.write(left >= zeros.length ? zeros : zeros.subarray(0, left))) await once(d, 'drain');
  d.end();
  await once(d, 'end');
  return Buffer.concat(chunks);
}

export interface ZipEntry {
  name: string;
  /** The stored bytes (already deflated when method is 8). */
  data: Buffer;
  method: 0 | 8;
  /** As declared in the headers. */
  size: number;
  crc: number;
  /** Overrides the local header offset written in the central directory. */
  localOffset?: number;
}

export const storedEntry = (name: string, body: Buffer): ZipEntry => ({
  name,
  data: body,
  method: 0,
  size: body.length,
  crc: crc32(body),
});

export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(e.method, 10);
    c.writeUInt32LE(e.crc >>> 0, 16);
    c.writeUInt32LE(e.data.length, 20);
    c.writeUInt32LE(e.size, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(e.localOffset ?? offset, 42);
    locals.push(local, name, e.data);
    central.push(c, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
