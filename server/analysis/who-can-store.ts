/**
 * who-can from a store that reads part of a snapshot (Neo4j: `readSnapshotPart`, indexed Cypher): the question's
 * candidates — principals whose identity policies could allow an action of its services, and those the resource's
 * policy or trust policy names — with their groups, policies and boundaries, the resource, and the snapshot's own
 * facts (organization: SCP and RCP levels), evaluated by the same who-can over that part. Memory follows the
 * candidates, not the snapshot. Questions that evaluate every principal (`includeDenied`, `includeIndirect`, a
 * resource policy naming everyone, an action that needs no permission) answer undefined: the caller reads the
 * snapshot whole (`whoCan` over its analysis), as it does on a store without the method.
 */
import {
  MEMBER_ROLE_NAMES,
  MEMBER_ROLE_PREFIXES,
  policyOwnerArn,
} from '../../importers/snapshot/completeness.ts';
import { parsePolicy, permissionRequired } from '../engine/index.ts';
import type { SnapshotReader } from '../graph/store.ts';
import { policyNames } from './policy-principals.ts';
import { SnapshotAnalysis } from './snapshot-analysis.ts';
import { expandActions, whoCan, type WhoCanAnswer, type WhoCanQuery } from './who-can.ts';

export async function whoCanFromStore(
  store: SnapshotReader,
  snapshotId: string,
  query: WhoCanQuery,
): Promise<WhoCanAnswer | undefined> {
  if (!store.readSnapshotPart || query.includeDenied || query.includeIndirect) return undefined;
  const actions = await expandActions(query.action);
  if (actions.length === 0 || !actions.every(permissionRequired)) return undefined;
  const info = await store.getSnapshot(snapshotId);
  if (!info) return undefined;
  // The resource's policy (an S3 object's is its bucket's) and, on a role, its trust policy can grant principals
  // they name without an identity Allow (who-can.ts `resourceCandidates`).
  const owner = policyOwnerArn(query.resource);
  const [resource, role] = await Promise.all([
    store.getResource(snapshotId, owner),
    store.getPrincipal(snapshotId, query.resource),
  ]);
  const principals: string[] = role?.kind === 'role' ? [role.arn] : [];
  const roleNames: string[] = [];
  for (const document of [resource?.policy, role?.kind === 'role' ? role.trustPolicy : undefined]) {
    if (document === undefined) continue;
    const parsed = parsePolicy(document, { kind: 'resource' }).policy;
    const named = parsed ? policyNames(parsed) : 'all';
    if (named === 'all') return undefined;
    principals.push(...named.arns);
    roleNames.push(...named.sessions.map((s) => s.role));
  }
  const part = await store.readSnapshotPart(snapshotId, {
    services: [...new Set(actions.map((a) => (a.split(':')[0] ?? '').toLowerCase()))],
    principals,
    // The member roles tell an organization's member account without organization data (completeness.ts).
    roleNames: [...roleNames, ...MEMBER_ROLE_NAMES],
    roleNamePrefixes: MEMBER_ROLE_PREFIXES,
    resources: [owner],
  });
  if (!part) return undefined;
  const answer = await whoCan(SnapshotAnalysis.of(part), query);
  return { ...answer, principals: info.counts.users + info.counts.roles };
}
