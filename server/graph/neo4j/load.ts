/**
 * Loading a snapshot into Neo4j without ever exposing half of it (docs/neo4j.md: `CALL … IN TRANSACTIONS`
 * cannot make an import atomic, and one huge transaction holds the whole snapshot in heap): the rows are
 * written in `UNWIND $rows` batches under a NEW snapshotId whose Snapshot node says `loading`, and a final
 * transaction flips it to `complete`. Readers only match complete snapshots. On failure or abort, everything
 * written under that id is deleted and the error rethrown, so the previous snapshot stays current.
 */
import type { Driver } from 'neo4j-driver';
import neo4j from 'neo4j-driver';
import type { AccountSnapshot } from '../../../schema/snapshot.ts';
import type { LoadOptions } from '../store.ts';
import { buildDerivedRows, buildGraphRows, type NodeRow } from '../graph-rows.ts';
import { metaOf, newSnapshotId, storedInfoOf } from '../snapshot-meta.ts';
import { serviceNodeId, type NodeLabel, type StructuralRelationshipType } from '../model.ts';
import { allowedServices, parsePolicy } from '../../engine/index.ts';
import type { DerivedEdgeType } from '../store.ts';
import {
  COMPLETE_SNAPSHOT,
  CREATE_CLASS_MEMBERSHIPS,
  CREATE_MAY_ALLOW,
  CREATE_DERIVED_RELATIONSHIPS,
  CREATE_NODES,
  CREATE_RELATIONSHIPS,
  CREATE_SNAPSHOT,
  DELETE_ENTITY_BATCH,
  DELETE_SNAPSHOT_NODE,
  MARK_SNAPSHOT_DELETING,
} from './cypher.ts';

/** Rows per UNWIND statement (and per transaction): docs/neo4j.md suggests 1k–10k. */
export const BATCH_SIZE = 5000;
const DELETE_BATCH_SIZE = 10_000;

export interface Session {
  driver: Driver;
  database?: string;
  /** Every driver session of the store holds one of these while open (`withSession`). */
  slots: Slots;
}

/**
 * At most `size` holders at once, the rest queued in order: the store opens no more driver sessions than the
 * driver has connections, so however many reads a burst of requests starts, none waits in the driver's pool
 * (where it would fail after `connectionAcquisitionTimeout`).
 */
export class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}

/** `fn` in a driver session of `mode`, closed afterwards, holding one of the store's slots meanwhile. */
export function withSession<T>(
  s: Session,
  mode: 'READ' | 'WRITE',
  fn: (session: ReturnType<Driver['session']>) => Promise<T>,
): Promise<T> {
  return s.slots.run(async () => {
    const session = s.driver.session({
      database: s.database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
    });
    try {
      return await fn(session);
    } finally {
      await session.close();
    }
  });
}

/** Neo4j integers come back as `Integer` objects (lossless); our counts are small. */
export function toNumber(x: unknown): number {
  return neo4j.isInt(x) ? (x as { toNumber(): number }).toNumber() : Number(x);
}

function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** A node row as Neo4j properties: scalars only, the whole entity as JSON text, no undefined values. */
function toProperties(snapshotId: string, row: NodeRow): Record<string, unknown> {
  const props: Record<string, unknown> = {
    snapshotId,
    nodeId: row.nodeId,
    graphLabel: row.graphLabel,
    ord: neo4j.int(row.ord),
    ...row.props,
  };
  if (row.graphKind) props.graphKind = row.graphKind;
  if (row.entity !== undefined) props.json = JSON.stringify(row.entity);
  return props;
}

export function write(s: Session, query: string, params: Record<string, unknown>): Promise<unknown[]> {
  return withSession(s, 'WRITE', async (session) => {
    const result = await session.executeWrite((tx) => tx.run(query, params));
    return result.records.map((r) => r.toObject());
  });
}

/** Returns the new snapshot's id and load time. */
export async function loadSnapshot(
  s: Session,
  snapshot: AccountSnapshot,
  options: LoadOptions = {},
): Promise<{ id: string; loadedAt: string }> {
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  // Validation (duplicate ids) happens here, before anything is written.
  const rows = buildGraphRows(snapshot);
  const derived = buildDerivedRows(rows, options.derivedEdges ?? [], options.principalClasses ?? []);
  const memberships = derived.classes.flatMap((c) =>
    c.members.map((to) => ({ from: c.id, to, conditions: c.memberConditions?.[to] ?? null })),
  );
  const services = serviceIndex(rows.nodes);
  const id = newSnapshotId(snapshot.accountId);
  const total =
    rows.nodes.length +
    derived.nodes.length +
    rows.edges.length +
    derived.edges.length +
    memberships.length +
    services.nodes.length +
    services.links.length;
  const { loadedAt: _ignored, ...info } = storedInfoOf(id, snapshot, '');

  await write(s, CREATE_SNAPSHOT, {
    id,
    accountId: snapshot.accountId,
    startedAt: new Date().toISOString(),
    infoJson: JSON.stringify(info),
    metaJson: JSON.stringify(metaOf(snapshot)),
    derivedRows: neo4j.int(derived.edges.length + memberships.length),
  });
  try {
    let done = 0;
    const step = async (query: string, batch: unknown[]): Promise<void> => {
      await write(s, query, { snapshotId: id, rows: batch });
      done += batch.length;
      onProgress?.(done, total);
      signal?.throwIfAborted();
    };
    const byLabel = new Map<NodeLabel, Record<string, unknown>[]>();
    for (const row of [...rows.nodes, ...derived.nodes]) {
      const list = byLabel.get(row.label) ?? [];
      list.push(toProperties(id, row));
      byLabel.set(row.label, list);
    }
    for (const [label, list] of byLabel)
      for (const batch of chunks(list, BATCH_SIZE)) await step(CREATE_NODES[label], batch);
    const serviceNodes = services.nodes.map((n) => ({ snapshotId: id, ...n }));
    for (const batch of chunks(serviceNodes, BATCH_SIZE)) await step(CREATE_NODES.Service, batch);
    for (const batch of chunks(services.links, BATCH_SIZE)) await step(CREATE_MAY_ALLOW, batch);

    const byType = new Map<StructuralRelationshipType, { from: string; to: string }[]>();
    for (const e of rows.edges) {
      const list = byType.get(e.type) ?? [];
      list.push({ from: e.from, to: e.to });
      byType.set(e.type, list);
    }
    for (const [type, list] of byType) {
      const query = CREATE_RELATIONSHIPS[type as keyof typeof CREATE_RELATIONSHIPS];
      // INVARIANT: graph rows only produce structural relationship types.
      if (!query) throw new Error(`no Cypher for relationship type ${type}`);
      for (const batch of chunks(list, BATCH_SIZE)) await step(query, batch);
    }
    for (const batch of chunks(memberships, BATCH_SIZE)) await step(CREATE_CLASS_MEMBERSHIPS, batch);
    const derivedByType = new Map<DerivedEdgeType, unknown[]>();
    for (const e of derived.edges) {
      const list = derivedByType.get(e.type) ?? [];
      list.push({
        from: e.from,
        to: e.to,
        props: {
          technique: e.technique,
          conditional: e.conditional,
          conditions: e.conditions,
          evidence: e.evidence,
        },
      });
      derivedByType.set(e.type, list);
    }
    for (const [type, list] of derivedByType)
      for (const batch of chunks(list, BATCH_SIZE)) await step(CREATE_DERIVED_RELATIONSHIPS[type], batch);

    const loadedAt = new Date().toISOString();
    const flipped = await write(s, COMPLETE_SNAPSHOT, { id, loadedAt });
    // INVARIANT: nobody else writes our fresh id, so the flip matches exactly one node.
    if (flipped.length !== 1) throw new Error(`snapshot ${id} vanished while loading`);
    return { id, loadedAt };
  } catch (error) {
    // Best effort: if Neo4j itself failed, the cleanup fails too, and the `loading` node stays invisible to
    // readers; the original error is what the caller needs to see.
    await deleteSnapshotData(s, id).catch(() => undefined);
    throw error;
  }
}

/**
 * who-can's service index: a node per service some identity policy could allow (`service:*` for any) and a link
 * from each policy with a document (managed, inline) to each of its services. A document that does not parse
 * links nowhere: who-can leaves such a principal out either way.
 */
function serviceIndex(nodes: readonly NodeRow[]): {
  nodes: Record<string, unknown>[];
  links: { from: string; to: string }[];
} {
  const links: { from: string; to: string }[] = [];
  const seen = new Set<string>();
  for (const n of nodes) {
    const document = n.props.document;
    if (n.label !== 'Policy' || n.props.policyKind === 'resource' || typeof document !== 'string') continue;
    const policy = parsePolicy(document, { kind: 'identity' }).policy;
    if (!policy) continue;
    const services = allowedServices(policy);
    for (const service of services === 'any' ? ['*'] : services) {
      const to = serviceNodeId(service);
      seen.add(to);
      links.push({ from: n.nodeId, to });
    }
  }
  return {
    nodes: [...seen].map((nodeId) => ({
      nodeId,
      service: nodeId.slice('service:'.length),
      ord: neo4j.int(-1),
    })),
    links,
  };
}

/** Hides the snapshot from readers in one step, then deletes its nodes in batches. False if it did not exist. */
export async function deleteSnapshotData(s: Session, snapshotId: string): Promise<boolean> {
  const marked = await write(s, MARK_SNAPSHOT_DELETING, { snapshotId });
  for (;;) {
    const [row] = (await write(s, DELETE_ENTITY_BATCH, {
      snapshotId,
      limit: neo4j.int(DELETE_BATCH_SIZE),
    })) as {
      deleted: unknown;
    }[];
    if (!row || toNumber(row.deleted) === 0) break;
  }
  await write(s, DELETE_SNAPSHOT_NODE, { snapshotId });
  return marked.length > 0;
}
