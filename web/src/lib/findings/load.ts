/** The account's findings, fetched once per snapshot and shared by the dashboard and every entity panel. */
import { request } from '../api/client.ts';
import { FindingsQuery, isApiError } from '../api/documents.ts';
import type { Finding } from '../api/results.ts';

const cache = new Map<string, Promise<Finding[]>>();

export function loadFindings(snapshotId: string | null): Promise<Finding[]> {
  const key = snapshotId ?? '';
  let pending = cache.get(key);
  if (!pending) {
    pending = request(FindingsQuery, { snapshotId }).then(({ findings }) => {
      if (isApiError(findings)) throw new Error(findings.message);
      return findings.findings;
    });
    // A failure is not cached: the next view asks again.
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}
