/**
 * AccountSnapshot → node and relationship rows of the graph model (model.ts). Pure. Both stores build from
 * these rows, so the memory store's indexes and the Neo4j store's nodes hold the same graph by construction.
 */
import type { AccountSnapshot, ManagedPolicy } from '../../importers/snapshot/model.ts';
import { inlinePolicyId } from '../../importers/snapshot/model.ts';
import type { GraphNodeKind } from './store.ts';
import { NODE_MODELS, type NodeLabel, type PolicyNodeKind, type RelationshipType } from './model.ts';

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
  type: RelationshipType;
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

/** AWS managed policy ARNs live under the `aws` account: `arn:aws:iam::aws:policy/…`. */
function managedKindOf(arn: string): PolicyNodeKind {
  return /^arn:[^:]+:iam::aws:policy\//.test(arn) ? 'awsManaged' : 'customerManaged';
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
