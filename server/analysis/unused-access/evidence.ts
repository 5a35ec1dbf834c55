/**
 * What the last-accessed evidence says about one action of one entity, within a window of N days ending at the
 * job's completion: `used`, `unused`, or `unknown` (no report, a service the report does not list, or fewer than N
 * days tracked). An action AWS does not track at action level counts as used when its service was used: only
 * tracked actions can be shown unused inside a used service.
 */
import type { AccountSnapshot, LastAccessReport, ServiceLastAccess } from '../../../schema/snapshot.ts';
import { SnapshotAnalysis, memoKey } from '../snapshot-analysis.ts';

export type UseStatus = 'used' | 'unused' | 'unknown';

export const DEFAULT_UNUSED_DAYS = 90;
const DAY_MS = 86_400_000;

export interface Evidence {
  report: LastAccessReport;
  /** The start of the window: completion − N days. */
  cutoff: number;
  /** Fewer than N days tracked: nothing can be called unused. */
  shortHistory: boolean;
  /** Days tracked (completion − trackedSince). */
  historyDays: number;
  services: Map<string, ServiceLastAccess>;
  /** Each service's status, decided once (serviceStatus). */
  statuses: Map<string, UseStatus>;
}

/** The snapshot's reports by entity ARN (the first report of an entity wins, as a search would). */
const REPORTS = memoKey<Map<string, LastAccessReport>>('last-accessed reports by entity');
function reportsOf(snapshot: AccountSnapshot): Map<string, LastAccessReport> | undefined {
  const list = snapshot.lastAccess;
  if (!list) return undefined;
  return SnapshotAnalysis.of(snapshot).memo(REPORTS, () => {
    const m = new Map<string, LastAccessReport>();
    for (const r of list) if (!m.has(r.entityArn)) m.set(r.entityArn, r);
    return m;
  });
}

export function evidenceOf(
  snapshot: AccountSnapshot,
  entityArn: string,
  unusedDays: number,
): Evidence | undefined {
  const report = reportsOf(snapshot)?.get(entityArn);
  if (!report) return undefined;
  const end = Date.parse(report.jobCompletedAt);
  const historyDays = Math.floor((end - Date.parse(report.trackedSince)) / DAY_MS);
  return {
    report,
    cutoff: end - unusedDays * DAY_MS,
    shortHistory: historyDays < unusedDays,
    historyDays,
    services: new Map(report.services.map((s) => [s.service, s])),
    statuses: new Map(),
  };
}

const within = (date: string | undefined, cutoff: number) => date !== undefined && Date.parse(date) >= cutoff;

export function serviceStatus(e: Evidence | undefined, service: string): UseStatus {
  if (!e) return 'unknown';
  const key = service.toLowerCase();
  let status = e.statuses.get(key);
  if (status === undefined) {
    const s = e.services.get(key);
    status = !s
      ? 'unknown'
      : within(s.lastAuthenticated, e.cutoff)
        ? 'used'
        : e.shortHistory
          ? 'unknown'
          : 'unused';
    e.statuses.set(key, status);
  }
  return status;
}

/** `s3:PutBucketPolicy` → its status: the service's, narrowed by the tracked action when the service was used. */
export function actionStatus(e: Evidence | undefined, action: string): UseStatus {
  const colon = action.indexOf(':');
  const service = action.slice(0, colon).toLowerCase();
  const status = serviceStatus(e, service);
  if (status !== 'used') return status;
  const lower = action.toLowerCase();
  const tracked = e!.services.get(service)!.trackedActions?.find((a) => a.action.toLowerCase() === lower);
  if (!tracked || within(tracked.lastAccessed, e!.cutoff)) return 'used';
  return e!.shortHistory ? 'unknown' : 'unused';
}

/** The most telling of several statuses: used beats unknown beats unused. */
export function combined(statuses: Iterable<UseStatus>): UseStatus {
  let out: UseStatus = 'unused';
  for (const s of statuses) {
    if (s === 'used') return 'used';
    if (s === 'unknown') out = 'unknown';
  }
  return out;
}
