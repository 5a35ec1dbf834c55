/** GraphQL documents for paths, blastRadius and whoCanReach, shared by the memory and Neo4j API tests. */
const STEP = `from to toAdmin kind technique conditional conditions evidence { policyName statementIndex path }`;
const PATH = `steps { ${STEP} } hops conditional conditions`;

export const PATHS_QUERY = `query($s: ID, $from: String!, $to: String, $toAdmin: Boolean, $k: Int, $maxDepth: Int) {
  paths(snapshotId: $s, from: $from, to: $to, toAdmin: $toAdmin, k: $k, maxDepth: $maxDepth) {
    __typename
    ... on Error { message }
    ... on InvalidArgument { argument }
    ... on PathsResult { from to paths { ${PATH} } }
  }
}`;

export const BLAST_RADIUS_QUERY = `query($s: ID, $principal: String, $key: String) {
  blastRadius(snapshotId: $s, principal: $principal, accessKeyId: $key) {
    __typename
    ... on Error { message }
    ... on BlastRadius {
      start { arn name kind accessKeyId accessKeyActive }
      principals { arn name kind hops conditional path { ${PATH} } }
      admin { reachable conditional paths { ${PATH} } }
      services { service levels { level actions conditional via } }
      resources { arn name type levels { level actions conditional via } }
      counts { principals users roles services resources adminPaths }
      source notes
    }
  }
}`;

export const WHO_CAN_REACH_QUERY = `query($s: ID, $resource: String!, $action: String!) {
  whoCanReach(snapshotId: $s, resource: $resource, action: $action) {
    __typename
    ... on Error { message }
    ... on WhoCanReachResult {
      actions resource
      entries { principal { arn name kind } direct grantor conditional grantConditions path { ${PATH} } }
      counts { direct indirect viaAdmin }
      notes
    }
  }
}`;

/** `bob -[iam:CreatePolicyVersion]-> ADMIN`, from a GraphQL path. */
export function pathLine(p: {
  steps: { from: string; to: string; toAdmin: boolean; technique: string }[];
}): string {
  const name = (arn: string): string => arn.split('/').pop()!;
  return [
    name(p.steps[0]!.from),
    ...p.steps.map((s) => `-[${s.technique}]-> ${s.toAdmin ? 'ADMIN' : name(s.to)}`),
  ].join(' ');
}
