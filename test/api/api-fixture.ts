/**
 * A small account for API tests that do not depend on the importer: an Engineering group with S3 access,
 * alice (member, tagged, with a boundary and an inline policy and a key), a Lambda role, and an AWS managed
 * policy with two versions. `queryApi` runs a query through the real Yoga handler, no port.
 */
import type { GraphStore } from '../../server/graph/store.ts';
import { createYoga } from '../../server/api/yoga.ts';
import { aGroup, aPolicy, aRole, aSnapshot, aUser, allowDocument, anAccessKey } from '../support/builders.ts';

export const s3Full = aPolicy({
  name: 'AmazonS3FullAccess',
  awsManaged: true,
  versions: [
    { versionId: 'v2', isDefault: true, document: allowDocument('s3:*') },
    { versionId: 'v1', isDefault: false, document: allowDocument('s3:Get*') },
  ],
  defaultVersionId: 'v2',
});
export const boundary = aPolicy({ name: 'DevBoundary', document: allowDocument(['s3:*', 'sns:*']) });
export const engineering = aGroup({
  name: 'Engineering',
  attachedPolicies: [s3Full.arn],
  inlinePolicies: [{ name: 'ReadLogs', document: allowDocument('logs:Get*') }],
});
export const alice = aUser({
  name: 'alice',
  groups: [engineering.arn],
  tags: { team: 'platform', costCenter: '42' },
  permissionsBoundary: boundary.arn,
  inlinePolicies: [
    {
      name: 'PublishAlerts',
      document: allowDocument('sns:Publish', 'arn:aws:sns:eu-west-1:111122223333:alerts'),
    },
  ],
  credentials: {
    passwordEnabled: true,
    mfaActive: false,
    accessKeys: [anAccessKey({ id: 'AKIAEXAMPLEALICE0001', lastRotated: '2024-01-02T03:04:05Z' })],
    certificates: [],
  },
});
export const bob = aUser({ name: 'bob', groups: [engineering.arn] });
export const lambdaRole = aRole({ name: 'order-processor', attachedPolicies: [s3Full.arn] });

export const fixtureSnapshot = aSnapshot({
  label: 'api-fixture',
  users: [alice, bob],
  groups: [engineering],
  roles: [lambdaRole],
  policies: [s3Full, boundary],
});

export async function queryApi(
  store: GraphStore,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ status: number; body: any }> {
  const yoga = createYoga({ store });
  const res = await yoga.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() };
}
