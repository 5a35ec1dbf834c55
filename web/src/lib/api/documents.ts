/**
 * The GraphQL documents the app sends. `graphql()` is generated from schema/schema.graphql and these documents
 * (web/codegen.ts, into ./generated): each document is typed with its result and variables, so a field the schema
 * lacks or a result used wrongly fails `npm run typecheck`; test/api/web-codegen.test.ts fails when the generated
 * files are stale.
 */
import { graphql } from './generated/index.ts';
import type { ApiErrorResult } from './results.ts';

graphql(`
  fragment ApiError on Error {
    __typename
    message
  }
`);

graphql(`
  fragment PolicySummary on Policy {
    id
    arn
    name
    kind
    document
  }
`);

graphql(`
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
`);

// A fan-out class's members can be thousands: one is enough to draw the class like them. Escalation fields are
// not a fragment of their own: each spread counts as a level of the server's depth limit.
graphql(`
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
`);

graphql(`
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
`);

export const SnapshotsQuery = graphql(`
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
`);

export const SearchPrincipalsQuery = graphql(`
  query SearchPrincipals($snapshotId: ID, $search: String, $first: Int) {
    principals(snapshotId: $snapshotId, filter: { search: $search }, first: $first) {
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
`);

export const GraphQuery = graphql(`
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
`);

export const PrincipalQuery = graphql(`
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
`);

export const GroupQuery = graphql(`
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
`);

export const PolicyQuery = graphql(`
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
`);

export const ActionsQuery = graphql(`
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
`);

export const WhoCanQuery = graphql(`
  query WhoCan(
    $snapshotId: ID
    $action: String!
    $resource: String!
    $context: [ContextEntryInput!]
    $includeDenied: Boolean
  ) {
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
`);

export const FindingsQuery = graphql(`
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
`);

export const PrincipalAccessQuery = graphql(`
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
`);

export const PrincipalServiceAccessQuery = graphql(`
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
`);

export const ResourceQuery = graphql(`
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
`);

export const WhatIfQuery = graphql(`
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
`);

export const PlanChangesQuery = graphql(`
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
`);

export const PathsQuery = graphql(`
  query Paths($snapshotId: ID, $from: String!, $to: String, $toAdmin: Boolean, $k: Int, $maxDepth: Int) {
    paths(snapshotId: $snapshotId, from: $from, to: $to, toAdmin: $toAdmin, k: $k, maxDepth: $maxDepth) {
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
`);

export const BlastRadiusQuery = graphql(`
  query BlastRadius($snapshotId: ID, $principal: String, $accessKeyId: String) {
    blastRadius(snapshotId: $snapshotId, principal: $principal, accessKeyId: $accessKeyId) {
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
`);

export const SnapshotDiffQuery = graphql(`
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
`);

/** True when a union result is one of the typed errors rather than the data. */
export function isApiError(value: { __typename?: string }): value is ApiErrorResult {
  return (
    value.__typename === 'NoSnapshot' ||
    value.__typename === 'NotFound' ||
    value.__typename === 'SnapshotNotFound' ||
    value.__typename === 'InvalidArgument'
  );
}

export const RightsizeQuery = graphql(`
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
`);
