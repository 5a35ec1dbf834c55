/**
 * The Neo4j store (when NEO4J_URI is set): snapshots persist and several servers can share them. Writes go
 * through load.ts (batched, atomic by snapshot state); reads are managed read transactions that only ever
 * match `complete` snapshots. Driver failures are wrapped once, here, in StoreUnavailableError (style.md §D).
 */
import { readFile } from 'node:fs/promises';
import DataLoader from 'dataloader';
import neo4j, { Neo4jError, type Driver, type ManagedTransaction } from 'neo4j-driver';
import type {
  AccountSnapshot,
  IamGroup,
  ManagedPolicy,
  Principal,
  Resource,
} from '../../../schema/snapshot.ts';
import {
  SnapshotNotFoundError,
  StoreUnavailableError,
  type DerivedEdge,
  type PrincipalClass,
  type GraphEdge,
  type GraphNode,
  type GraphStore,
  type GraphView,
  type PolicyAttachment,
  type SnapshotInfo,
} from '../store.ts';
import { ADMIN_NODE_ID, GRAPH_RELATIONSHIP_TYPES, serviceNodeId } from '../model.ts';
import { compareStrings, sortGraphView } from '../graph-view.ts';
import { compareDerivedEdges } from '../graph-rows.ts';
import { splitCypherStatements } from '../constraints-cypher.ts';
import { packagePath } from '../../package-root.ts';
import {
  decodeCursor,
  encodeCursor,
  markCurrent,
  type SnapshotMeta,
  type StoredSnapshotInfo,
} from '../snapshot-meta.ts';
import {
  deleteSnapshotData,
  loadSnapshot,
  Slots,
  toNumber,
  withSession,
  write,
  type Session,
} from './load.ts';
import * as Q from './cypher.ts';

export interface Neo4jStoreOptions {
  uri: string;
  user: string;
  password: string;
  database?: string;
  /**
   * A snapshot still `loading` after this long is a dead process's leftover, removed when a store starts.
   * Default one hour; imports take seconds.
   */
  abandonedLoadAfterMs?: number;
  /**
   * Driver connections, and so sessions open at once (default 100, the driver's own default): more reads than
   * that wait in the store's queue, never in the driver's pool, where they would time out.
   */
  maxConnections?: number;
}

const CONSTRAINTS_FILE = packagePath('schema/neo4j/constraints.cypher');

/** Driver and server errors mean the store is unusable for this call; everything else is ours and passes. */
function isDriverError(e: unknown): boolean {
  return e instanceof Neo4jError;
}

async function guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isDriverError(e))
      throw new StoreUnavailableError(`neo4j: ${what} failed: ${(e as Error).message}`, { cause: e });
    throw e;
  }
}

type Row = Record<string, unknown>;

export async function createNeo4jStore(opts: Neo4jStoreOptions): Promise<GraphStore> {
  const maxConnections = opts.maxConnections ?? 100;
  const driver: Driver = neo4j.driver(opts.uri, neo4j.auth.basic(opts.user, opts.password), {
    // A Neo4j that went away fails a call within seconds (the driver's defaults wait 30–60 s); the driver
    // reconnects on its own once it is back.
    connectionTimeout: 3_000,
    connectionAcquisitionTimeout: 5_000,
    maxTransactionRetryTime: 2_000,
    maxConnectionPoolSize: maxConnections,
  });
  const s: Session = {
    driver,
    slots: new Slots(maxConnections),
    ...(opts.database ? { database: opts.database } : {}),
  };
  try {
    await guard('connecting', () =>
      driver.verifyConnectivity(opts.database ? { database: opts.database } : {}).then(() => undefined),
    );
    await guard('applying schema/neo4j/constraints.cypher', () => applyConstraints(s));
    await guard('removing abandoned loads', () => removeAbandoned(s, opts.abandonedLoadAfterMs ?? 3_600_000));
  } catch (e) {
    await driver.close();
    throw e;
  }

  const read = <T>(what: string, fn: (tx: ManagedTransaction) => Promise<T>): Promise<T> =>
    guard(what, () => withSession(s, 'READ', (session) => session.executeRead(fn)));
  const rows = async (tx: ManagedTransaction, query: string, params: Row): Promise<Row[]> =>
    (await tx.run(query, params)).records.map((r) => r.toObject() as Row);
  /** Runs `fn` only for a complete snapshot, in the same read transaction; else SnapshotNotFoundError. */
  const inSnapshot = <T>(
    snapshotId: string,
    what: string,
    fn: (tx: ManagedTransaction) => Promise<T>,
  ): Promise<T> =>
    read(what, async (tx) => {
      if ((await rows(tx, Q.SNAPSHOT_EXISTS, { snapshotId })).length === 0)
        throw new SnapshotNotFoundError(snapshotId);
      return fn(tx);
    });
  /**
   * Lookups by id made in the same tick (a GraphQL request's DataLoader batch: one per row) answered together,
   * one query per snapshot in one read transaction, rather than a session each.
   */
  const batched = <V>(query: string, what: string, toValue: (found: Row[]) => V) => {
    const loader = new DataLoader<string, V>(
      async (keys) => {
        const bySnapshot = new Map<string, string[]>();
        for (const key of keys) {
          const [snapshotId, id] = splitKey(key);
          const ids = bySnapshot.get(snapshotId);
          if (ids) ids.push(id);
          else bySnapshot.set(snapshotId, [id]);
        }
        const answers = new Map<string, V | Error>();
        await Promise.all(
          [...bySnapshot].map(async ([snapshotId, ids]) => {
            try {
              const found = await inSnapshot(snapshotId, what, (tx) =>
                rows(tx, query, { snapshotId, ids: [...new Set(ids)] }),
              );
              const byId = new Map<string, Row[]>();
              for (const r of found) {
                const list = byId.get(r.id as string);
                if (list) list.push(r);
                else byId.set(r.id as string, [r]);
              }
              for (const id of ids) answers.set(batchKey(snapshotId, id), toValue(byId.get(id) ?? []));
            } catch (e) {
              for (const id of ids) answers.set(batchKey(snapshotId, id), e as Error);
            }
          }),
        );
        return keys.map((k) => answers.get(k)!);
      },
      { cache: false },
    );
    return (snapshotId: string, id: string): Promise<V> => loader.load(batchKey(snapshotId, id));
  };
  const entity = <T>(query: string, what: string) =>
    batched(query, what, ([row]) => (row ? (JSON.parse(row.json as string) as T) : undefined));

  const listSnapshots = (): Promise<SnapshotInfo[]> =>
    read('listing snapshots', async (tx) =>
      markCurrent(
        (await rows(tx, Q.LIST_SNAPSHOTS, {})).map(
          (r) =>
            ({ ...(JSON.parse(r.infoJson as string) as object), loadedAt: r.loadedAt }) as StoredSnapshotInfo,
        ),
      ),
    );

  return {
    kind: 'neo4j',

    async load(snapshot, options) {
      const { id } = await guard('loading a snapshot', () => loadSnapshot(s, snapshot, options));
      const info = (await listSnapshots()).find((i) => i.id === id);
      // INVARIANT: the snapshot was just flipped to complete.
      if (!info) throw new Error(`snapshot ${id} missing right after its load`);
      return info;
    },

    async deleteSnapshot(snapshotId) {
      const existed = await guard('deleting a snapshot', () => deleteSnapshotData(s, snapshotId));
      if (!existed) throw new SnapshotNotFoundError(snapshotId);
    },

    listSnapshots,
    async getSnapshot(snapshotId) {
      return (await listSnapshots()).find((i) => i.id === snapshotId);
    },
    async currentSnapshot(accountId) {
      const all = await listSnapshots();
      return accountId === undefined ? all[0] : all.find((i) => i.current && i.accountId === accountId);
    },

    listPrincipals(snapshotId, filter, first, after) {
      return inSnapshot(snapshotId, 'listing principals', async (tx) => {
        const params = {
          snapshotId,
          kind: filter.kind ?? null,
          search: filter.search ? filter.search.toLowerCase() : null,
          after: after === undefined ? null : decodeCursor(after),
        };
        const [count] = await rows(tx, Q.COUNT_PRINCIPALS, params);
        const limit = Math.max(0, first);
        // One more than asked tells whether another page follows.
        const found = await rows(tx, Q.LIST_PRINCIPALS, { ...params, limit: neo4j.int(limit + 1) });
        const items = found.slice(0, limit).map((r) => JSON.parse(r.json as string) as Principal);
        const last = items.at(-1);
        return {
          items,
          ...(found.length > limit && last ? { nextCursor: encodeCursor(last.arn) } : {}),
          totalCount: toNumber(count?.total ?? 0),
        };
      });
    },

    getPrincipal: entity<Principal>(Q.GET_PRINCIPALS, 'reading principals'),
    getGroup: entity<IamGroup>(Q.GET_GROUPS, 'reading groups'),
    getPolicy: entity<ManagedPolicy>(Q.GET_POLICIES, 'reading policies'),
    getResource: entity<Resource>(Q.GET_RESOURCES, 'reading resources'),

    getGroupMembers: batched(Q.GET_GROUP_MEMBERS, 'reading group members', (found) =>
      found.map((r) => JSON.parse(r.json as string) as Principal),
    ),

    getPolicyAttachments: batched(Q.GET_POLICY_ATTACHMENTS, 'reading policy attachments', (found) =>
      found
        .map((r): PolicyAttachment => ({
          arn: r.arn as string,
          kind: r.kind as PolicyAttachment['kind'],
          as: r.type === 'BOUNDED_BY' ? 'boundary' : 'policy',
        }))
        .sort((a, b) => compareStrings(a.arn, b.arn) || compareStrings(a.as, b.as)),
    ),

    graph(snapshotId, focus, depth): Promise<GraphView> {
      const types = GRAPH_RELATIONSHIP_TYPES;
      return inSnapshot(snapshotId, 'reading the graph', async (tx) => {
        const toNodes = (rs: Row[]): GraphNode[] =>
          rs.map((r) => ({ id: r.id, kind: r.kind, label: r.label }) as GraphNode);
        const toEdges = (rs: Row[]): GraphEdge[] =>
          rs.map((r) => ({ source: r.source, target: r.target, kind: r.kind }) as GraphEdge);
        if (focus === undefined) {
          return sortGraphView({
            nodes: toNodes(await rows(tx, Q.GRAPH_NODES, { snapshotId })),
            edges: toEdges(await rows(tx, Q.GRAPH_EDGES, { snapshotId, types })),
          });
        }
        if ((await rows(tx, Q.GRAPH_NODES_BY_ID, { snapshotId, ids: [focus] })).length === 0)
          return { nodes: [], edges: [] };
        // Breadth-first, one query per hop, so the depth bound holds without variable-length patterns.
        const visited = new Set([focus]);
        let frontier = [focus];
        for (let hop = 0; hop < depth && frontier.length > 0; hop++) {
          const next = (await rows(tx, Q.GRAPH_NEIGHBOURS, { snapshotId, ids: frontier, types }))
            .map((r) => r.id as string)
            .filter((id) => !visited.has(id));
          for (const id of next) visited.add(id);
          frontier = next;
        }
        const ids = [...visited];
        return sortGraphView({
          nodes: toNodes(await rows(tx, Q.GRAPH_NODES_BY_ID, { snapshotId, ids })),
          edges: toEdges(await rows(tx, Q.GRAPH_EDGES_AMONG, { snapshotId, ids, types })),
        });
      });
    },

    async readSnapshot(snapshotId) {
      try {
        return await inSnapshot(snapshotId, 'reading a snapshot', async (tx) => {
          const [meta] = await rows(tx, Q.SNAPSHOT_EXISTS, { snapshotId });
          const all = async <T>(query: string): Promise<T[]> =>
            (await rows(tx, query, { snapshotId })).map((r) => JSON.parse(r.json as string) as T);
          return {
            ...(JSON.parse(meta!.metaJson as string) as SnapshotMeta),
            users: await all(Q.READ_ENTITIES.User),
            groups: await all(Q.READ_ENTITIES.Group),
            roles: await all(Q.READ_ENTITIES.Role),
            policies: await all(Q.READ_ENTITIES.Policy),
            resources: await all(Q.READ_ENTITIES.Resource),
          } as AccountSnapshot;
        });
      } catch (e) {
        if (e instanceof SnapshotNotFoundError) return undefined;
        throw e;
      }
    },

    readDerivedEdges(snapshotId) {
      return inSnapshot(snapshotId, 'reading derived edges', async (tx) =>
        (await rows(tx, Q.READ_DERIVED_EDGES, { snapshotId })).map(toDerivedEdge).sort(compareDerivedEdges),
      );
    },

    readPrincipalClasses(snapshotId) {
      return inSnapshot(snapshotId, 'reading principal classes', async (tx) =>
        (await rows(tx, Q.READ_PRINCIPAL_CLASSES, { snapshotId })).map(toPrincipalClass).sort(compareIds),
      );
    },

    readReachableRows(snapshotId, from, maxDepth, maxShare) {
      return inSnapshot(snapshotId, 'reading reachable escalation rows', async (tx) => {
        const [meta] = await rows(tx, Q.SNAPSHOT_EXISTS, { snapshotId });
        const stored = toNumber(meta?.derivedRows ?? 0);
        if (stored === 0) return undefined;
        const budget = stored * maxShare;
        let read = 0;
        const edges: DerivedEdge[] = [];
        const classes = new Map<string, PrincipalClass>();
        const reached = new Set([from]);
        // Breadth-first, one query per hop: the principals first reached at `hop` hops are the frontier.
        let frontier = [from];
        for (let hop = 0; hop <= maxDepth && frontier.length > 0; hop++) {
          const next: string[] = [];
          const enter = (arn: string): void => {
            if (reached.has(arn)) return;
            reached.add(arn);
            next.push(arn);
          };
          const newClasses = new Set<string>();
          const params = { snapshotId, ids: frontier, stepsToo: hop < maxDepth };
          const found = await rows(tx, Q.REACHABLE_ROWS, params);
          if ((read += found.length) > budget) return undefined;
          for (const r of found) {
            const edge = toDerivedEdge(r);
            edges.push(edge);
            if (r.toClass === true) {
              if (!classes.has(edge.to)) newClasses.add(edge.to);
            } else if (edge.type !== 'IS_ADMIN' && edge.to !== ADMIN_NODE_ID) enter(edge.to);
          }
          if (newClasses.size > 0)
            for (const r of await rows(tx, Q.CLASSES_BY_ID, { snapshotId, ids: [...newClasses] })) {
              const c = toPrincipalClass(r);
              if ((read += c.members.length) > budget) return undefined;
              classes.set(c.id, c);
              c.members.forEach(enter);
            }
          frontier = next;
        }
        return { edges: edges.sort(compareDerivedEdges), classes: [...classes.values()].sort(compareIds) };
      });
    },

    readSnapshotPart(snapshotId, query) {
      return inSnapshot(snapshotId, 'reading a part of a snapshot', async (tx) => {
        const [meta] = await rows(tx, Q.SNAPSHOT_EXISTS, { snapshotId });
        if (meta?.servicesIndexed !== true) return undefined;
        const inOrder = async <T>(ids: Iterable<string>): Promise<T[]> => {
          const unique = [...new Set(ids)];
          if (unique.length === 0) return [];
          return (await rows(tx, Q.ENTITIES_IN_ORDER, { snapshotId, ids: unique })).map(
            (r) => JSON.parse(r.json as string) as T,
          );
        };
        const ids = new Set(query.principals);
        if (query.services.length > 0) {
          const services = [...new Set([...query.services, '*'])].map(serviceNodeId);
          for (const r of await rows(tx, Q.CANDIDATES_BY_SERVICE, { snapshotId, services }))
            ids.add(r.id as string);
        }
        if (query.roleNames.length > 0 || query.roleNamePrefixes.length > 0) {
          const params = { snapshotId, names: query.roleNames, prefixes: query.roleNamePrefixes };
          for (const r of await rows(tx, Q.ROLES_BY_NAME, params)) ids.add(r.id as string);
        }
        // Users and roles come back each in their own snapshot order (`ord` counts per kind).
        const principals = await inOrder<Principal>(ids);
        const users = principals.filter((p) => p.kind === 'user');
        const roles = principals.filter((p) => p.kind === 'role');
        const groups = await inOrder<IamGroup>(users.flatMap((u) => (u.kind === 'user' ? u.groups : [])));
        const policies = await inOrder<ManagedPolicy>([
          ...principals.flatMap((p) => [
            ...p.attachedPolicies,
            ...(p.permissionsBoundary ? [p.permissionsBoundary] : []),
          ]),
          ...groups.flatMap((g) => g.attachedPolicies),
        ]);
        return {
          ...(JSON.parse(meta.metaJson as string) as SnapshotMeta),
          users,
          groups,
          roles,
          policies,
          resources: await inOrder<Resource>(query.resources),
        } as AccountSnapshot;
      });
    },

    async close() {
      await driver.close();
    },
  };
}

function toDerivedEdge(r: Row): DerivedEdge {
  return {
    type: r.type as DerivedEdge['type'],
    from: r.from as string,
    to: r.to as string,
    technique: r.technique as string,
    conditional: r.conditional as boolean,
    conditions: (r.conditions as string[] | null) ?? [],
    evidence: r.evidence as string,
  };
}

/** A class row: members sorted, and each member's own residual conditions (`INCLUDES.conditions`) when it has any. */
function toPrincipalClass(r: Row): PrincipalClass {
  const conditions = (r.memberConditions as [string | null, string[] | null][]).filter(
    (x): x is [string, string[]] => x[0] !== null && (x[1]?.length ?? 0) > 0,
  );
  return {
    id: r.id as string,
    name: r.name as string,
    members: (r.members as string[]).sort(compareStrings),
    ...(conditions.length
      ? { memberConditions: Object.fromEntries(conditions.sort(([a], [b]) => compareStrings(a, b))) }
      : {}),
  };
}

/** A batched lookup's key: snapshot id and node id (ids hold no newline). */
const batchKey = (snapshotId: string, id: string): string => `${snapshotId}\n${id}`;
function splitKey(key: string): [string, string] {
  const cut = key.indexOf('\n');
  return [key.slice(0, cut), key.slice(cut + 1)];
}

const compareIds = (a: { id: string }, b: { id: string }): number => compareStrings(a.id, b.id);

async function removeAbandoned(s: Session, afterMs: number): Promise<void> {
  const startedBefore = new Date(Date.now() - afterMs).toISOString();
  const found = (await write(s, Q.LIST_ABANDONED_SNAPSHOTS, { startedBefore })) as { id: string }[];
  for (const { id } of found) await deleteSnapshotData(s, id);
}

/**
 * Schema statements each in their own transaction (Neo4j refuses schema and data writes in one). Several
 * processes may start at once: `IF NOT EXISTS` makes a repeat a no-op, and a concurrent creation of the same
 * constraint is retried once.
 */
async function applyConstraints(s: Session): Promise<void> {
  const statements = splitCypherStatements(await readFile(CONSTRAINTS_FILE, 'utf8'));
  for (const statement of statements) {
    try {
      await write(s, statement, {});
    } catch {
      await new Promise((r) => setTimeout(r, 500));
      await write(s, statement, {});
    }
  }
}
