/**
 * The in-process store (tests, and whatever needs a store that forgets). Each load builds a complete, private
 * `SnapshotIndex` and publishes it with one `Map.set` — the atomic step: a reader sees the snapshot whole or not
 * at all, and a load that fails or is aborted before that step leaves nothing behind. Objects are cloned in and
 * out so callers can never mutate a stored snapshot.
 */
import { SnapshotNotFoundError, type GraphStore, type SnapshotInfo } from '../store.ts';
import { SnapshotIndex } from '../snapshot-index.ts';
import { markCurrent, newSnapshotId, storedInfoOf, type StoredSnapshotInfo } from '../snapshot-meta.ts';

interface LoadedSnapshot {
  info: StoredSnapshotInfo;
  /** Completion order; the highest per account is current. */
  seq: number;
  index: SnapshotIndex;
}

export function createMemoryStore(): GraphStore {
  const snapshots = new Map<string, LoadedSnapshot>();
  let seq = 0;

  const newestFirst = (): LoadedSnapshot[] => [...snapshots.values()].sort((a, b) => b.seq - a.seq);
  const infos = (): SnapshotInfo[] => markCurrent(newestFirst().map((s) => s.info));
  const need = (snapshotId: string): SnapshotIndex => {
    const s = snapshots.get(snapshotId);
    if (!s) throw new SnapshotNotFoundError(snapshotId);
    return s.index;
  };
  const clone = <T>(x: T): T => structuredClone(x);

  return {
    kind: 'memory',

    async load(input, options = {}) {
      const snapshot = clone(input);
      const id = newSnapshotId(snapshot.accountId);
      const index = await SnapshotIndex.build(snapshot, options);
      options.signal?.throwIfAborted();
      // The one step that publishes the snapshot.
      snapshots.set(id, { info: storedInfoOf(id, snapshot, new Date().toISOString()), seq: ++seq, index });
      return infos().find((i) => i.id === id)!;
    },

    async deleteSnapshot(snapshotId) {
      need(snapshotId);
      snapshots.delete(snapshotId);
    },

    async listSnapshots() {
      return clone(infos());
    },

    async getSnapshot(snapshotId) {
      return clone(infos().find((i) => i.id === snapshotId));
    },

    async currentSnapshot(accountId) {
      const all = infos();
      return clone(
        accountId === undefined ? all[0] : all.find((i) => i.current && i.accountId === accountId),
      );
    },

    async listPrincipals(snapshotId, filter, first, after) {
      return need(snapshotId).listPrincipals(filter, first, after);
    },
    async getPrincipal(snapshotId, arn) {
      return need(snapshotId).getPrincipal(arn);
    },
    async getGroup(snapshotId, arn) {
      return need(snapshotId).getGroup(arn);
    },
    async getGroupMembers(snapshotId, groupArn) {
      return need(snapshotId).getGroupMembers(groupArn);
    },
    async getPolicy(snapshotId, arn) {
      return need(snapshotId).getPolicy(arn);
    },
    async getPolicyAttachments(snapshotId, policyArn) {
      return need(snapshotId).getPolicyAttachments(policyArn);
    },
    async getResource(snapshotId, arn) {
      return need(snapshotId).getResource(arn);
    },
    async graph(snapshotId, focus, depth) {
      return need(snapshotId).graph(focus, depth);
    },
    async readSnapshot(snapshotId) {
      return clone(snapshots.get(snapshotId)?.index.snapshot);
    },
    async readDerivedEdges(snapshotId) {
      return clone(need(snapshotId).derived);
    },
    async readPrincipalClasses(snapshotId) {
      return clone(need(snapshotId).classes);
    },
    async close() {
      snapshots.clear();
    },
  };
}
