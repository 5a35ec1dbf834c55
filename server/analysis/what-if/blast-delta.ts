/**
 * Blast-radius deltas (issue 7 §3): for the principals whose reach through the escalation graph changed, before
 * and after — admin reachable (and whether only under conditions), how many principals are reachable, which are
 * gained and lost.
 *
 * Whose reach can change: a principal's reach is the closure of the out-edges of the nodes it reaches, so it
 * changes only if it reaches (before or after) a node whose out-edges, fan-out entries or admin verdict changed.
 * Those nodes are found by comparing the graphs; the principals that reach them by a reverse walk in both graphs.
 * Each of those is then walked forward in both graphs — bounded: at most `MAX_EVALUATED` principals (the changed
 * nodes first), at most `MAX_LISTED` listed, `MAX_NAMED` gained/lost ARNs each; counts say what was left out.
 * Reach follows edges and fan-out targets alike (as `blastRadius` does), "admin" = ADMIN or an admin-equivalent
 * principal reached; ALLOWED when a path without conditional steps (to an unconditional admin) exists. A
 * principal that reaches admin without conditions reaches every principal (an admin can rewrite any trust policy
 * or create any user's keys), as `blastRadius` treats it — otherwise becoming admin, which drops a principal's
 * own CAN_ESCALATE edges (the builder's choice), would read as a shrinking blast radius.
 */
import { ADMIN, type EscalationEdge, type EscalationGraph, type FanOutEdge } from '../escalation/graph.ts';
import { edgeKey, fanOutKey } from './escalation-keys.ts';

export const MAX_EVALUATED = 200;
export const MAX_LISTED = 50;
export const MAX_NAMED = 20;

export type AdminReach = 'ALLOWED' | 'CONDITIONAL' | 'NONE';

export interface ReachState {
  admin: AdminReach;
  /** Principals reachable (the start and ADMIN not counted). */
  reachable: number;
}

export interface BlastRadiusChange {
  arn: string;
  before: ReachState;
  after: ReachState;
  /** Reachable after but not before (at most MAX_NAMED; `gainedCount` has them all), and the reverse. */
  gained: string[];
  lost: string[];
  gainedCount: number;
  lostCount: number;
}

export interface BlastRadiusDiff {
  /** Principals whose blast radius changed, admin reach first, then by ARN (at most MAX_LISTED). */
  principals: BlastRadiusChange[];
  /** Changed ones beyond the listing cap. */
  more: number;
  /** Principals whose reach could have changed (they reach a changed node), and how many were walked. */
  candidates: number;
  evaluated: number;
}

/** One walkable view of a graph: out-edges, fan-out by source, and the reverse of both. */
class Walkable {
  readonly out = new Map<string, EscalationEdge[]>();
  readonly into = new Map<string, string[]>();
  readonly fan = new Map<string, FanOutEdge[]>();
  /** Fan-out entries grouped by their (shared) target array: the reverse of a whole class at once. */
  readonly byTargets = new Map<readonly string[], { set: Set<string>; froms: string[] }>();
  constructor(
    readonly g: EscalationGraph,
    readonly principals: ReadonlySet<string>,
  ) {
    for (const e of g.edges) {
      push(this.out, e.from, e);
      push(this.into, e.to, e.from);
    }
    for (const f of g.fanOut ?? []) {
      push(this.fan, f.from, f);
      let cls = this.byTargets.get(f.targets);
      if (!cls) this.byTargets.set(f.targets, (cls = { set: new Set(f.targets), froms: [] }));
      cls.froms.push(f.from);
    }
  }

  /** Everyone that reaches one of `nodes` (them included). */
  reaching(nodes: Iterable<string>, seen: Set<string>): void {
    const queue = [...nodes];
    for (const n of queue) seen.add(n);
    // A class's sources reach every member alike: they are queued at its first member met, not at each.
    const expanded = new Set<readonly string[]>();
    while (queue.length) {
      const n = queue.pop()!;
      const preds = [...(this.into.get(n) ?? [])];
      for (const [targets, { set, froms }] of this.byTargets)
        if (!expanded.has(targets) && set.has(n)) {
          expanded.add(targets);
          preds.push(...froms);
        }
      for (const p of preds)
        if (!seen.has(p)) {
          seen.add(p);
          queue.push(p);
        }
    }
  }

  /** The principals `start` reaches (itself excluded), and whether ADMIN is among them — all steps or only unconditional ones. */
  reach(start: string, unconditionalOnly: boolean): Set<string> {
    const seen = new Set<string>([start]);
    const expanded = new Set<readonly string[]>();
    const queue = [start];
    const visit = (t: string) => {
      if (!seen.has(t)) {
        seen.add(t);
        queue.push(t);
      }
    };
    while (queue.length) {
      const n = queue.pop()!;
      for (const e of this.out.get(n) ?? []) if (!unconditionalOnly || !e.conditional) visit(e.to);
      for (const f of this.fan.get(n) ?? []) {
        if ((unconditionalOnly && f.conditional) || expanded.has(f.targets)) continue;
        expanded.add(f.targets);
        for (const t of f.targets) visit(t);
      }
    }
    seen.delete(start);
    return seen;
  }

  state(start: string): { state: ReachState; reached: Set<string> } {
    const all = this.reach(start, false);
    const admins = this.g.admins;
    const adminIn = (set: Set<string>, self: boolean, unconditional: boolean) =>
      set.has(ADMIN) ||
      [...(self ? [start] : []), ...set].some((p) => {
        const v = admins.get(p);
        return v && (!unconditional || v.decision === 'ALLOWED');
      });
    let admin: AdminReach = 'NONE';
    let reached = all;
    if (adminIn(all, true, false)) {
      const sure = this.reach(start, true);
      admin = adminIn(sure, true, true) ? 'ALLOWED' : 'CONDITIONAL';
      if (admin === 'ALLOWED') {
        reached = new Set(this.principals);
        reached.delete(start);
      }
    }
    reached.delete(ADMIN);
    return { state: { admin, reachable: reached.size }, reached };
  }
}

function push<V>(m: Map<string, V[]>, k: string, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** The sources whose out-edges, fan-out entries or admin verdict differ between the graphs. */
function changedNodes(a: Walkable, b: Walkable): Set<string> {
  const out = new Set<string>();
  for (const node of new Set([...a.out.keys(), ...b.out.keys()])) {
    const x = a.out.get(node) ?? [];
    const y = b.out.get(node) ?? [];
    if (x.length === y.length && x.every((e, i) => e === y[i])) continue;
    const kx = new Set(x.map(edgeKey));
    if (x.length !== y.length || y.some((e) => !kx.has(edgeKey(e)))) out.add(node);
  }
  for (const node of new Set([...a.fan.keys(), ...b.fan.keys()])) {
    const x = a.fan.get(node) ?? [];
    const y = b.fan.get(node) ?? [];
    // The incremental graph shares unchanged entries: identical objects need no key.
    if (x.length === y.length && x.every((f, i) => f === y[i])) continue;
    const kx = new Set(x.map(fanOutKey));
    if (x.length !== y.length || y.some((f) => !kx.has(fanOutKey(f)))) out.add(node);
  }
  for (const arn of new Set([...a.g.admins.keys(), ...b.g.admins.keys()]))
    if (a.g.admins.get(arn)?.decision !== b.g.admins.get(arn)?.decision) out.add(arn);
  out.delete(ADMIN);
  return out;
}

const rank: Record<AdminReach, number> = { NONE: 0, CONDITIONAL: 1, ALLOWED: 2 };

/**
 * The blast-radius deltas between two escalation graphs. `principals` = the user and role ARNs of each snapshot
 * (the walks start only from principals, not from ADMIN); `first` = ARNs walked first (the what-if's affected).
 */
export function blastRadiusDelta(
  before: EscalationGraph,
  after: EscalationGraph,
  principals: { before: ReadonlySet<string>; after: ReadonlySet<string> },
  first: Iterable<string> = [],
): BlastRadiusDiff {
  const a = new Walkable(before, principals.before);
  const b = new Walkable(after, principals.after);
  const changed = changedNodes(a, b);
  const candidates = new Set<string>();
  a.reaching(changed, candidates);
  b.reaching(changed, candidates);
  for (const c of candidates) if (!principals.before.has(c) && !principals.after.has(c)) candidates.delete(c);
  const priority = new Set([...changed, ...first]);
  const order = [...candidates].sort(
    (x, y) => Number(priority.has(y)) - Number(priority.has(x)) || (x < y ? -1 : x > y ? 1 : 0),
  );
  const evaluated = order.slice(0, MAX_EVALUATED);
  const changes: BlastRadiusChange[] = [];
  for (const arn of evaluated) {
    const x = a.state(arn);
    const y = b.state(arn);
    const gained = [...y.reached].filter((p) => !x.reached.has(p)).sort();
    const lost = [...x.reached].filter((p) => !y.reached.has(p)).sort();
    if (x.state.admin === y.state.admin && !gained.length && !lost.length) continue;
    changes.push({
      arn,
      before: x.state,
      after: y.state,
      gained: gained.slice(0, MAX_NAMED),
      lost: lost.slice(0, MAX_NAMED),
      gainedCount: gained.length,
      lostCount: lost.length,
    });
  }
  const adminShift = (c: BlastRadiusChange) => Math.abs(rank[c.after.admin] - rank[c.before.admin]);
  changes.sort((x, y) => adminShift(y) - adminShift(x) || (x.arn < y.arn ? -1 : 1));
  return {
    principals: changes.slice(0, MAX_LISTED),
    more: Math.max(0, changes.length - MAX_LISTED),
    candidates: candidates.size,
    evaluated: evaluated.length,
  };
}
