/**
 * The escalation graph as the stores keep it: DerivedEdge rows (CAN_ASSUME, CAN_ESCALATE, IS_ADMIN with evidence
 * as JSON text) written at import, and read back into an EscalationGraph for the queries (once per
 * SnapshotAnalysis).
 *
 * Fan-out entries (graph.ts `FanOutEdge`) are stored as they are built: each distinct target class once, as a
 * PrincipalClass with its members, and each entry as one CAN_ASSUME / CAN_ESCALATE row from its source to the
 * class. Stored size is entries + Σ distinct class sizes, never sources × targets; reading back shares one
 * `targets` array per class, as the builder does.
 */
import { createHash } from 'node:crypto';
import { ADMIN_NODE_ID, PRINCIPAL_CLASS_ID_PREFIX } from '../../graph/model.ts';
import type { DerivedEdge, PrincipalClass, SnapshotReader } from '../../graph/store.ts';
import type { MatchedStatement } from '../who-can.ts';
import {
  ADMIN,
  type AdminVerdict,
  type EdgeKind,
  type EscalationEdge,
  type EscalationGraph,
  type FanOutEdge,
} from './graph.ts';
import { ADMIN_EQUIVALENT } from './traversal.ts';

// INVARIANT: the store's admin node is the graph's ADMIN (checked by stored.test.ts too).
if ((ADMIN as string) !== ADMIN_NODE_ID) throw new Error('ADMIN and ADMIN_NODE_ID differ');

/** What a store loads with a snapshot (LoadOptions' derived part). */
export interface StoredRows {
  derivedEdges: DerivedEdge[];
  principalClasses: PrincipalClass[];
}

/**
 * A class's node id, derived from what it is (its description and its members, in any order), so the same
 * class gets the same id in every import and two entries reaching the same principals alike share one node.
 */
export function principalClassId(
  name: string,
  members: readonly string[],
  memberConditions?: ReadonlyMap<string, readonly string[]>,
): string {
  const hash = createHash('sha256').update(name).update('\u0000');
  for (const m of [...new Set(members)].sort()) {
    hash.update(m).update('\u0000');
    // A member's own residual is part of what the class is (graph.ts `memberConditions`).
    const own = memberConditions?.get(m);
    if (own?.length) hash.update(JSON.stringify(own)).update('\u0000');
  }
  return PRINCIPAL_CLASS_ID_PREFIX + hash.digest('hex').slice(0, 32);
}

const classIds = new WeakMap<readonly string[], Map<string, string>>();

/**
 * The id of a fan-out entry's class, hashed once per class: the builder's entries of one class share one `targets`
 * array (read-only), so 16,000 entries of the large account hash 17 classes.
 */
export function classIdOf(f: Pick<FanOutEdge, 'targets' | 'targetClass' | 'memberConditions'>): string {
  let byName = classIds.get(f.targets);
  if (!byName) classIds.set(f.targets, (byName = new Map()));
  let id = byName.get(f.targetClass);
  if (id === undefined)
    byName.set(f.targetClass, (id = principalClassId(f.targetClass, f.targets, f.memberConditions)));
  return id;
}

const typeOf = (kind: EdgeKind): DerivedEdge['type'] => (kind === 'assume' ? 'CAN_ASSUME' : 'CAN_ESCALATE');

export function toStoredRows(graph: EscalationGraph): StoredRows {
  // The builder shares one evidence list between the edges granted alike: one text for them too.
  const texts = new Map<readonly MatchedStatement[], string>();
  const text = (evidence: readonly MatchedStatement[]): string => {
    let t = texts.get(evidence);
    if (t === undefined) texts.set(evidence, (t = JSON.stringify(evidence)));
    return t;
  };
  const derivedEdges: DerivedEdge[] = graph.edges.map((e) => ({
    type: typeOf(e.kind),
    from: e.from,
    to: e.to,
    technique: e.technique,
    conditional: e.conditional,
    conditions: e.conditions,
    evidence: text(e.evidence),
  }));
  for (const [arn, v] of graph.admins)
    derivedEdges.push({
      type: 'IS_ADMIN',
      from: arn,
      to: ADMIN_NODE_ID,
      technique: ADMIN_EQUIVALENT,
      conditional: v.decision === 'CONDITIONAL',
      conditions: v.conditions,
      evidence: text(v.evidence),
    });
  const classes = new Map<string, PrincipalClass>();
  for (const f of graph.fanOut ?? []) {
    const id = classIdOf(f);
    if (!classes.has(id))
      classes.set(id, {
        id,
        name: f.targetClass,
        members: [...f.targets],
        ...(f.memberConditions
          ? { memberConditions: Object.fromEntries([...f.memberConditions].map(([m, c]) => [m, [...c]])) }
          : {}),
      });
    derivedEdges.push({
      type: typeOf(f.kind),
      from: f.from,
      to: id,
      technique: f.technique,
      conditional: f.conditional,
      conditions: f.conditions,
      // A CAN_ASSUME entry's row holds its member evidence (trust statements too); `fromDerivedEdges` splits it.
      evidence: text(f.memberEvidence ?? f.evidence),
    });
  }
  return { derivedEdges, principalClasses: [...classes.values()] };
}

/** The rows of a graph without fan-out entries (a graph with some needs `toStoredRows`' classes too). */
export function toDerivedEdges(graph: EscalationGraph): DerivedEdge[] {
  // INVARIANT: callers that load only edges have no classes to load with them.
  if (graph.fanOut?.length) throw new Error('the graph has fan-out entries: store it with toStoredRows');
  return toStoredRows(graph).derivedEdges;
}

export function fromDerivedEdges(
  rows: readonly DerivedEdge[],
  classes: readonly PrincipalClass[] = [],
): EscalationGraph {
  const byId = new Map(classes.map((c) => [c.id, c]));
  // One map per class, shared by its entries like its members array.
  const memberConditions = new Map<string, ReadonlyMap<string, readonly string[]>>();
  for (const c of classes)
    if (c.memberConditions) memberConditions.set(c.id, new Map(Object.entries(c.memberConditions)));
  const edges: EscalationEdge[] = [];
  const fanOut: FanOutEdge[] = [];
  const admins = new Map<string, AdminVerdict>();
  // Rows granted alike (a source's techniques, its entries into several classes) have the same evidence text:
  // parsed once, one shared list.
  const parsed = new Map<string, MatchedStatement[]>();
  for (const r of rows) {
    let evidence = parsed.get(r.evidence);
    if (!evidence) parsed.set(r.evidence, (evidence = JSON.parse(r.evidence) as MatchedStatement[]));
    const kind: EdgeKind = r.type === 'CAN_ASSUME' ? 'assume' : 'escalate';
    const cls = r.type === 'IS_ADMIN' ? undefined : byId.get(r.to);
    if (r.type === 'IS_ADMIN')
      admins.set(r.from, {
        decision: r.conditional ? 'CONDITIONAL' : 'ALLOWED',
        conditions: r.conditions,
        evidence,
      });
    else if (cls) {
      const caller = kind === 'assume' ? evidence.filter((e) => e.layer !== 'resource') : evidence;
      fanOut.push({
        from: r.from,
        kind,
        technique: r.technique,
        conditional: r.conditional,
        conditions: r.conditions,
        evidence: caller,
        // One array per class, shared by its entries: the traversal indexes classes by it.
        targets: cls.members,
        targetClass: cls.name,
        ...(caller.length < evidence.length ? { memberEvidence: evidence } : {}),
        ...(memberConditions.has(cls.id) ? { memberConditions: memberConditions.get(cls.id)! } : {}),
      });
    } else
      edges.push({
        from: r.from,
        to: r.to,
        kind,
        technique: r.technique,
        conditional: r.conditional,
        conditions: r.conditions,
        evidence,
      });
  }
  return { edges, ...(fanOut.length > 0 ? { fanOut } : {}), admins };
}

/** The escalation graph stored with `snapshotId` (SnapshotAnalysis keeps it for the snapshot's lifetime). */
export async function readEscalationGraph(
  store: SnapshotReader,
  snapshotId: string,
): Promise<EscalationGraph> {
  const [rows, classes] = await Promise.all([
    store.readDerivedEdges(snapshotId),
    store.readPrincipalClasses(snapshotId),
  ]);
  return fromDerivedEdges(rows, classes);
}
