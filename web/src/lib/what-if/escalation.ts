/**
 * The escalation part of a what-if answer as the result list shows it: each added or removed escalation edge
 * (who can now assume or escalate to whom, by which technique) and who gains or loses a path to admin — the
 * changes that matter most and that the per-service tally cannot show.
 */
import type { EscalationDiff } from '../api/types.ts';
import { ADMIN_ID } from '../blast/reach-graph.ts';
import { shortName } from '../format.ts';

export interface EscalationRow {
  change: 'added' | 'removed';
  from: string;
  to: string;
  /** `bob → lambda-admin`, `svc-deploy → ADMIN`. */
  text: string;
  technique: string;
  conditional: boolean;
}

export interface EscalationList {
  edges: EscalationRow[];
  adminGained: { arn: string; name: string }[];
  adminLost: { arn: string; name: string }[];
}

const label = (arn: string) => (arn === ADMIN_ID ? 'ADMIN' : shortName(arn));

/** Null when the server had no escalation graph to compare (the answer says so in its notes). */
export function escalationList(diff: EscalationDiff | null | undefined): EscalationList | null {
  if (!diff) return null;
  const rows = (change: EscalationRow['change'], edges: EscalationDiff['added']): EscalationRow[] =>
    edges.map((e) => ({
      change,
      from: e.from,
      to: e.to,
      text: `${label(e.from)} → ${label(e.to)}`,
      technique: e.technique,
      conditional: e.conditional,
    }));
  const named = (arns: string[]) => arns.map((arn) => ({ arn, name: label(arn) }));
  return {
    edges: [...rows('added', diff.added), ...rows('removed', diff.removed)],
    adminGained: named(diff.pathsToAdminGained),
    adminLost: named(diff.pathsToAdminLost),
  };
}
