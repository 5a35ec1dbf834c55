/**
 * The effective-permissions and resource-view queries, shared by the embedded-store test and the Neo4j parity
 * test, and the demo with its engineering bucket policy recorded as a Resource (as the resource-policy importer
 * records it), so the per-resource answers have something to show on either importer version.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import { DEMO_DIR } from './demo-fixture.ts';

export const ENG_BUCKET = 'arn:aws:s3:::example-corp-engineering';

export function withBucketPolicy(s: AccountSnapshot): AccountSnapshot {
  const outer = JSON.parse(
    readFileSync(
      path.join(DEMO_DIR, 'resource-policies/s3/example-corp-engineering.get-bucket-policy.json'),
      'utf8',
    ),
  ) as { Policy: string };
  return {
    ...s,
    resources: [
      ...s.resources.filter((r) => r.arn !== ENG_BUCKET),
      {
        arn: ENG_BUCKET,
        service: 's3',
        type: 'bucket',
        name: 'example-corp-engineering',
        policy: JSON.stringify(JSON.parse(outer.Policy)),
        tags: {},
      },
    ],
  };
}

export const ACCESS_QUERY = `query($s: ID, $arn: String!, $service: String, $context: [ContextEntryInput!], $strict: Boolean) {
  principal(snapshotId: $s, arn: $arn) {
    __typename
    ... on Error { message }
    ... on QueryPrincipalSuccess { data { arn access(service: $service, context: $context, strictContext: $strict) {
      evaluatedAs evaluations notes
      services { service actions levels { level conditional actions { action decision conditions
        scopes { pattern decision conditions partial grantedBy cuts { how pattern layer level conditional path } } } } }
      resources { arn service type name resourcePolicyId
        levels { level grants { actions decision conditions scope partial viaResourcePolicy } } }
    } } }
  }
}`;

export const RESOURCE_QUERY = `query($s: ID, $arn: String!, $context: [ContextEntryInput!], $strict: Boolean) {
  resource(snapshotId: $s, arn: $arn, context: $context, strictContext: $strict) {
    __typename
    ... on Error { message }
    ... on ResourceView { snapshotId arn service type name policy notes evaluated principals
      whoCan { level principals { arn name kind decision actions conditional partial scopes } } }
  }
}`;
