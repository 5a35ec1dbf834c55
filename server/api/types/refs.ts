/**
 * Type refs and the objects behind them, declared apart from their implementations so the type files can
 * point at each other (a principal has groups, a group has members) without circular-import ordering issues:
 * refs are plain values here, and each `types/<name>.ts` implements one. Backing objects carry the
 * `snapshotId` they were read from, so nested fields keep asking the same snapshot.
 */
import type {
  AccessKey,
  IamGroup,
  IamRole,
  IamUser,
  ManagedPolicy,
  PolicyVersion,
} from '../../../schema/snapshot.ts';
import { inlinePolicyId } from '../../../schema/snapshot.ts';
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import type { GraphEdge, GraphNode, GraphView, PolicyAttachment, SnapshotInfo } from '../../graph/store.ts';
import { builder } from '../builder.ts';

export type Scoped<T> = T & { snapshotId: string };
export type UserNode = Scoped<IamUser>;
export type RoleNode = Scoped<IamRole>;
export type PrincipalNode = UserNode | RoleNode;
export type GroupNode = Scoped<IamGroup>;

/** A managed policy or an inline one (which has no ARN; its id is `inlinePolicyId(owner, name)`). */
export interface PolicyNode {
  snapshotId: string;
  id: string;
  name: string;
  kind: 'awsManaged' | 'customerManaged' | 'inline';
  /** The document AWS evaluates: the default version's for managed policies. */
  document: string;
  managed?: ManagedPolicy;
  /** The user, group or role an inline policy is embedded in. */
  ownerArn?: string;
}

/** How a policy reaches a principal. */
export type AttachmentVia = 'managed' | 'inline' | 'groupManaged' | 'groupInline';
export interface AttachedPolicyNode {
  snapshotId: string;
  via: AttachmentVia;
  /** Set when the policy comes through a group. */
  groupArn?: string;
  /** Managed policy ARN or inline policy id. */
  policyId: string;
  /** Absent when the snapshot lacks the managed policy (a completeness warning says so). */
  policy?: PolicyNode;
}

export interface PrincipalPageNode {
  items: PrincipalNode[];
  endCursor?: string;
  hasNextPage: boolean;
  totalCount: number;
}

export interface TagNode {
  key: string;
  value: string;
}

export const SnapshotRef = builder.objectRef<SnapshotInfo>('Snapshot');
export const PrincipalRef = builder.interfaceRef<PrincipalNode>('Principal');
export const UserRef = builder.objectRef<UserNode>('User');
export const RoleRef = builder.objectRef<RoleNode>('Role');
export const GroupRef = builder.objectRef<GroupNode>('Group');
export const PolicyRef = builder.objectRef<PolicyNode>('Policy');
export const PolicyVersionRef = builder.objectRef<PolicyVersion>('PolicyVersion');
export const AttachedPolicyRef = builder.objectRef<AttachedPolicyNode>('AttachedPolicy');
export const PolicyAttachmentRef = builder.objectRef<PolicyAttachment>('PolicyAttachment');
export const PrincipalPageRef = builder.objectRef<PrincipalPageNode>('PrincipalPage');
export const TagRef = builder.objectRef<TagNode>('Tag');
/** `ageDays`: from `lastRotated` to the snapshot's `collectedAt`, when both are known. */
export const AccessKeyRef = builder.objectRef<AccessKey & { ageDays?: number }>('AccessKey');
export const DiagnosticRef = builder.objectRef<Diagnostic>('Diagnostic');
export const GraphRef = builder.objectRef<GraphView>('Graph');
export const GraphNodeRef = builder.objectRef<GraphNode>('GraphNode');
export const GraphEdgeRef = builder.objectRef<GraphEdge>('GraphEdge');

export const scoped = <T extends object>(snapshotId: string, value: T): Scoped<T> => ({
  ...value,
  snapshotId,
});
export const tagsOf = (tags: Record<string, string>): TagNode[] =>
  Object.keys(tags)
    .sort()
    .map((key) => ({ key, value: tags[key] as string }));

export function managedPolicyNode(snapshotId: string, policy: ManagedPolicy): PolicyNode {
  const current = policy.versions.find((v) => v.isDefault);
  // INVARIANT: importers guarantee exactly one default version (schema/snapshot.ts).
  if (!current) throw new Error(`managed policy ${policy.arn} has no default version`);
  return {
    snapshotId,
    id: policy.arn,
    name: policy.name,
    kind: policy.kind,
    document: current.document,
    managed: policy,
  };
}

export function inlinePolicyNode(
  snapshotId: string,
  ownerArn: string,
  inline: { name: string; document: string },
): PolicyNode {
  return {
    snapshotId,
    id: inlinePolicyId(ownerArn, inline.name),
    name: inline.name,
    kind: 'inline',
    document: inline.document,
    ownerArn,
  };
}
