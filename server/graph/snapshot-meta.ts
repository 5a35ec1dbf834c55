/** What both stores compute the same way about a snapshot: its id, counts, principal filter and cursors. */
import { randomBytes } from 'node:crypto';
import type { AccountSnapshot, Principal } from '../../schema/snapshot.ts';
import type { PrincipalFilter, SnapshotCounts, SnapshotInfo } from './store.ts';

/** Readable and unique: `<account>-<time base36>-<random>`; a new id per load, never reused. */
export function newSnapshotId(accountId: string): string {
  return `${accountId}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export function countsOf(s: AccountSnapshot): SnapshotCounts {
  return {
    users: s.users.length,
    groups: s.groups.length,
    roles: s.roles.length,
    policies: s.policies.length,
    resources: s.resources.length,
  };
}

/** SnapshotInfo without `current`, which depends on the other snapshots. */
export type StoredSnapshotInfo = Omit<SnapshotInfo, 'current'>;

export function storedInfoOf(id: string, s: AccountSnapshot, loadedAt: string): StoredSnapshotInfo {
  return {
    id,
    accountId: s.accountId,
    label: s.label,
    loadedAt,
    ...(s.collectedAt !== undefined ? { collectedAt: s.collectedAt } : {}),
    counts: countsOf(s),
    warnings: s.warnings,
  };
}

/**
 * `current` = the newest complete load per account, newest by load sequence (completion order).
 * `infos` must be ordered newest first.
 */
export function markCurrent(infos: readonly StoredSnapshotInfo[]): SnapshotInfo[] {
  const seen = new Set<string>();
  return infos.map((i) => {
    const current = !seen.has(i.accountId);
    seen.add(i.accountId);
    return { ...i, current };
  });
}

/** Case-insensitive substring of the name or ARN, as the Neo4j store's `toLower(…) CONTAINS` does. */
export function matchesPrincipalFilter(p: Principal, filter: PrincipalFilter): boolean {
  if (filter.kind && p.kind !== filter.kind) return false;
  if (filter.search) {
    const s = filter.search.toLowerCase();
    return p.name.toLowerCase().includes(s) || p.arn.toLowerCase().includes(s);
  }
  return true;
}

/** Cursors are opaque to clients: the last ARN of the page, base64url-encoded. */
export function encodeCursor(arn: string): string {
  return Buffer.from(arn, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

/** The parts of a snapshot that are not graph nodes, kept whole (Snapshot node JSON in Neo4j). */
export type SnapshotMeta = Omit<AccountSnapshot, 'users' | 'groups' | 'roles' | 'policies' | 'resources'>;

export function metaOf(s: AccountSnapshot): SnapshotMeta {
  const { users: _u, groups: _g, roles: _r, policies: _p, resources: _res, ...meta } = s;
  return meta;
}
