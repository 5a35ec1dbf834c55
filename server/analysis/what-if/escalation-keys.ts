/**
 * What makes two escalation edges, or two fan-out entries, the same across two graphs (before and after a change,
 * or two snapshots): the escalation diff and the blast-radius deltas compare by these keys.
 *
 * A fan-out entry's class is keyed by its id (stored.ts `classIdOf`: the description and the sorted members,
 * hashed once per class array), the id the stores give its PrincipalClass node, so no key holds a class's members.
 */
import type { EscalationEdge, EscalationGraph, FanOutEdge } from '../escalation/graph.ts';
import { classIdOf } from '../escalation/stored.ts';

const conditionsKey = (conditions: readonly string[]) => [...conditions].sort().join('\n');

export const edgeKey = (e: EscalationEdge): string =>
  `${e.from}\n${e.to}\n${e.kind}\n${e.technique}\n${e.conditional}\n${conditionsKey(e.conditions)}`;

export const fanOutKey = (f: FanOutEdge): string =>
  `${f.from}\n${classIdOf(f)}\n${f.kind}\n${f.technique}\n${f.conditional}\n${conditionsKey(f.conditions)}`;

/**
 * Whether two graphs give every escalation answer the diff reads alike, known without keying anything: the same
 * edge and fan-out objects in the same order, and the same admin verdicts (decision and conditions). The
 * incremental update keeps the before graph's objects when no technique reads the change (attaching an S3 policy
 * to a group), so such a what-if skips the walks of the after graph (reaching admin, blast-radius deltas). False
 * says nothing: equal graphs built apart are compared by key.
 */
export function sameEscalation(before: EscalationGraph, after: EscalationGraph): boolean {
  if (before === after) return true;
  const same = <T>(x: readonly T[], y: readonly T[]) =>
    x.length === y.length && x.every((v, i) => v === y[i]);
  if (!same(before.edges, after.edges) || !same(before.fanOut ?? [], after.fanOut ?? [])) return false;
  if (before.admins.size !== after.admins.size) return false;
  for (const [arn, v] of before.admins) {
    const w = after.admins.get(arn);
    if (!w || w.decision !== v.decision || conditionsKey(w.conditions) !== conditionsKey(v.conditions))
      return false;
  }
  return true;
}

/**
 * The items of `after` with no equal (by `key`) in `before`, each key once. Equal items have the same source, so
 * lists are compared per source, and a source whose list is the same objects in the same order needs no key: the
 * incremental after graph shares what it did not evaluate again, so a what-if keys only the sources it changed.
 */
export function missingFrom<T extends { from: string }>(
  after: readonly T[],
  before: readonly T[],
  key: (x: T) => string,
): T[] {
  const old = bySource(before);
  const out: T[] = [];
  for (const [from, list] of bySource(after)) {
    const was = old.get(from) ?? [];
    if (was.length === list.length && was.every((x, i) => x === list[i])) continue;
    const seen = new Set(was.map(key));
    for (const x of list) {
      const k = key(x);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(x);
    }
  }
  return out;
}

function bySource<T extends { from: string }>(list: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of list) {
    const l = m.get(x.from);
    if (l) l.push(x);
    else m.set(x.from, [x]);
  }
  return m;
}
