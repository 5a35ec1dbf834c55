/**
 * paths(from, to | toAdmin): the k cheapest loopless escalation paths (Yen's algorithm), not only the first,
 * each step with its technique, residual conditions and evidence. Cost and ties as in traversal.ts: fewer hops,
 * then fewer conditional steps. Parallel edges (two techniques between the same principals) give distinct paths.
 */
import { ADMIN, type EscalationGraph } from './graph.ts';
import {
  MAX_DEPTH_LIMIT,
  cheapest,
  costsTo,
  hopsOf,
  pathTo,
  publicStep,
  stepCost,
  traversalOf,
  type IndexedStep,
  type SearchLimits,
  type Step,
  type Traversal,
} from './traversal.ts';

export interface PathsQuery {
  /** Principal ARN the paths start from. */
  from: string;
  /** Principal ARN, or ADMIN (`toAdmin`). */
  to: string;
  /** How many paths (default 5). */
  k?: number;
  /** At most this many hops per path (default 6; admin-equivalence steps are not hops). */
  maxDepth?: number;
}

export interface EscalationPath {
  steps: Step[];
  /** Principal changes and techniques used (the final admin-equivalence step is not counted). */
  hops: number;
  /** Some step holds only under conditions. */
  conditional: boolean;
  /** Every step's residual conditions, deduplicated, in path order. */
  conditions: string[];
}

export const DEFAULT_K = 5;
export const MAX_K = 100;
export const DEFAULT_MAX_DEPTH = 6;

/** Clamps user-given bounds; RangeError when they make no sense (callers report it as bad input). */
export function checkBounds(k: number, maxDepth: number): void {
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) throw new RangeError(`k must be 1…${MAX_K}, got ${k}`);
  if (!Number.isInteger(maxDepth) || maxDepth < 0 || maxDepth > MAX_DEPTH_LIMIT)
    throw new RangeError(`maxDepth must be 0…${MAX_DEPTH_LIMIT}, got ${maxDepth}`);
}

export function toPath(steps: readonly Step[]): EscalationPath {
  const conditions = [...new Set(steps.flatMap((s) => s.conditions))];
  return {
    steps: steps.map((s) => ('id' in s ? publicStep(s as IndexedStep) : s)),
    hops: hopsOf(steps),
    conditional: steps.some((s) => s.conditional),
    conditions,
  };
}

interface Candidate {
  steps: IndexedStep[];
  cost: number;
  key: string;
}

function keyOf(steps: readonly IndexedStep[]): string {
  return steps.map((s) => s.id).join(',');
}

function costOf(steps: readonly IndexedStep[]): number {
  return steps.reduce((c, s) => c + stepCost(s), 0);
}

/** Ties among equal costs: the path whose steps come first in the graph, compared step by step. */
function compareCandidates(a: Candidate, b: Candidate): number {
  if (a.cost !== b.cost) return a.cost - b.cost;
  for (let i = 0; i < Math.min(a.steps.length, b.steps.length); i++)
    if (a.steps[i]!.id !== b.steps[i]!.id) return a.steps[i]!.id - b.steps[i]!.id;
  return a.steps.length - b.steps.length;
}

function shortest(t: Traversal, from: string, to: string, limits: SearchLimits): IndexedStep[] | undefined {
  if (from === to) return [];
  // Fan-out is followed to admin too: a class member that is not admin-equivalent may have its own way there
  // (every user's key → a user who can CreatePolicyVersion).
  const labels = cheapest(t, from, 'out', limits, to);
  return labels.has(to) ? pathTo(labels, to, 'out') : undefined;
}

export function paths(graph: EscalationGraph, query: PathsQuery): EscalationPath[] {
  const k = query.k ?? DEFAULT_K;
  const maxDepth = query.maxDepth ?? DEFAULT_MAX_DEPTH;
  checkBounds(k, maxDepth);
  // A principal is not a path to itself.
  if (query.from === query.to) return [];
  return kShortest(traversalOf(graph), query.from, query.to, k, maxDepth).map(toPath);
}

/** Yen (1971): each next path deviates from an accepted one at some spur node, avoiding what is already taken. */
export function kShortest(
  t: Traversal,
  from: string,
  to: string,
  k: number,
  maxDepth: number,
): IndexedStep[][] {
  // One reverse search from the target guides every spur search (Yen runs one per step of each path found).
  const estimate = costsTo(t, to, maxDepth);
  if (!estimate.has(from)) return [];
  const first = shortest(t, from, to, { maxDepth, estimate });
  if (!first || first.length === 0) return [];
  const accepted: IndexedStep[][] = [first];
  const seen = new Set<string>([keyOf(first)]);
  const candidates: Candidate[] = [];
  while (accepted.length < k) {
    const last = accepted.at(-1)!;
    for (let i = 0; i < last.length; i++) {
      const root = last.slice(0, i);
      const spur = i === 0 ? from : root[i - 1]!.to;
      const rootKey = keyOf(root);
      const bannedSteps = new Set<number>();
      for (const p of accepted)
        if (p.length > i && keyOf(p.slice(0, i)) === rootKey) bannedSteps.add(p[i]!.id);
      // The root's nodes may not be revisited: paths stay loopless.
      const bannedNodes = new Set<string>([from, ...root.map((s) => s.to)]);
      bannedNodes.delete(spur);
      const rest = shortest(t, spur, to, {
        maxDepth: maxDepth - hopsOf(root),
        bannedSteps,
        bannedNodes,
        estimate,
      });
      if (!rest) continue;
      const steps = [...root, ...rest];
      const key = keyOf(steps);
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push({ steps, cost: costOf(steps), key });
    }
    if (candidates.length === 0) break;
    candidates.sort(compareCandidates);
    accepted.push(candidates.shift()!.steps);
  }
  return accepted;
}

/** The target of a paths query: a principal ARN, or ADMIN. */
export function pathTarget(to: string | undefined, toAdmin: boolean | undefined): string | undefined {
  if (toAdmin) return ADMIN;
  return to;
}
