/**
 * The blast radius's per-principal permissions from the effective-permissions analysis (access.ts): per service
 * and access level the actions allowed, and per known resource what can be done there. Computed lazily, once per
 * principal and snapshot.
 */
import type { AccountSnapshot } from '../../../importers/snapshot/model.ts';
import { loadCatalog, type ActionCatalog } from '../../engine/index.ts';
import { accessWithCatalog, type AccessAnswer } from '../access.ts';
import type { PrincipalReach, ReachProvider } from './blast-radius.ts';

const cache = new WeakMap<AccountSnapshot, Map<string, PrincipalReach | undefined>>();

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

/** `shared: false` starts from an empty memo (the bench measures a query that computes everything itself). */
export function accessReachWithCatalog(
  catalog: ActionCatalog,
  snapshot: AccountSnapshot,
  options: { shared?: boolean } = {},
): ReachProvider {
  const memo =
    options.shared === false ? new Map<string, PrincipalReach | undefined>() : sharedMemo(snapshot);
  return {
    source: 'effective-permissions',
    reachOf(arn) {
      if (!memo.has(arn)) {
        const answer = accessWithCatalog(catalog, snapshot, arn);
        memo.set(arn, answer && reachOfAccess(answer));
      }
      return memo.get(arn);
    },
  };
}

function sharedMemo(snapshot: AccountSnapshot): Map<string, PrincipalReach | undefined> {
  let memo = cache.get(snapshot);
  if (!memo) cache.set(snapshot, (memo = new Map()));
  return memo;
}

export async function accessReach(snapshot: AccountSnapshot): Promise<ReachProvider> {
  return accessReachWithCatalog(await loadCatalog(), snapshot);
}
