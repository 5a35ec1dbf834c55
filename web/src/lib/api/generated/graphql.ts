/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AccessDecision =
  | 'ALLOWED'
  | 'CONDITIONAL';

/** The access level of an action in the Service Authorization Reference. */
export type AccessLevel =
  | 'LIST'
  | 'PERMISSIONS_MANAGEMENT'
  | 'READ'
  | 'TAGGING'
  | 'WRITE';

export type AttachedAs =
  /** A permissions boundary (it limits, never grants). */
  | 'BOUNDARY'
  /** A permissions policy. */
  | 'POLICY';

/** How a policy applies to a principal. */
export type AttachmentVia =
  /** An inline policy embedded in a group of the user. */
  | 'GROUP_INLINE'
  /** A managed policy attached to a group of the user. */
  | 'GROUP_MANAGED'
  /** An inline policy embedded in the principal. */
  | 'INLINE'
  /** A managed policy attached to the principal itself. */
  | 'MANAGED';

/** One change: `op` and the fields it takes (docs/what-if.md). Names: `user/bob`, `group/QA`, `role/x` or ARNs. */
export type ChangeInput = {
  /** The access key `deactivateAccessKey` makes inactive. */
  accessKeyId?: string | null | undefined;
  /** The action a Lambda permission allows, e.g. `lambda:InvokeFunction`. */
  action?: string | null | undefined;
  /** Policy document (JSON text): inline policy, trust policy, new policy, resource policy. */
  document?: string | null | undefined;
  /** A Lambda permission's `lambda:EventSourceToken` condition. */
  eventSourceToken?: string | null | undefined;
  /** The Lambda function whose policy a permission statement is added to or removed from: name or ARN. */
  function?: string | null | undefined;
  /** A Lambda permission's function URL auth type (`NONE` or `AWS_IAM`). */
  functionUrlAuthType?: string | null | undefined;
  group?: string | null | undefined;
  /** A Lambda permission that applies only through the function URL. */
  invokedViaFunctionUrl?: boolean | null | undefined;
  /** Inline policy name, or the name of what is created. */
  name?: string | null | undefined;
  op: ChangeOp;
  /** Path of what is created, e.g. `/contractors/`. */
  path?: string | null | undefined;
  /** AWS managed policy name, or managed policy ARN. */
  policy?: string | null | undefined;
  /** Who a Lambda permission allows: an account id, a principal ARN, a service or `*`. */
  principal?: string | null | undefined;
  /** A Lambda permission's `aws:PrincipalOrgID` condition. */
  principalOrgId?: string | null | undefined;
  /** A known resource whose resource policy is put or deleted: its ARN or name. */
  resource?: string | null | undefined;
  /** `deactivateAccessKey` by credential report slot (1 or 2) when the key id is unknown. */
  slot?: number | null | undefined;
  /** A Lambda permission's `AWS:SourceAccount` condition. */
  sourceAccount?: string | null | undefined;
  /** A Lambda permission's `AWS:SourceArn` condition. */
  sourceArn?: string | null | undefined;
  /** The statement id of a Lambda permission. */
  statementId?: string | null | undefined;
  /** The user, group or role changed. */
  target?: string | null | undefined;
  user?: string | null | undefined;
};

export type ChangeOp =
  | 'addLambdaPermission'
  | 'addUserToGroup'
  | 'attachPolicy'
  | 'createGroup'
  | 'createPolicy'
  | 'createRole'
  | 'createUser'
  | 'deactivateAccessKey'
  | 'deleteInlinePolicy'
  | 'deletePolicy'
  | 'deletePrincipal'
  | 'deleteResourcePolicy'
  | 'detachPolicy'
  | 'putInlinePolicy'
  | 'putResourcePolicy'
  | 'removeLambdaPermission'
  | 'removePermissionsBoundary'
  | 'removeUserFromGroup'
  | 'setPermissionsBoundary'
  | 'updatePolicy'
  | 'updateTrustPolicy';

/** A condition key and its value(s), e.g. `{ key: "aws:SecureTransport", values: ["true"] }`. */
export type ContextEntryInput = {
  key: string;
  /** One value, or several for a multi-valued key. */
  values: Array<string>;
};

export type EntityKind =
  | 'GROUP'
  | 'ROLE'
  | 'USER';

export type EscalationStepKind =
  /** The principal is admin-equivalent by its own policies (IS_ADMIN). */
  | 'ADMIN'
  /** sts:AssumeRole (CAN_ASSUME). */
  | 'ASSUME'
  /** A privilege-escalation technique (CAN_ESCALATE). */
  | 'ESCALATE';

/** CRITICAL … LOW: how bad the practice is. WARNING: a check that could not run (missing input). */
export type FindingSeverity =
  | 'CRITICAL'
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM'
  | 'WARNING';

export type GraphEdgeKind =
  /** User or Role → its permissions boundary. */
  | 'BOUNDED_BY'
  /** Principal → Role it may assume. */
  | 'CAN_ASSUME'
  /** User → AccessKey. */
  | 'HAS_KEY'
  /** User, Group or Role → Policy. */
  | 'HAS_POLICY'
  /** User → Group. */
  | 'MEMBER_OF'
  /** Resource → its resource policy. */
  | 'PROTECTED_BY';

export type GraphNodeKind =
  | 'ACCESS_KEY'
  | 'ACCOUNT'
  | 'GROUP'
  | 'POLICY'
  | 'RESOURCE'
  | 'ROLE'
  | 'USER';

export type PlanFormat =
  /** `aws cloudformation describe-change-set --include-property-values` */
  | 'CLOUDFORMATION_CHANGE_SET'
  /** `terraform show -json plan.tfplan` */
  | 'TERRAFORM_PLAN';

export type PlanPolicyKind =
  /** A resource policy (bucket, topic, queue, key, …). */
  | 'RESOURCE'
  /** A role's trust policy. */
  | 'TRUST';

export type PolicyKind =
  | 'AWS_MANAGED'
  | 'CUSTOMER_MANAGED'
  | 'INLINE';

/** What the evidence shows: used in the window, unused, or unknown (no evidence, or too little history). */
export type UseStatus =
  | 'UNKNOWN'
  | 'UNUSED'
  | 'USED';

export type WhoCanDecision =
  | 'ALLOWED'
  | 'CONDITIONAL'
  | 'DENIED';

type ApiError_AccountMismatch_Fragment = { __typename: 'AccountMismatch', message: string };

type ApiError_InvalidArgument_Fragment = { __typename: 'InvalidArgument', message: string };

type ApiError_InvalidChanges_Fragment = { __typename: 'InvalidChanges', message: string };

type ApiError_InvalidPlan_Fragment = { __typename: 'InvalidPlan', message: string };

type ApiError_InvalidPolicyDocument_Fragment = { __typename: 'InvalidPolicyDocument', message: string };

type ApiError_NoSnapshot_Fragment = { __typename: 'NoSnapshot', message: string };

type ApiError_NotFound_Fragment = { __typename: 'NotFound', message: string };

type ApiError_SnapshotNotFound_Fragment = { __typename: 'SnapshotNotFound', message: string };

export type ApiErrorFragment =
  | ApiError_AccountMismatch_Fragment
  | ApiError_InvalidArgument_Fragment
  | ApiError_InvalidChanges_Fragment
  | ApiError_InvalidPlan_Fragment
  | ApiError_InvalidPolicyDocument_Fragment
  | ApiError_NoSnapshot_Fragment
  | ApiError_NotFound_Fragment
  | ApiError_SnapshotNotFound_Fragment
;

export type PolicySummaryFragment = { id: string, arn: string | null, name: string, kind: PolicyKind, document: unknown };

export type AttachedPolicyFieldsFragment = { policyId: string, via: AttachmentVia, group: { arn: string, name: string } | null, policy: { id: string, arn: string | null, name: string, kind: PolicyKind, document: unknown } | null };

export type AccessDiffFieldsFragment = { notes: Array<string>, summary: { granted: number, revoked: number, conditional: number, principalsChanged: number, principalsCompared: number, adminsGained: number, adminsLost: number }, admins: { gained: Array<{ arn: string }>, lost: Array<{ arn: string }> }, principals: Array<{ arn: string, name: string, kind: string, change: string, byService: Array<{ service: string, level: string, granted: number, revoked: number, conditional: number }> }>, escalation: { pathsToAdminGained: Array<string>, pathsToAdminLost: Array<string>, added: Array<{ from: string, to: string, kind: string, technique: string, conditional: boolean, conditions: Array<string> }>, removed: Array<{ from: string, to: string, kind: string, technique: string, conditional: boolean, conditions: Array<string> }>, fanOutAdded: Array<{ from: string, kind: string, technique: string, conditional: boolean, conditions: Array<string>, targetClass: { id: string, description: string, size: number, sample: Array<string> } }>, fanOutRemoved: Array<{ from: string, kind: string, technique: string, conditional: boolean, conditions: Array<string>, targetClass: { id: string, description: string, size: number, sample: Array<string> } }> } | null };

export type PathFieldsFragment = { hops: number, conditional: boolean, conditions: Array<string>, steps: Array<{ from: string, to: string, toAdmin: boolean, kind: EscalationStepKind, technique: string, conditional: boolean, conditions: Array<string>, evidence: Array<{ path: string }> }> };

export type SnapshotsQueryVariables = Exact<{ [key: string]: never; }>;


export type SnapshotsQuery = { snapshots: Array<{ id: string, accountId: string, label: string, current: boolean, loadedAt: string, counts: { users: number, groups: number, roles: number, policies: number, resources: number } }> };

export type SearchPrincipalsQueryVariables = Exact<{
  snapshotId?: string | number | null | undefined;
  search?: string | null | undefined;
  first?: number | null | undefined;
}>;


export type SearchPrincipalsQuery = { principals:
    | { __typename: 'InvalidArgument', message: string }
    | { __typename: 'NoSnapshot', message: string }
    | { __typename: 'PrincipalPage', totalCount: number, items: Array<
        | { __typename: 'Role', arn: string, name: string }
        | { __typename: 'User', arn: string, name: string }
      > }
    | { __typename: 'SnapshotNotFound', message: string }
   };

export type GraphQueryVariables = Exact<{
  snapshotId?: string | number | null | undefined;
  focus?: string | null | undefined;
  depth?: number | null | undefined;
}>;


export type GraphQuery = { graph:
    | { __typename: 'Graph', nodes: Array<{ id: string, kind: GraphNodeKind, label: string }>, edges: Array<{ source: string, target: string, kind: GraphEdgeKind }> }
    | { __typename: 'InvalidArgument', message: string }
    | { __typename: 'NoSnapshot', message: string }
    | { __typename: 'SnapshotNotFound', message: string }
   };

export type PrincipalQueryVariables = Exact<{
  arn: string;
  snapshotId?: string | number | null | undefined;
}>;


export type PrincipalQuery = { principal:
    | { __typename: 'NoSnapshot', message: string }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'QueryPrincipalSuccess', data:
        | { __typename: 'Role', description: string | null, trustPolicy: unknown, lastUsedDate: string | null, arn: string, name: string, path: string, createDate: string | null, boundaryArn: string | null, boundary: { id: string, arn: string | null, name: string, kind: PolicyKind, document: unknown } | null, tags: Array<{ key: string, value: string }>, policies: Array<{ policyId: string, via: AttachmentVia, group: { arn: string, name: string } | null, policy: { id: string, arn: string | null, name: string, kind: PolicyKind, document: unknown } | null }> }
        | { __typename: 'User', passwordEnabled: boolean | null, mfaActive: boolean | null, arn: string, name: string, path: string, createDate: string | null, boundaryArn: string | null, groups: Array<{ arn: string, name: string }>, accessKeys: Array<{ id: string | null, slot: number, active: boolean, ageDays: number | null, lastUsedDate: string | null, lastUsedService: string | null }>, boundary: { id: string, arn: string | null, name: string, kind: PolicyKind, document: unknown } | null, tags: Array<{ key: string, value: string }>, policies: Array<{ policyId: string, via: AttachmentVia, group: { arn: string, name: string } | null, policy: { id: string, arn: string | null, name: string, kind: PolicyKind, document: unknown } | null }> }
       }
    | { __typename: 'SnapshotNotFound', message: string }
   };

export type GroupQueryVariables = Exact<{
  arn: string;
  snapshotId?: string | number | null | undefined;
}>;


export type GroupQuery = { group:
    | { __typename: 'Group', arn: string, name: string, path: string, createDate: string | null, members: Array<{ arn: string, name: string }>, policies: Array<{ policyId: string, via: AttachmentVia, group: { arn: string, name: string } | null, policy: { id: string, arn: string | null, name: string, kind: PolicyKind, document: unknown } | null }> }
    | { __typename: 'NoSnapshot', message: string }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'SnapshotNotFound', message: string }
   };

export type PolicyQueryVariables = Exact<{
  arn: string;
  snapshotId?: string | number | null | undefined;
}>;


export type PolicyQuery = { policy:
    | { __typename: 'NoSnapshot', message: string }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'Policy', id: string, arn: string | null, name: string, kind: PolicyKind, description: string | null, defaultVersionId: string | null, document: unknown, versions: Array<{ versionId: string, isDefault: boolean, createDate: string | null, document: unknown }>, attachedTo: Array<{ arn: string, kind: EntityKind, as: AttachedAs }> }
    | { __typename: 'SnapshotNotFound', message: string }
   };

export type ActionsQueryVariables = Exact<{
  prefix: string;
  first?: number | null | undefined;
}>;


export type ActionsQuery = { actions:
    | { __typename: 'ActionPage', totalCount: number, items: Array<{ action: string, accessLevel: string, description: string }> }
    | { __typename: 'InvalidArgument', message: string }
   };

export type WhoCanQueryVariables = Exact<{
  snapshotId?: string | number | null | undefined;
  action: string;
  resource: string;
  context?: Array<ContextEntryInput> | ContextEntryInput | null | undefined;
  includeDenied?: boolean | null | undefined;
}>;


export type WhoCanQuery = { whoCan:
    | { __typename: 'InvalidArgument', message: string }
    | { __typename: 'NoSnapshot', message: string }
    | { __typename: 'SnapshotNotFound', message: string }
    | { __typename: 'WhoCanResult', snapshotId: string, actions: Array<string>, resourcePolicyId: string | null, evaluated: number, principals: number, notes: Array<string>, entries: Array<{ action: string, decision: WhoCanDecision, conditions: string | null, residual: unknown, summary: string, principal: { arn: string, name: string, kind: string }, deniedBy: { kind: string, layer: string } | null, matched: Array<{ layer: string, effect: string, policyId: string, policyName: string | null, statementIndex: number, sid: string | null, attachedVia: Array<string>, conditional: boolean, path: string }> }> }
   };

export type FindingsQueryVariables = Exact<{
  snapshotId?: string | number | null | undefined;
}>;


export type FindingsQuery = { findings:
    | { __typename: 'FindingsResult', findings: Array<{ kind: string, severity: FindingSeverity, message: string, fix: string, entities: Array<string> }> }
    | { __typename: 'InvalidArgument', message: string }
    | { __typename: 'NoSnapshot', message: string }
    | { __typename: 'SnapshotNotFound', message: string }
   };

export type PrincipalAccessQueryVariables = Exact<{
  arn: string;
  snapshotId?: string | number | null | undefined;
}>;


export type PrincipalAccessQuery = { principal:
    | { __typename: 'NoSnapshot', message: string }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'QueryPrincipalSuccess', data:
        | { access: { evaluatedAs: string, notes: Array<string>, services: Array<{ service: string, actions: number, levels: Array<{ level: AccessLevel, conditional: number, actions: Array<{ action: string, decision: AccessDecision }> }> }> } }
        | { access: { evaluatedAs: string, notes: Array<string>, services: Array<{ service: string, actions: number, levels: Array<{ level: AccessLevel, conditional: number, actions: Array<{ action: string, decision: AccessDecision }> }> }> } }
       }
    | { __typename: 'SnapshotNotFound', message: string }
   };

export type PrincipalServiceAccessQueryVariables = Exact<{
  arn: string;
  snapshotId?: string | number | null | undefined;
  service: string;
}>;


export type PrincipalServiceAccessQuery = { principal:
    | { __typename: 'NoSnapshot', message: string }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'QueryPrincipalSuccess', data:
        | { access: { services: Array<{ service: string, actions: number, levels: Array<{ level: AccessLevel, conditional: number, actions: Array<{ action: string, decision: AccessDecision, conditions: string | null, scopes: Array<{ pattern: string, decision: AccessDecision, partial: boolean }> }> }> }> } }
        | { access: { services: Array<{ service: string, actions: number, levels: Array<{ level: AccessLevel, conditional: number, actions: Array<{ action: string, decision: AccessDecision, conditions: string | null, scopes: Array<{ pattern: string, decision: AccessDecision, partial: boolean }> }> }> }> } }
       }
    | { __typename: 'SnapshotNotFound', message: string }
   };

export type ResourceQueryVariables = Exact<{
  arn: string;
  snapshotId?: string | number | null | undefined;
}>;


export type ResourceQuery = { resource:
    | { __typename: 'NoSnapshot', message: string }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'ResourceView', arn: string, name: string, service: string, type: string, region: string | null, accountId: string | null, policy: unknown, notes: Array<string>, tags: Array<{ key: string, value: string }>, whoCan: Array<{ level: AccessLevel, principals: Array<{ arn: string, name: string, kind: string, decision: AccessDecision, actions: Array<string>, conditional: Array<string>, partial: Array<string> }> }> }
    | { __typename: 'SnapshotNotFound', message: string }
   };

export type WhatIfQueryVariables = Exact<{
  snapshotId?: string | number | null | undefined;
  changes: Array<ChangeInput> | ChangeInput;
}>;


export type WhatIfQuery = { whatIf:
    | { __typename: 'InvalidChanges', message: string, diagnostics: Array<{ message: string, jsonPath: string | null }> }
    | { __typename: 'NoSnapshot', message: string }
    | { __typename: 'SnapshotNotFound', message: string }
    | { __typename: 'WhatIfResult', affected: Array<string>, warnings: Array<{ message: string }>, keysDeactivated: Array<{ user: string, accessKeyId: string | null, slot: number }>, diff: { notes: Array<string>, summary: { granted: number, revoked: number, conditional: number, principalsChanged: number, principalsCompared: number, adminsGained: number, adminsLost: number }, admins: { gained: Array<{ arn: string }>, lost: Array<{ arn: string }> }, principals: Array<{ arn: string, name: string, kind: string, change: string, byService: Array<{ service: string, level: string, granted: number, revoked: number, conditional: number }> }>, escalation: { pathsToAdminGained: Array<string>, pathsToAdminLost: Array<string>, added: Array<{ from: string, to: string, kind: string, technique: string, conditional: boolean, conditions: Array<string> }>, removed: Array<{ from: string, to: string, kind: string, technique: string, conditional: boolean, conditions: Array<string> }>, fanOutAdded: Array<{ from: string, kind: string, technique: string, conditional: boolean, conditions: Array<string>, targetClass: { id: string, description: string, size: number, sample: Array<string> } }>, fanOutRemoved: Array<{ from: string, kind: string, technique: string, conditional: boolean, conditions: Array<string>, targetClass: { id: string, description: string, size: number, sample: Array<string> } }> } | null } }
   };

export type PlanChangesQueryVariables = Exact<{
  snapshotId?: string | number | null | undefined;
  text: string;
  file?: string | null | undefined;
}>;


export type PlanChangesQuery = { planChanges:
    | { __typename: 'InvalidPlan', message: string, diagnostics: Array<{ message: string, jsonPath: string | null, line: number | null, hint: string | null }> }
    | { __typename: 'NoSnapshot', message: string }
    | { __typename: 'PlanChanges', format: PlanFormat, resources: number, iam: number, unchanged: number, ignored: Array<{ type: string, count: number }>, changes: Array<{ address: string, change: { op: ChangeOp, target: string | null, policy: string | null, name: string | null, document: string | null, user: string | null, group: string | null, path: string | null, resource: string | null, function: string | null, statementId: string | null, action: string | null, principal: string | null, sourceArn: string | null, sourceAccount: string | null, principalOrgId: string | null, eventSourceToken: string | null, functionUrlAuthType: string | null, invokedViaFunctionUrl: boolean | null } }>, exposures: Array<{ address: string, resource: string, kind: PlanPolicyKind, who: string, conditional: boolean }>, warnings: Array<{ message: string, jsonPath: string | null, line: number | null, hint: string | null }> }
    | { __typename: 'SnapshotNotFound', message: string }
   };

export type PathsQueryVariables = Exact<{
  snapshotId?: string | number | null | undefined;
  from: string;
  to?: string | null | undefined;
  toAdmin?: boolean | null | undefined;
  k?: number | null | undefined;
  maxDepth?: number | null | undefined;
}>;


export type PathsQuery = { paths:
    | { __typename: 'InvalidArgument', message: string }
    | { __typename: 'NoSnapshot', message: string }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'PathsResult', from: string, to: string, paths: Array<{ hops: number, conditional: boolean, conditions: Array<string>, steps: Array<{ from: string, to: string, toAdmin: boolean, kind: EscalationStepKind, technique: string, conditional: boolean, conditions: Array<string>, evidence: Array<{ path: string }> }> }> }
    | { __typename: 'SnapshotNotFound', message: string }
   };

export type BlastRadiusQueryVariables = Exact<{
  snapshotId?: string | number | null | undefined;
  principal?: string | null | undefined;
  accessKeyId?: string | null | undefined;
}>;


export type BlastRadiusQuery = { blastRadius:
    | { __typename: 'BlastRadius', notes: Array<string>, start: { arn: string, name: string, kind: string, accessKeyId: string | null }, counts: { principals: number, users: number, roles: number, services: number, resources: number, adminPaths: number }, admin: { reachable: boolean, conditional: boolean, paths: Array<{ hops: number, conditional: boolean, conditions: Array<string>, steps: Array<{ from: string, to: string, toAdmin: boolean, kind: EscalationStepKind, technique: string, conditional: boolean, conditions: Array<string>, evidence: Array<{ path: string }> }> }> }, principals: Array<{ arn: string, name: string, kind: string, hops: number, conditional: boolean, path: { hops: number, conditional: boolean, conditions: Array<string>, steps: Array<{ from: string, to: string, toAdmin: boolean, kind: EscalationStepKind, technique: string, conditional: boolean, conditions: Array<string>, evidence: Array<{ path: string }> }> } }>, services: Array<{ service: string, levels: Array<{ level: string, actions: number, conditional: boolean }> }>, resources: Array<{ arn: string, name: string, service: string, type: string, levels: Array<{ level: string, via: Array<string> }> }> }
    | { __typename: 'InvalidArgument', message: string }
    | { __typename: 'NoSnapshot', message: string }
    | { __typename: 'NotFound', message: string }
    | { __typename: 'SnapshotNotFound', message: string }
   };

export type SnapshotDiffQueryVariables = Exact<{
  fromSnapshotId: string | number;
  toSnapshotId: string | number;
}>;


export type SnapshotDiffQuery = { diff:
    | { __typename: 'AccountMismatch', message: string }
    | { __typename: 'NoSnapshot', message: string }
    | { __typename: 'SnapshotDiff', diff: { notes: Array<string>, summary: { granted: number, revoked: number, conditional: number, principalsChanged: number, principalsCompared: number, adminsGained: number, adminsLost: number }, admins: { gained: Array<{ arn: string }>, lost: Array<{ arn: string }> }, principals: Array<{ arn: string, name: string, kind: string, change: string, byService: Array<{ service: string, level: string, granted: number, revoked: number, conditional: number }> }>, escalation: { pathsToAdminGained: Array<string>, pathsToAdminLost: Array<string>, added: Array<{ from: string, to: string, kind: string, technique: string, conditional: boolean, conditions: Array<string> }>, removed: Array<{ from: string, to: string, kind: string, technique: string, conditional: boolean, conditions: Array<string> }>, fanOutAdded: Array<{ from: string, kind: string, technique: string, conditional: boolean, conditions: Array<string>, targetClass: { id: string, description: string, size: number, sample: Array<string> } }>, fanOutRemoved: Array<{ from: string, kind: string, technique: string, conditional: boolean, conditions: Array<string>, targetClass: { id: string, description: string, size: number, sample: Array<string> } }> } | null } }
    | { __typename: 'SnapshotNotFound', message: string }
   };

export type RightsizeQueryVariables = Exact<{
  snapshotId?: string | number | null | undefined;
  principals?: Array<string> | string | null | undefined;
  unusedDays?: number | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type RightsizeQuery = { rightsize:
    | { __typename: 'InvalidArgument', message: string }
    | { __typename: 'NoSnapshot', message: string }
    | { __typename: 'RightsizeResult', notes: Array<string>, pageInfo: { endCursor: string | null, hasNextPage: boolean }, usage: { unusedDays: number, totalCount: number, notes: Array<string>, principals: Array<{ arn: string, name: string, kind: string, notes: Array<string>, evidence: { jobCompletedAt: string, historyDays: number } | null, services: Array<{ service: string, status: UseStatus, lastUsed: string | null, unusedActions: Array<string>, levels: Array<{ level: AccessLevel, actions: number, unused: number }> }>, sources: Array<{ kind: string, name: string, services: Array<string>, status: UseStatus }>, activity: { status: UseStatus, detail: string } }>, groups: Array<{ arn: string, name: string, members: Array<string>, status: UseStatus, notes: Array<string>, services: Array<{ service: string, status: UseStatus }> }> }, proposals: Array<{ targetArn: string, targetName: string, targetKind: string, reasons: Array<string>, changes: Array<{ op: string, target: string | null, policy: string | null, name: string | null, user: string | null, group: string | null, path: string | null, document: string | null, accessKeyId: string | null, slot: number | null }>, proof: { ok: boolean, escalationEdgesRemoved: number, pathsToAdminLost: Array<string>, adminsLost: Array<string>, notes: Array<string>, keysDeactivated: Array<{ user: string, accessKeyId: string | null, slot: number }>, usedAccessLost: Array<{ principal: string, action: string, evidence: UseStatus }>, removed: Array<{ principal: string, revoked: number }>, blastRadius: Array<{ arn: string, reachableBefore: number, reachableAfter: number }> } | null }> }
    | { __typename: 'SnapshotNotFound', message: string }
   };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ApiErrorFragmentDoc = new TypedDocumentString(`
    fragment ApiError on Error {
  __typename
  message
}
    `, {"fragmentName":"ApiError"}) as unknown as TypedDocumentString<ApiErrorFragment, unknown>;
export const PolicySummaryFragmentDoc = new TypedDocumentString(`
    fragment PolicySummary on Policy {
  id
  arn
  name
  kind
  document
}
    `, {"fragmentName":"PolicySummary"}) as unknown as TypedDocumentString<PolicySummaryFragment, unknown>;
export const AttachedPolicyFieldsFragmentDoc = new TypedDocumentString(`
    fragment AttachedPolicyFields on AttachedPolicy {
  policyId
  via
  group {
    arn
    name
  }
  policy {
    ...PolicySummary
  }
}
    fragment PolicySummary on Policy {
  id
  arn
  name
  kind
  document
}`, {"fragmentName":"AttachedPolicyFields"}) as unknown as TypedDocumentString<AttachedPolicyFieldsFragment, unknown>;
export const AccessDiffFieldsFragmentDoc = new TypedDocumentString(`
    fragment AccessDiffFields on AccessDiff {
  notes
  summary {
    granted
    revoked
    conditional
    principalsChanged
    principalsCompared
    adminsGained
    adminsLost
  }
  admins {
    gained {
      arn
    }
    lost {
      arn
    }
  }
  principals {
    arn
    name
    kind
    change
    byService {
      service
      level
      granted
      revoked
      conditional
    }
  }
  escalation {
    added {
      from
      to
      kind
      technique
      conditional
      conditions
    }
    removed {
      from
      to
      kind
      technique
      conditional
      conditions
    }
    fanOutAdded {
      from
      kind
      technique
      conditional
      conditions
      targetClass {
        id
        description
        size
        sample: members(first: 1)
      }
    }
    fanOutRemoved {
      from
      kind
      technique
      conditional
      conditions
      targetClass {
        id
        description
        size
        sample: members(first: 1)
      }
    }
    pathsToAdminGained
    pathsToAdminLost
  }
}
    `, {"fragmentName":"AccessDiffFields"}) as unknown as TypedDocumentString<AccessDiffFieldsFragment, unknown>;
export const PathFieldsFragmentDoc = new TypedDocumentString(`
    fragment PathFields on EscalationPath {
  hops
  conditional
  conditions
  steps {
    from
    to
    toAdmin
    kind
    technique
    conditional
    conditions
    evidence {
      path
    }
  }
}
    `, {"fragmentName":"PathFields"}) as unknown as TypedDocumentString<PathFieldsFragment, unknown>;
export const SnapshotsDocument = new TypedDocumentString(`
    query Snapshots {
  snapshots {
    id
    accountId
    label
    current
    loadedAt
    counts {
      users
      groups
      roles
      policies
      resources
    }
  }
}
    `) as unknown as TypedDocumentString<SnapshotsQuery, SnapshotsQueryVariables>;
export const SearchPrincipalsDocument = new TypedDocumentString(`
    query SearchPrincipals($snapshotId: ID, $search: String, $first: Int) {
  principals(snapshotId: $snapshotId, filter: {search: $search}, first: $first) {
    __typename
    ... on PrincipalPage {
      totalCount
      items {
        __typename
        arn
        name
      }
    }
    ...ApiError
  }
}
    fragment ApiError on Error {
  __typename
  message
}`) as unknown as TypedDocumentString<SearchPrincipalsQuery, SearchPrincipalsQueryVariables>;
export const GraphDocument = new TypedDocumentString(`
    query Graph($snapshotId: ID, $focus: String, $depth: Int) {
  graph(snapshotId: $snapshotId, focus: $focus, depth: $depth) {
    __typename
    ... on Graph {
      nodes {
        id
        kind
        label
      }
      edges {
        source
        target
        kind
      }
    }
    ...ApiError
  }
}
    fragment ApiError on Error {
  __typename
  message
}`) as unknown as TypedDocumentString<GraphQuery, GraphQueryVariables>;
export const PrincipalDocument = new TypedDocumentString(`
    query Principal($arn: String!, $snapshotId: ID) {
  principal(arn: $arn, snapshotId: $snapshotId) {
    __typename
    ... on QueryPrincipalSuccess {
      data {
        __typename
        arn
        name
        path
        createDate
        boundaryArn
        boundary {
          ...PolicySummary
        }
        tags {
          key
          value
        }
        policies {
          ...AttachedPolicyFields
        }
        ... on User {
          passwordEnabled
          mfaActive
          groups {
            arn
            name
          }
          accessKeys {
            id
            slot
            active
            ageDays
            lastUsedDate
            lastUsedService
          }
        }
        ... on Role {
          description
          trustPolicy
          lastUsedDate
        }
      }
    }
    ...ApiError
  }
}
    fragment ApiError on Error {
  __typename
  message
}
fragment PolicySummary on Policy {
  id
  arn
  name
  kind
  document
}
fragment AttachedPolicyFields on AttachedPolicy {
  policyId
  via
  group {
    arn
    name
  }
  policy {
    ...PolicySummary
  }
}`) as unknown as TypedDocumentString<PrincipalQuery, PrincipalQueryVariables>;
export const GroupDocument = new TypedDocumentString(`
    query Group($arn: String!, $snapshotId: ID) {
  group(arn: $arn, snapshotId: $snapshotId) {
    __typename
    ... on Group {
      arn
      name
      path
      createDate
      members {
        arn
        name
      }
      policies {
        ...AttachedPolicyFields
      }
    }
    ...ApiError
  }
}
    fragment ApiError on Error {
  __typename
  message
}
fragment PolicySummary on Policy {
  id
  arn
  name
  kind
  document
}
fragment AttachedPolicyFields on AttachedPolicy {
  policyId
  via
  group {
    arn
    name
  }
  policy {
    ...PolicySummary
  }
}`) as unknown as TypedDocumentString<GroupQuery, GroupQueryVariables>;
export const PolicyDocument = new TypedDocumentString(`
    query Policy($arn: String!, $snapshotId: ID) {
  policy(arn: $arn, snapshotId: $snapshotId) {
    __typename
    ... on Policy {
      id
      arn
      name
      kind
      description
      defaultVersionId
      document
      versions {
        versionId
        isDefault
        createDate
        document
      }
      attachedTo {
        arn
        kind
        as
      }
    }
    ...ApiError
  }
}
    fragment ApiError on Error {
  __typename
  message
}`) as unknown as TypedDocumentString<PolicyQuery, PolicyQueryVariables>;
export const ActionsDocument = new TypedDocumentString(`
    query Actions($prefix: String!, $first: Int) {
  actions(prefix: $prefix, first: $first) {
    __typename
    ... on ActionPage {
      totalCount
      items {
        action
        accessLevel
        description
      }
    }
    ...ApiError
  }
}
    fragment ApiError on Error {
  __typename
  message
}`) as unknown as TypedDocumentString<ActionsQuery, ActionsQueryVariables>;
export const WhoCanDocument = new TypedDocumentString(`
    query WhoCan($snapshotId: ID, $action: String!, $resource: String!, $context: [ContextEntryInput!], $includeDenied: Boolean) {
  whoCan(
    snapshotId: $snapshotId
    action: $action
    resource: $resource
    context: $context
    includeDenied: $includeDenied
  ) {
    __typename
    ... on WhoCanResult {
      snapshotId
      actions
      resourcePolicyId
      evaluated
      principals
      notes
      entries {
        principal {
          arn
          name
          kind
        }
        action
        decision
        conditions
        residual
        summary
        deniedBy {
          kind
          layer
        }
        matched {
          layer
          effect
          policyId
          policyName
          statementIndex
          sid
          attachedVia
          conditional
          path
        }
      }
    }
    ...ApiError
  }
}
    fragment ApiError on Error {
  __typename
  message
}`) as unknown as TypedDocumentString<WhoCanQuery, WhoCanQueryVariables>;
export const FindingsDocument = new TypedDocumentString(`
    query Findings($snapshotId: ID) {
  findings(snapshotId: $snapshotId) {
    __typename
    ... on FindingsResult {
      findings {
        kind
        severity
        message
        fix
        entities
      }
    }
    ...ApiError
  }
}
    fragment ApiError on Error {
  __typename
  message
}`) as unknown as TypedDocumentString<FindingsQuery, FindingsQueryVariables>;
export const PrincipalAccessDocument = new TypedDocumentString(`
    query PrincipalAccess($arn: String!, $snapshotId: ID) {
  principal(arn: $arn, snapshotId: $snapshotId) {
    __typename
    ... on QueryPrincipalSuccess {
      data {
        access {
          evaluatedAs
          notes
          services {
            service
            actions
            levels {
              level
              conditional
              actions {
                action
                decision
              }
            }
          }
        }
      }
    }
    ...ApiError
  }
}
    fragment ApiError on Error {
  __typename
  message
}`) as unknown as TypedDocumentString<PrincipalAccessQuery, PrincipalAccessQueryVariables>;
export const PrincipalServiceAccessDocument = new TypedDocumentString(`
    query PrincipalServiceAccess($arn: String!, $snapshotId: ID, $service: String!) {
  principal(arn: $arn, snapshotId: $snapshotId) {
    __typename
    ... on QueryPrincipalSuccess {
      data {
        access(service: $service) {
          services {
            service
            actions
            levels {
              level
              conditional
              actions {
                action
                decision
                conditions
                scopes {
                  pattern
                  decision
                  partial
                }
              }
            }
          }
        }
      }
    }
    ...ApiError
  }
}
    fragment ApiError on Error {
  __typename
  message
}`) as unknown as TypedDocumentString<PrincipalServiceAccessQuery, PrincipalServiceAccessQueryVariables>;
export const ResourceDocument = new TypedDocumentString(`
    query Resource($arn: String!, $snapshotId: ID) {
  resource(arn: $arn, snapshotId: $snapshotId) {
    __typename
    ... on ResourceView {
      arn
      name
      service
      type
      region
      accountId
      policy
      notes
      tags {
        key
        value
      }
      whoCan {
        level
        principals {
          arn
          name
          kind
          decision
          actions
          conditional
          partial
        }
      }
    }
    ...ApiError
  }
}
    fragment ApiError on Error {
  __typename
  message
}`) as unknown as TypedDocumentString<ResourceQuery, ResourceQueryVariables>;
export const WhatIfDocument = new TypedDocumentString(`
    query WhatIf($snapshotId: ID, $changes: [ChangeInput!]!) {
  whatIf(snapshotId: $snapshotId, changes: $changes) {
    __typename
    ... on WhatIfResult {
      affected
      warnings {
        message
      }
      keysDeactivated {
        user
        accessKeyId
        slot
      }
      diff {
        ...AccessDiffFields
      }
    }
    ... on InvalidChanges {
      message
      diagnostics {
        message
        jsonPath
      }
    }
    ...ApiError
  }
}
    fragment ApiError on Error {
  __typename
  message
}
fragment AccessDiffFields on AccessDiff {
  notes
  summary {
    granted
    revoked
    conditional
    principalsChanged
    principalsCompared
    adminsGained
    adminsLost
  }
  admins {
    gained {
      arn
    }
    lost {
      arn
    }
  }
  principals {
    arn
    name
    kind
    change
    byService {
      service
      level
      granted
      revoked
      conditional
    }
  }
  escalation {
    added {
      from
      to
      kind
      technique
      conditional
      conditions
    }
    removed {
      from
      to
      kind
      technique
      conditional
      conditions
    }
    fanOutAdded {
      from
      kind
      technique
      conditional
      conditions
      targetClass {
        id
        description
        size
        sample: members(first: 1)
      }
    }
    fanOutRemoved {
      from
      kind
      technique
      conditional
      conditions
      targetClass {
        id
        description
        size
        sample: members(first: 1)
      }
    }
    pathsToAdminGained
    pathsToAdminLost
  }
}`) as unknown as TypedDocumentString<WhatIfQuery, WhatIfQueryVariables>;
export const PlanChangesDocument = new TypedDocumentString(`
    query PlanChanges($snapshotId: ID, $text: String!, $file: String) {
  planChanges(snapshotId: $snapshotId, text: $text, file: $file) {
    __typename
    ... on PlanChanges {
      format
      resources
      iam
      unchanged
      ignored {
        type
        count
      }
      changes {
        address
        change {
          op
          target
          policy
          name
          document
          user
          group
          path
          resource
          function
          statementId
          action
          principal
          sourceArn
          sourceAccount
          principalOrgId
          eventSourceToken
          functionUrlAuthType
          invokedViaFunctionUrl
        }
      }
      exposures {
        address
        resource
        kind
        who
        conditional
      }
      warnings {
        message
        jsonPath
        line
        hint
      }
    }
    ... on InvalidPlan {
      message
      diagnostics {
        message
        jsonPath
        line
        hint
      }
    }
    ...ApiError
  }
}
    fragment ApiError on Error {
  __typename
  message
}`) as unknown as TypedDocumentString<PlanChangesQuery, PlanChangesQueryVariables>;
export const PathsDocument = new TypedDocumentString(`
    query Paths($snapshotId: ID, $from: String!, $to: String, $toAdmin: Boolean, $k: Int, $maxDepth: Int) {
  paths(
    snapshotId: $snapshotId
    from: $from
    to: $to
    toAdmin: $toAdmin
    k: $k
    maxDepth: $maxDepth
  ) {
    __typename
    ... on PathsResult {
      from
      to
      paths {
        ...PathFields
      }
    }
    ...ApiError
  }
}
    fragment ApiError on Error {
  __typename
  message
}
fragment PathFields on EscalationPath {
  hops
  conditional
  conditions
  steps {
    from
    to
    toAdmin
    kind
    technique
    conditional
    conditions
    evidence {
      path
    }
  }
}`) as unknown as TypedDocumentString<PathsQuery, PathsQueryVariables>;
export const BlastRadiusDocument = new TypedDocumentString(`
    query BlastRadius($snapshotId: ID, $principal: String, $accessKeyId: String) {
  blastRadius(
    snapshotId: $snapshotId
    principal: $principal
    accessKeyId: $accessKeyId
  ) {
    __typename
    ... on BlastRadius {
      start {
        arn
        name
        kind
        accessKeyId
      }
      counts {
        principals
        users
        roles
        services
        resources
        adminPaths
      }
      admin {
        reachable
        conditional
        paths {
          ...PathFields
        }
      }
      principals {
        arn
        name
        kind
        hops
        conditional
        path {
          ...PathFields
        }
      }
      services {
        service
        levels {
          level
          actions
          conditional
        }
      }
      resources {
        arn
        name
        service
        type
        levels {
          level
          via
        }
      }
      notes
    }
    ...ApiError
  }
}
    fragment ApiError on Error {
  __typename
  message
}
fragment PathFields on EscalationPath {
  hops
  conditional
  conditions
  steps {
    from
    to
    toAdmin
    kind
    technique
    conditional
    conditions
    evidence {
      path
    }
  }
}`) as unknown as TypedDocumentString<BlastRadiusQuery, BlastRadiusQueryVariables>;
export const SnapshotDiffDocument = new TypedDocumentString(`
    query SnapshotDiff($fromSnapshotId: ID!, $toSnapshotId: ID!) {
  diff(fromSnapshotId: $fromSnapshotId, toSnapshotId: $toSnapshotId) {
    __typename
    ... on SnapshotDiff {
      diff {
        ...AccessDiffFields
      }
    }
    ...ApiError
  }
}
    fragment ApiError on Error {
  __typename
  message
}
fragment AccessDiffFields on AccessDiff {
  notes
  summary {
    granted
    revoked
    conditional
    principalsChanged
    principalsCompared
    adminsGained
    adminsLost
  }
  admins {
    gained {
      arn
    }
    lost {
      arn
    }
  }
  principals {
    arn
    name
    kind
    change
    byService {
      service
      level
      granted
      revoked
      conditional
    }
  }
  escalation {
    added {
      from
      to
      kind
      technique
      conditional
      conditions
    }
    removed {
      from
      to
      kind
      technique
      conditional
      conditions
    }
    fanOutAdded {
      from
      kind
      technique
      conditional
      conditions
      targetClass {
        id
        description
        size
        sample: members(first: 1)
      }
    }
    fanOutRemoved {
      from
      kind
      technique
      conditional
      conditions
      targetClass {
        id
        description
        size
        sample: members(first: 1)
      }
    }
    pathsToAdminGained
    pathsToAdminLost
  }
}`) as unknown as TypedDocumentString<SnapshotDiffQuery, SnapshotDiffQueryVariables>;
export const RightsizeDocument = new TypedDocumentString(`
    query Rightsize($snapshotId: ID, $principals: [String!], $unusedDays: Int, $first: Int, $after: String) {
  rightsize(
    snapshotId: $snapshotId
    principals: $principals
    unusedDays: $unusedDays
    first: $first
    after: $after
  ) {
    __typename
    ... on RightsizeResult {
      pageInfo {
        endCursor
        hasNextPage
      }
      usage {
        unusedDays
        totalCount
        notes
        principals {
          arn
          name
          kind
          notes
          evidence {
            jobCompletedAt
            historyDays
          }
          services {
            service
            status
            lastUsed
            unusedActions
            levels {
              level
              actions
              unused
            }
          }
          sources {
            kind
            name
            services
            status
          }
          activity {
            status
            detail
          }
        }
        groups {
          arn
          name
          members
          status
          notes
          services {
            service
            status
          }
        }
      }
      proposals {
        targetArn
        targetName
        targetKind
        reasons
        changes {
          op
          target
          policy
          name
          user
          group
          path
          document
          accessKeyId
          slot
        }
        proof {
          ok
          escalationEdgesRemoved
          pathsToAdminLost
          adminsLost
          notes
          keysDeactivated {
            user
            accessKeyId
            slot
          }
          usedAccessLost {
            principal
            action
            evidence
          }
          removed {
            principal
            revoked
          }
          blastRadius {
            arn
            reachableBefore
            reachableAfter
          }
        }
      }
      notes
    }
    ...ApiError
  }
}
    fragment ApiError on Error {
  __typename
  message
}`) as unknown as TypedDocumentString<RightsizeQuery, RightsizeQueryVariables>;