/**
 * The persistent embedded store (the default without Neo4j): one LMDB file, `store.lmdb` in the data directory,
 * shared safely by every process that opens it. Each snapshot is kept whole (MessagePack) with its derived rows
 * and a small info record; one write transaction publishes all three, so a reader — in this process or another —
 * sees a snapshot whole or not at all, and a crash mid-write leaves the previous state (LMDB commits by flipping
 * a meta page after the data is synced). Reads by ARN go through a `SnapshotIndex` built on first use per process.
 *
 * A snapshot may be remembered under a `source` key (the content hash of the bundle it came from, with the
 * import's diagnostics): `findSource` finds it again so a later import skips parsing and the escalation build.
 * The file's format version is checked on open; a truncated, unreadable or other-version file is a
 * `StoreDamagedError` (see README.md beside this file for what the command line does with it).
 */
import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { Packr } from 'msgpackr';
import type { AccountSnapshot } from '../../../schema/snapshot.ts';
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import { SnapshotIndex } from '../snapshot-index.ts';
import { sameVersions } from './source-versions.ts';
import { markCurrent, newSnapshotId, storedInfoOf, type StoredSnapshotInfo } from '../snapshot-meta.ts';
import {
  SnapshotNotFoundError,
  StoreDamagedError,
  type DerivedEdge,
  type GraphStore,
  type LoadOptions,
  type PrincipalClass,
  type SnapshotInfo,
} from '../store.ts';

/** The file's layout version: a store written under another one is set aside, not read. */
export const STORE_FORMAT = 1;
export const STORE_FILE = 'store.lmdb';
export { StoreDamagedError };

/** What an import remembers about the bundle a snapshot came from. */
export interface SnapshotSource {
  /** Content hash of the bundle: with the same `versions`, the same key means the same snapshot. */
  key: string;
  /**
   * What the snapshot was built with (name → version; server/app/analysis-versions.ts): a record is reused only
   * by an import whose versions are equal. Absent in records written before versions were kept.
   */
  versions?: Record<string, string>;
  /** The import's diagnostics, replayed when the snapshot is reused. */
  diagnostics: Diagnostic[];
  accountName?: string;
}

export interface EmbeddedLoadOptions extends LoadOptions {
  source?: SnapshotSource;
}

export interface EmbeddedStore extends GraphStore {
  readonly kind: 'embedded';
  readonly file: string;
  /** `STORE_FORMAT`: bundle keys include it, so a new format never reuses an old key. */
  readonly format: number;
  /**
   * Store a snapshot as `GraphStore.load` does; with `source`, remember it under its key (replacing a record of
   * other versions). When another process stored the same key with the same versions first, that snapshot is
   * kept and returned instead.
   */
  load(snapshot: AccountSnapshot, options?: EmbeddedLoadOptions): Promise<SnapshotInfo>;
  /** The snapshot stored under `key`, if any, whatever its versions (the caller compares them). */
  findSource(key: string): Promise<{ info: SnapshotInfo; source: SnapshotSource } | undefined>;
  /** Makes a stored snapshot current for its account again, as loading it anew would. */
  republish(snapshotId: string): Promise<SnapshotInfo>;
  /** Tool data kept beside the snapshots (the action catalog, read once per iam-data version), by key. */
  readCache(key: string): Promise<unknown>;
  writeCache(key: string, value: unknown): Promise<void>;
}

interface InfoRecord {
  info: StoredSnapshotInfo;
  /** Publication order; the highest per account is current. */
  seq: number;
  sourceKey?: string;
}

interface DerivedRecord {
  edges: DerivedEdge[];
  classes: PrincipalClass[];
}

/** Indexes kept per process for reads by ARN; a few snapshots at a time, least recently used out. */
const INDEX_CACHE_SIZE = 4;

const packr = new Packr({ useRecords: true });

function pack(value: unknown): Buffer {
  return packr.pack(value);
}

/**
 * Opens (creating if needed) the store in `dir`. Throws `StoreDamagedError` when the file is truncated, is not
 * an LMDB file, or has another format version.
 */
export function openEmbeddedStore(dir: string): EmbeddedStore {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, STORE_FILE);
  checkHeader(file);
  let root: RootDatabase;
  try {
    root = open({ path: file, maxDbs: 4, encoding: 'json' });
  } catch (e) {
    throw new StoreDamagedError(file, `cannot be opened (${(e as Error).message})`, { cause: e });
  }
  try {
    checkLength(root, file);
    return createStore(root, file);
  } catch (e) {
    void root.close();
    throw e instanceof StoreDamagedError
      ? e
      : new StoreDamagedError(file, `cannot be read (${(e as Error).message})`, { cause: e });
  }
}

/** LMDB's magic number, at this offset in each of its two meta pages (lmdb-js's page header is 24 bytes). */
const MAGIC = 0xbeefc0de;
const MAGIC_AT = 0x18;
/** The page size, kept as the free-page database's `md_pad` in the meta page. */
const PAGE_SIZE_AT = 0x30;

/**
 * LMDB trusts the file it opens: one that is not an LMDB file crashes the process (SIGSEGV) on open. A file that
 * exists and is not empty must start with two meta pages carrying LMDB's magic number.
 */
function checkHeader(file: string): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return; // No file yet: LMDB creates it.
  }
  if (size === 0) return;
  const head = Buffer.alloc(PAGE_SIZE_AT + 4);
  const fd = openSync(file, 'r');
  try {
    const read = readSync(fd, head, 0, head.length, 0);
    const pageSize = read === head.length ? head.readUInt32LE(PAGE_SIZE_AT) : 0;
    const second = Buffer.alloc(4);
    const validSize = pageSize >= 512 && pageSize <= 65536 && (pageSize & (pageSize - 1)) === 0;
    if (!validSize || head.readUInt32LE(MAGIC_AT) !== MAGIC || size < 2 * pageSize)
      throw new StoreDamagedError(file, 'is not an LMDB store (no meta pages)');
    readSync(fd, second, 0, 4, pageSize + MAGIC_AT);
    if (second.readUInt32LE(0) !== MAGIC)
      throw new StoreDamagedError(file, 'is not an LMDB store (its second meta page is damaged)');
  } finally {
    closeSync(fd);
  }
}

/**
 * LMDB maps the file and trusts it: a page past the end of a truncated file would kill the process (SIGBUS) when
 * read. The last page in use, from the meta page, must lie inside the file.
 */
function checkLength(root: RootDatabase, file: string): void {
  const stats = root.getStats() as { lastPageNumber: number; pageSize: number };
  const needed = (stats.lastPageNumber + 1) * stats.pageSize;
  const size = statSync(file).size;
  if (size < needed) throw new StoreDamagedError(file, `is truncated (${size} of ${needed} bytes)`);
}

function createStore(root: RootDatabase, file: string): EmbeddedStore {
  const format = root.get('format') as number | undefined;
  const infos = root.openDB<InfoRecord, string>({ name: 'snapshots', encoding: 'json' });
  const sources = root.openDB<SnapshotSource & { snapshotId: string }, string>({
    name: 'sources',
    encoding: 'json',
  });
  const blobs: Database<Buffer, string> = root.openDB({ name: 'blobs', encoding: 'binary' });
  const caches: Database<Buffer, string> = root.openDB({ name: 'cache', encoding: 'binary' });
  if (format === undefined) {
    if (infos.getKeysCount() > 0) throw new StoreDamagedError(file, 'has no format version');
    root.putSync('format', STORE_FORMAT);
  } else if (format !== STORE_FORMAT)
    throw new StoreDamagedError(file, `has format ${format}, this accessgraph reads format ${STORE_FORMAT}`);

  const indexes = new Map<string, Promise<SnapshotIndex>>();

  const records = (): InfoRecord[] => [...infos.getRange()].map((e) => e.value).sort((a, b) => b.seq - a.seq);
  const allInfos = (): SnapshotInfo[] => markCurrent(records().map((r) => r.info));
  const infoOf = (id: string): SnapshotInfo | undefined => allInfos().find((i) => i.id === id);
  const maxSeq = (): number => records()[0]?.seq ?? 0;

  function unpackBlob<T>(key: string, db = blobs): T | undefined {
    const bytes = db.getBinary(key);
    if (bytes === undefined) return undefined;
    try {
      return packr.unpack(bytes) as T;
    } catch (e) {
      throw new StoreDamagedError(file, `holds an unreadable record \`${key}\` (${(e as Error).message})`, {
        cause: e,
      });
    }
  }
  const readDerived = (id: string): DerivedRecord => {
    if (!infos.doesExist(id)) throw new SnapshotNotFoundError(id);
    return unpackBlob<DerivedRecord>(`${id}/derived`) ?? { edges: [], classes: [] };
  };

  function remember(id: string, index: Promise<SnapshotIndex>): void {
    indexes.delete(id);
    indexes.set(id, index);
    while (indexes.size > INDEX_CACHE_SIZE) indexes.delete(indexes.keys().next().value!);
    index.catch(() => indexes.delete(id));
  }
  async function need(id: string): Promise<SnapshotIndex> {
    if (!infos.doesExist(id)) throw new SnapshotNotFoundError(id);
    let index = indexes.get(id);
    if (!index) {
      const snapshot = unpackBlob<AccountSnapshot>(`${id}/snapshot`);
      if (!snapshot) throw new SnapshotNotFoundError(id);
      const { edges, classes } = readDerived(id);
      index = SnapshotIndex.build(snapshot, { derivedEdges: edges, principalClasses: classes });
    }
    remember(id, index);
    return index;
  }

  function republish(id: string): SnapshotInfo {
    root.transactionSync(() => {
      const record = infos.get(id);
      if (!record) throw new SnapshotNotFoundError(id);
      const top = maxSeq();
      if (record.seq !== top) infos.putSync(id, { ...record, seq: top + 1 });
    });
    return infoOf(id)!;
  }

  function sourceOf(key: string): { info: SnapshotInfo; source: SnapshotSource } | undefined {
    const found = sources.get(key);
    const info = found && infoOf(found.snapshotId);
    if (!info) return undefined;
    const { snapshotId: _, ...source } = found;
    return { info, source };
  }

  return {
    kind: 'embedded',
    file,
    format: STORE_FORMAT,

    async load(input, options = {}) {
      const snapshot = structuredClone(input);
      const index = await SnapshotIndex.build(snapshot, options);
      options.signal?.throwIfAborted();
      const id = newSnapshotId(snapshot.accountId);
      const snapshotBytes = pack(snapshot);
      const derivedBytes = pack({ edges: index.derived, classes: index.classes } satisfies DerivedRecord);
      options.signal?.throwIfAborted();
      const { source } = options;
      // The one transaction that publishes the snapshot (or finds that another process stored it first).
      const existing = root.transactionSync(() => {
        const record = source && sources.get(source.key);
        const stored = record && sameVersions(record.versions, source.versions) && record.snapshotId;
        if (stored && infos.doesExist(stored)) return stored;
        blobs.putSync(`${id}/snapshot`, snapshotBytes);
        blobs.putSync(`${id}/derived`, derivedBytes);
        infos.putSync(id, {
          info: storedInfoOf(id, snapshot, new Date().toISOString()),
          seq: maxSeq() + 1,
          ...(source ? { sourceKey: source.key } : {}),
        });
        if (source) sources.putSync(source.key, { ...source, snapshotId: id });
        return undefined;
      });
      if (existing) return republish(existing);
      remember(id, Promise.resolve(index));
      return infoOf(id)!;
    },

    async findSource(key) {
      return sourceOf(key);
    },

    async republish(snapshotId) {
      return republish(snapshotId);
    },

    async readCache(key) {
      return unpackBlob(key, caches);
    },
    async writeCache(key, value) {
      await caches.put(key, pack(value));
    },

    async deleteSnapshot(snapshotId) {
      root.transactionSync(() => {
        const record = infos.get(snapshotId);
        if (!record) throw new SnapshotNotFoundError(snapshotId);
        infos.removeSync(snapshotId);
        blobs.removeSync(`${snapshotId}/snapshot`);
        blobs.removeSync(`${snapshotId}/derived`);
        if (record.sourceKey && sources.get(record.sourceKey)?.snapshotId === snapshotId)
          sources.removeSync(record.sourceKey);
      });
      indexes.delete(snapshotId);
    },

    async listSnapshots() {
      return allInfos();
    },
    async getSnapshot(snapshotId) {
      return infoOf(snapshotId);
    },
    async currentSnapshot(accountId) {
      const all = allInfos();
      return accountId === undefined ? all[0] : all.find((i) => i.current && i.accountId === accountId);
    },

    async listPrincipals(snapshotId, filter, first, after) {
      return (await need(snapshotId)).listPrincipals(filter, first, after);
    },
    async getPrincipal(snapshotId, arn) {
      return (await need(snapshotId)).getPrincipal(arn);
    },
    async getGroup(snapshotId, arn) {
      return (await need(snapshotId)).getGroup(arn);
    },
    async getGroupMembers(snapshotId, groupArn) {
      return (await need(snapshotId)).getGroupMembers(groupArn);
    },
    async getPolicy(snapshotId, arn) {
      return (await need(snapshotId)).getPolicy(arn);
    },
    async getPolicyAttachments(snapshotId, policyArn) {
      return (await need(snapshotId)).getPolicyAttachments(policyArn);
    },
    async getResource(snapshotId, arn) {
      return (await need(snapshotId)).getResource(arn);
    },
    async graph(snapshotId, focus, depth) {
      return (await need(snapshotId)).graph(focus, depth);
    },
    // Decoded afresh on every call: each caller gets its own copy.
    async readSnapshot(snapshotId) {
      return infos.doesExist(snapshotId) ? unpackBlob<AccountSnapshot>(`${snapshotId}/snapshot`) : undefined;
    },
    async readDerivedEdges(snapshotId) {
      return readDerived(snapshotId).edges;
    },
    async readPrincipalClasses(snapshotId) {
      return readDerived(snapshotId).classes;
    },
    async close() {
      indexes.clear();
      await root.close();
    },
  };
}
