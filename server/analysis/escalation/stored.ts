/**
 * The escalation graph as the stores keep it: DerivedEdge rows (CAN_ASSUME, CAN_ESCALATE, IS_ADMIN with evidence
 * as JSON text) written at import, and read back into an EscalationGraph for the queries, once per store and
 * snapshot id (snapshots never change once loaded).
 */
import type { AccountSnapshot } from '../../../importers/snapshot/model.ts';
import { ADMIN_NODE_ID } from '../../graph/model.ts';
import type { DerivedEdge, SnapshotReader } from '../../graph/store.ts';
import type { MatchedStatement } from '../who-can.ts';
import { cachedSnapshot } from '../who-can.ts';
import { ADMIN, type AdminVerdict, type EscalationEdge, type EscalationGraph } from './graph.ts';
import { ADMIN_EQUIVALENT } from './traversal.ts';

// INVARIANT: the store's admin node is the graph's ADMIN (checked by stored.test.ts too).
if ((ADMIN as string) !== ADMIN_NODE_ID) throw new Error('ADMIN and ADMIN_NODE_ID differ');

export function toDerivedEdges(graph: EscalationGraph): DerivedEdge[] {
  const edges: DerivedEdge[] = graph.edges.map((e) => ({
    type: e.kind === 'assume' ? 'CAN_ASSUME' : 'CAN_ESCALATE',
    from: e.from,
    to: e.to,
    technique: e.technique,
    conditional: e.conditional,
    conditions: e.conditions,
    evidence: JSON.stringify(e.evidence),
  }));
  for (const [arn, v] of graph.admins)
    edges.push({
      type: 'IS_ADMIN',
      from: arn,
      to: ADMIN_NODE_ID,
      technique: ADMIN_EQUIVALENT,
      conditional: v.decision === 'CONDITIONAL',
      conditions: v.conditions,
      evidence: JSON.stringify(v.evidence),
    });
  return edges;
}

export function fromDerivedEdges(rows: readonly DerivedEdge[]): EscalationGraph {
  const edges: EscalationEdge[] = [];
  const admins = new Map<string, AdminVerdict>();
  for (const r of rows) {
    const evidence = JSON.parse(r.evidence) as MatchedStatement[];
    if (r.type === 'IS_ADMIN')
      admins.set(r.from, {
        decision: r.conditional ? 'CONDITIONAL' : 'ALLOWED',
        conditions: r.conditions,
        evidence,
      });
    else
      edges.push({
        from: r.from,
        to: r.to,
        kind: r.type === 'CAN_ASSUME' ? 'assume' : 'escalate',
        technique: r.technique,
        conditional: r.conditional,
        conditions: r.conditions,
        evidence,
      });
  }
  return { edges, admins };
}

export interface StoredEscalation {
  snapshot: AccountSnapshot;
  graph: EscalationGraph;
}

const graphs = new WeakMap<SnapshotReader, Map<string, Promise<EscalationGraph>>>();
const MAX_CACHED = 4;

/** The snapshot and its escalation graph, or undefined when the store has no such snapshot. */
export async function escalationInStore(
  store: SnapshotReader,
  snapshotId: string,
): Promise<StoredEscalation | undefined> {
  const snapshot = await cachedSnapshot(store, snapshotId);
  if (!snapshot) return undefined;
  let perStore = graphs.get(store);
  if (!perStore) graphs.set(store, (perStore = new Map()));
  let entry = perStore.get(snapshotId);
  if (!entry) {
    entry = store.readDerivedEdges(snapshotId).then(fromDerivedEdges);
    perStore.set(snapshotId, entry);
    if (perStore.size > MAX_CACHED) perStore.delete(perStore.keys().next().value as string);
    entry.catch(() => perStore.delete(snapshotId));
  }
  return { snapshot, graph: await entry };
}
