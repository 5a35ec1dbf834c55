/**
 * Writes a bundle into a hidden temporary directory beside its destination and renames it into place at the
 * end, so an interrupted or failed collect leaves no half-written bundle where the importers would read it.
 * The temp directory starts with `.` (readBundle skips dot-directories) and sits on the same filesystem as
 * the destination, so the final rename is atomic.
 */
import { mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

export class BundleWriter {
  readonly tempDir: string;
  private readonly written: string[] = [];

  private constructor(
    readonly destination: string,
    tempDir: string,
  ) {
    this.tempDir = tempDir;
  }

  /** Fails when the destination exists and is not an empty directory: a collect never overwrites a bundle. */
  static async checkDestination(destination: string): Promise<string> {
    const dest = path.resolve(destination);
    const existing = await readdir(dest).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      if (e.code === 'ENOTDIR') return ['(a file)'];
      throw e;
    });
    if (existing !== undefined && existing.length > 0) throw new DestinationExistsError(dest);
    return dest;
  }

  static async create(destination: string): Promise<BundleWriter> {
    const dest = await BundleWriter.checkDestination(destination);
    await mkdir(path.dirname(dest), { recursive: true });
    const temp = path.join(
      path.dirname(dest),
      `.${path.basename(dest)}.partial-${randomBytes(4).toString('hex')}`,
    );
    await mkdir(temp, { mode: DIR_MODE });
    return new BundleWriter(dest, temp);
  }

  /** The `aws` CLI's `--output json`: 4-space indentation, non-ASCII kept, a final newline. */
  async writeJson(relativePath: string, doc: unknown): Promise<void> {
    await this.writeText(relativePath, JSON.stringify(doc, null, 4) + '\n');
  }

  async writeText(relativePath: string, text: string): Promise<void> {
    const file = path.join(this.tempDir, ...relativePath.split('/'));
    await mkdir(path.dirname(file), { recursive: true, mode: DIR_MODE });
    await writeFile(file, text, { encoding: 'utf8', mode: FILE_MODE });
    this.written.push(relativePath);
  }

  /** Relative paths written so far, in order. */
  get files(): readonly string[] {
    return this.written;
  }

  /** Moves the finished bundle into place. */
  async commit(): Promise<string> {
    // An empty destination directory (e.g. made by the user beforehand) is replaced; rmdir refuses a
    // directory someone filled meanwhile, and then the rename fails rather than overwrite it.
    await rmdir(this.destination).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw new DestinationExistsError(this.destination);
    });
    await rename(this.tempDir, this.destination);
    return this.destination;
  }

  /** Removes everything written: nothing of a failed collect remains. */
  async abort(): Promise<void> {
    await rm(this.tempDir, { recursive: true, force: true });
  }
}

export class DestinationExistsError extends Error {
  constructor(readonly destination: string) {
    super(`\`${destination}\` already exists and is not empty`);
    this.name = 'DestinationExistsError';
  }
}
