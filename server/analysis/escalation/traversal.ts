/**
 * The escalation graph as something to walk: adjacency both ways, built once per graph and kept beside it, and a
 * cheapest-path search the queries share (paths, blast radius, who-can-reach, choke points).
 *
 * Admin-equivalent principals (`graph.admins`) get one extra step to ADMIN, kind `admin`: a path to admin then
 * always ends at ADMIN, whether the last step is a technique (`-[iam:CreatePolicyVersion]-> ADMIN`) or becoming a
 * principal that already is admin (`-[sts:AssumeRole]-> role Ops -[admin-equivalent]-> ADMIN`).
 *
 * Ranking (documented in server/analysis/escalation/README.md): fewer steps first, the admin step not counted (it
 * is no extra action); on equal steps, fewer conditional steps first (a path that holds without conditions is
 * the more certain finding); then the order of edges in the graph, so answers are deterministic.
 */
import type { MatchedStatement } from '../who-can.ts';
import {
  ADMIN,
  stepConditions,
  stepEvidence,
  type EdgeKind,
  type EscalationEdge,
  type EscalationGraph,
  type FanOutEdge,
} from './graph.ts';

/** The technique name of the step from an admin-equivalent principal to ADMIN. */
export const ADMIN_EQUIVALENT = 'admin-equivalent';

/** An edge of the graph, or the step from an admin-equivalent principal to ADMIN. */
export interface Step {
  from: string;
  to: string;
  kind: EdgeKind | 'admin';
  technique: string;
  conditional: boolean;
  conditions: string[];
  evidence: MatchedStatement[];
}

/** Internal: a step with its position, so parallel edges (two techniques between the same pair) stay apart. */
export interface IndexedStep extends Step {
  id: number;
}

export interface Traversal {
  graph: EscalationGraph;
  steps: IndexedStep[];
  out: Map<string, IndexedStep[]>;
  in: Map<string, IndexedStep[]>;
  /**
   * Fan-out entries by source (drawn as edges they would be sources × targets): each target is a step with its
   * own id, `base + position in targets`, so Yen can ban one without the others.
   */
  fanOut: Map<string, FanOutRef[]>;
  /**
   * Fan-out entries by target, for walking backwards: per class the target is in (the builder's shared targets
   * array), the entries reaching that class and the target's position in it. Sized Σ distinct class sizes, not
   * sources × targets: entries of one class share their list.
   */
  fanIn: Map<string, { cls: FanOutClass; position: number }[]>;
  /** Every node's cheapest way to ADMIN (`costsTo`), computed on first use. */
  toAdmin?: Map<string, Label>;
}

export interface FanOutRef {
  entry: FanOutEdge;
  base: number;
}

/** The entries that share one targets array. */
export interface FanOutClass {
  targets: readonly string[];
  entries: FanOutRef[];
}

/** Steps cost 64 per hop plus 1 per conditional step: hops dominate while paths stay under 64 steps. */
export const HOP_COST = 64;
export const MAX_DEPTH_LIMIT = 32;

export function stepCost(s: Step): number {
  return (s.kind === 'admin' ? 0 : HOP_COST) + (s.conditional ? 1 : 0);
}

export function hopsOf(steps: readonly Step[]): number {
  return steps.reduce((n, s) => n + (s.kind === 'admin' ? 0 : 1), 0);
}

const traversals = new WeakMap<EscalationGraph, Traversal>();

export function traversalOf(graph: EscalationGraph): Traversal {
  let t = traversals.get(graph);
  if (t) return t;
  const steps: IndexedStep[] = graph.edges.map((e: EscalationEdge, id) => ({ ...e, id }));
  for (const [arn, verdict] of [...graph.admins].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    steps.push({
      id: steps.length,
      from: arn,
      to: ADMIN,
      kind: 'admin',
      technique: ADMIN_EQUIVALENT,
      conditional: verdict.decision === 'CONDITIONAL',
      conditions: verdict.conditions,
      evidence: verdict.evidence,
    });
  const out = new Map<string, IndexedStep[]>();
  const into = new Map<string, IndexedStep[]>();
  for (const s of steps) {
    // Self-loops lead nowhere new; a path never needs them.
    if (s.from === s.to) continue;
    push(out, s.from, s);
    push(into, s.to, s);
  }
  const fanOut = new Map<string, FanOutRef[]>();
  const classes = new Map<readonly string[], FanOutClass>();
  let base = steps.length;
  for (const entry of graph.fanOut ?? []) {
    const ref = { entry, base };
    push(fanOut, entry.from, ref);
    const cls = classes.get(entry.targets);
    if (cls) cls.entries.push(ref);
    else classes.set(entry.targets, { targets: entry.targets, entries: [ref] });
    base += entry.targets.length;
  }
  const fanIn = new Map<string, { cls: FanOutClass; position: number }[]>();
  for (const cls of classes.values())
    cls.targets.forEach((to, position) => push(fanIn, to, { cls, position }));
  t = { graph, steps, out, in: into, fanOut, fanIn };
  traversals.set(graph, t);
  return t;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** A binary min-heap of (cost, tie, value); `tie` keeps pops deterministic among equal costs. */
export class MinHeap<T> {
  private items: { cost: number; tie: number; value: T }[] = [];
  get size(): number {
    return this.items.length;
  }
  push(cost: number, tie: number, value: T): void {
    const a = this.items;
    a.push({ cost, tie, value });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): { cost: number; value: T } | undefined {
    const a = this.items;
    const top = a[0];
    if (!top) return undefined;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l]!, a[m]!)) m = l;
        if (r < a.length && less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

function less(a: { cost: number; tie: number }, b: { cost: number; tie: number }): boolean {
  return a.cost < b.cost || (a.cost === b.cost && a.tie < b.tie);
}

export interface SearchLimits {
  /** At most this many hops (admin steps not counted). */
  maxDepth: number;
  /** Steps that may not be taken (Yen's spur searches). */
  bannedSteps?: ReadonlySet<number>;
  /** Nodes that may not be entered (Yen's root path). */
  bannedNodes?: ReadonlySet<string>;
  /** Only steps this predicate accepts. */
  accept?: (s: IndexedStep) => boolean;
  /** Follow fan-out entries: forward unless false; backwards only when true (who-can-reach, choke points). */
  fanOut?: boolean;
  /**
   * Each node's cheapest cost to `target` with nothing banned (a reverse search from it: `costsTo`). Makes the
   * search goal-directed (A*: this is a consistent lower bound, bans only make paths dearer) and skips nodes that
   * cannot reach the target at all, such as most members of a class of 5,000 roles.
   */
  estimate?: ReadonlyMap<string, { cost: number }>;
}

export interface Label {
  cost: number;
  hops: number;
  via?: IndexedStep;
}

/**
 * Cheapest paths from `source` in the direction given (`out`: forward; `in`: towards `source`, for "who can
 * reach"), within `maxDepth` hops. Returns each reached node's label; `pathTo` rebuilds the steps. Dijkstra with
 * a hop bound: costs grow with hops, so the cheapest label is also the one with the fewest hops, and a node
 * first settled beyond the bound is simply not expanded.
 */
export function cheapest(
  t: Traversal,
  source: string | ReadonlyMap<string, number>,
  direction: 'out' | 'in',
  limits: SearchLimits,
  target?: string,
): Map<string, Label> {
  // Several sources (who-can-reach: every direct grantor) start at their own cost.
  const sources = typeof source === 'string' ? new Map([[source, 0]]) : source;
  const labels = new Map<string, Label>();
  const done = new Set<string>();
  const heap = new MinHeap<string>();
  const estimate = limits.estimate;
  for (const [node, cost] of sources) {
    labels.set(node, { cost, hops: 0 });
    heap.push(cost + (estimate?.get(node)?.cost ?? 0), -1, node);
  }
  const adjacency = direction === 'out' ? t.out : t.in;
  const relaxedClasses = new Map<readonly string[], Set<number>>();
  const relaxedIn = new Set<FanOutClass>();
  const bans = limits.bannedSteps !== undefined || limits.bannedNodes !== undefined;
  while (heap.size > 0) {
    const { value: node } = heap.pop()!;
    if (done.has(node)) continue;
    done.add(node);
    if (node === target) break;
    const here = labels.get(node)!;
    const relax = (s: IndexedStep, next: string): void => {
      if (limits.bannedSteps?.has(s.id)) return;
      if (limits.accept && !limits.accept(s)) return;
      if (done.has(next) || limits.bannedNodes?.has(next)) return;
      const hops = here.hops + (s.kind === 'admin' ? 0 : 1);
      if (hops > limits.maxDepth) return;
      let toGo = 0;
      if (estimate) {
        const rest = estimate.get(next);
        // Hops dominate costs (HOP_COST), so the cost still to go bounds the hops still to go.
        if (!rest || hops + Math.floor(rest.cost / HOP_COST) > limits.maxDepth) return;
        toGo = rest.cost;
      }
      const cost = here.cost + stepCost(s);
      const old = labels.get(next);
      if (old && (old.cost < cost || (old.cost === cost && (!old.via || old.via.id <= s.id)))) return;
      labels.set(next, { cost, hops, via: s });
      heap.push(cost + toGo, s.id, next);
    };
    for (const s of adjacency.get(node) ?? []) relax(s, direction === 'out' ? s.to : s.from);
    if (direction === 'out' && limits.fanOut !== false)
      for (const { entry, base } of t.fanOut.get(node) ?? []) {
        if (here.hops + 1 > limits.maxDepth) break;
        const { targets, conditional } = entry;
        // Nodes are expanded in order of cost: a class already relaxed (same targets, same conditionality)
        // cannot improve any target again. Unless that relaxation skipped a target for a banned step (Yen's
        // spurs ban single steps of an entry); banned nodes are banned for every entry alike.
        if (!bansStepIn(limits.bannedSteps, base, targets.length)) {
          const key = conditional ? 1 : 0;
          const seen = relaxedClasses.get(targets);
          if (seen?.has(key)) continue;
          if (seen) seen.add(key);
          else relaxedClasses.set(targets, new Set([key]));
        }
        // The step object is made only for targets whose label it would improve.
        targets.forEach((to, i) => {
          if (to === node || done.has(to)) return;
          if (estimate && !estimate.has(to)) return;
          const old = labels.get(to);
          if (old && old.cost < here.cost + HOP_COST) return;
          relax(fanStep(t, entry, to, base + i), to);
        });
      }
    if (direction === 'in' && limits.fanOut === true)
      for (const { cls, position } of t.fanIn.get(node) ?? []) {
        if (here.hops + 1 > limits.maxDepth) break;
        // The first member of a class expanded is its cheapest: every source reaching the class has its best
        // step into it then (unless bans made that relaxation skip some, or its members' steps differ in
        // conditions, which makes a later member one cost unit cheaper to step into).
        if (!bans && !cls.entries[0]!.entry.memberConditions) {
          if (relaxedIn.has(cls)) continue;
          relaxedIn.add(cls);
        }
        for (const { entry, base } of cls.entries) {
          const from = entry.from;
          if (from === node || done.has(from)) continue;
          const old = labels.get(from);
          if (old && old.cost < here.cost + HOP_COST) continue;
          relax(fanStep(t, entry, node, base + position), from);
        }
      }
  }
  return labels;
}

/** The step from a fan-out entry into one of its targets. */
function fanStep(t: Traversal, entry: FanOutEdge, to: string, id: number): IndexedStep {
  const { from, kind, technique } = entry;
  const { conditional, conditions } = stepConditions(entry, to);
  const evidence = stepEvidence(entry, to, t.graph.admins.has(to));
  return { from, to, kind, technique, conditional, conditions, evidence, id };
}

function bansStepIn(banned: ReadonlySet<number> | undefined, base: number, length: number): boolean {
  if (!banned) return false;
  for (const id of banned) if (id >= base && id < base + length) return true;
  return false;
}

/**
 * Every node's cheapest way to `target` (labels of a reverse search with fan-out) within `maxDepth` hops: the
 * estimate for goal-directed searches, and the choke points' paths. Kept per traversal for ADMIN, the target
 * most asked for, within MAX_DEPTH_LIMIT (which holds every smaller bound).
 */
export function costsTo(t: Traversal, target: string, maxDepth = MAX_DEPTH_LIMIT): Map<string, Label> {
  const search = (depth: number): Map<string, Label> =>
    cheapest(t, target, 'in', { maxDepth: depth, fanOut: true });
  if (target !== ADMIN) return search(maxDepth);
  return (t.toAdmin ??= search(MAX_DEPTH_LIMIT));
}

/** The steps from the search's source to `node`, in walking order (forward for `out`, from `node` for `in`). */
export function pathTo(labels: Map<string, Label>, node: string, direction: 'out' | 'in'): IndexedStep[] {
  const steps: IndexedStep[] = [];
  let at = node;
  for (let l = labels.get(at); l?.via; l = labels.get(at)) {
    steps.push(l.via);
    at = direction === 'out' ? l.via.from : l.via.to;
  }
  return direction === 'out' ? steps.reverse() : steps;
}

/** A step as answers carry it (without the internal id). */
export function publicStep(s: IndexedStep): Step {
  const { id: _id, ...rest } = s;
  return rest;
}
