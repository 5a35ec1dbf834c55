/**
 * The diff's `AccessSource` satisfied by the effective-permissions analysis (access.ts): every scope of
 * every allowed action, and every grant on a known resource, become one `AccessGrant` each. A partial scope (a
 * Deny or a boundary cuts part of it) is its own grant (`pattern (partial)`), so a new cut shows as a change.
 * An action filter asks access() for the filter's services only.
 */
import type { ActionCatalog } from '../../engine/index.ts';
import { accessWithCatalog, type AccessAnswer } from '../access.ts';
import { SnapshotAnalysis } from '../snapshot-analysis.ts';
import { createGrantSource, type AccessGrant, type AccessSource } from './grants.ts';

export function createAccessSource(catalog: ActionCatalog): AccessSource {
  // Which actions a policy names: the same statement expansion the engine-based source uses.
  const statements = createGrantSource(catalog);
  let computed = 0;
  return {
    get computed() {
      return computed;
    },
    actionsOf: (document, kind) => statements.actionsOf(document, kind),
    grants(snapshot, principalArn, filter) {
      const services = filter
        ? [...new Set([...filter].map((a) => a.slice(0, a.indexOf(':'))))]
        : [undefined];
      const out: AccessGrant[] = [];
      const wanted = (action: string) => !filter || filter.has(action.toLowerCase());
      for (const service of services) {
        computed++;
        const answer: AccessAnswer | undefined = accessWithCatalog(
          catalog,
          SnapshotAnalysis.of(snapshot),
          principalArn,
          service ? { service } : {},
        );
        for (const svc of answer?.services ?? [])
          for (const l of svc.levels)
            for (const a of l.actions) {
              if (!wanted(a.action)) continue;
              for (const s of a.scopes)
                out.push({
                  action: a.action,
                  service: svc.service,
                  level: l.level,
                  resource: s.partial ? `${s.pattern} (partial)` : s.pattern,
                  known: false,
                  decision: s.decision,
                  ...(s.conditions ? { conditions: s.conditions } : {}),
                });
            }
        for (const r of answer?.resources ?? [])
          for (const l of r.levels)
            for (const g of l.grants)
              for (const action of g.actions) {
                if (!wanted(action)) continue;
                out.push({
                  action,
                  service: r.service,
                  level: l.level,
                  resource: g.partial ? `${g.scope} (partial)` : g.scope,
                  known: true,
                  decision: g.decision,
                  ...(g.conditions ? { conditions: g.conditions } : {}),
                });
              }
      }
      return out;
    },
  };
}
