/**
 * Before vs after, per principal: the access granted and revoked (by service and access level, and exactly, per
 * action and resource), the grants whose conditions changed, who becomes or stops being admin-equivalent, and —
 * given escalation graphs — the escalation edges and fan-out entries added and removed and who gains or loses a
 * path to admin.
 *
 * Two entry points share one comparison: `diffOverlay` (what-if: only the principals the overlay names, only the
 * actions the change can touch) and `diffSnapshots` (two snapshots of one account: every principal, every action).
 * The property test (diff.test.ts) holds the first to the second.
 */
import type { AccountSnapshot, Principal } from '../../../schema/snapshot.ts';
import { globMatches, type PolicyInput, type PolicySet } from '../../engine/index.ts';
import {
  ADMIN,
  type AdminVerdict,
  type EscalationEdge,
  type EscalationGraph,
  type FanOutEdge,
} from '../escalation/graph.ts';
import { costsTo, traversalOf } from '../escalation/traversal.ts';
import { principalPolicySet } from '../policy-set.ts';
import { principalOf, type AccessGrant, type AccessSource, type ActionFilter } from './grants.ts';
import type { Overlay } from './overlay.ts';
import { blastRadiusDelta, type BlastRadiusDiff } from './blast-delta.ts';
import { classIdOf } from '../escalation/stored.ts';
import { edgeKey, fanOutKey, missingFrom, sameEscalation } from './escalation-keys.ts';

export interface GrantState {
  decision: 'ALLOWED' | 'CONDITIONAL';
  conditions?: string;
}

export interface GrantChange {
  action: string;
  service: string;
  level: string;
  resource: string;
  known: boolean;
  /** Absent: not allowed before (a grant). */
  before?: GrantState;
  /** Absent: not allowed after (a revocation). */
  after?: GrantState;
}

export interface ServiceLevelDelta {
  service: string;
  level: string;
  /** Distinct actions gained / lost / with changed conditions, on any resource. */
  granted: number;
  revoked: number;
  conditional: number;
}

export interface PrincipalDiff {
  arn: string;
  name: string;
  kind: 'user' | 'role';
  change: 'created' | 'deleted' | 'modified';
  granted: GrantChange[];
  revoked: GrantChange[];
  /** Allowed before and after, but the decision (ALLOWED ↔ CONDITIONAL) or the condition changed. */
  conditional: GrantChange[];
  byService: ServiceLevelDelta[];
}

export interface AdminChange {
  arn: string;
  before?: AdminVerdict['decision'];
  after?: AdminVerdict['decision'];
}

/**
 * A fan-out entry added or removed (graph.ts `FanOutEdge`): one technique from `from` to every member of a class,
 * listed once with its class, never once per member.
 */
export interface FanOutChange extends Omit<FanOutEdge, 'targets'> {
  /** The class in `EscalationDiff.classes` (its description is `targetClass`). */
  classId: string;
  targetCount: number;
}

/** A class of principals some fan-out change reaches, listed once however many entries reach it. */
export interface TargetClass {
  id: string;
  description: string;
  members: readonly string[];
}

export interface EscalationDiff {
  added: EscalationEdge[];
  removed: EscalationEdge[];
  /** Fan-out entries, keyed by source, kind, technique, conditions and class (description and members). */
  fanOutAdded: FanOutChange[];
  fanOutRemoved: FanOutChange[];
  /** The classes of `fanOutAdded` and `fanOutRemoved`, by id. */
  classes: TargetClass[];
  /**
   * Principals that can reach admin (through any chain of edges and fan-out entries, within 32 hops) after but
   * not before, and the reverse.
   */
  pathsToAdminGained: string[];
  pathsToAdminLost: string[];
}

export interface DiffSummary {
  principalsCompared: number;
  principalsChanged: number;
  granted: number;
  revoked: number;
  conditional: number;
  adminsGained: number;
  adminsLost: number;
  edgesAdded: number;
  edgesRemoved: number;
  fanOutAdded: number;
  fanOutRemoved: number;
  pathsToAdminGained: number;
  pathsToAdminLost: number;
  /** Principals whose blast radius changed (listed or not). */
  blastRadiusChanged: number;
}

export interface AccessDiff {
  summary: DiffSummary;
  /** Only principals with a change, sorted by ARN. */
  principals: PrincipalDiff[];
  admins: { gained: AdminChange[]; lost: AdminChange[] };
  /** Absent when no escalation graph was given. */
  escalation?: EscalationDiff;
  /** Absent when no escalation graph was given. */
  blastRadius?: BlastRadiusDiff;
  /** What the diff could not account for. */
  notes: string[];
}

export interface DiffOptions {
  source: AccessSource;
  /** The escalation graph of a snapshot (its `admins` decide admin-equivalence); omitted: no escalation diff. */
  escalation?: (snapshot: AccountSnapshot) => EscalationGraph | Promise<EscalationGraph>;
  /**
   * What-if: the after graph from the before graph and the overlay (`updateEscalationGraph`), instead of
   * `escalation(after)` — only what the change can affect is evaluated again.
   */
  updateEscalation?: (
    before: EscalationGraph,
    overlay: Overlay,
  ) => EscalationGraph | Promise<EscalationGraph>;
  /**
   * Admin-equivalence of one principal by its own policies (undefined: not admin). Asked only for the principals
   * compared: nobody else's own policies changed. The escalation graph's `admins` win when both are given.
   */
  adminOf?: (snapshot: AccountSnapshot, principal: Principal) => Pick<AdminVerdict, 'decision'> | undefined;
}

const documentOf = (p: PolicyInput) =>
  typeof p.document === 'string' ? p.document : JSON.stringify(p.document);

/**
 * The catalog actions whose decision can differ between two policy sets of one principal: those named by the
 * statements of the policies that differ (any effect). A changed boundary changes what every identity statement
 * yields, so it (or a principal missing on one side) gives `undefined`: every action. `filters` holds the
 * filters of one diff by the changed policies, so members of a changed group share one filter object.
 */
export function relevantActions(
  source: AccessSource,
  before: PolicySet | undefined,
  after: PolicySet | undefined,
  filters: Map<string, Set<string>>,
): ActionFilter {
  if (!before || !after) return undefined;
  const b = before.boundary;
  const a = after.boundary;
  if (b?.id !== a?.id || (b && a && documentOf(b) !== documentOf(a))) return undefined;
  const sig = (p: PolicyInput) => `${p.id}\n${documentOf(p)}`;
  // Compared pairwise (a dozen policies a side, documents mostly the same string objects) rather than through
  // keys holding every document's text, which would be copied for every principal.
  const within = (x: PolicyInput, list: readonly PolicyInput[]) =>
    list.some((y) => y.id === x.id && documentOf(y) === documentOf(x));
  const changed = [
    ...before.identity.filter((x) => !within(x, after.identity)),
    ...after.identity.filter((x) => !within(x, before.identity)),
  ];
  // Members of a changed group share one filter object, so the source's caches see one filter.
  const cacheKey = changed.map(sig).sort().join('\n');
  const hit = filters.get(cacheKey);
  if (hit) return hit;
  const out = new Set<string>();
  for (const p of changed) for (const action of source.actionsOf(documentOf(p))) out.add(action);
  filters.set(cacheKey, out);
  return out;
}

/** The change to show as an example: permissions management, then write, in the service with the most changes. */
export function mostTelling(list: readonly GrantChange[]): GrantChange | undefined {
  const perService = new Map<string, number>();
  for (const c of list) perService.set(c.service, (perService.get(c.service) ?? 0) + 1);
  const weight = (c: GrantChange) =>
    (c.level.includes('Permissions management') ? 2 : c.level.includes('Write') ? 1 : 0) * 1e6 +
    (perService.get(c.service) ?? 0);
  return [...list].sort((a, b) => weight(b) - weight(a))[0];
}

/** By action, then resource: the order of every list of changes. */
function byActionResource(x: Pick<AccessGrant, 'action' | 'resource'>, y: typeof x): number {
  return x.action < y.action
    ? -1
    : x.action > y.action
      ? 1
      : x.resource < y.resource
        ? -1
        : x.resource > y.resource
          ? 1
          : 0;
}

const stateOf = (g: AccessGrant): GrantState =>
  g.conditions ? { decision: g.decision, conditions: g.conditions } : { decision: g.decision };

function changeOf(g: AccessGrant, before?: AccessGrant, after?: AccessGrant): GrantChange {
  const c: GrantChange = {
    action: g.action,
    service: g.service,
    level: g.level,
    resource: g.resource,
    known: g.known,
  };
  if (before) c.before = stateOf(before);
  if (after) c.after = stateOf(after);
  return c;
}

/** The unconditional scope grants of one side by action, built when a known-resource grant first asks. */
interface ScopesByAction {
  built: Map<string, string[]> | undefined;
}

/** Whether an unconditional identity scope of `list` (`*`, `arn:aws:s3:::b/*`) covers the grant's resource. */
function allowedByScope(g: AccessGrant, list: readonly AccessGrant[], scopes: ScopesByAction): boolean {
  if (!scopes.built) {
    scopes.built = new Map();
    for (const x of list) {
      if (x.known || x.decision !== 'ALLOWED') continue;
      const patterns = scopes.built.get(x.action);
      if (patterns) patterns.push(x.resource);
      else scopes.built.set(x.action, [x.resource]);
    }
  }
  return (scopes.built.get(g.action) ?? []).some((pattern) => globMatches(pattern, g.resource));
}

/**
 * Whether a known resource's grant found on one side only (`g`, of `own`) tells nothing the scopes do not.
 * - Listed as its policy names it: when the other side's identity scopes already allow it unconditionally — a
 *   resource policy granting what an identity policy allows adds no access (same-account requests are allowed
 *   when either policy allows).
 * - Listed in full (`complete`: the resource's policy changed): when the scopes agree with the resource on both
 *   sides — it is allowed by a scope where listed and by none where absent — so the scope's own change says it.
 *   Absent where a scope allows it means a resource-policy Deny cuts it there: reported.
 */
function coveredIn(
  g: AccessGrant,
  own: { list: readonly AccessGrant[]; scopes: ScopesByAction },
  other: { list: readonly AccessGrant[]; scopes: ScopesByAction },
): boolean {
  if (!g.known) return false;
  if (!g.complete) return allowedByScope(g, other.list, other.scopes);
  return (
    g.decision === 'ALLOWED' &&
    allowedByScope(g, own.list, own.scopes) &&
    !allowedByScope(g, other.list, other.scopes)
  );
}

/**
 * Of `list[from..to]`, grants under one (action, resource), the one that counts: the last (a known resource's,
 * which carries its policy) — but a grant listed in full (`complete`) that a scope there states alike gives way
 * to the scope, whose change is then reported as the scope's.
 */
function counted(list: readonly AccessGrant[], from: number, to: number): AccessGrant | undefined {
  const last = list[to];
  if (!last?.complete) return last;
  for (let k = from; k < to; k++) {
    const x = list[k]!;
    if (!x.known && x.decision === last.decision && x.conditions === last.conditions) return x;
  }
  return last;
}

/**
 * Both lists sorted by (action, resource) and merged: the changes come out in order, without a string key per
 * grant (hundreds per principal, twice). A grant repeated under one (action, resource) — a scope that is also a
 * known resource's request — counts once, as its last occurrence (the known resource's, which carries its policy).
 */
function compareGrants(before: readonly AccessGrant[], after: readonly AccessGrant[]) {
  const b = before.slice().sort(byActionResource);
  const a = after.slice().sort(byActionResource);
  const beforeSide = { list: b, scopes: { built: undefined } as ScopesByAction };
  const afterSide = { list: a, scopes: { built: undefined } as ScopesByAction };
  const granted: GrantChange[] = [];
  const revoked: GrantChange[] = [];
  const conditional: GrantChange[] = [];
  let i = 0;
  let j = 0;
  while (i < b.length || j < a.length) {
    const [i0, j0] = [i, j];
    while (i + 1 < b.length && byActionResource(b[i]!, b[i + 1]!) === 0) i++;
    while (j + 1 < a.length && byActionResource(a[j]!, a[j + 1]!) === 0) j++;
    const old = counted(b, i0, i);
    const now = counted(a, j0, j);
    const order = !old ? 1 : !now ? -1 : byActionResource(old, now);
    if (order < 0) {
      if (!coveredIn(old!, beforeSide, afterSide)) revoked.push(changeOf(old!, old));
      i++;
    } else if (order > 0) {
      if (!coveredIn(now!, afterSide, beforeSide)) granted.push(changeOf(now!, undefined, now));
      j++;
    } else {
      if (old!.decision !== now!.decision || old!.conditions !== now!.conditions)
        conditional.push(changeOf(now!, old, now));
      i++;
      j++;
    }
  }
  return { granted, revoked, conditional };
}

function byService(d: Pick<PrincipalDiff, 'granted' | 'revoked' | 'conditional'>): ServiceLevelDelta[] {
  type Row = ServiceLevelDelta & { sets: [Set<string>, Set<string>, Set<string>] };
  const rows = new Map<string, Map<string, Row>>();
  const list: Row[] = [];
  const add = (changes: GrantChange[], i: 0 | 1 | 2) => {
    for (const c of changes) {
      let perLevel = rows.get(c.service);
      if (!perLevel) rows.set(c.service, (perLevel = new Map()));
      let row = perLevel.get(c.level);
      if (!row) {
        row = {
          service: c.service,
          level: c.level,
          granted: 0,
          revoked: 0,
          conditional: 0,
          sets: [new Set(), new Set(), new Set()],
        };
        perLevel.set(c.level, row);
        list.push(row);
      }
      row.sets[i].add(c.action);
    }
  };
  add(d.granted, 0);
  add(d.revoked, 1);
  add(d.conditional, 2);
  return list
    .map(({ sets, ...r }) => ({
      ...r,
      granted: sets[0].size,
      revoked: sets[1].size,
      conditional: sets[2].size,
    }))
    .sort((x, y) => (x.service + x.level < y.service + y.level ? -1 : 1));
}

type Comparison = Pick<PrincipalDiff, 'granted' | 'revoked' | 'conditional' | 'byService'>;
type Comparisons = WeakMap<readonly AccessGrant[], WeakMap<readonly AccessGrant[], Comparison>>;

/**
 * The changes between two answers, computed once per pair of answer arrays in one diff (`comparisons`):
 * principals whose answers are shared whole (the members of a changed group, grants.ts) share the comparison, and
 * its lists (read-only).
 */
function comparison(
  comparisons: Comparisons,
  before: readonly AccessGrant[],
  after: readonly AccessGrant[],
): Comparison {
  let perBefore = comparisons.get(before);
  if (!perBefore) comparisons.set(before, (perBefore = new WeakMap()));
  let hit = perBefore.get(after);
  if (!hit) {
    const grants = compareGrants(before, after);
    perBefore.set(after, (hit = { ...grants, byService: byService(grants) }));
  }
  return hit;
}

/** Compare the access of `principals` between two snapshots; `filterOf` narrows the actions per principal. */
export async function diffPrincipals(
  before: AccountSnapshot,
  after: AccountSnapshot,
  principals: Iterable<string>,
  options: DiffOptions,
  filterOf: (arn: string) => ActionFilter = () => undefined,
  graphs?: Promise<[EscalationGraph, EscalationGraph]>,
  /** Known resources whose policy differs: their grants are listed in full on both sides (AccessSource). */
  resourcesChanged: ReadonlySet<string> = new Set(),
): Promise<AccessDiff> {
  const out: PrincipalDiff[] = [];
  const comparisons: Comparisons = new WeakMap();
  let compared = 0;
  const adminsBefore = new Map<string, Pick<AdminVerdict, 'decision'>>();
  const adminsAfter = new Map<string, Pick<AdminVerdict, 'decision'>>();
  for (const arn of [...new Set(principals)].sort()) {
    const pb = principalOf(before, arn);
    const pa = principalOf(after, arn);
    const p = pa ?? pb;
    if (!p) continue;
    compared++;
    if (options.adminOf) {
      const vb = pb && options.adminOf(before, pb);
      const va = pa && options.adminOf(after, pa);
      if (vb) adminsBefore.set(arn, vb);
      if (va) adminsAfter.set(arn, va);
    }
    const filter = filterOf(arn);
    const grants = comparison(
      comparisons,
      pb ? options.source.grants(before, arn, filter, resourcesChanged) : [],
      pa ? options.source.grants(after, arn, filter, resourcesChanged) : [],
    );
    const change = !pb ? 'created' : !pa ? 'deleted' : 'modified';
    if (
      change === 'modified' &&
      !grants.granted.length &&
      !grants.revoked.length &&
      !grants.conditional.length
    )
      continue;
    out.push({ arn, name: p.name, kind: p.kind, change, ...grants });
  }
  const notes: string[] = [];
  const [gb, ga] = graphs
    ? await graphs
    : options.escalation
      ? await Promise.all([options.escalation(before), options.escalation(after)])
      : [undefined, undefined];
  const [ab, aa] =
    gb && ga
      ? [gb.admins, ga.admins]
      : options.adminOf
        ? [adminsBefore, adminsAfter]
        : [undefined, undefined];
  if (!ab || !aa) notes.push('admin-equivalence not compared: no admin analysis was given');
  if (!gb || !ga) notes.push('escalation edges and paths not compared: no escalation graph was given');
  const admins = ab && aa ? compareAdmins(ab, aa) : { gained: [], lost: [] };
  const escalation = gb && ga ? compareEscalation(gb, ga) : undefined;
  const blastRadius =
    gb && ga
      ? blastRadiusDelta(
          gb,
          ga,
          {
            before: new Set([...before.users, ...before.roles].map((p) => p.arn)),
            after: new Set([...after.users, ...after.roles].map((p) => p.arn)),
          },
          principals,
        )
      : undefined;
  if (blastRadius && blastRadius.evaluated < blastRadius.candidates)
    notes.push(
      `blast radius compared for ${blastRadius.evaluated} of the ${blastRadius.candidates} principals whose reach may have changed`,
    );
  const count = (f: (d: PrincipalDiff) => number) => out.reduce((n, d) => n + f(d), 0);
  return {
    summary: {
      principalsCompared: compared,
      principalsChanged: out.length,
      granted: count((d) => d.granted.length),
      revoked: count((d) => d.revoked.length),
      conditional: count((d) => d.conditional.length),
      adminsGained: admins.gained.length,
      adminsLost: admins.lost.length,
      edgesAdded: escalation?.added.length ?? 0,
      edgesRemoved: escalation?.removed.length ?? 0,
      fanOutAdded: escalation?.fanOutAdded.length ?? 0,
      fanOutRemoved: escalation?.fanOutRemoved.length ?? 0,
      pathsToAdminGained: escalation?.pathsToAdminGained.length ?? 0,
      pathsToAdminLost: escalation?.pathsToAdminLost.length ?? 0,
      blastRadiusChanged: blastRadius ? blastRadius.principals.length + blastRadius.more : 0,
    },
    principals: out,
    admins,
    ...(escalation ? { escalation } : {}),
    ...(blastRadius ? { blastRadius } : {}),
    notes,
  };
}

/** "Becomes admin" includes CONDITIONAL → ALLOWED; "stops" includes ALLOWED → CONDITIONAL. */
type AdminMap = ReadonlyMap<string, Pick<AdminVerdict, 'decision'>>;
function compareAdmins(before: AdminMap, after: AdminMap) {
  const rank = (v?: Pick<AdminVerdict, 'decision'>) => (v?.decision === 'ALLOWED' ? 2 : v ? 1 : 0);
  const gained: AdminChange[] = [];
  const lost: AdminChange[] = [];
  for (const arn of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const b = before.get(arn);
    const a = after.get(arn);
    const c: AdminChange = { arn, ...(b ? { before: b.decision } : {}), ...(a ? { after: a.decision } : {}) };
    if (rank(a) > rank(b)) gained.push(c);
    else if (rank(a) < rank(b)) lost.push(c);
  }
  return { gained, lost };
}

/**
 * Principals from which ADMIN is reachable, fan-out included: the reverse search paths and choke points share
 * (`costsTo`, within MAX_DEPTH_LIMIT hops), kept with the graph's traversal.
 */
export function reachingAdmin(g: EscalationGraph): Set<string> {
  const reach = new Set(costsTo(traversalOf(g), ADMIN).keys());
  reach.delete(ADMIN);
  return reach;
}

/**
 * The escalation deltas between two graphs: edges and fan-out entries added and removed (compared by key,
 * escalation-keys.ts; a fan-out entry listed with its class, never per member), and who gains or loses a path to
 * admin.
 */
export function compareEscalation(before: EscalationGraph, after: EscalationGraph): EscalationDiff {
  if (sameEscalation(before, after))
    return {
      added: [],
      removed: [],
      fanOutAdded: [],
      fanOutRemoved: [],
      classes: [],
      pathsToAdminGained: [],
      pathsToAdminLost: [],
    };
  const rb = reachingAdmin(before);
  const ra = reachingAdmin(after);
  const classes = new Map<string, TargetClass>();
  const listed = (f: FanOutEdge): FanOutChange => {
    const { targets, memberEvidence: _member, ...entry } = f;
    const classId = classIdOf(f);
    if (!classes.has(classId))
      classes.set(classId, { id: classId, description: f.targetClass, members: targets });
    return { ...entry, classId, targetCount: targets.length };
  };
  const fb = before.fanOut ?? [];
  const fa = after.fanOut ?? [];
  return {
    added: missingFrom(after.edges, before.edges, edgeKey),
    removed: missingFrom(before.edges, after.edges, edgeKey),
    fanOutAdded: missingFrom(fa, fb, fanOutKey).map(listed),
    fanOutRemoved: missingFrom(fb, fa, fanOutKey).map(listed),
    classes: [...classes.values()],
    pathsToAdminGained: [...ra].filter((x) => !rb.has(x)).sort(),
    pathsToAdminLost: [...rb].filter((x) => !ra.has(x)).sort(),
  };
}

/**
 * The actions the changed resource policies (before and after) name: every affected principal's filter takes
 * them in, since a resource policy can grant or deny them on its own (same-account access is allowed when the
 * identity policy or the resource policy allows).
 */
function resourcePolicyActions(overlay: Overlay, source: AccessSource): Set<string> {
  const out = new Set<string>();
  const documents = (s: AccountSnapshot) =>
    s.resources.flatMap((r) =>
      r.policy !== undefined && overlay.resourcesChanged.has(r.arn) ? [r.policy] : [],
    );
  for (const document of [...documents(overlay.before), ...documents(overlay.after)])
    for (const action of source.actionsOf(document, 'resource')) out.add(action);
  return out;
}

/**
 * What-if: only the overlay's affected principals, only the actions their changed policies and the changed
 * resource policies name.
 */
export function diffOverlay(overlay: Overlay, options: DiffOptions): Promise<AccessDiff> {
  const { escalation, updateEscalation } = options;
  const filters = new Map<string, Set<string>>();
  const fromResources = overlay.resourcesChanged.size
    ? resourcePolicyActions(overlay, options.source)
    : undefined;
  // One widened filter per identity filter, so members of a changed group still share one filter object.
  const widened = new Map<Set<string>, Set<string>>();
  const widen = (filter: ActionFilter): ActionFilter => {
    if (!filter || !fromResources) return filter;
    let out = widened.get(filter as Set<string>);
    if (!out) widened.set(filter as Set<string>, (out = new Set([...filter, ...fromResources])));
    return out;
  };
  const graphs =
    escalation && updateEscalation
      ? Promise.resolve(escalation(overlay.before)).then(
          async (gb): Promise<[EscalationGraph, EscalationGraph]> => [
            gb,
            await updateEscalation(gb, overlay),
          ],
        )
      : undefined;
  return diffPrincipals(
    overlay.before,
    overlay.after,
    overlay.affected,
    options,
    (arn) =>
      widen(
        relevantActions(
          options.source,
          principalPolicySet(overlay.before, arn),
          principalPolicySet(overlay.after, arn),
          filters,
        ),
      ),
    graphs,
    overlay.resourcesChanged,
  );
}

/** Drift: every principal of either snapshot, every action (resource policies may differ too). */
export function diffSnapshots(
  a: AccountSnapshot,
  b: AccountSnapshot,
  options: DiffOptions,
): Promise<AccessDiff> {
  const all = [...a.users, ...a.roles, ...b.users, ...b.roles].map((p) => p.arn);
  return diffPrincipals(a, b, all, options, undefined, undefined, policiesChanged(a, b));
}

/** The known resources whose resource policy differs between two snapshots (or that only one has, with one). */
function policiesChanged(a: AccountSnapshot, b: AccountSnapshot): Set<string> {
  const before = new Map(a.resources.map((r) => [r.arn, r.policy]));
  const out = new Set<string>();
  for (const r of b.resources) {
    if (before.get(r.arn) !== r.policy) out.add(r.arn);
    before.delete(r.arn);
  }
  for (const [arn, policy] of before) if (policy !== undefined) out.add(arn);
  return out;
}
