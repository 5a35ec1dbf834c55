/** Findings of a stored snapshot: read it back whole (either store) and run the pure checks. */
import type { AccountSnapshot } from '../../../importers/snapshot/model.ts';
import type { SnapshotReader } from '../../graph/store.ts';
import { findings, type FindingFilter } from './index.ts';
import type { Finding } from './finding.ts';

export interface FindingsAnswer {
  snapshotId: string;
  collectedAt?: string;
  findings: Finding[];
}

/** undefined when the store has no such snapshot. */
export async function findingsInStore(
  store: SnapshotReader,
  snapshotId: string,
  filter: FindingFilter = {},
): Promise<FindingsAnswer | undefined> {
  const snapshot: AccountSnapshot | undefined = await store.readSnapshot(snapshotId);
  if (!snapshot) return undefined;
  return {
    snapshotId,
    ...(snapshot.collectedAt ? { collectedAt: snapshot.collectedAt } : {}),
    findings: findings(snapshot, filter),
  };
}
