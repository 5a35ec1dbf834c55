/**
 * The right-size view's figures, pure: per service how many of the granted actions were used, unused or have no
 * evidence (one bar each), a proposal's change set as the download saves it, and the next page of principals
 * appended to those shown.
 */
import type { RightsizeProposal, RightsizeResult, ServiceUsage } from '../api/results.ts';
import { fromApiChange, type ChangeInput } from '../what-if/changes.ts';

export interface ServiceBar {
  service: string;
  status: ServiceUsage['status'];
  lastUsed: string | null;
  used: number;
  unused: number;
  unknown: number;
  /** Tracked actions of a used service that were not used. */
  unusedActions: string[];
}

/**
 * A service's granted actions split by evidence. The API counts unused actions per level; the rest of a service
 * with evidence (used, or unused throughout) was used, and a service without evidence is unknown throughout.
 */
export function serviceBar(s: ServiceUsage): ServiceBar {
  const total = s.levels.reduce((n, l) => n + l.actions, 0);
  const unused = s.levels.reduce((n, l) => n + l.unused, 0);
  return {
    service: s.service,
    status: s.status,
    lastUsed: s.lastUsed,
    used: s.status === 'UNKNOWN' ? 0 : total - unused,
    unused,
    unknown: s.status === 'UNKNOWN' ? total - unused : 0,
    unusedActions: s.unusedActions,
  };
}

/** Unused services first (what a clean-up removes), then unknown, then used; by name within each. */
export function serviceBars(services: readonly ServiceUsage[]): ServiceBar[] {
  const rank = { UNUSED: 0, UNKNOWN: 1, USED: 2 } as const;
  return services
    .map(serviceBar)
    .sort((a, b) => rank[a.status] - rank[b.status] || (a.service < b.service ? -1 : 1));
}

/** A proposal's changes as `whatIf` takes them (the API gives each op as a string, and null for absent fields). */
export function proposalInputs(p: RightsizeProposal): ChangeInput[] {
  return p.changes.map((c) => fromApiChange({ ...c, op: c.op as ChangeInput['op'] }));
}

/** The file the download saves: the change set, as `accessgraph rightsize --out` writes it and what-if reads it. */
export function changeSetFile(p: RightsizeProposal): { name: string; text: string } {
  return {
    name: `rightsize-${p.targetKind}-${p.targetName}.json`.replace(/[^\w.=,@+-]/g, '-'),
    text: `${JSON.stringify(proposalInputs(p), null, 2)}\n`,
  };
}

/** `items` without the repeats of a key, each kept where it first appears. */
function firstOf<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)));
}

/**
 * The answer shown with the next page appended: its principals after those shown, and its groups, proposals and
 * notes where they are new (a group, and so its proposal, comes with every page holding one of its members; the
 * one shown first stays). The page info is the next page's.
 */
export function appendPage(shown: RightsizeResult, next: RightsizeResult): RightsizeResult {
  return {
    ...next,
    usage: {
      ...next.usage,
      principals: firstOf([...shown.usage.principals, ...next.usage.principals], (p) => p.arn),
      groups: firstOf([...shown.usage.groups, ...next.usage.groups], (g) => g.arn),
      notes: firstOf([...shown.usage.notes, ...next.usage.notes], (n) => n),
    },
    proposals: firstOf([...shown.proposals, ...next.proposals], (p) => p.targetArn),
    notes: firstOf([...shown.notes, ...next.notes], (n) => n),
  };
}
