/**
 * The resource view (`resource(arn)`): a known resource of the snapshot, its policy, and who can do what on it
 * by access level — for each level, the principals with at least one action of that level ALLOWED or CONDITIONAL
 * on the resource (for an S3 bucket: bucket actions on the bucket, object actions on `bucket/*`), with the actions.
 *
 * Built on who-can (candidate index, resource-policy names), one action at a time: a bucket has ~150 applicable
 * actions, so this costs ~150 who-can queries — fine for one resource on screen, not for a sweep over all.
 * `bucket/*` asked literally would miss an Allow on `bucket/reports/*`, so the account's narrower Allow patterns
 * on the objects are asked too and their actions reported as `partial` with the pattern.
 */
import type { AccountSnapshot, Resource } from '../../importers/snapshot/model.ts';
import { loadCatalog, type Decision } from '../engine/index.ts';
import { ACCESS_LEVELS, accessLevelOf, type AccessLevel } from './access.ts';
import { globMatches, patternsOverlap, widenVariables } from './arn-patterns.ts';
import type { CandidateIndex } from './candidate-index.ts';
import { candidateIndexOf, whoCanActions, type ContextValues, type WhoCanEntry } from './who-can.ts';
import { resourcePolicyFor } from './policy-set.ts';

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
  notes: string[];
}

export interface ResourceViewQuery {
  context?: ContextValues;
  strictContext?: boolean;
}

const MAX_NARROWER = 20;

/** Resource patterns of identity Allows in the account that name part of `wide` (and not all of it). */
function narrowerPatterns(index: CandidateIndex, wide: string): string[] {
  const out = new Set<string>();
  const seen = new Set<object>();
  for (const p of index.principals)
    for (const c of p.compiled.identity) {
      if (seen.has(c.policy)) continue;
      seen.add(c.policy);
      for (const st of c.policy.statements)
        if (st.effect === 'Allow')
          for (const q of st.resource ?? []) {
            const w = widenVariables(q);
            if (!globMatches(w, wide) && patternsOverlap(w, wide)) out.add(q);
          }
    }
  return [...out].sort().slice(0, MAX_NARROWER);
}

export async function resourceView(
  snapshot: AccountSnapshot,
  arn: string,
  query: ResourceViewQuery = {},
): Promise<ResourceView | undefined> {
  const resource = snapshot.resources.find((r) => r.arn === arn);
  if (!resource) return undefined;
  const catalog = await loadCatalog();
  const index = candidateIndexOf(snapshot);
  const targets: { arn: string; type: string }[] = [{ arn, type: resource.type.toLowerCase() }];
  if (resource.service === 's3' && resource.type.toLowerCase() === 'bucket')
    targets.push({ arn: `${arn}/*`, type: 'object' });
  const perLevel = new Map<AccessLevel, Map<string, ResourcePrincipalAccess>>();
  const notes = new Set<string>();
  const record = (e: WhoCanEntry, scope?: string) => {
    const level = accessLevelOf(catalog, e.action);
    let byPrincipal = perLevel.get(level);
    if (!byPrincipal) perLevel.set(level, (byPrincipal = new Map()));
    let row = byPrincipal.get(e.principal.arn);
    if (!row)
      byPrincipal.set(
        e.principal.arn,
        (row = {
          principal: e.principal,
          decision: 'CONDITIONAL',
          actions: [],
          conditional: [],
          partial: [],
          scopes: [],
        }),
      );
    if (row.actions.includes(e.action)) return;
    row.actions.push(e.action);
    if (e.decision === 'ALLOWED') row.decision = 'ALLOWED';
    else row.conditional.push(e.action);
    if (scope) {
      row.partial.push(e.action);
      if (!row.scopes.includes(scope)) row.scopes.push(scope);
    }
  };
  for (const target of targets) {
    const actions = catalog
      .expandAction(`${resource.service}:*`)
      .filter((a) => catalog.resourceTypes(a).some((t) => t.name.toLowerCase() === target.type));
    const ask = (resourceArn: string) =>
      whoCanActions(snapshot, index, actions, {
        action: `${resource.service}:*`,
        resource: resourceArn,
        ...(query.context ? { context: query.context } : {}),
        ...(query.strictContext ? { strictContext: true } : {}),
      });
    const answer = ask(target.arn);
    for (const n of answer.notes) notes.add(n);
    for (const e of answer.entries) record(e);
    // `bucket/*` asked literally misses grants on part of the objects (`bucket/reports/*`): ask those too.
    if (target.arn.endsWith('/*'))
      for (const narrower of narrowerPatterns(index, target.arn)) {
        for (const e of ask(narrower).entries) record(e, narrower);
      }
  }
  const policy = resourcePolicyFor(snapshot, arn);
  return {
    resource,
    ...(policy ? { resourcePolicyId: policy.id } : {}),
    levels: ACCESS_LEVELS.filter((l) => perLevel.has(l)).map((level) => ({
      level,
      principals: [...perLevel.get(level)!.values()]
        .map((p) => ({
          ...p,
          actions: p.actions.sort(),
          conditional: p.conditional.sort(),
          partial: p.partial.sort(),
        }))
        .sort((a, b) => (a.principal.arn < b.principal.arn ? -1 : 1)),
    })),
    notes: [...notes],
  };
}
