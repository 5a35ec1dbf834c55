/**
 * The GraphQL documents the app sends, each typed with its variables and result. Field names follow
 * schema/schema.graphql exactly; the browser test runs them against the real server, so drift fails there.
 */
import type {
  ApiErrorResult,
  BlastRadius,
  CatalogAction,
  ContextEntryInput,
  Finding,
  PrincipalAccess,
  GraphView,
  GroupDetail,
  PolicyDetail,
  PrincipalDetail,
  PrincipalHit,
  ResourceDetail,
  SnapshotSummary,
  PathsAnswer,
  RightsizeResult,
  WhatIfResult,
  WhoCanResult,
} from './types.ts';
import type { ChangeInput } from '../what-if/changes.ts';

/** A document string carrying its variable and result types (phantom fields, never set at runtime). */
export interface TypedDocument<TResult, TVariables> {
  readonly name: string;
  readonly query: string;
  readonly __result?: TResult;
  readonly __variables?: TVariables;
}

function doc<TResult, TVariables>(name: string, query: string): TypedDocument<TResult, TVariables> {
  return { name, query };
}

const ERROR_FIELDS = `... on Error { __typename message }`;

const DIFF_EDGE = `from to kind technique conditional conditions`;
// A class's members can be thousands: one is enough to draw the class like them.
const DIFF_FAN_OUT = `from kind technique conditional conditions targetClass { id description size sample: members(first: 1) }`;
const ESCALATION_DIFF =
  `added { ${DIFF_EDGE} } removed { ${DIFF_EDGE} } fanOutAdded { ${DIFF_FAN_OUT} } ` +
  `fanOutRemoved { ${DIFF_FAN_OUT} } pathsToAdminGained pathsToAdminLost`;

const POLICY_SUMMARY = `id arn name kind document`;

const ATTACHED_POLICIES = `policies { policyId via group { arn name } policy { ${POLICY_SUMMARY} } }`;

export const SnapshotsQuery = doc<{ snapshots: SnapshotSummary[] }, Record<string, never>>(
  'Snapshots',
  `query Snapshots {
  snapshots { id accountId label current loadedAt counts { users groups roles policies resources } }
}`,
);

export const SearchPrincipalsQuery = doc<
  { principals: { __typename: 'PrincipalPage'; totalCount: number; items: PrincipalHit[] } | ApiErrorResult },
  { snapshotId: string | null; search: string; first: number }
>(
  'SearchPrincipals',
  `query SearchPrincipals($snapshotId: ID, $search: String, $first: Int) {
  principals(snapshotId: $snapshotId, filter: { search: $search }, first: $first) {
    __typename
    ... on PrincipalPage { totalCount items { __typename arn name } }
    ${ERROR_FIELDS}
  }
}`,
);

export const GraphQuery = doc<
  { graph: ({ __typename: 'Graph' } & GraphView) | ApiErrorResult },
  { snapshotId: string | null; focus: string | null; depth: number }
>(
  'Graph',
  `query Graph($snapshotId: ID, $focus: String, $depth: Int) {
  graph(snapshotId: $snapshotId, focus: $focus, depth: $depth) {
    __typename
    ... on Graph { nodes { id kind label } edges { source target kind } }
    ${ERROR_FIELDS}
  }
}`,
);

export const PrincipalQuery = doc<
  { principal: { __typename: 'QueryPrincipalSuccess'; data: PrincipalDetail } | ApiErrorResult },
  { arn: string; snapshotId: string | null }
>(
  'Principal',
  `query Principal($arn: String!, $snapshotId: ID) {
  principal(arn: $arn, snapshotId: $snapshotId) {
    __typename
    ... on QueryPrincipalSuccess {
      data {
        __typename arn name path createDate boundaryArn
        boundary { ${POLICY_SUMMARY} }
        tags { key value }
        ${ATTACHED_POLICIES}
        ... on User {
          passwordEnabled mfaActive
          groups { arn name }
          accessKeys { id slot active lastRotated lastUsedDate lastUsedService }
        }
        ... on Role { description trustPolicy lastUsedDate }
      }
    }
    ${ERROR_FIELDS}
  }
}`,
);

export const GroupQuery = doc<
  { group: GroupDetail | ApiErrorResult },
  { arn: string; snapshotId: string | null }
>(
  'Group',
  `query Group($arn: String!, $snapshotId: ID) {
  group(arn: $arn, snapshotId: $snapshotId) {
    __typename
    ... on Group { arn name path createDate members { arn name } ${ATTACHED_POLICIES} }
    ${ERROR_FIELDS}
  }
}`,
);

export const PolicyQuery = doc<
  { policy: PolicyDetail | ApiErrorResult },
  { arn: string; snapshotId: string | null }
>(
  'Policy',
  `query Policy($arn: String!, $snapshotId: ID) {
  policy(arn: $arn, snapshotId: $snapshotId) {
    __typename
    ... on Policy {
      id arn name kind description defaultVersionId document
      versions { versionId isDefault createDate document }
      attachedTo { arn kind as }
    }
    ${ERROR_FIELDS}
  }
}`,
);

export const ActionsQuery = doc<
  {
    actions: { __typename: 'ActionPage'; totalCount: number; items: CatalogAction[] } | ApiErrorResult;
  },
  { prefix: string; first: number }
>(
  'Actions',
  `query Actions($prefix: String!, $first: Int) {
  actions(prefix: $prefix, first: $first) {
    __typename
    ... on ActionPage { totalCount items { action accessLevel description } }
    ${ERROR_FIELDS}
  }
}`,
);

export const WhoCanQuery = doc<
  { whoCan: ({ __typename: 'WhoCanResult' } & WhoCanResult) | ApiErrorResult },
  {
    snapshotId: string | null;
    action: string;
    resource: string;
    context: ContextEntryInput[];
    includeDenied: boolean;
  }
>(
  'WhoCan',
  `query WhoCan($snapshotId: ID, $action: String!, $resource: String!, $context: [ContextEntryInput!],
    $includeDenied: Boolean) {
  whoCan(snapshotId: $snapshotId, action: $action, resource: $resource, context: $context,
         includeDenied: $includeDenied) {
    __typename
    ... on WhoCanResult {
      snapshotId actions resourcePolicyId evaluated principals notes
      entries {
        principal { arn name kind }
        action decision conditions residual summary
        deniedBy { kind layer }
        matched { layer effect policyId policyName statementIndex sid attachedVia conditional path }
      }
    }
    ${ERROR_FIELDS}
  }
}`,
);

export const FindingsQuery = doc<
  { findings: { __typename: 'FindingsResult'; findings: Finding[] } | ApiErrorResult },
  { snapshotId: string | null }
>(
  'Findings',
  `query Findings($snapshotId: ID) {
  findings(snapshotId: $snapshotId) {
    __typename
    ... on FindingsResult { findings { kind severity message fix entities } }
    ${ERROR_FIELDS}
  }
}`,
);

/** Counts for the table: action names only (an admin has ~20,000, so scopes are fetched per service). */
export const PrincipalAccessQuery = doc<
  {
    principal: { __typename: 'QueryPrincipalSuccess'; data: { access: PrincipalAccess } } | ApiErrorResult;
  },
  { arn: string; snapshotId: string | null }
>(
  'PrincipalAccess',
  `query PrincipalAccess($arn: String!, $snapshotId: ID) {
  principal(arn: $arn, snapshotId: $snapshotId) {
    __typename
    ... on QueryPrincipalSuccess {
      data {
        access {
          evaluatedAs notes
          services { service actions levels { level conditional actions { action decision } } }
        }
      }
    }
    ${ERROR_FIELDS}
  }
}`,
);

/** One service's actions with the resource patterns they are allowed on. */
export const PrincipalServiceAccessQuery = doc<
  {
    principal:
      | { __typename: 'QueryPrincipalSuccess'; data: { access: Pick<PrincipalAccess, 'services'> } }
      | ApiErrorResult;
  },
  { arn: string; snapshotId: string | null; service: string }
>(
  'PrincipalServiceAccess',
  `query PrincipalServiceAccess($arn: String!, $snapshotId: ID, $service: String!) {
  principal(arn: $arn, snapshotId: $snapshotId) {
    __typename
    ... on QueryPrincipalSuccess {
      data {
        access(service: $service) {
          services {
            service actions
            levels { level conditional actions { action decision conditions scopes { pattern decision partial } } }
          }
        }
      }
    }
    ${ERROR_FIELDS}
  }
}`,
);

export const ResourceQuery = doc<
  { resource: ResourceDetail | ApiErrorResult },
  { arn: string; snapshotId: string | null }
>(
  'Resource',
  `query Resource($arn: String!, $snapshotId: ID) {
  resource(arn: $arn, snapshotId: $snapshotId) {
    __typename
    ... on ResourceView {
      arn name service type region accountId policy notes tags { key value }
      whoCan { level principals { arn name kind decision actions conditional partial } }
    }
    ${ERROR_FIELDS}
  }
}`,
);

export const WhatIfQuery = doc<
  {
    whatIf:
      | ({ __typename: 'WhatIfResult' } & WhatIfResult)
      | {
          __typename: 'InvalidChanges';
          message: string;
          diagnostics: { message: string; jsonPath: string | null }[];
        }
      | ApiErrorResult;
  },
  { snapshotId: string | null; changes: ChangeInput[] }
>(
  'WhatIf',
  `query WhatIf($snapshotId: ID, $changes: [ChangeInput!]!) {
  whatIf(snapshotId: $snapshotId, changes: $changes) {
    __typename
    ... on WhatIfResult {
      affected
      warnings { message }
      diff {
        notes
        summary { granted revoked conditional principalsChanged principalsCompared adminsGained adminsLost }
        admins { gained { arn } lost { arn } }
        principals { arn name kind change byService { service level granted revoked conditional } }
        escalation { ${ESCALATION_DIFF} }
      }
    }
    ... on InvalidChanges { message diagnostics { message jsonPath } }
    ${ERROR_FIELDS}
  }
}`,
);

const PATH_FIELDS = `hops conditional conditions
  steps { from to toAdmin kind technique conditional conditions evidence { path } }`;

export const PathsQuery = doc<
  { paths: ({ __typename: 'PathsResult' } & PathsAnswer) | ApiErrorResult },
  {
    snapshotId: string | null;
    from: string;
    to: string | null;
    toAdmin: boolean;
    k: number;
    maxDepth: number;
  }
>(
  'Paths',
  `query Paths($snapshotId: ID, $from: String!, $to: String, $toAdmin: Boolean, $k: Int, $maxDepth: Int) {
  paths(snapshotId: $snapshotId, from: $from, to: $to, toAdmin: $toAdmin, k: $k, maxDepth: $maxDepth) {
    __typename
    ... on PathsResult { from to paths { ${PATH_FIELDS} } }
    ${ERROR_FIELDS}
  }
}`,
);

export const BlastRadiusQuery = doc<
  { blastRadius: ({ __typename: 'BlastRadius' } & BlastRadius) | ApiErrorResult },
  { snapshotId: string | null; principal: string | null; accessKeyId: string | null }
>(
  'BlastRadius',
  `query BlastRadius($snapshotId: ID, $principal: String, $accessKeyId: String) {
  blastRadius(snapshotId: $snapshotId, principal: $principal, accessKeyId: $accessKeyId) {
    __typename
    ... on BlastRadius {
      start { arn name kind accessKeyId }
      counts { principals users roles services resources adminPaths }
      admin { reachable conditional paths { ${PATH_FIELDS} } }
      principals { arn name kind hops conditional path { ${PATH_FIELDS} } }
      services { service levels { level actions conditional } }
      resources { arn name service type levels { level via } }
      notes
    }
    ${ERROR_FIELDS}
  }
}`,
);

export const SnapshotDiffQuery = doc<
  {
    diff:
      | { __typename: 'SnapshotDiff'; diff: WhatIfResult['diff'] }
      | { __typename: 'AccountMismatch'; message: string }
      | ApiErrorResult;
  },
  { fromSnapshotId: string; toSnapshotId: string }
>(
  'SnapshotDiff',
  `query SnapshotDiff($fromSnapshotId: ID!, $toSnapshotId: ID!) {
  diff(fromSnapshotId: $fromSnapshotId, toSnapshotId: $toSnapshotId) {
    __typename
    ... on SnapshotDiff {
      diff {
        notes
        summary { granted revoked conditional principalsChanged principalsCompared adminsGained adminsLost }
        admins { gained { arn } lost { arn } }
        principals { arn name kind change byService { service level granted revoked conditional } }
        escalation { ${ESCALATION_DIFF} }
      }
    }
    ${ERROR_FIELDS}
  }
}`,
);

/** True when a union result is one of the typed errors rather than the data. */
export function isApiError(value: { __typename: string }): value is ApiErrorResult {
  return (
    value.__typename === 'NoSnapshot' ||
    value.__typename === 'NotFound' ||
    value.__typename === 'SnapshotNotFound' ||
    value.__typename === 'InvalidArgument'
  );
}

export const RightsizeQuery = doc<
  { rightsize: ({ __typename: 'RightsizeResult' } & RightsizeResult) | ApiErrorResult },
  { snapshotId: string | null; principals: string[] | null; unusedDays: number | null }
>(
  'Rightsize',
  `query Rightsize($snapshotId: ID, $principals: [String!], $unusedDays: Int) {
  rightsize(snapshotId: $snapshotId, principals: $principals, unusedDays: $unusedDays) {
    __typename
    ... on RightsizeResult {
      usage {
        unusedDays
        notes
        principals {
          arn name kind notes
          evidence { jobCompletedAt historyDays }
          services { service status lastUsed unusedActions levels { level actions unused } }
          sources { kind name services status }
          activity { status detail }
        }
        groups { arn name members status notes services { service status } }
      }
      proposals {
        targetArn targetName targetKind reasons
        changes { op target policy name user group path document }
        proof {
          ok escalationEdgesRemoved pathsToAdminLost adminsLost notes
          usedAccessLost { principal action evidence }
          removed { principal revoked byService { service level granted revoked conditional } }
          blastRadius { arn reachableBefore reachableAfter }
        }
      }
      notes
    }
    ${ERROR_FIELDS}
  }
}`,
);
