/**
 * Every finding of a snapshot, most severe first: `findings(snapshot, { severity, kind })`. Pure and
 * deterministic: ages are measured from `snapshot.collectedAt`.
 */
import type { AccountSnapshot } from '../../../schema/snapshot.ts';
import type { SnapshotAnalysis } from '../snapshot-analysis.ts';
import { accessKeyNotRotated } from './access-key-not-rotated.ts';
import { adminEquivalent } from './admin-equivalent.ts';
import { completeness } from './completeness.ts';
import { consoleWithoutMfa } from './console-without-mfa.ts';
import { crossAccountTrust } from './cross-account-trust.ts';
import { emptyGroup } from './empty-group.ts';
import {
  FINDING_KINDS,
  SEVERITIES,
  type Check,
  type Finding,
  type FindingKind,
  type Severity,
} from './finding.ts';
import { groupWithoutPolicies } from './group-without-policies.ts';
import { inlinePolicy } from './inline-policy.ts';
import { rootAccessKey } from './root-access-key.ts';
import { technicalUserBroadRights } from './technical-user-broad-rights.ts';
import { twoActiveAccessKeys } from './two-active-access-keys.ts';
import { unusedCredentials } from './unused-credentials.ts';
import { userWithDirectPolicies } from './user-with-direct-policies.ts';
import { weakPasswordPolicy } from './weak-password-policy.ts';

export * from './finding.ts';

const CHECKS: Check[] = [
  rootAccessKey,
  consoleWithoutMfa,
  adminEquivalent,
  crossAccountTrust,
  accessKeyNotRotated,
  twoActiveAccessKeys,
  unusedCredentials,
  technicalUserBroadRights,
  weakPasswordPolicy,
  userWithDirectPolicies,
  inlinePolicy,
  emptyGroup,
  groupWithoutPolicies,
  completeness,
];

export interface FindingFilter {
  /** Keep this severity and the more severe ones. */
  severity?: Severity;
  kind?: FindingKind;
}

export function isFindingKind(s: string): s is FindingKind {
  return (FINDING_KINDS as readonly string[]).includes(s);
}

export function isSeverity(s: string): s is Severity {
  return (SEVERITIES as readonly string[]).includes(s);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function findings(snapshot: AccountSnapshot, filter: FindingFilter = {}): Finding[] {
  const asOf = snapshot.collectedAt !== undefined ? Date.parse(snapshot.collectedAt) : undefined;
  const ctx = { snapshot, ...(asOf !== undefined ? { asOf } : {}) };
  const maxRank = filter.severity ? SEVERITIES.indexOf(filter.severity) : SEVERITIES.length;
  const all = CHECKS.flatMap((check) => check(ctx))
    .filter((f) => (filter.kind ? f.kind === filter.kind : true))
    .filter((f) => SEVERITIES.indexOf(f.severity) <= maxRank);
  // Most severe first; then by kind (catalog order) and subject, so the output is stable.
  return all.sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind) ||
      cmp(a.entities[0]!, b.entities[0]!) ||
      cmp(a.message, b.message),
  );
}

/** What the API and the CLI answer: the findings of one stored snapshot. */
export interface FindingsAnswer {
  snapshotId: string;
  collectedAt?: string;
  findings: Finding[];
}

export function findingsAnswer(
  analysis: SnapshotAnalysis,
  snapshotId: string,
  filter: FindingFilter = {},
): FindingsAnswer {
  const { snapshot } = analysis;
  return {
    snapshotId,
    ...(snapshot.collectedAt ? { collectedAt: snapshot.collectedAt } : {}),
    findings: findings(snapshot, filter),
  };
}
