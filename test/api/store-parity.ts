/**
 * Queries whose answers must be identical from every store (after replacing the store-assigned snapshot id
 * with a placeholder). Used by the Neo4j API test to compare Neo4j with the embedded store.
 */
import type { GraphStore } from '../../server/graph/store.ts';
import { queryApi } from './api-fixture.ts';

/** A variable value replaced by the id of the snapshot under test. */
export const SNAPSHOT = '<snapshot>';

// `current` is left out of the snapshot query: in a shared Neo4j another test may load a newer snapshot of
// the same account at any moment.
export interface ParityQuery {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

const PRINCIPAL_FIELDS = `
  __typename arn name uniqueId path createDate boundaryArn
  tags { key value }
  boundary { id kind document }
  policies { via policyId group { arn } policy { id arn kind name document defaultVersionId versions { versionId isDefault document } } }
  ... on User { groups { arn name } accessKeys { slot id active lastRotated ageDays lastUsedDate lastUsedRegion lastUsedService }
    passwordEnabled passwordLastUsed passwordLastChanged mfaActive }
  ... on Role { trustPolicy description maxSessionDuration instanceProfiles lastUsedDate }
`;

export function parityQueries(arns: {
  users: string[];
  roles: string[];
  groups: string[];
  policies: string[];
}): ParityQuery[] {
  const qs: ParityQuery[] = [
    {
      name: 'snapshot',
      query: `query($id: ID!) { snapshot(id: $id) { __typename ... on Snapshot { accountId label collectedAt
        counts { users groups roles policies resources } warnings { severity code message file jsonPath line hint }
        passwordPolicy { minimumPasswordLength requireSymbols passwordReusePrevention cisGaps }
        rootCredentials { createDate passwordLastUsed mfaActive accessKeys { slot active lastRotated ageDays } } } } }`,
      variables: { id: SNAPSHOT },
    },
    {
      name: 'findings',
      query: `query($s: ID) { findings(snapshotId: $s) { __typename ... on FindingsResult { collectedAt
        findings { kind severity entities message fix } } } }`,
      variables: {},
    },
    {
      name: 'principals, every page of 2',
      query: `query($s: ID, $after: String) { principals(snapshotId: $s, first: 2, after: $after) { ... on PrincipalPage {
        totalCount items { __typename arn } pageInfo { hasNextPage } } } }`,
      variables: {},
    },
    {
      name: 'principals filtered',
      query: `query($s: ID) { principals(snapshotId: $s, first: 100, filter: { kind: ROLE }) { ... on PrincipalPage { totalCount items { arn } } } }`,
      variables: {},
    },
  ];
  for (const arn of [...arns.users, ...arns.roles]) {
    qs.push({
      name: `principal ${arn}`,
      query: `query($s: ID, $arn: String!) { principal(snapshotId: $s, arn: $arn) { __typename ... on QueryPrincipalSuccess { data { ${PRINCIPAL_FIELDS} } } } }`,
      variables: { arn },
    });
  }
  for (const arn of arns.groups) {
    qs.push({
      name: `group ${arn}`,
      query: `query($s: ID, $arn: String!) { group(snapshotId: $s, arn: $arn) { __typename ... on Group { arn name uniqueId path
        members { arn } policies { via policyId policy { id kind document } } } } }`,
      variables: { arn },
    });
  }
  for (const arn of arns.policies) {
    qs.push({
      name: `policy ${arn}`,
      query: `query($s: ID, $arn: String!) { policy(snapshotId: $s, arn: $arn) { __typename ... on Policy { id arn kind name path description
        defaultVersionId document versions { versionId isDefault createDate document } attachedTo { arn kind as } } } }`,
      variables: { arn },
    });
  }
  for (const focus of [arns.users[0], arns.roles[0], undefined]) {
    qs.push({
      name: `graph around ${focus ?? 'everything'}`,
      query: `query($s: ID, $focus: String) { graph(snapshotId: $s, focus: $focus, depth: 2) { ... on Graph { nodes { id kind label } edges { source target kind } } } }`,
      variables: focus ? { focus } : {},
    });
  }
  // Analyses read the snapshot back from the store: who-can and the simulator must answer alike from both.
  qs.push({
    name: 'whoCan s3:GetObject on any object, denied ones included',
    query: `query($s: ID) { whoCan(snapshotId: $s, action: "s3:GetObject", resource: "arn:aws:s3:::some-bucket/x",
      includeDenied: true) { __typename ... on WhoCanResult { actions evaluated principals notes
      entries { principal { arn } decision conditions summary matched { layer policyId statementIndex attachedVia path } } } } }`,
    variables: {},
  });
  for (const arn of [...arns.users, ...arns.roles]) {
    qs.push({
      name: `simulate ${arn} s3:PutObject`,
      query: `query($s: ID, $arn: String!) { simulate(snapshotId: $s, principalArn: $arn, action: "s3:PutObject",
        resource: "arn:aws:s3:::some-bucket/x") { __typename ... on EvaluationResult { decision conditionsText summary
        explanation { layers { layer allow deny statements { policyId statementIndex attachedVia effect } } } } } }`,
      variables: { arn },
    });
  }
  // Name the snapshot everywhere: the Neo4j database is shared, so "current" may be someone else's.
  return qs.map((q) => ({
    ...q,
    variables: q.name === 'snapshot' ? q.variables : { s: SNAPSHOT, ...q.variables },
  }));
}

/** Runs a parity query; for the paged one, walks every page. Snapshot ids are replaced by `<snapshot>`. */
export async function runParityQuery(
  store: GraphStore,
  q: ParityQuery,
  snapshotId: string,
): Promise<unknown> {
  const pages: unknown[] = [];
  let variables = Object.fromEntries(
    Object.entries(q.variables).map(([k, v]) => [k, v === SNAPSHOT ? snapshotId : v]),
  );
  for (;;) {
    const { body } = await queryApi(store, q.query, variables);
    pages.push(body);
    const after = body?.data?.principals?.pageInfo?.hasNextPage
      ? await nextCursor(store, q, variables)
      : undefined;
    if (!after) break;
    variables = { ...variables, after };
  }
  return JSON.parse(JSON.stringify(pages).split(snapshotId).join(SNAPSHOT));
}

// Cursors are opaque and may differ between stores: fetch them separately, compare only the data.
async function nextCursor(
  store: GraphStore,
  q: ParityQuery,
  variables: Record<string, unknown>,
): Promise<string | undefined> {
  const { body } = await queryApi(
    store,
    q.query.replace('pageInfo { hasNextPage }', 'pageInfo { hasNextPage endCursor }'),
    variables,
  );
  return body?.data?.principals?.pageInfo?.endCursor ?? undefined;
}
