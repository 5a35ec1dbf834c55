/**
 * AccountSnapshot → node and relationship rows of the graph model (model.ts). Pure. Both stores build from
 * these rows, so the memory store's indexes and the Neo4j store's nodes hold the same graph by construction.
 */
import type { AccountSnapshot, ManagedPolicy } from '../../schema/snapshot.ts';
import { inlinePolicyId } from '../../schema/snapshot.ts';
import { compareStrings } from './graph-view.ts';
import { isAwsManagedPolicy } from '../engine/index.ts';
import type { DerivedEdge, GraphNodeKind, PrincipalClass } from './store.ts';
import {
  ADMIN_NODE_ID,
  NODE_MODELS,
  type NodeLabel,
  type PolicyNodeKind,
  type StructuralRelationshipType,
} from './model.ts';

export type PropertyValue = string | number | boolean;

export interface NodeRow {
  label: NodeLabel;
  nodeId: string;
  /** What graph() shows as the node's label. */
  graphLabel: string;
  graphKind?: GraphNodeKind;
  /** Position in the snapshot's array it came from (readSnapshot restores the order); -1 for derived nodes. */
  ord: number;
  props: Record<string, PropertyValue>;
  /** The snapshot object the node stands for, stored whole (as JSON in Neo4j). */
  entity?: unknown;
}

export interface EdgeRow {
  type: StructuralRelationshipType;
  from: string;
  to: string;
}

export interface GraphRows {
  nodes: NodeRow[];
  edges: EdgeRow[];
}

export function resourcePolicyId(resourceArn: string): string {
  return `${resourceArn}#resource-policy`;
}

export function accessKeyNodeId(userArn: string, slot: number, keyId: string | undefined): string {
  return keyId ?? `${userArn}#access-key/${slot}`;
}

function managedKindOf(arn: string): PolicyNodeKind {
  return isAwsManagedPolicy(arn) ? 'awsManaged' : 'customerManaged';
}

function lastSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/**
 * Throws when two entities share an ARN/id: importers guarantee uniqueness, so a duplicate is a bug upstream
 * and the load must fail before anything is stored.
 */
export function buildGraphRows(snapshot: AccountSnapshot): GraphRows {
  const nodes: NodeRow[] = [];
  const edges: EdgeRow[] = [];
  const seen = new Set<string>();
  const add = (row: NodeRow): void => {
    // INVARIANT: (snapshotId, nodeId) is unique in the graph model.
    if (seen.has(row.nodeId)) throw new Error(`duplicate ${row.label} \`${row.nodeId}\` in snapshot`);
    seen.add(row.nodeId);
    row.graphKind = NODE_MODELS[row.label].graphKind;
    nodes.push(row);
  };

  snapshot.accounts.forEach((a, ord) =>
    add({
      label: 'Account',
      nodeId: a.id,
      graphLabel: a.name ?? a.id,
      ord,
      props: { accountId: a.id, ...(a.name ? { name: a.name } : {}) },
    }),
  );
  const org = snapshot.organization;
  org?.nodes.forEach((n, ord) => {
    if (n.kind !== 'account')
      add({
        label: 'OrgUnit',
        nodeId: n.id,
        graphLabel: n.name,
        ord,
        props: { orgKind: n.kind, name: n.name },
      });
  });
  for (const n of org?.nodes ?? []) {
    if (n.parentId && seen.has(n.id) && seen.has(n.parentId))
      edges.push({ type: 'IN', from: n.id, to: n.parentId });
  }

  const policies = new Map<string, ManagedPolicy>();
  snapshot.policies.forEach((p, ord) => {
    policies.set(p.arn, p);
    const def = p.versions.find((v) => v.isDefault);
    add({
      label: 'Policy',
      nodeId: p.arn,
      graphLabel: p.name,
      ord,
      props: {
        arn: p.arn,
        name: p.name,
        policyKind: p.kind,
        ...(def ? { document: def.document } : {}),
        missing: false,
      },
      entity: p,
    });
  });
  const stubs = new Set<string>();
  const managedTarget = (arn: string): string => {
    if (!policies.has(arn) && !stubs.has(arn)) {
      stubs.add(arn);
      add({
        label: 'Policy',
        nodeId: arn,
        graphLabel: lastSegment(arn),
        ord: -1,
        props: { arn, name: lastSegment(arn), policyKind: managedKindOf(arn), missing: true },
      });
    }
    return arn;
  };

  snapshot.groups.forEach((g, ord) =>
    add({
      label: 'Group',
      nodeId: g.arn,
      graphLabel: g.name,
      ord,
      props: { arn: g.arn, name: g.name },
      entity: g,
    }),
  );

  const principals = [...snapshot.users, ...snapshot.roles];
  snapshot.users.forEach((u, ord) =>
    add({
      label: 'User',
      nodeId: u.arn,
      graphLabel: u.name,
      ord,
      props: { arn: u.arn, name: u.name, principalKind: 'user' },
      entity: u,
    }),
  );
  snapshot.roles.forEach((r, ord) =>
    add({
      label: 'Role',
      nodeId: r.arn,
      graphLabel: r.name,
      ord,
      props: { arn: r.arn, name: r.name, principalKind: 'role' },
      entity: r,
    }),
  );

  for (const owner of [...principals, ...snapshot.groups]) {
    for (const ip of owner.inlinePolicies) {
      const id = inlinePolicyId(owner.arn, ip.name);
      add({
        label: 'Policy',
        nodeId: id,
        graphLabel: ip.name,
        ord: -1,
        props: { name: ip.name, policyKind: 'inline', document: ip.document, missing: false },
      });
      edges.push({ type: 'HAS_POLICY', from: owner.arn, to: id });
    }
    for (const arn of owner.attachedPolicies)
      edges.push({ type: 'HAS_POLICY', from: owner.arn, to: managedTarget(arn) });
    if (owner.kind !== 'group' && owner.permissionsBoundary) {
      edges.push({ type: 'BOUNDED_BY', from: owner.arn, to: managedTarget(owner.permissionsBoundary) });
    }
  }
  for (const u of snapshot.users) {
    // A membership of a group absent from the input has no node to point at; the user's json keeps it.
    for (const g of u.groups) if (seen.has(g)) edges.push({ type: 'MEMBER_OF', from: u.arn, to: g });
    for (const k of u.credentials?.accessKeys ?? []) {
      const id = accessKeyNodeId(u.arn, k.slot, k.id);
      add({
        label: 'AccessKey',
        nodeId: id,
        graphLabel: k.id ?? `${u.name} key ${k.slot}`,
        ord: -1,
        props: { ...(k.id ? { keyId: k.id } : {}), slot: k.slot, active: k.active },
      });
      edges.push({ type: 'HAS_KEY', from: u.arn, to: id });
    }
  }

  snapshot.resources.forEach((r, ord) => {
    add({
      label: 'Resource',
      nodeId: r.arn,
      graphLabel: r.name,
      ord,
      props: { arn: r.arn, name: r.name, service: r.service, resourceType: r.type },
      entity: r,
    });
    if (r.policy !== undefined) {
      const id = resourcePolicyId(r.arn);
      add({
        label: 'Policy',
        nodeId: id,
        graphLabel: `${r.name} policy`,
        ord: -1,
        props: { name: `${r.name} policy`, policyKind: 'resource', document: r.policy, missing: false },
      });
      edges.push({ type: 'PROTECTED_BY', from: r.arn, to: id });
    }
  });

  return { nodes, edges };
}

/** The order derived edges are stored and read back in: by type, ends, technique, then the rest. */
export function compareDerivedEdges(a: DerivedEdge, b: DerivedEdge): number {
  const key = (e: DerivedEdge): string[] => [
    e.type,
    e.from,
    e.to,
    e.technique,
    String(e.conditional),
    e.conditions.join('\u0000'),
    e.evidence,
  ];
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
}

/** The derived rows of a load, checked: the nodes they add (admin, classes), the edges sorted, the classes. */
export interface DerivedRows {
  nodes: NodeRow[];
  edges: DerivedEdge[];
  /** By id, members in ARN order (duplicates dropped). */
  classes: PrincipalClass[];
}

/**
 * Checks derived edges and classes against the snapshot's rows and returns them sorted, with the admin node
 * when some edge points at it and a node per class. Throws on an edge whose ends are not principals (or the
 * admin node, or a class, for its target), or a class member that is not a principal: the caller computed them
 * from this snapshot, so a stray end is a bug upstream and the load must fail before storing.
 */
export function buildDerivedRows(
  rows: GraphRows,
  edges: readonly DerivedEdge[],
  classes: readonly PrincipalClass[] = [],
): DerivedRows {
  const principals = new Set(
    rows.nodes.filter((n) => n.label === 'User' || n.label === 'Role').map((n) => n.nodeId),
  );
  const taken = new Set(rows.nodes.map((n) => n.nodeId));
  const byId = new Map<string, PrincipalClass>();
  for (const c of classes) {
    // INVARIANT: a class id is a node id of its own, and derived from the class (same id, same members).
    if (taken.has(c.id) || c.id === ADMIN_NODE_ID)
      throw new Error(`principal class \`${c.id}\` has the id of another node`);
    const members = [...new Set(c.members)].sort(compareStrings);
    for (const m of members)
      if (!principals.has(m))
        throw new Error(`principal class \`${c.id}\` includes \`${m}\`, not a principal of the snapshot`);
    // A member's residual conditions (PrincipalClass.memberConditions), in member order.
    const conditions: Record<string, string[]> = {};
    const memberSet = new Set(members);
    for (const m of Object.keys(c.memberConditions ?? {})) {
      if (!memberSet.has(m))
        throw new Error(`principal class \`${c.id}\` has conditions for \`${m}\`, not one of its members`);
    }
    for (const m of members) {
      const x = c.memberConditions?.[m];
      if (x?.length) conditions[m] = [...x];
    }
    const old = byId.get(c.id);
    if (
      old &&
      (old.name !== c.name ||
        old.members.join('\u0000') !== members.join('\u0000') ||
        JSON.stringify(old.memberConditions ?? {}) !== JSON.stringify(conditions))
    )
      throw new Error(`two principal classes have the id \`${c.id}\``);
    byId.set(c.id, {
      id: c.id,
      name: c.name,
      members,
      ...(Object.keys(conditions).length ? { memberConditions: conditions } : {}),
    });
  }
  let admin = false;
  for (const e of edges) {
    const toAdmin = e.to === ADMIN_NODE_ID;
    const toClass = e.type !== 'IS_ADMIN' && byId.has(e.to);
    // INVARIANT: derived edges connect principals of this snapshot (IS_ADMIN: to the admin node only).
    if (
      !principals.has(e.from) ||
      !(principals.has(e.to) || toAdmin || toClass) ||
      (e.type === 'IS_ADMIN' && !toAdmin)
    )
      throw new Error(
        `${e.type} edge \`${e.from}\` → \`${e.to}\` does not connect principals of the snapshot`,
      );
    admin ||= toAdmin;
  }
  const adminRow: NodeRow = {
    label: 'Admin',
    nodeId: ADMIN_NODE_ID,
    graphLabel: 'ADMIN',
    ord: -1,
    props: {},
  };
  const sortedClasses = [...byId.values()].sort((a, b) => compareStrings(a.id, b.id));
  return {
    nodes: [
      ...(admin ? [adminRow] : []),
      ...sortedClasses.map((c): NodeRow => ({
        label: 'PrincipalClass',
        nodeId: c.id,
        graphLabel: c.name,
        ord: -1,
        props: { name: c.name },
      })),
    ],
    edges: edges.map((e) => ({ ...e, conditions: [...e.conditions] })).sort(compareDerivedEdges),
    classes: sortedClasses,
  };
}
