/**
 * Unused access per principal and per group: the services (and tracked actions) a principal is effectively
 * granted — `access.ts`, so a grant cut by a Deny, a boundary or an SCP does not count — set against its
 * last-accessed evidence (evidence.ts); which of its grant sources (own inline and managed policies, groups) grant
 * nothing it used; whether the principal and its keys are used at all (credential report, RoleLastUsed).
 */
import { createHash } from 'node:crypto';
import type { AccountSnapshot, IamGroup, IamRole, IamUser, Principal } from '../../../schema/snapshot.ts';
import type { ActionCatalog, PolicySet } from '../../engine/index.ts';
import { arnAccount, parsePolicy } from '../../engine/index.ts';
import { compileActionPatterns, type ActionMatcher } from '../../engine/compile/action-matcher.ts';
import type { AccessLevel } from '../access.ts';
import { lookupsOf, principalPolicySet } from '../policy-set.ts';
import type { SnapshotAnalysis } from '../snapshot-analysis.ts';
import {
  actionStatus,
  combined,
  DEFAULT_UNUSED_DAYS,
  evidenceOf,
  serviceStatus,
  type Evidence,
  type UseStatus,
} from './evidence.ts';
import { EffectiveActions } from './effective.ts';
import { ActionIndex, GrantedSet } from './granted-set.ts';

const DAY_MS = 86_400_000;

export interface ServiceUsage {
  service: string;
  status: UseStatus;
  lastUsed?: string;
  /** Effective actions by access level. */
  levels: { level: AccessLevel; actions: number; unused: number }[];
  /** Effective tracked actions not used in the window (a used service, action-level evidence). */
  unusedActions: string[];
}

/** A grant source of the principal: an own inline or managed policy, or a group (all its policies). */
export interface SourceUsage {
  kind: 'inline' | 'managed' | 'group';
  /** Managed policy or group ARN; `inlinePolicyId` for an inline policy. */
  id: string;
  name: string;
  awsManaged: boolean;
  /** Services it grants effectively. */
  services: string[];
  /** `unused`: it grants nothing the principal used in the window. */
  status: UseStatus;
}

export interface PrincipalUsage {
  arn: string;
  name: string;
  kind: 'user' | 'role';
  evidence?: { jobCompletedAt: string; trackedSince: string; granularity: string; historyDays: number };
  services: ServiceUsage[];
  sources: SourceUsage[];
  /** The principal as a whole: a role never assumed, a user with no sign-in or key use in the window. */
  activity: { status: UseStatus; detail: string };
  keys: { slot: number; id?: string; status: UseStatus; detail: string }[];
  notes: string[];
}

export interface GroupUsage {
  arn: string;
  name: string;
  members: string[];
  /** Per service the group grants effectively to some member: used by any member, unknown, or unused by all. */
  services: { service: string; status: UseStatus }[];
  /** Members to whom the group grants nothing they used in the window (their membership can go). */
  unusedMemberships: string[];
  status: UseStatus;
  notes: string[];
}

export interface UnusedAccess {
  unusedDays: number;
  principals: PrincipalUsage[];
  groups: GroupUsage[];
  notes: string[];
}

export interface UsageOptions {
  unusedDays?: number;
  /** Only these principals (ARNs or names) and the groups they belong to. */
  principals?: readonly string[];
  /** Only these groups (ARNs or names) and their members (those of them `principals` names, when given). */
  groups?: readonly string[];
}

/** Per principal: effective actions and which source grants each (computed once, shared with rightsize.ts). */
export interface PrincipalGrants {
  principal: Principal;
  evidence?: Evidence;
  /** Effective actions. */
  actions: GrantedSet;
  /**
   * Source id → per lower-case service, the effective actions it grants there: every one where the principal's
   * evidence tracks actions of that service, else only the first (all of them then have the service's status).
   */
  bySource: Map<string, Map<string, string[]>>;
  sources: Omit<SourceUsage, 'services' | 'status'>[];
  notes: string[];
}

function allowMatchers(document: string): ActionMatcher[] {
  const { policy } = parsePolicy(document);
  return (policy?.statements ?? [])
    .filter((s) => s.effect === 'Allow')
    .map((s) => {
      if (s.action) return compileActionPatterns(s.action);
      const not = compileActionPatterns(s.notAction ?? []);
      return { matches: (svc: string, name: string) => !not.matches(svc, name) };
    });
}

interface Effective {
  actions: GrantedSet;
  notes: string[];
}

/**
 * Work shared between principals of one run: the catalog's action index and what effective actions are computed
 * with (`effective.ts`), effective actions per sharing key, Allow matchers per document.
 */
export interface EffectiveCache {
  index: ActionIndex;
  granted: EffectiveActions;
  /** Effective actions and the answer's notes, per digest of the sharing key (`sharingKey`). */
  effective: Map<string, Effective>;
  /** A policy document's Allow statements' action matchers, per document text. */
  matchers: Map<string, ActionMatcher[]>;
}

export function newEffectiveCache(catalog: ActionCatalog): EffectiveCache {
  const index = new ActionIndex(catalog);
  return { index, granted: new EffectiveActions(catalog, index), effective: new Map(), matchers: new Map() };
}

/** The effective actions a source grants, every service's together. */
export function sourceActions(g: PrincipalGrants, sourceId: string): string[] {
  return [...(g.bySource.get(sourceId)?.values() ?? [])].flat();
}

/**
 * Principals whose policy sets are the same documents get the same effective actions, unless a document reads
 * something of the principal itself (a policy variable, its ARN, name or tags): then the key holds the principal.
 */
function sharingKey(principal: Principal, set: PolicySet | undefined): string {
  const docs = [
    ...(set?.identity ?? []),
    ...(set?.boundary ? [set.boundary] : []),
    ...(set?.scps ?? []).flat(),
  ].map((p) => `${p.id}\n${typeof p.document === 'string' ? p.document : JSON.stringify(p.document)}`);
  const text = docs.join('\n\n');
  const personal = /\$\{|principalarn|username|userid|principaltag|sourceidentity/i.test(text);
  const key = `${principal.kind}|${arnAccount(principal.arn)}|${personal ? `${principal.arn}|${JSON.stringify(principal.tags)}` : ''}|${principal.permissionsBoundary ?? ''}|${text}`;
  // A digest, not the documents: one run holds a key per distinct policy set.
  return createHash('sha256').update(key).digest('base64');
}

export function grantsOf(
  catalog: ActionCatalog,
  analysis: SnapshotAnalysis,
  principal: Principal,
  unusedDays: number,
  cache: EffectiveCache = newEffectiveCache(catalog),
): PrincipalGrants {
  const snapshot = analysis.snapshot;
  const set = principalPolicySet(snapshot, principal.arn);
  const key = sharingKey(principal, set);
  const { index } = cache;
  let shared = cache.effective.get(key);
  if (!shared) {
    const answer = cache.granted.of(analysis, principal.arn);
    const actions = answer?.actions ?? new GrantedSet(index, []);
    cache.effective.set(key, (shared = { actions, notes: answer?.notes ?? [] }));
  }
  const { actions } = shared;
  const { policies, groups } = lookupsOf(snapshot);
  const sources: PrincipalGrants['sources'] = [];
  const matchers = new Map<string, ActionMatcher[]>();
  for (const p of set?.identity ?? []) {
    const via = p.attachedVia ?? [];
    const group = via.length > 1 ? via[1]! : undefined;
    const id = group ?? p.id;
    if (!matchers.has(id)) {
      matchers.set(id, []);
      if (group)
        sources.push({
          kind: 'group',
          id: group,
          name: groups.get(group)?.name ?? group,
          awsManaged: false,
        });
      else
        sources.push({
          kind: p.id.includes('#inline/') ? 'inline' : 'managed',
          id: p.id,
          name: p.name ?? p.id,
          awsManaged: policies.get(p.id)?.kind === 'awsManaged',
        });
    }
    const text = typeof p.document === 'string' ? p.document : JSON.stringify(p.document);
    let compiled = cache.matchers.get(text);
    if (!compiled) cache.matchers.set(text, (compiled = allowMatchers(text)));
    matchers.get(id)!.push(...compiled);
  }
  const evidence = evidenceOf(snapshot, principal.arn, unusedDays);
  // Per service, a source's actions are matched only by the matchers that can name that service; past the first,
  // only where the evidence tracks actions of the service.
  const services = [...actions.services()];
  const bySource = new Map<string, Map<string, string[]>>();
  for (const s of sources) {
    const ms = matchers.get(s.id)!;
    const perService = new Map<string, string[]>();
    for (const [svc, range] of services) {
      const here = ms.filter((m) => !m.services || m.services.includes(svc));
      if (here.length === 0) continue;
      const every = (evidence?.services.get(svc)?.trackedActions?.length ?? 0) > 0;
      const granted: string[] = [];
      for (const i of actions.within(range))
        if (here.some((m) => m.matches(svc, index.names[i]!))) {
          granted.push(index.actions[i]!);
          if (!every) break;
        }
      if (granted.length > 0) perService.set(svc, granted);
    }
    bySource.set(s.id, perService);
  }
  return {
    principal,
    ...(evidence ? { evidence } : {}),
    actions,
    bySource,
    sources,
    notes: shared.notes,
  };
}

function serviceOf(action: string): string {
  return action.slice(0, action.indexOf(':')).toLowerCase();
}

function principalUsage(g: PrincipalGrants, unusedDays: number, asOf: number | undefined): PrincipalUsage {
  const { principal: p, evidence: e } = g;
  const notes = [...g.notes];
  if (!e)
    notes.push('no last-accessed report: its usage is unknown (collect `last-accessed/` evidence for it)');
  else if (e.shortHistory)
    notes.push(
      `not enough history: ${e.historyDays} day(s) tracked, fewer than --unused-days ${unusedDays}; nothing is called unused`,
    );
  const index = g.actions.index;
  const services: ServiceUsage[] = [...g.actions.services()].map(([service, range]) => {
    const tracked = e?.services.get(service)?.trackedActions ?? [];
    // Without tracked actions every action of the service has the service's status.
    const same = tracked.length === 0 ? serviceStatus(e, service) : undefined;
    const statuses = [...g.actions.within(range)].map((i) => {
      const a = index.actions[i]!;
      return [a, index.levels[i]!, same ?? actionStatus(e, a)] as const;
    });
    const levels = new Map<AccessLevel, { actions: number; unused: number }>();
    for (const [, level, st] of statuses) {
      const l = levels.get(level) ?? { actions: 0, unused: 0 };
      l.actions++;
      if (st === 'unused') l.unused++;
      levels.set(level, l);
    }
    const last = e?.services.get(service)?.lastAuthenticated;
    return {
      service,
      status: same ?? combined(statuses.map(([, , s]) => s)),
      ...(last ? { lastUsed: last } : {}),
      levels: [...levels.entries()].map(([level, n]) => ({ level, ...n })),
      unusedActions: statuses
        .filter(
          ([a, , s]) => s === 'unused' && tracked.some((t) => t.action.toLowerCase() === a.toLowerCase()),
        )
        .map(([a]) => a),
    };
  });
  const sources: SourceUsage[] = g.sources.map((s) => {
    const actions = sourceActions(g, s.id);
    return {
      ...s,
      services: [...g.bySource.get(s.id)!.keys()].sort(),
      status: actions.length === 0 ? 'unused' : combined(actions.map((a) => actionStatus(e, a))),
    };
  });
  const found = activityOf(p, unusedDays, asOf ?? (e ? Date.parse(e.report.jobCompletedAt) : undefined));
  const keys = found.keys;
  // A service used in the window is activity too, whatever the credential report says.
  const usedService = services.find((s) => s.status === 'used');
  const activity: PrincipalUsage['activity'] =
    found.activity.status !== 'used' && usedService
      ? { status: 'used', detail: `used ${usedService.service} ${usedService.lastUsed ?? ''}`.trim() }
      : found.activity;
  return {
    arn: p.arn,
    name: p.name,
    kind: p.kind,
    ...(e
      ? {
          evidence: {
            jobCompletedAt: e.report.jobCompletedAt,
            trackedSince: e.report.trackedSince,
            granularity: e.report.granularity,
            historyDays: e.historyDays,
          },
        }
      : {}),
    services,
    sources,
    activity,
    keys,
    notes,
  };
}

/** Whether the principal and its keys were used at all in the N days before `asOf` (GAAD and credential report). */
function activityOf(
  p: Principal,
  unusedDays: number,
  asOf: number | undefined,
): Pick<PrincipalUsage, 'activity' | 'keys'> {
  if (asOf === undefined)
    return { activity: { status: 'unknown', detail: 'no collection time to measure from' }, keys: [] };
  const cutoff = asOf - unusedDays * DAY_MS;
  const recent = (d: string | undefined) => d !== undefined && Date.parse(d) >= cutoff;
  const oldEnough = (d: string | undefined) => d !== undefined && Date.parse(d) < cutoff;
  if (p.kind === 'role') return { activity: roleActivity(p, unusedDays, recent, oldEnough), keys: [] };
  return userActivity(p, unusedDays, recent, oldEnough);
}

function roleActivity(
  r: IamRole,
  days: number,
  recent: (d?: string) => boolean,
  oldEnough: (d?: string) => boolean,
): PrincipalUsage['activity'] {
  if (recent(r.lastUsed?.date)) return { status: 'used', detail: `last assumed ${r.lastUsed!.date}` };
  if (r.lastUsed?.date)
    return { status: 'unused', detail: `not assumed in ${days} days (last ${r.lastUsed.date})` };
  if (oldEnough(r.createDate))
    return { status: 'unused', detail: 'never assumed in the tracking period (RoleLastUsed empty)' };
  return { status: 'unknown', detail: `created less than ${days} days ago, never assumed yet` };
}

function userActivity(
  u: IamUser,
  days: number,
  recent: (d?: string) => boolean,
  oldEnough: (d?: string) => boolean,
): Pick<PrincipalUsage, 'activity' | 'keys'> {
  const c = u.credentials;
  if (!c) return { activity: { status: 'unknown', detail: 'no credential report row' }, keys: [] };
  const keys = c.accessKeys
    .filter((k) => k.active)
    .map((k) => {
      const label = k.id ?? `#${k.slot}`;
      if (recent(k.lastUsedDate))
        return {
          slot: k.slot,
          ...(k.id ? { id: k.id } : {}),
          status: 'used' as const,
          detail: `access key ${label} last used ${k.lastUsedDate}`,
        };
      return {
        slot: k.slot,
        ...(k.id ? { id: k.id } : {}),
        status: 'unused' as const,
        detail: k.lastUsedDate
          ? `access key ${label} not used in ${days} days (last ${k.lastUsedDate})`
          : `access key ${label} never used (active since ${k.lastRotated ?? 'unknown'})`,
      };
    });
  const password = c.passwordEnabled && recent(c.passwordLastUsed);
  if (password || keys.some((k) => k.status === 'used'))
    return {
      activity: {
        status: 'used',
        detail: password ? `signed in ${c.passwordLastUsed}` : 'access key in use',
      },
      keys,
    };
  const unknown = c.passwordEnabled && !c.passwordLastUsed && !oldEnough(u.createDate);
  return {
    activity: {
      status: unknown ? 'unknown' : 'unused',
      detail: unknown ? 'credentials too new to judge' : `no sign-in and no access key use in ${days} days`,
    },
    keys,
  };
}

function matchesFilter(p: Principal, filter: readonly string[] | undefined): boolean {
  return !filter || filter.some((f) => f === p.arn || f.toLowerCase() === p.name.toLowerCase());
}

/** The groups `options.groups` names (ARNs or names), or undefined when it names none. */
export function groupsNamed(snapshot: AccountSnapshot, groups?: readonly string[]): IamGroup[] | undefined {
  return groups === undefined
    ? undefined
    : snapshot.groups.filter((g) =>
        groups.some((f) => f === g.arn || f.toLowerCase() === g.name.toLowerCase()),
      );
}

/** The users and roles asked about (`principals`, members of `groups`; all when neither), in `order`. */
export function principalsAsked(
  snapshot: AccountSnapshot,
  options: Pick<UsageOptions, 'principals' | 'groups'>,
  order: 'users-then-roles' | 'arn' = 'users-then-roles',
): Principal[] {
  const groups = groupsNamed(snapshot, options.groups);
  const chosen = [...snapshot.users, ...snapshot.roles].filter(
    (p) =>
      matchesFilter(p, options.principals) &&
      (!groups || (p.kind === 'user' && groups.some((g) => p.groups.includes(g.arn)))),
  );
  return order === 'arn' ? chosen.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0)) : chosen;
}

export function groupUsage(group: IamGroup, members: readonly PrincipalGrants[]): GroupUsage {
  // Per service the combined status so far: once used, no other member's action can change it.
  const perService = new Map<string, UseStatus>();
  for (const m of members)
    for (const a of sourceActions(m, group.arn)) {
      const s = serviceOf(a);
      const soFar = perService.get(s);
      if (soFar === 'used') continue;
      perService.set(s, combined([soFar ?? 'unused', actionStatus(m.evidence, a)]));
    }
  const services = [...perService.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([service, status]) => ({ service, status }));
  const unusedMemberships = members
    .filter((m) => combined(sourceActions(m, group.arn).map((a) => actionStatus(m.evidence, a))) === 'unused')
    .map((m) => m.principal.arn);
  const notes: string[] = [];
  const without = members.filter((m) => !m.evidence).map((m) => m.principal.name);
  if (without.length > 0) notes.push(`members without last-accessed evidence: ${without.join(', ')}`);
  if (members.length === 0) notes.push('no members');
  return {
    arn: group.arn,
    name: group.name,
    members: members.map((m) => m.principal.arn),
    services,
    unusedMemberships,
    status: members.length === 0 ? 'unused' : combined(services.map((s) => s.status)),
    notes,
  };
}

/** Every (or the named) principal's and group's unused access. */
export function unusedAccess(
  catalog: ActionCatalog,
  analysis: SnapshotAnalysis,
  options: UsageOptions = {},
): { answer: UnusedAccess; grants: Map<string, PrincipalGrants>; cache: EffectiveCache } {
  const snapshot = analysis.snapshot;
  const unusedDays = options.unusedDays ?? DEFAULT_UNUSED_DAYS;
  const asOf = snapshot.collectedAt ? Date.parse(snapshot.collectedAt) : undefined;
  const chosen = principalsAsked(snapshot, options);
  const named = groupsNamed(snapshot, options.groups);
  const cache = newEffectiveCache(catalog);
  const grants = new Map(chosen.map((p) => [p.arn, grantsOf(catalog, analysis, p, unusedDays, cache)]));
  const principals = [...grants.values()].map((g) => principalUsage(g, unusedDays, asOf));
  const groupArns = new Set(chosen.flatMap((p) => (p.kind === 'user' ? p.groups : [])));
  const groups = snapshot.groups
    .filter((g) => (named ? named.includes(g) : !options.principals || groupArns.has(g.arn)))
    .map((g) => {
      const members = snapshot.users.filter((u) => u.groups.includes(g.arn));
      for (const m of members)
        if (!grants.has(m.arn)) grants.set(m.arn, grantsOf(catalog, analysis, m, unusedDays, cache));
      return groupUsage(
        g,
        members.map((m) => grants.get(m.arn)!),
      );
    });
  const notes: string[] = [];
  if (!snapshot.lastAccess)
    notes.push(
      'the snapshot holds no last-accessed evidence: every service is unknown (see importers/README.md, last-accessed/)',
    );
  return { answer: { unusedDays, principals, groups, notes }, grants, cache };
}
