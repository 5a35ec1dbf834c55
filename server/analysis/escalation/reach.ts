/**
 * whoCanReach(resource, action): the resource-side blast radius. Everyone who-can answers directly, plus everyone
 * who can become one of them through CAN_ASSUME / CAN_ESCALATE chains, plus everyone who can reach admin (an
 * admin can grant itself the action; an SCP that denies it still applies, which the entry says).
 *
 * Pure over the escalation graph and a who-can answer (the caller runs who-can on the same snapshot): a reverse
 * search from every direct grantor at once, so each principal gets its cheapest chain to some grantor; fan-out
 * entries (one technique reaching a whole class) are followed backwards from each member of the class.
 */
import type { AccountSnapshot, Principal } from '../../../schema/snapshot.ts';
import type { WhoCanAnswer } from '../who-can.ts';
import { ADMIN, type EscalationGraph } from './graph.ts';
import { DEFAULT_MAX_DEPTH, toPath, type EscalationPath } from './paths.ts';
import { cheapest, pathTo, traversalOf } from './traversal.ts';

export interface ReachEntry {
  principal: { arn: string; name: string; kind: 'user' | 'role' };
  /** who-can answers it directly (its own policies, or the resource policy, allow the request). */
  direct: boolean;
  /** The principal whose permission is used at the end of the chain (itself when direct), or ADMIN. */
  grantor: string;
  /** The direct grant or some step of the chain holds only under conditions. */
  conditional: boolean;
  /** The chain to the grantor (empty when direct). */
  path: EscalationPath;
  /** Conditions of the direct grant, rendered (when the grantor's answer was CONDITIONAL). */
  grantConditions?: string;
}

export interface WhoCanReachAnswer {
  actions: string[];
  resource: string;
  entries: ReachEntry[];
  counts: { direct: number; indirect: number; viaAdmin: number };
  notes: string[];
}

export function whoCanReach(
  graph: EscalationGraph,
  snapshot: AccountSnapshot,
  direct: WhoCanAnswer,
  resource: string,
  options: { maxDepth?: number } = {},
): WhoCanReachAnswer {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const t = traversalOf(graph);
  const byArn = new Map<string, Principal>([...snapshot.users, ...snapshot.roles].map((p) => [p.arn, p]));
  // Per grantor: ALLOWED for some asked action beats CONDITIONAL for all.
  const grants = new Map<string, { conditional: boolean; conditions?: string }>();
  for (const e of direct.entries) {
    if (e.decision === 'DENIED') continue;
    const old = grants.get(e.principal.arn);
    const conditional = e.decision === 'CONDITIONAL';
    if (!old || (old.conditional && !conditional))
      grants.set(e.principal.arn, { conditional, ...(e.conditions ? { conditions: e.conditions } : {}) });
  }
  // An admin can grant itself this too; with no unconditional grant elsewhere that is still a way in.
  const sources = new Map<string, number>([[ADMIN, 0]]);
  const certainSources = new Map<string, number>([[ADMIN, 0]]);
  for (const [arn, g] of grants) {
    sources.set(arn, g.conditional ? 1 : 0);
    if (!g.conditional) certainSources.set(arn, 0);
  }
  // Backwards through fan-out too: everyone whose class-wide technique (CreateAccessKey on every user, …)
  // reaches a grantor.
  const any = cheapest(t, sources, 'in', { maxDepth, fanOut: true });
  const certain = cheapest(t, certainSources, 'in', {
    maxDepth,
    fanOut: true,
    accept: (s) => !s.conditional,
  });

  const notes: string[] = [...direct.notes];
  const entries: ReachEntry[] = [];
  const counts = { direct: 0, indirect: 0, viaAdmin: 0 };
  for (const arn of any.keys()) {
    if (arn === ADMIN) continue;
    const p = byArn.get(arn);
    if (!p) continue;
    const grant = grants.get(arn);
    const principal = { arn: p.arn, name: p.name, kind: p.kind };
    if (grant) {
      counts.direct++;
      entries.push({
        principal,
        direct: true,
        grantor: arn,
        conditional: grant.conditional,
        path: toPath([]),
        ...(grant.conditions ? { grantConditions: grant.conditions } : {}),
      });
      continue;
    }
    const sure = certain.has(arn);
    const steps = pathTo(sure ? certain : any, arn, 'in');
    const grantor = steps.at(-1)?.to ?? arn;
    const g = grants.get(grantor);
    if (grantor === ADMIN) counts.viaAdmin++;
    else counts.indirect++;
    entries.push({
      principal,
      direct: false,
      grantor,
      conditional: !sure,
      path: toPath(steps),
      ...(g?.conditions ? { grantConditions: g.conditions } : {}),
    });
  }
  if (counts.viaAdmin > 0)
    notes.push(
      'principals that reach admin can grant themselves this action; an SCP or resource policy that denies it still applies',
    );
  entries.sort(
    (a, b) =>
      Number(b.direct) - Number(a.direct) ||
      a.path.hops - b.path.hops ||
      (a.principal.arn < b.principal.arn ? -1 : a.principal.arn > b.principal.arn ? 1 : 0),
  );
  return { actions: direct.actions, resource, entries, counts, notes };
}
