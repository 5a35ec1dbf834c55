/**
 * One snapshot indexed for the reads of `SnapshotReader` (by ARN, group members, policy attachments, graph
 * adjacency), built in memory by both embedded stores: the memory store keeps one per loaded snapshot, the
 * persistent store builds one when a snapshot is first read by ARN. Lookups are O(1) by ARN and O(k) for
 * members/attachments. Results are cloned so callers can never mutate an index.
 */
import type { AccountSnapshot, IamGroup, ManagedPolicy, Principal, Resource } from '../../schema/snapshot.ts';
import type {
  DerivedEdge,
  GraphNodeKind,
  GraphView,
  LoadOptions,
  Page,
  PolicyAttachment,
  PrincipalClass,
  PrincipalFilter,
} from './store.ts';
import { buildDerivedRows, buildGraphRows } from './graph-rows.ts';
import { compareStrings, GraphIndex } from './graph-view.ts';
import { decodeCursor, encodeCursor, matchesPrincipalFilter } from './snapshot-meta.ts';

const byArn = (a: { arn: string }, b: { arn: string }): number => compareStrings(a.arn, b.arn);
const clone = <T>(x: T): T => structuredClone(x);

/** Let other work (readers, progress bars) run between load phases, and honour an abort there. */
async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  signal?.throwIfAborted();
}

export class SnapshotIndex {
  private constructor(
    readonly snapshot: AccountSnapshot,
    private readonly principals: Principal[],
    private readonly principalByArn: Map<string, Principal>,
    private readonly groupByArn: Map<string, IamGroup>,
    private readonly policyByArn: Map<string, ManagedPolicy>,
    private readonly resourceByArn: Map<string, Resource>,
    private readonly members: Map<string, Principal[]>,
    private readonly attachments: Map<string, PolicyAttachment[]>,
    private readonly graphIndex: GraphIndex,
    /** Sorted by `compareDerivedEdges`, as validated. */
    readonly derived: DerivedEdge[],
    readonly classes: PrincipalClass[],
  ) {}

  /**
   * Validates the snapshot and its derived rows (a duplicate entity, an edge or class member that is not a
   * principal of it: an error) and indexes them, reporting progress and honouring `signal` between phases.
   * The snapshot is kept as given: pass a copy the caller will not mutate.
   */
  static async build(snapshot: AccountSnapshot, options: LoadOptions = {}): Promise<SnapshotIndex> {
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

    return new SnapshotIndex(
      snapshot,
      principals,
      principalByArn,
      new Map(snapshot.groups.map((g) => [g.arn, g])),
      new Map(snapshot.policies.map((p) => [p.arn, p])),
      new Map(snapshot.resources.map((r) => [r.arn, r])),
      members,
      attachments,
      graph,
      derived,
      classes,
    );
  }

  listPrincipals(filter: PrincipalFilter, first: number, after?: string): Page<Principal> {
    const matching = this.principals.filter((p) => matchesPrincipalFilter(p, filter));
    const from = after === undefined ? 0 : firstAfter(matching, decodeCursor(after));
    const items = matching.slice(from, from + Math.max(0, first));
    const last = items.at(-1);
    const more = from + items.length < matching.length;
    return clone({
      items,
      ...(more && last ? { nextCursor: encodeCursor(last.arn) } : {}),
      totalCount: matching.length,
    });
  }

  getPrincipal(arn: string): Principal | undefined {
    return clone(this.principalByArn.get(arn));
  }
  getGroup(arn: string): IamGroup | undefined {
    return clone(this.groupByArn.get(arn));
  }
  getGroupMembers(groupArn: string): Principal[] {
    return clone(this.members.get(groupArn) ?? []);
  }
  getPolicy(arn: string): ManagedPolicy | undefined {
    return clone(this.policyByArn.get(arn));
  }
  getPolicyAttachments(policyArn: string): PolicyAttachment[] {
    return clone(this.attachments.get(policyArn) ?? []);
  }
  getResource(arn: string): Resource | undefined {
    return clone(this.resourceByArn.get(arn));
  }
  graph(focus: string | undefined, depth: number): GraphView {
    return clone(this.graphIndex.view(focus, depth));
  }
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
