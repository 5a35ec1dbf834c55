/**
 * The findings an entity panel shows, pure: those naming the entity, the ones about it (it is the subject, the
 * first entity) before the ones it is only part of, most severe first. `WARNING` (a check that could not run)
 * sorts last.
 */
import type { Finding, FindingSeverity } from '../api/results.ts';

export const SEVERITY_ORDER: Record<FindingSeverity, number> = {
  CRITICAL: 0,
  HIGH: 1,
  MEDIUM: 2,
  LOW: 3,
  WARNING: 4,
};

export function findingsFor(findings: readonly Finding[], id: string): Finding[] {
  return findings
    .filter((f) => f.entities.includes(id))
    .map((f, i) => ({ f, i, subject: f.entities[0] === id ? 0 : 1 }))
    .sort(
      (a, b) =>
        a.subject - b.subject || SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i,
    )
    .map((x) => x.f);
}

/** A finding's key in the URL: its kind and subject (`console-without-mfa|arn:…:user/carol`). */
export function findingKey(f: Pick<Finding, 'kind' | 'entities'>): string {
  return `${f.kind}|${f.entities[0] ?? ''}`;
}

/** Counts per severity, most severe first, for the dashboard's filter. */
export function severityCounts(findings: readonly Finding[]): { severity: FindingSeverity; count: number }[] {
  return (Object.keys(SEVERITY_ORDER) as FindingSeverity[]).map((severity) => ({
    severity,
    count: findings.filter((f) => f.severity === severity).length,
  }));
}
