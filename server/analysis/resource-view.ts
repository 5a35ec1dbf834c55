/**
 * The resource view (`resource(arn)`): a known resource of the snapshot, its policy, and who can do what on it
 * by access level — for each level, the principals with at least one action of that level ALLOWED or CONDITIONAL
 * on the resource (for an S3 bucket: bucket actions on the bucket, object actions on `bucket/*`, and narrower
 * grants such as `bucket/reports/*` reported as partial with their pattern).
 *
 * Each candidate principal (who-can's index for the service, plus whoever the resource policy could name) is
 * answered with effective permissions' per-resource step (access.ts `resourceAccessOf`): its actions grouped by
 * the statements that match them, one evaluation per group. Principals whose policies are the same compiled
 * documents (members of the same groups, say) share the grouping, so the cost is about one evaluation per
 * principal and group rather than per principal and action.
 */
import type { Resource } from '../../schema/snapshot.ts';
import { loadCatalog, parsePolicy, type CompiledPolicySet, type Decision } from '../engine/index.ts';
import {
  ACCESS_LEVELS,
  evaluatorFor,
  identitySideOf,
  resourceAccessOf,
  type AccessLevel,
  type IdentitySide,
} from './access.ts';
import type { IndexedPrincipal } from './candidate-index.ts';
import { answerWarnings } from './completeness.ts';
import { hasRcps, rcpSupport, resourcePolicyFor } from './policy-set.ts';
import type { SnapshotAnalysis } from './snapshot-analysis.ts';
import { candidateIndex, resourceCandidates, type ContextValues, type WhoCanEntry } from './who-can.ts';

export interface ResourcePrincipalAccess {
  principal: WhoCanEntry['principal'];
  /** ALLOWED when some action of the level is allowed outright. */
  decision: Exclude<Decision, 'DENIED'>;
  /** The actions of the level it can perform (ALLOWED or CONDITIONAL), sorted. */
  actions: string[];
  /** Those only under a condition. */
  conditional: string[];
  /** Those allowed on part of the bucket's objects only (an Allow on `bucket/reports/*`): see `scopes`. */
  partial: string[];
  /** The narrower patterns the partial actions are allowed on. */
  scopes: string[];
}

export interface ResourceView {
  resource: Resource;
  resourcePolicyId?: string;
  levels: { level: AccessLevel; principals: ResourcePrincipalAccess[] }[];
  /** Principals evaluated / in the snapshot. */
  evaluated: number;
  principals: number;
  notes: string[];
}

export interface ResourceViewQuery {
  context?: ContextValues;
  strictContext?: boolean;
}

/** A key equal for policy sets made of the same compiled documents (`docIds` numbers each document once). */
function structureKey(c: CompiledPolicySet, docIds: Map<object, number>): string {
  const docId = (o: object): number => {
    let id = docIds.get(o);
    if (id === undefined) docIds.set(o, (id = docIds.size));
    return id;
  };
  const ids = (ps: readonly { policy: object }[] | undefined) =>
    (ps ?? []).map((p) => docId(p.policy)).join(',');
  return [
    ids(c.identity),
    c.boundary ? docId(c.boundary.policy) : '',
    (c.scps ?? []).map(ids).join(';'),
    c.session ? docId(c.session.policy) : '',
  ].join('|');
}

export async function resourceView(
  analysis: SnapshotAnalysis,
  arn: string,
  query: ResourceViewQuery = {},
): Promise<ResourceView | undefined> {
  const snapshot = analysis.snapshot;
  const index = candidateIndex(analysis);
  const resource = analysis.lookups.resources.get(arn);
  if (!resource) return undefined;
  const catalog = await loadCatalog();
  const supportsRcp = hasRcps(snapshot) ? await rcpSupport() : undefined;
  const policy = resourcePolicyFor(snapshot, arn);
  const parsed = policy ? parsePolicy(policy.document, { kind: 'resource' }).policy : undefined;
  const named = policy ? (parsed ? resourceCandidates(index, parsed) : 'all') : [];
  let candidates: IndexedPrincipal[];
  if (named === 'all') candidates = index.principals;
  else {
    const set = new Set([...index.candidatesFor(resource.service), ...named]);
    candidates = index.principals.filter((p) => set.has(p));
  }
  const notes: string[] = index.failures.map((f) => `${f.arn} left out: ${f.message}`);
  const sides = new Map<string, IdentitySide>();
  const docIds = new Map<object, number>();
  const perLevel = new Map<AccessLevel, ResourcePrincipalAccess[]>();
  for (const c of candidates) {
    const key = structureKey(c.compiled, docIds);
    let side = sides.get(key);
    if (!side) sides.set(key, (side = identitySideOf(catalog, c.compiled)));
    const e = evaluatorFor(c.principal, c.compiled, query, c.at);
    const ra = resourceAccessOf(catalog, e, analysis, resource, side, notes, supportsRcp);
    if (!ra) continue;
    for (const l of ra.levels) {
      const row: ResourcePrincipalAccess = {
        principal: { arn: c.principal.arn, name: c.principal.name, kind: c.principal.kind },
        decision: l.grants.some((g) => g.decision === 'ALLOWED') ? 'ALLOWED' : 'CONDITIONAL',
        actions: [...new Set(l.grants.flatMap((g) => g.actions))].sort(),
        conditional: l.grants
          .filter((g) => g.decision === 'CONDITIONAL')
          .flatMap((g) => g.actions)
          .sort(),
        partial: l.grants
          .filter((g) => g.partial)
          .flatMap((g) => g.actions)
          .sort(),
        scopes: [...new Set(l.grants.filter((g) => g.partial).map((g) => g.scope))].sort(),
      };
      const list = perLevel.get(l.level);
      if (list) list.push(row);
      else perLevel.set(l.level, [row]);
    }
  }
  notes.push(
    ...answerWarnings(
      snapshot,
      [...perLevel.values()].flatMap((rows) => rows.map((r) => r.principal.arn)),
      { arn, ...(resource.accountId ? { account: resource.accountId } : {}) },
    ),
  );
  return {
    resource,
    ...(policy ? { resourcePolicyId: policy.id } : {}),
    levels: ACCESS_LEVELS.filter((l) => perLevel.has(l)).map((level) => ({
      level,
      principals: perLevel.get(level)!.sort((a, b) => (a.principal.arn < b.principal.arn ? -1 : 1)),
    })),
    evaluated: candidates.length,
    principals: index.principals.length,
    notes: [...new Set(notes)],
  };
}
