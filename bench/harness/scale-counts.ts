/**
 * Cross-account reach in an escalation graph. A PassRole passes a role only to a service in the caller's own
 * account, so in an organization a PassRole-to-service edge between two accounts is a false positive; a trust
 * policy naming another account is not. The bench reports both kinds together: edges whose source and target
 * accounts differ, and the class members of fan-out entries that lie in another account than the source.
 */
import type { EscalationGraph } from '../../server/analysis/escalation/graph.ts';
import { ADMIN } from '../../server/analysis/escalation/graph.ts';
import { arnAccount as accountOf } from '../../server/engine/evaluate/principal.ts';

export function crossAccountCounts(graph: EscalationGraph): { edges: number; fanOutTargets: number } {
  let edges = 0;
  for (const e of graph.edges) {
    if (e.to === ADMIN) continue;
    if (accountOf(e.from) !== accountOf(e.to)) edges++;
  }
  // Entries of one class share one `targets` array: count its members per account once.
  const perClass = new Map<readonly string[], Map<string | undefined, number>>();
  let fanOutTargets = 0;
  for (const f of graph.fanOut ?? []) {
    let byAccount = perClass.get(f.targets);
    if (!byAccount) {
      byAccount = new Map();
      for (const t of f.targets) byAccount.set(accountOf(t), (byAccount.get(accountOf(t)) ?? 0) + 1);
      perClass.set(f.targets, byAccount);
    }
    fanOutTargets += f.targets.length - (byAccount.get(accountOf(f.from)) ?? 0);
  }
  return { edges, fanOutTargets };
}
