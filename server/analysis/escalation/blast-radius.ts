/**
 * blastRadius(principal | access key): everything a principal (or whoever holds one of its keys) can get to —
 * the principals it can become through CAN_ASSUME / CAN_ESCALATE chains (each with its cheapest path, preferring
 * one that holds without conditions), whether admin is reachable and how, and what the principal and everyone
 * it can become may do: services and known resources by access level, merged, each naming who grants it.
 *
 * Reaching admin means every action on every resource the account's SCPs leave: the per-service section is then
 * not enumerated (it would list the whole catalog) and `admin.reachable` says it all.
 */
import type { AccountSnapshot, Principal } from '../../../schema/snapshot.ts';
import { resolvePrincipal, type PrincipalRef } from '../principal-ref.ts';
import { ADMIN, type EscalationGraph } from './graph.ts';
import { DEFAULT_MAX_DEPTH, kShortest, toPath, type EscalationPath } from './paths.ts';
import { cheapest, pathTo, traversalOf } from './traversal.ts';

/** What one principal may do by itself, as the reach provider computed it. */
export interface PrincipalReach {
  services: { service: string; levels: { level: string; actions: string[]; conditional: boolean }[] }[];
  resources: {
    arn: string;
    service: string;
    type: string;
    name: string;
    levels: { level: string; actions: string[]; conditional: boolean }[];
  }[];
}

/**
 * Where per-principal permissions come from: the effective-permissions analysis (levels and actions), or, when
 * that is not available, only which services the identity policies could grant (`source` says which).
 */
export interface ReachProvider {
  source: 'effective-permissions' | 'candidate-services';
  reachOf(principalArn: string): PrincipalReach | undefined;
}

export interface ReachedPrincipal {
  arn: string;
  name: string;
  kind: 'user' | 'role';
  hops: number;
  /** Only reachable when some step's conditions hold. */
  conditional: boolean;
  path: EscalationPath;
}

export interface LevelReach {
  level: string;
  /** Distinct actions at this level, over every principal that grants some. */
  actions: number;
  /** Every granting principal has it only under conditions (or is only conditionally reachable). */
  conditional: boolean;
  /** The principals (start included) that grant it, ARNs sorted. */
  via: string[];
}

export interface ServiceReach {
  service: string;
  levels: LevelReach[];
}

export interface ResourceReach {
  arn: string;
  service: string;
  type: string;
  name: string;
  levels: LevelReach[];
}

export interface BlastRadiusAnswer {
  start: {
    arn: string;
    name: string;
    kind: 'user' | 'role';
    /** Asked by access key: its id, and whether it is active (an inactive key reaches nothing). */
    accessKeyId?: string;
    accessKeyActive?: boolean;
  };
  principals: ReachedPrincipal[];
  admin: {
    reachable: boolean;
    /** Reachable only under conditions (no unconditional path). */
    conditional: boolean;
    /** The cheapest paths to admin (k of them). */
    paths: EscalationPath[];
  };
  services: ServiceReach[];
  resources: ResourceReach[];
  counts: {
    principals: number;
    users: number;
    roles: number;
    services: number;
    resources: number;
    adminPaths: number;
  };
  source: ReachProvider['source'];
  notes: string[];
}

export type BlastRadiusResult =
  { kind: 'ok'; answer: BlastRadiusAnswer } | Exclude<PrincipalRef, { kind: 'found' }>;

/**
 * Permissions are merged over the start and at most this many reached principals, nearest first: a technique on
 * every user (CreateAccessKey on `*`) reaches thousands, and effective permissions of each would take minutes.
 */
export const MAX_PERMISSION_PRINCIPALS = 50;

export interface BlastRadiusOptions {
  maxDepth?: number;
  /** Default MAX_PERMISSION_PRINCIPALS. */
  maxPermissionPrincipals?: number;
  /** Paths to admin listed (default 3). */
  adminPaths?: number;
  reach?: ReachProvider;
}

export function blastRadius(
  graph: EscalationGraph,
  snapshot: AccountSnapshot,
  ref: string,
  options: BlastRadiusOptions = {},
): BlastRadiusResult {
  const resolved = resolvePrincipal(snapshot, ref);
  if (resolved.kind !== 'found') return resolved;
  const start = resolved.principal;
  const key = resolved.accessKey;
  if (key && !key.active) return { kind: 'ok', answer: inactiveKey(start, key, options.reach) };
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const t = traversalOf(graph);

  // Two searches: over unconditional steps only (what certainly holds), then over all of them.
  const certain = cheapest(t, start.arn, 'out', { maxDepth, accept: (s) => !s.conditional });
  const any = cheapest(t, start.arn, 'out', { maxDepth });
  const byArn = new Map<string, Principal>([...snapshot.users, ...snapshot.roles].map((p) => [p.arn, p]));
  const notes: string[] = [];
  const principals: ReachedPrincipal[] = [];
  for (const node of any.keys()) {
    if (node === start.arn || node === ADMIN) continue;
    const p = byArn.get(node);
    if (!p) {
      notes.push(`the escalation graph reaches \`${node}\`, which is not a principal of this snapshot`);
      continue;
    }
    const sure = certain.has(node);
    const steps = sure ? pathTo(certain, node, 'out') : pathTo(any, node, 'out');
    const path = toPath(steps);
    principals.push({ arn: p.arn, name: p.name, kind: p.kind, hops: path.hops, conditional: !sure, path });
  }
  principals.sort((a, b) => a.hops - b.hops || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));

  const adminReachable = any.has(ADMIN);
  const adminConditional = adminReachable && !certain.has(ADMIN);
  const adminPaths = adminReachable
    ? kShortest(t, start.arn, ADMIN, options.adminPaths ?? 3, maxDepth).map(toPath)
    : [];

  const cap = options.maxPermissionPrincipals ?? MAX_PERMISSION_PRINCIPALS;
  // Nearest first, and among equals those reached without conditions first.
  const nearest = [...principals].sort(
    (a, b) => a.hops - b.hops || Number(a.conditional) - Number(b.conditional),
  );
  const grantors = [
    { arn: start.arn, conditional: false },
    ...nearest.slice(0, cap).map((p) => ({ arn: p.arn, conditional: p.conditional })),
  ];
  const { services, resources } =
    adminReachable && !adminConditional
      ? { services: [], resources: [] }
      : mergeReach(grantors, options.reach, notes);
  if (adminReachable && !adminConditional)
    notes.push('admin is reachable: every service and resource is (within SCPs), so they are not listed');
  else if (!options.reach) notes.push('no permissions provider: services and resources are not listed');
  else if (principals.length > cap)
    notes.push(
      `services and resources are those of the start and the ${cap} nearest of the ${principals.length} principals reached`,
    );

  return {
    kind: 'ok',
    answer: {
      start: {
        arn: start.arn,
        name: start.name,
        kind: start.kind,
        ...(key ? { accessKeyId: key.id, accessKeyActive: true } : {}),
      },
      principals,
      admin: { reachable: adminReachable, conditional: adminConditional, paths: adminPaths },
      services,
      resources,
      counts: {
        principals: principals.length,
        users: principals.filter((p) => p.kind === 'user').length,
        roles: principals.filter((p) => p.kind === 'role').length,
        services: services.length,
        resources: resources.length,
        adminPaths: adminPaths.length,
      },
      source: options.reach?.source ?? 'candidate-services',
      notes,
    },
  };
}

/**
 * An inactive access key (credential report `access_key_N_active` false, or made inactive by a what-if
 * `deactivateAccessKey`): AWS refuses every request signed with it (UpdateAccessKey: "Inactive means that the key
 * cannot be used"), so whoever holds it reaches nothing until it is reactivated; the note names the way to the
 * user's own blast radius.
 */
function inactiveKey(
  user: Principal,
  key: { id: string; slot: number },
  reach: ReachProvider | undefined,
): BlastRadiusAnswer {
  return {
    start: { arn: user.arn, name: user.name, kind: user.kind, accessKeyId: key.id, accessKeyActive: false },
    principals: [],
    admin: { reachable: false, conditional: false, paths: [] },
    services: [],
    resources: [],
    counts: { principals: 0, users: 0, roles: 0, services: 0, resources: 0, adminPaths: 0 },
    source: reach?.source ?? 'candidate-services',
    notes: [
      `access key ${key.id} (slot ${key.slot}) of ${user.name} is inactive: AWS refuses requests signed with it, so ` +
        `it reaches nothing until it is reactivated; what ${user.name} reaches with other credentials: ask by ${user.arn}`,
    ],
  };
}

interface LevelAcc {
  actions: Set<string>;
  /** Some grantor has it unconditionally and is reachable unconditionally. */
  certain: boolean;
  via: Set<string>;
}

function mergeReach(
  grantors: { arn: string; conditional: boolean }[],
  reach: ReachProvider | undefined,
  notes: string[],
): { services: ServiceReach[]; resources: ResourceReach[] } {
  if (!reach) return { services: [], resources: [] };
  const services = new Map<string, Map<string, LevelAcc>>();
  const resources = new Map<string, { meta: Omit<ResourceReach, 'levels'>; levels: Map<string, LevelAcc> }>();
  const add = (
    into: Map<string, LevelAcc>,
    level: { level: string; actions: string[]; conditional: boolean },
    grantor: { arn: string; conditional: boolean },
  ): void => {
    let acc = into.get(level.level);
    if (!acc) into.set(level.level, (acc = { actions: new Set(), certain: false, via: new Set() }));
    for (const a of level.actions) acc.actions.add(a);
    acc.certain ||= !level.conditional && !grantor.conditional;
    acc.via.add(grantor.arn);
  };
  for (const g of grantors) {
    const r = reach.reachOf(g.arn);
    if (!r) {
      notes.push(`permissions of \`${g.arn}\` could not be computed`);
      continue;
    }
    for (const s of r.services) {
      let levels = services.get(s.service);
      if (!levels) services.set(s.service, (levels = new Map()));
      for (const l of s.levels) add(levels, l, g);
    }
    for (const res of r.resources) {
      let entry = resources.get(res.arn);
      if (!entry)
        resources.set(
          res.arn,
          (entry = {
            meta: { arn: res.arn, service: res.service, type: res.type, name: res.name },
            levels: new Map(),
          }),
        );
      for (const l of res.levels) add(entry.levels, l, g);
    }
  }
  const levelsOf = (m: Map<string, LevelAcc>): LevelReach[] =>
    [...m]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([level, acc]) => ({
        level,
        actions: acc.actions.size,
        conditional: !acc.certain,
        via: [...acc.via].sort(),
      }));
  return {
    services: [...services]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([service, m]) => ({ service, levels: levelsOf(m) })),
    resources: [...resources.values()]
      .sort((a, b) => (a.meta.arn < b.meta.arn ? -1 : a.meta.arn > b.meta.arn ? 1 : 0))
      .map((e) => ({ ...e.meta, levels: levelsOf(e.levels) })),
  };
}
