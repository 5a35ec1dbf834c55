/**
 * Which snapshot a query reads. An explicit `snapshotId` must exist; otherwise the current snapshot of the
 * account in the ARN being asked about, falling back to the most recently loaded account's current one.
 */
import { arnAccount } from '../engine/index.ts';
import { SnapshotNotFoundError, type SnapshotInfo } from '../graph/store.ts';
import type { ApiContext } from './context.ts';
import { NoSnapshotError } from './types/errors.ts';

export async function resolveSnapshot(
  ctx: ApiContext,
  snapshotId: string | null | undefined,
  arn?: string | null,
): Promise<SnapshotInfo> {
  if (snapshotId) {
    const info = await ctx.loaders.snapshot.load(snapshotId);
    if (!info) throw new SnapshotNotFoundError(snapshotId);
    return info;
  }
  const account = arn ? arnAccount(arn) : undefined;
  const info = (account && (await ctx.store.currentSnapshot(account))) || (await ctx.store.currentSnapshot());
  if (!info) throw new NoSnapshotError();
  return info;
}
