/**
 * Cross-account reach in an escalation graph. A trust policy naming another account makes an `assume` edge
 * between accounts real; an `escalate` edge between accounts never is: IAM actions (PassRole included: a role is
 * passed only to a service in the caller's own account) act on the caller's account alone, so in an organization
 * those are false positives. Counted for edges (source and target accounts differ) and for fan-out entries (the
 * class members in another account than the source).
 */
import type { EscalationGraph } from '../../server/analysis/escalation/graph.ts';
import { ADMIN } from '../../server/analysis/escalation/graph.ts';
import { arnAccount as accountOf } from '../../server/engine/evaluate/principal.ts';

export interface CrossAccountCounts {
  edges: number;
  /** Of `edges`, the `escalate` ones. */
  escalateEdges: number;
  fanOutTargets: number;
  /** Of `fanOutTargets`, those of `escalate` entries. */
  escalateFanOutTargets: number;
}

export function crossAccountCounts(graph: EscalationGraph): CrossAccountCounts {
  const counts: CrossAccountCounts = {
    edges: 0,
    escalateEdges: 0,
    fanOutTargets: 0,
    escalateFanOutTargets: 0,
  };
  for (const e of graph.edges) {
    if (e.to === ADMIN || accountOf(e.from) === accountOf(e.to)) continue;
    counts.edges++;
    if (e.kind === 'escalate') counts.escalateEdges++;
  }
  // Entries of one class share one `targets` array: count its members per account once.
  const perClass = new Map<readonly string[], Map<string | undefined, number>>();
  for (const f of graph.fanOut ?? []) {
    let byAccount = perClass.get(f.targets);
    if (!byAccount) {
      byAccount = new Map();
      for (const t of f.targets) byAccount.set(accountOf(t), (byAccount.get(accountOf(t)) ?? 0) + 1);
      perClass.set(f.targets, byAccount);
    }
    const elsewhere = f.targets.length - (byAccount.get(accountOf(f.from)) ?? 0);
    counts.fanOutTargets += elsewhere;
    if (f.kind === 'escalate') counts.escalateFanOutTargets += elsewhere;
  }
  return counts;
}
