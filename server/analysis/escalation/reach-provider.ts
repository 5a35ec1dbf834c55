/**
 * The blast radius's per-principal permissions from the effective-permissions analysis (access.ts): per service
 * and access level the actions allowed, and per known resource what can be done there. Computed lazily, once per
 * principal and analysis (the analysis's `REACH` memo).
 */
import { memoKey, type SnapshotAnalysis } from '../snapshot-analysis.ts';
import { loadCatalog, type ActionCatalog } from '../../engine/index.ts';
import { accessWithCatalog, type AccessAnswer } from '../access.ts';
import type { PrincipalReach, ReachProvider } from './blast-radius.ts';

export function reachOfAccess(answer: AccessAnswer): PrincipalReach {
  return {
    services: answer.services.map((s) => ({
      service: s.service,
      levels: s.levels.map((l) => ({
        level: l.level,
        actions: l.actions.map((a) => a.action),
        conditional: l.actions.every((a) => a.decision === 'CONDITIONAL'),
      })),
    })),
    resources: answer.resources.map((r) => ({
      arn: r.arn,
      service: r.service,
      type: r.type,
      name: r.name,
      levels: r.levels.map((l) => ({
        level: l.level,
        actions: [...new Set(l.grants.flatMap((g) => g.actions))],
        conditional: l.grants.every((g) => g.decision === 'CONDITIONAL'),
      })),
    })),
  };
}

/** Blast radius's per-principal reach from effective permissions, by principal ARN. */
const REACH = memoKey<Map<string, PrincipalReach | undefined>>('blast radius: reach by principal');

/** `shared: false` starts from an empty memo (the bench measures a query that computes everything itself). */
export function accessReachWithCatalog(
  catalog: ActionCatalog,
  analysis: SnapshotAnalysis,
  options: { shared?: boolean } = {},
): ReachProvider {
  const memo =
    options.shared === false
      ? new Map<string, PrincipalReach | undefined>()
      : analysis.memo(REACH, () => new Map());
  return {
    source: 'effective-permissions',
    reachOf(arn) {
      if (!memo.has(arn)) {
        const answer = accessWithCatalog(catalog, analysis, arn);
        memo.set(arn, answer && reachOfAccess(answer));
      }
      return memo.get(arn);
    },
  };
}

export async function accessReach(analysis: SnapshotAnalysis): Promise<ReachProvider> {
  return accessReachWithCatalog(await loadCatalog(), analysis);
}
