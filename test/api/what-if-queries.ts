/** The whatIf / diff documents the API tests send to both stores (what-if.test.ts, what-if.neo4j.test.ts). */
const DIFF_FAN_OUT = `from kind technique conditional conditions
    targetClass { id description size first: members(first: 1) members }`;

export const DIFF_FIELDS = `
  summary { principalsCompared principalsChanged granted revoked conditional adminsGained adminsLost
            edgesAdded edgesRemoved fanOutAdded fanOutRemoved pathsToAdminGained pathsToAdminLost
            blastRadiusChanged }
  principals { arn name kind change
    granted { action service level resource known before { decision conditions } after { decision conditions } }
    revoked { action resource }
    conditional { action resource before { decision conditions } after { decision conditions } }
    byService { service level granted revoked conditional } }
  admins { gained { arn before after } lost { arn before after } }
  escalation { added { from to technique } removed { from to technique }
    fanOutAdded { ${DIFF_FAN_OUT} } fanOutRemoved { ${DIFF_FAN_OUT} } pathsToAdminGained pathsToAdminLost }
  blastRadius { principals { arn before { admin reachable } after { admin reachable } gained lost gainedCount lostCount }
                more candidates evaluated }
  notes`;

export const WHAT_IF = `query($snapshotId: ID, $changes: [ChangeInput!]!) {
  whatIf(snapshotId: $snapshotId, changes: $changes) {
    __typename
    ... on Error { message }
    ... on InvalidChanges { diagnostics { severity code message jsonPath hint } }
    ... on WhatIfResult { snapshotId affected trustChanged warnings { code message } diff { ${DIFF_FIELDS} } }
  }
}`;

export const DIFF = `query($from: ID!, $to: ID!) {
  diff(fromSnapshotId: $from, toSnapshotId: $to) {
    __typename
    ... on Error { message }
    ... on SnapshotDiff { fromSnapshotId toSnapshotId diff { ${DIFF_FIELDS} } }
  }
}`;
