/**
 * Findings: the account hygiene practices the seed article teaches, checked over one snapshot. Pure: every age is
 * measured from the snapshot's `collectedAt` (the credential report's generation time), never the wall clock.
 */
import type { AccountSnapshot } from '../../../schema/snapshot.ts';

/**
 * `critical` … `low`: how bad the practice is. `warning`: a check that could not be made because its input is
 * missing (completeness), so silence would read as "all clear".
 */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'warning';

/** Most severe first; `--severity X` keeps X and everything before it. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'warning'];

export const FINDING_KINDS = [
  'root-access-key',
  'console-without-mfa',
  'admin-equivalent',
  'cross-account-trust-without-external-id',
  'access-key-not-rotated',
  'two-active-access-keys',
  'unused-credentials',
  'technical-user-broad-rights',
  'weak-password-policy',
  'user-with-direct-policies',
  'inline-policy',
  'empty-group',
  'group-without-policies',
  'credential-report-missing',
  'password-policy-missing',
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Finding {
  /** Stable id of the practice, for filters and `--json` consumers. */
  kind: FindingKind;
  severity: Severity;
  /** ARNs of the entities involved: the subject first, then e.g. the policies that cause it. */
  entities: string[];
  /** One line: what is wrong, about whom. */
  message: string;
  /** One line: what to do. */
  fix: string;
}

/** What every check gets: the snapshot and the instant ages are measured from. */
export interface FindingContext {
  snapshot: AccountSnapshot;
  /** `collectedAt` in ms, undefined when the snapshot does not say (no credential report). */
  asOf?: number;
}

export type Check = (ctx: FindingContext) => Finding[];

/** The credential report ages: 90 days, as the seed article and CIS AWS Foundations (1.12, 1.14) use. */
export const MAX_AGE_DAYS = 90;
const DAY_MS = 86_400_000;

/** Whole days from an ISO date to `asOf`; undefined when either is unknown. */
export function ageInDays(iso: string | undefined, asOf: number | undefined): number | undefined {
  if (iso === undefined || asOf === undefined) return undefined;
  return Math.floor((asOf - Date.parse(iso)) / DAY_MS);
}

/** Whether the snapshot carries a credential report (some user's credentials, or the root row). */
export function hasCredentialReport(s: AccountSnapshot): boolean {
  return s.users.some((u) => u.credentials !== undefined) || s.accounts.some((a) => a.root !== undefined);
}
