/**
 * The embedded store (the default when no NEO4J_URI is set). Each load builds a complete, private set of
 * indexes for its snapshot (by ARN, group members, policy attachments, graph adjacency) and publishes it with
 * one `Map.set` — the atomic step: a reader sees the snapshot whole or not at all, and a load that fails or is
 * aborted before that step leaves nothing behind. Lookups are O(1) by ARN and O(k) for members/attachments.
 * Objects are cloned in and out so callers can never mutate a stored snapshot.
 */
import type {
  AccountSnapshot,
  IamGroup,
  ManagedPolicy,
  Principal,
  Resource,
} from '../../../importers/snapshot/model.ts';
import type { DerivedEdge, GraphNodeKind, PrincipalClass } from '../store.ts';
import {
  SnapshotNotFoundError,
  type GraphStore,
  type GraphView,
  type LoadOptions,
  type Page,
  type PolicyAttachment,
  type PrincipalFilter,
  type SnapshotInfo,
} from '../store.ts';
import { buildDerivedRows, buildGraphRows } from '../graph-rows.ts';
import { compareStrings, GraphIndex } from '../graph-view.ts';
import {
  decodeCursor,
  encodeCursor,
  markCurrent,
  matchesPrincipalFilter,
  newSnapshotId,
  storedInfoOf,
  type StoredSnapshotInfo,
} from '../snapshot-meta.ts';

interface LoadedSnapshot {
  info: StoredSnapshotInfo;
  /** Completion order; the highest per account is current. */
  seq: number;
  snapshot: AccountSnapshot;
  principals: Principal[];
  principalByArn: Map<string, Principal>;
  groupByArn: Map<string, IamGroup>;
  policyByArn: Map<string, ManagedPolicy>;
  resourceByArn: Map<string, Resource>;
  members: Map<string, Principal[]>;
  attachments: Map<string, PolicyAttachment[]>;
  graph: GraphIndex;
  derived: DerivedEdge[];
  classes: PrincipalClass[];
}

const byArn = (a: { arn: string }, b: { arn: string }): number => compareStrings(a.arn, b.arn);

/** Let other work (readers, progress bars) run between load phases, and honour an abort there. */
async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  signal?.throwIfAborted();
}

export function createMemoryStore(): GraphStore {
  const snapshots = new Map<string, LoadedSnapshot>();
  let seq = 0;

  const newestFirst = (): LoadedSnapshot[] => [...snapshots.values()].sort((a, b) => b.seq - a.seq);
  const infos = (): SnapshotInfo[] => markCurrent(newestFirst().map((s) => s.info));
  const need = (snapshotId: string): LoadedSnapshot => {
    const s = snapshots.get(snapshotId);
    if (!s) throw new SnapshotNotFoundError(snapshotId);
    return s;
  };
  const clone = <T>(x: T): T => structuredClone(x);

  async function index(id: string, snapshot: AccountSnapshot, options: LoadOptions): Promise<LoadedSnapshot> {
    const { signal, onProgress } = options;
    signal?.throwIfAborted();
    const rows = buildGraphRows(snapshot);
    const { edges: derived, classes } = buildDerivedRows(
      rows,
      options.derivedEdges ?? [],
      options.principalClasses ?? [],
    );
    const total = rows.nodes.length + rows.edges.length + derived.length;
    const report = async (done: number): Promise<void> => {
      onProgress?.(done, total);
      await checkpoint(signal);
    };
    await report(0);

    const principals = [...snapshot.users, ...snapshot.roles].sort(byArn);
    const principalByArn = new Map(principals.map((p) => [p.arn, p]));
    const groupByArn = new Map(snapshot.groups.map((g) => [g.arn, g]));
    const policyByArn = new Map(snapshot.policies.map((p) => [p.arn, p]));
    const resourceByArn = new Map(snapshot.resources.map((r) => [r.arn, r]));
    const kindOf = new Map<string, GraphNodeKind | undefined>(rows.nodes.map((n) => [n.nodeId, n.graphKind]));
    const graph = new GraphIndex(
      rows.nodes
        .filter((n) => n.graphKind)
        .map((n) => ({ id: n.nodeId, kind: n.graphKind!, label: n.graphLabel })),
      rows.edges.flatMap((e) => (e.type === 'IN' ? [] : [{ source: e.from, target: e.to, kind: e.type }])),
    );
    await report(rows.nodes.length);

    const members = new Map<string, Principal[]>();
    const attachments = new Map<string, PolicyAttachment[]>();
    const push = <T>(m: Map<string, T[]>, k: string, v: T): void => {
      const list = m.get(k);
      if (list) list.push(v);
      else m.set(k, [v]);
    };
    for (const e of rows.edges) {
      if (e.type === 'MEMBER_OF') push(members, e.to, principalByArn.get(e.from)!);
      else if (e.type === 'HAS_POLICY' || e.type === 'BOUNDED_BY') {
        const kind = kindOf.get(e.from) as PolicyAttachment['kind'];
        push(attachments, e.to, { arn: e.from, kind, as: e.type === 'HAS_POLICY' ? 'policy' : 'boundary' });
      }
    }
    for (const list of members.values()) list.sort(byArn);
    for (const list of attachments.values()) list.sort((a, b) => byArn(a, b) || compareStrings(a.as, b.as));
    await report(total);

    return {
      info: storedInfoOf(id, snapshot, new Date().toISOString()),
      seq: 0,
      snapshot,
      principals,
      principalByArn,
      groupByArn,
      policyByArn,
      resourceByArn,
      members,
      attachments,
      graph,
      derived,
      classes,
    };
  }

  return {
    kind: 'memory',

    async load(input, options = {}) {
      const snapshot = clone(input);
      const id = newSnapshotId(snapshot.accountId);
      const loaded = await index(id, snapshot, options);
      options.signal?.throwIfAborted();
      loaded.seq = ++seq;
      loaded.info.loadedAt = new Date().toISOString();
      // The one step that publishes the snapshot.
      snapshots.set(id, loaded);
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

    async listPrincipals(snapshotId, filter: PrincipalFilter, first, after) {
      const s = need(snapshotId);
      const matching = s.principals.filter((p) => matchesPrincipalFilter(p, filter));
      const from = after === undefined ? 0 : firstAfter(matching, decodeCursor(after));
      const items = matching.slice(from, from + Math.max(0, first));
      const last = items.at(-1);
      const more = from + items.length < matching.length;
      return clone({
        items,
        ...(more && last ? { nextCursor: encodeCursor(last.arn) } : {}),
        totalCount: matching.length,
      } satisfies Page<Principal>);
    },

    async getPrincipal(snapshotId, arn) {
      return clone(need(snapshotId).principalByArn.get(arn));
    },
    async getGroup(snapshotId, arn) {
      return clone(need(snapshotId).groupByArn.get(arn));
    },
    async getGroupMembers(snapshotId, groupArn) {
      return clone(need(snapshotId).members.get(groupArn) ?? []);
    },
    async getPolicy(snapshotId, arn) {
      return clone(need(snapshotId).policyByArn.get(arn));
    },
    async getPolicyAttachments(snapshotId, policyArn) {
      return clone(need(snapshotId).attachments.get(policyArn) ?? []);
    },
    async getResource(snapshotId, arn) {
      return clone(need(snapshotId).resourceByArn.get(arn));
    },
    async graph(snapshotId, focus, depth): Promise<GraphView> {
      return clone(need(snapshotId).graph.view(focus, depth));
    },
    async readSnapshot(snapshotId) {
      return clone(snapshots.get(snapshotId)?.snapshot);
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

/** Index of the first principal whose ARN sorts after `arn` (binary search over the ARN-sorted list). */
function firstAfter(sorted: readonly Principal[], arn: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareStrings(sorted[mid]!.arn, arn) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
