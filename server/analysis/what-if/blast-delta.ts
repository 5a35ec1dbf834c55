/**
 * Blast-radius deltas: for the principals whose reach through the escalation graph changed, before and after —
 * admin reachable (and whether only under conditions), how many principals are reachable, which are gained and
 * lost. Bounded by `MAX_EVALUATED`, `MAX_LISTED` and `MAX_NAMED`; counts say what was left out. Whose reach can
 * change, and how the candidates share one pass per graph: README.md, "Blast-radius deltas".
 */
import { ADMIN, type EscalationEdge, type EscalationGraph, type FanOutEdge } from '../escalation/graph.ts';
import { edgeKey, fanOutKey, sameEscalation } from './escalation-keys.ts';

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

/**
 * The node names of both graphs and both principal sets, sorted: a set of nodes is a bitset over their positions,
 * so two graphs' reach sets compare word by word and their set bits come out in ARN order (gained/lost sorted).
 */
class Universe {
  readonly names: string[];
  readonly index = new Map<string, number>();
  readonly words: number;
  constructor(names: ReadonlySet<string>) {
    this.names = [...names].sort();
    this.names.forEach((name, i) => this.index.set(name, i));
    this.words = (this.names.length + 31) >>> 5;
  }
  id(name: string): number {
    // INVARIANT: built from every name the graphs and principal sets hold.
    return this.index.get(name)!;
  }
  bits(names: Iterable<string>): Uint32Array {
    const bits = new Uint32Array(this.words);
    for (const name of names) set(bits, this.id(name));
    return bits;
  }
}

function addNodes(names: Set<string>, g: EscalationGraph): void {
  for (const arn of g.admins.keys()) names.add(arn);
  for (const e of g.edges) names.add(e.from).add(e.to);
  // Entries of one class share its array: its members are added once, not once per entry.
  const classes = new Set<readonly string[]>();
  for (const f of g.fanOut ?? []) {
    names.add(f.from);
    if (classes.has(f.targets)) continue;
    classes.add(f.targets);
    for (const t of f.targets) names.add(t);
  }
}

const set = (bits: Uint32Array, i: number) => (bits[i >>> 5]! |= 1 << (i & 31));
const clear = (bits: Uint32Array, i: number) => (bits[i >>> 5]! &= ~(1 << (i & 31)));

function popcount(bits: Uint32Array): number {
  let n = 0;
  for (let x of bits) {
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    n += (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return n;
}

/** The positions set in `x` and not in `y`: how many, and the names of the first `limit` (sorted). */
function minus(
  u: Universe,
  x: Uint32Array,
  y: Uint32Array,
  limit: number,
): { names: string[]; count: number } {
  const diff = x.map((w, i) => w & ~y[i]!);
  const names: string[] = [];
  for (let i = 0; i < diff.length && names.length < limit; i++)
    for (let w = diff[i]!; w !== 0 && names.length < limit; w &= w - 1)
      names.push(u.names[(i << 5) + 31 - Math.clz32(w & -w)]!);
  return { names, count: popcount(diff) };
}

/**
 * One graph over the universe's positions, for walking both ways. A class of fan-out targets (the builder's
 * shared array) is one extra node: its entries step into it, it steps to each member, so a class is expanded once
 * per search however many entries reach it, and the steps into it keep the entry's conditionality.
 */
class Walkable {
  /** Out-edges and fan-out entries by source, for comparing the graphs. */
  readonly out = new Map<string, EscalationEdge[]>();
  readonly fan = new Map<string, FanOutEdge[]>();
  /** Nodes: the universe's positions, then one per class. */
  readonly size: number;
  private readonly fwdStart: Int32Array;
  private readonly fwd: Int32Array;
  private readonly revStart: Int32Array;
  private readonly rev: Int32Array;
  private readonly revConditional: Uint8Array;
  constructor(
    readonly g: EscalationGraph,
    readonly u: Universe,
    readonly principals: ReadonlySet<string>,
  ) {
    const from: number[] = [];
    const to: number[] = [];
    const conditional: boolean[] = [];
    const step = (x: number, y: number, c: boolean) => (from.push(x), to.push(y), conditional.push(c));
    for (const e of g.edges) {
      push(this.out, e.from, e);
      step(u.id(e.from), u.id(e.to), e.conditional);
    }
    const classes = new Map<readonly string[], number>();
    for (const f of g.fanOut ?? []) {
      push(this.fan, f.from, f);
      let cls = classes.get(f.targets);
      if (cls === undefined) {
        classes.set(f.targets, (cls = u.names.length + classes.size));
        // A member's own residual (memberConditions, shared by the class) makes its step conditional.
        for (const t of f.targets) step(cls, u.id(t), Boolean(f.memberConditions?.get(t)?.length));
      }
      step(u.id(f.from), cls, f.conditional);
    }
    this.size = u.names.length + classes.size;
    [this.fwdStart, this.fwd] = adjacency(this.size, from, to);
    [this.revStart, this.rev] = adjacency(this.size, to, from);
    // The reverse lists hold the sources in the order `adjacency` placed them: keep each step's flag beside it.
    const [, order] = adjacency(
      this.size,
      to,
      from.map((_, i) => i),
    );
    this.revConditional = Uint8Array.from(order, (i) => Number(conditional[i]));
  }

  /** Every node that reaches one of `seeds` (them included), over unconditional steps only if asked. */
  reaching(seeds: Iterable<number>, unconditionalOnly: boolean): Uint8Array {
    const seen = new Uint8Array(this.size);
    const queue = [...seeds];
    for (const n of queue) seen[n] = 1;
    while (queue.length) {
      const n = queue.pop()!;
      for (let i = this.revStart[n]!; i < this.revStart[n + 1]!; i++) {
        const p = this.rev[i]!;
        if (seen[p] || (unconditionalOnly && this.revConditional[i])) continue;
        seen[p] = 1;
        queue.push(p);
      }
    }
    return seen;
  }

  /**
   * Admin reach and the principals reached, for each of `starts` (see the file comment). Admin reach comes from
   * two reverse searches for all starts at once. A start that reaches admin unconditionally reaches every
   * principal and is not walked; the others' reach is shared: a node reaches what its successors reach, so the
   * strongly connected components are found once (Tarjan) and each one's reach is the union of its successors',
   * built in the order Tarjan completes them (successors first) and dropped once its last predecessor used it.
   */
  states(starts: readonly string[]): Map<string, { admin: AdminReach; reached: Uint32Array }> {
    const u = this.u;
    const admins = [...this.g.admins];
    const sure = this.reaching(
      [ADMIN, ...admins.filter(([, v]) => v.decision === 'ALLOWED').map(([arn]) => arn)].map((n) => u.id(n)),
      true,
    );
    const any = this.reaching(
      [ADMIN, ...admins.map(([arn]) => arn)].map((n) => u.id(n)),
      false,
    );
    const out = new Map<string, { admin: AdminReach; reached: Uint32Array }>();
    const walked: number[] = [];
    let everyone: Uint32Array | undefined;
    for (const arn of starts) {
      const id = u.id(arn);
      if (sure[id]) {
        everyone ??= u.bits(this.principals);
        const reached = everyone.slice();
        clear(reached, id);
        out.set(arn, { admin: 'ALLOWED', reached });
      } else walked.push(id);
    }
    for (const [id, reached] of this.reach(walked))
      out.set(u.names[id]!, { admin: any[id] ? 'CONDITIONAL' : 'NONE', reached });
    return out;
  }

  /** What each of `starts` reaches (itself and ADMIN excluded), as bitsets over the universe. */
  private reach(starts: readonly number[]): Map<number, Uint32Array> {
    const { fwdStart, fwd, size } = this;
    const real = this.u.names.length;
    const index = new Int32Array(size).fill(-1);
    const low = new Int32Array(size);
    const comp = new Int32Array(size).fill(-1);
    const onStack = new Uint8Array(size);
    const stack: number[] = [];
    const comps: number[][] = [];
    let counter = 0;
    const calls: number[] = [];
    const next: number[] = [];
    const enter = (v: number) => {
      index[v] = low[v] = counter++;
      stack.push(v);
      onStack[v] = 1;
      calls.push(v);
      next.push(fwdStart[v]!);
    };
    for (const s of starts) {
      if (index[s] !== -1) continue;
      enter(s);
      while (calls.length) {
        const top = calls.length - 1;
        const v = calls[top]!;
        const e = next[top]!;
        if (e < fwdStart[v + 1]!) {
          next[top] = e + 1;
          const w = fwd[e]!;
          if (index[w] === -1) enter(w);
          else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
          continue;
        }
        calls.pop();
        next.pop();
        if (calls.length) {
          const parent = calls[calls.length - 1]!;
          low[parent] = Math.min(low[parent]!, low[v]!);
        }
        if (low[v] !== index[v]) continue;
        const members: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp[w] = comps.length;
          members.push(w);
        } while (w !== v);
        comps.push(members);
      }
    }
    const users = new Int32Array(comps.length);
    const counted = new Int32Array(comps.length).fill(-1);
    comps.forEach((members, c) => {
      for (const v of members)
        for (let e = fwdStart[v]!; e < fwdStart[v + 1]!; e++) {
          const d = comp[fwd[e]!]!;
          if (d === c || counted[d] === c) continue;
          counted[d] = c;
          users[d]!++;
        }
    });
    // A component that leads to no other (most members of a class: roles nothing more is reached from) reaches
    // its own members only: it gets no bitset, its members' bits are set where it is reached.
    const closures: (Uint32Array | undefined)[] = [];
    const wanted = new Map<number, number[]>();
    for (const s of starts) push(wanted, comp[s]!, s);
    const out = new Map<number, Uint32Array>();
    const admin = this.u.id(ADMIN);
    const mergedInto = new Int32Array(comps.length).fill(-1);
    comps.forEach((members, c) => {
      let bits: Uint32Array | undefined;
      for (const v of members)
        for (let e = fwdStart[v]!; e < fwdStart[v + 1]!; e++) {
          const d = comp[fwd[e]!]!;
          if (d === c || mergedInto[d] === c) continue;
          mergedInto[d] = c;
          bits ??= new Uint32Array(this.u.words);
          const theirs = closures[d];
          if (theirs) for (let i = 0; i < bits.length; i++) bits[i]! |= theirs[i]!;
          else for (const m of comps[d]!) if (m < real) set(bits, m);
          if (--users[d]! === 0) closures[d] = undefined;
        }
      if (bits) {
        for (const v of members) if (v < real) set(bits, v);
        if (users[c]) closures[c] = bits;
      }
      for (const s of wanted.get(c) ?? []) {
        const reached = bits?.slice() ?? new Uint32Array(this.u.words);
        if (!bits) for (const m of members) if (m < real) set(reached, m);
        clear(reached, s);
        clear(reached, admin);
        out.set(s, reached);
      }
    });
    return out;
  }
}

/** Compressed adjacency: for each node, the `to` of its steps, in step order. */
function adjacency(size: number, from: readonly number[], to: readonly number[]): [Int32Array, Int32Array] {
  const start = new Int32Array(size + 1);
  for (const f of from) start[f + 1]!++;
  for (let i = 0; i < size; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, size);
  const list = new Int32Array(from.length);
  from.forEach((f, i) => (list[fill[f]!++] = to[i]!));
  return [start, list];
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
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
  // No edge, fan-out entry or admin verdict changed: no principal's reach did (the walks start from principals
  // and read nothing else), whoever was created or deleted.
  if (sameEscalation(before, after)) return { principals: [], more: 0, candidates: 0, evaluated: 0 };
  const names = new Set([ADMIN, ...principals.before, ...principals.after]);
  addNodes(names, before);
  addNodes(names, after);
  const u = new Universe(names);
  const a = new Walkable(before, u, principals.before);
  const b = new Walkable(after, u, principals.after);
  const changed = changedNodes(a, b);
  const changedIds = [...changed].map((n) => u.id(n));
  const [ra, rb] = [a.reaching(changedIds, false), b.reaching(changedIds, false)];
  const candidates = u.names.filter(
    (n, i) => (ra[i] || rb[i]) && (principals.before.has(n) || principals.after.has(n)),
  );
  const priority = new Set([...changed, ...first]);
  const order = candidates.sort(
    (x, y) => Number(priority.has(y)) - Number(priority.has(x)) || (x < y ? -1 : x > y ? 1 : 0),
  );
  const evaluated = order.slice(0, MAX_EVALUATED);
  const [xs, ys] = [a.states(evaluated), b.states(evaluated)];
  const changes: BlastRadiusChange[] = [];
  for (const arn of evaluated) {
    const x = xs.get(arn)!;
    const y = ys.get(arn)!;
    const gained = minus(u, y.reached, x.reached, MAX_NAMED);
    const lost = minus(u, x.reached, y.reached, MAX_NAMED);
    if (x.admin === y.admin && !gained.count && !lost.count) continue;
    changes.push({
      arn,
      before: { admin: x.admin, reachable: popcount(x.reached) },
      after: { admin: y.admin, reachable: popcount(y.reached) },
      gained: gained.names,
      lost: lost.names,
      gainedCount: gained.count,
      lostCount: lost.count,
    });
  }
  const adminShift = (c: BlastRadiusChange) => Math.abs(rank[c.after.admin] - rank[c.before.admin]);
  changes.sort((x, y) => adminShift(y) - adminShift(x) || (x.arn < y.arn ? -1 : 1));
  return {
    principals: changes.slice(0, MAX_LISTED),
    more: Math.max(0, changes.length - MAX_LISTED),
    candidates: candidates.length,
    evaluated: evaluated.length,
  };
}
