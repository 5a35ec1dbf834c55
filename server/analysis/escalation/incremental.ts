/**
 * The escalation graph after a what-if change set, from the graph before it: only the (source, technique) and
 * (caller, role) pairs the change can touch are evaluated again (by the builder itself, `buildRestricted`); every
 * other edge, fan-out entry and admin verdict is shared with `before`. What each edge reads, and so when it is
 * evaluated again: README.md, "Incremental update". The property test (incremental.test.ts) holds the result to
 * `buildEscalationGraph(after)`.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  defaultDocument,
  type AccountSnapshot,
  type IamGroup,
  type IamRole,
  type Principal,
} from '../../../schema/snapshot.ts';
import { parsePolicy, type CompiledPolicySet } from '../../engine/index.ts';
import type { CandidateIndex } from '../candidate-index.ts';
import { candidateIndexOf } from '../who-can.ts';
import type { Overlay } from '../what-if/overlay.ts';
import {
  actionsReadBy,
  adminVerdictsOf,
  ASSUME_TECHNIQUE,
  buildRestricted,
  customerPoliciesOf,
  statementMatchesAction,
  type Restriction,
} from './build.ts';
import { ADMIN_PROBE_ACTIONS } from './admin.ts';
import type { EscalationGraph } from './graph.ts';
import { loadTechniques } from './techniques/load.ts';
import type { TechniqueRule } from './techniques/rules.ts';

/** What changed about a principal as a target. */
type TargetChange = 'exists' | 'boundary' | 'policies' | 'trust';

export interface UpdateOptions {
  techniques?: TechniqueRule[];
}

/** The part of an overlay the update reads. */
export type GraphChange = Pick<Overlay, 'before' | 'after' | 'affected' | 'trustChanged'>;

export async function updateEscalationGraph(
  before: EscalationGraph,
  change: GraphChange,
  options: UpdateOptions = {},
): Promise<EscalationGraph> {
  const techniques = options.techniques ?? (await loadTechniques());
  return updateEscalationGraphWith(before, change, techniques);
}

export function updateEscalationGraphWith(
  before: EscalationGraph,
  change: GraphChange,
  techniques: TechniqueRule[],
): EscalationGraph {
  const { affected } = change;
  // The before index first: the after one is derived from it (only the affected principals compiled).
  const indexBefore = candidateIndexOf(change.before);
  const index = candidateIndexOf(change.after);
  const admins = new Map(before.admins);
  for (const a of affected) admins.delete(a);
  for (const [a, v] of adminVerdictsOf(index, affected)) admins.set(a, v);

  const targets = targetChanges(change);
  const verdictChanged = new Set(
    [...affected].filter((a) => before.admins.get(a)?.decision !== admins.get(a)?.decision),
  );
  const reread = sourceRereads(indexBefore, index, affected, targets, verdictChanged, techniques);
  const groupsChanged = groupsChangeAdmin(change);
  const assumeRoles = trustGroups(change, targets);
  const touches = (rule: TechniqueRule): boolean => {
    if (rule.outcome === 'admin') return groupsChanged && rule.requires.some((r) => r.on === 'group');
    const reads = new Set<TargetChange>(['exists']);
    let kind: Principal['kind'] = 'role';
    if (rule.outcome === 'principal') {
      kind = rule.targetKind!;
      if (rule.grantsTarget) reads.add('boundary');
      if (rule.requires.some((r) => r.on === 'target-policy')) reads.add('policies');
      if (rule.requires.some((r) => r.on === 'target-trust')) reads.add('trust');
    } else reads.add('trust');
    for (const t of targets.values())
      if (t.kind === kind && [...t.changes].some((c) => reads.has(c))) return true;
    return false;
  };
  const selection = new Map<string, ReadonlySet<string> | 'all'>(
    techniques.map((rule) => [
      rule.id,
      touches(rule) ? 'all' : new Set([...affected].filter((a) => reread(a, rule.id))),
    ]),
  );
  const restriction: Restriction = {
    admins,
    assume: {
      sources: new Set([...affected].filter((a) => reread(a, ASSUME_TECHNIQUE))),
      roles: assumeRoles,
    },
    techniqueSources: (rule) => selection.get(rule.id)!,
  };
  const partial = buildRestricted(change.after, techniques, restriction);

  const redone = (from: string, technique: string): boolean => {
    if (technique === ASSUME_TECHNIQUE) return partial.assumeSources.has(from);
    const only = selection.get(technique);
    return only === 'all' || (only?.has(from) ?? false);
  };
  // Nothing evaluated again (a change no technique reads): every edge stays, without asking each.
  const none =
    partial.assumeSources.size === 0 &&
    assumeRoles.size === 0 &&
    [...selection.values()].every((only) => only !== 'all' && only.size === 0);
  const edges = none
    ? before.edges.slice()
    : keepUnchanged(
        before.edges,
        partial.graph.edges,
        (e) => redone(e.from, e.technique) || (e.technique === ASSUME_TECHNIQUE && assumeRoles.has(e.to)),
      );
  const fanOut = none
    ? (before.fanOut ?? []).slice()
    : keepUnchanged(
        before.fanOut ?? [],
        partial.graph.fanOut ?? [],
        (f) =>
          redone(f.from, f.technique) ||
          (f.technique === ASSUME_TECHNIQUE &&
            assumeRoles.size > 0 &&
            f.targets.some((t) => assumeRoles.has(t))),
      );
  return { edges, fanOut, admins };
}

/**
 * The before list without what was evaluated again (`redone`), then the fresh answers, except that a (source,
 * technique) pair whose fresh answer is exactly its old one keeps its old objects in their places. A change that
 * re-evaluates a rule for every source (a group's policies changed: AddUserToGroup) mostly gets the same answers,
 * and a graph that shares them with `before` is known unchanged without keying anything (what-if/escalation-keys.ts
 * `sameEscalation`), so the diff skips walking it.
 */
function keepUnchanged<T extends { from: string; technique: string }>(
  old: readonly T[],
  fresh: readonly T[],
  redone: (x: T) => boolean,
): T[] {
  const pair = (x: T) => `${x.from}\u0000${x.technique}`;
  const group = (list: Iterable<T>) => {
    const m = new Map<string, T[]>();
    for (const x of list) {
      const l = m.get(pair(x));
      if (l) l.push(x);
      else m.set(pair(x), [x]);
    }
    return m;
  };
  const again = old.map(redone);
  const was = group(old.filter((_, i) => again[i]));
  const now = group(fresh);
  const same = new Set<string>();
  for (const [k, list] of was) {
    const n = now.get(k);
    if (n?.length === list.length && list.every((x, i) => isDeepStrictEqual(x, n[i]))) same.add(k);
  }
  const out = old.filter((x, i) => !again[i] || same.has(pair(x)));
  for (const x of fresh) if (!same.has(pair(x))) out.push(x);
  return out;
}

type Compiled = CompiledPolicySet['identity'][number];

/**
 * Whether an affected source must be evaluated again for a technique (or `ASSUME_TECHNIQUE`): always when it was
 * created or deleted, its groups, boundary, SCPs, customer managed policies or admin verdict changed, or its
 * unchanged policies are in another order (evidence order); otherwise when a statement of an identity policy it
 * gained or lost can match an action the technique evaluates.
 */
function sourceRereads(
  indexBefore: CandidateIndex,
  indexAfter: CandidateIndex,
  affected: ReadonlySet<string>,
  targets: Map<string, { kind: Principal['kind']; changes: Set<TargetChange> }>,
  verdictChanged: ReadonlySet<string>,
  techniques: TechniqueRule[],
): (source: string, technique: string) => boolean {
  // A compiled policy object stands for its document: the after index derived from the before one shares its
  // compiled policies (candidate-index.ts), and one compiled anew only reads as changed (evaluated again).
  const ids = new Map<Compiled['policy'], number>();
  const idOf = (p: Compiled['policy']) => {
    let id = ids.get(p);
    if (id === undefined) ids.set(p, (id = ids.size));
    return id;
  };
  const signature = (c: Compiled) =>
    `${idOf(c.policy)}\u0000${c.source.id}\u0000${(c.source.attachedVia ?? []).join(',')}`;
  const reads = new Map<string, string[]>(techniques.map((rule) => [rule.id, actionsReadBy(rule)]));
  reads.set(ASSUME_TECHNIQUE, [ASSUME_TECHNIQUE]);
  /** Per set of policies gained or lost (by signature): the techniques they can touch. */
  const byChange = new Map<string, Set<string>>();
  const perSource = new Map<string, Set<string> | 'all'>();
  for (const arn of affected) {
    const b = indexBefore.byArn.get(arn);
    const a = indexAfter.byArn.get(arn);
    const pb = b?.principal;
    const pa = a?.principal;
    const layers = (c: CompiledPolicySet) =>
      [...(c.boundary ? [c.boundary] : []), ...(c.scps?.flat() ?? [])].map(signature).join('\n');
    if (
      !b ||
      !a ||
      targets.get(arn)?.changes.size ||
      verdictChanged.has(arn) ||
      (pb!.kind === 'user' && pa!.kind === 'user' && pb!.groups.join('\n') !== pa!.groups.join('\n')) ||
      layers(b.compiled) !== layers(a.compiled)
    ) {
      perSource.set(arn, 'all');
      continue;
    }
    const before = b.compiled.identity.map(signature);
    const after = a.compiled.identity.map(signature);
    const inBefore = new Set(before);
    const inAfter = new Set(after);
    if (
      before.filter((x) => inAfter.has(x)).join('\n\n') !== after.filter((x) => inBefore.has(x)).join('\n\n')
    ) {
      perSource.set(arn, 'all');
      continue;
    }
    const changed = [
      ...b.compiled.identity.filter((_, i) => !inAfter.has(before[i]!)),
      ...a.compiled.identity.filter((_, i) => !inBefore.has(after[i]!)),
    ];
    // What the statements can match depends on the policies, not on how they are attached: a group's members
    // share one answer.
    const key = [...new Set(changed.map((c) => idOf(c.policy)))].sort((x, y) => x - y).join(',');
    let touched = byChange.get(key);
    if (!touched) {
      const statements = changed.flatMap((c) => c.policy.statements);
      touched = new Set(
        [...reads]
          .filter(([, actions]) =>
            actions.some((x) => statements.some((st) => statementMatchesAction(st, x))),
          )
          .map(([id]) => id),
      );
      byChange.set(key, touched);
    }
    perSource.set(arn, touched);
  }
  return (source, technique) => {
    const t = perSource.get(source);
    return t === 'all' || (t?.has(technique) ?? false);
  };
}

function principalsOf(s: AccountSnapshot, arns: Iterable<string>): Map<string, Principal> {
  const wanted = new Set(arns);
  const out = new Map<string, Principal>();
  for (const p of [...s.users, ...s.roles]) if (wanted.has(p.arn)) out.set(p.arn, p);
  return out;
}

/** The principals whose target-side properties changed, with what changed. */
function targetChanges(
  change: GraphChange,
): Map<string, { kind: Principal['kind']; changes: Set<TargetChange> }> {
  const arns = new Set([...change.affected, ...change.trustChanged]);
  const pb = principalsOf(change.before, arns);
  const pa = principalsOf(change.after, arns);
  const groupsBefore = new Map(change.before.groups.map((g) => [g.arn, g]));
  const groupsAfter = new Map(change.after.groups.map((g) => [g.arn, g]));
  const policies = (s: AccountSnapshot, groups: Map<string, IamGroup>, p: Principal) =>
    customerPoliciesOf(s.partition, groups, p).sort().join('\n');
  const out = new Map<string, { kind: Principal['kind']; changes: Set<TargetChange> }>();
  for (const arn of arns) {
    const b = pb.get(arn);
    const a = pa.get(arn);
    const p = a ?? b;
    if (!p) continue;
    const changes = new Set<TargetChange>();
    if (!a || !b) changes.add('exists');
    else {
      if (a.permissionsBoundary !== b.permissionsBoundary) changes.add('boundary');
      if (policies(change.before, groupsBefore, b) !== policies(change.after, groupsAfter, a))
        changes.add('policies');
      if (a.kind === 'role' && b.kind === 'role' && a.trustPolicy !== b.trustPolicy) changes.add('trust');
    }
    if (changes.size) out.set(arn, { kind: p.kind, changes });
  }
  return out;
}

/**
 * Whether a group changed in a way AddUserToGroup answers read (the `admin` rules with a `group` requirement: "a
 * group whose policies, added to the source's, make it admin-equivalent"): a group created or deleted, or a
 * group's policies changed (the overlay replaces a group object when they do) by a statement that can match an
 * action the admin verdict evaluates (admin.ts: the probes, and deleting the source's boundary). A statement that
 * matches none of them cannot change that verdict, the engine ignoring it, so attaching AmazonS3FullAccess to a
 * group re-evaluates no AddUserToGroup answer.
 */
function groupsChangeAdmin(change: GraphChange): boolean {
  const { before, after } = change;
  if (before.groups === after.groups) return false;
  const was = new Map(before.groups.map((g) => [g.arn, g]));
  if (after.groups.length !== before.groups.length || after.groups.some((g) => !was.has(g.arn))) return true;
  // One lookup per snapshot, built only if a group was replaced (not once per group and side).
  const lookups = new Map<AccountSnapshot, Map<string, AccountSnapshot['policies'][number]>>();
  const documents = (s: AccountSnapshot, g: IamGroup): Map<string, string> => {
    let policies = lookups.get(s);
    if (!policies) lookups.set(s, (policies = new Map(s.policies.map((p) => [p.arn, p]))));
    const out = new Map(g.inlinePolicies.map((p) => [`inline\u0000${p.name}`, p.document]));
    for (const arn of g.attachedPolicies) {
      const p = policies.get(arn);
      if (p) out.set(arn, defaultDocument(p));
    }
    return out;
  };
  for (const g of after.groups) {
    const old = was.get(g.arn)!;
    if (old === g) continue;
    const b = documents(before, old);
    const a = documents(after, g);
    const changed = [
      ...[...b].filter(([id, doc]) => a.get(id) !== doc),
      ...[...a].filter(([id, doc]) => b.get(id) !== doc),
    ].map(([, doc]) => doc);
    for (const doc of changed) {
      const policy = parsePolicy(doc).policy;
      if (!policy) return true;
      if (policy.statements.some((st) => ADMIN_VERDICT_ACTIONS.some((x) => statementMatchesAction(st, x))))
        return true;
    }
  }
  return false;
}
const ADMIN_VERDICT_ACTIONS = [
  ...ADMIN_PROBE_ACTIONS,
  'iam:DeleteUserPermissionsBoundary',
  'iam:DeleteRolePermissionsBoundary',
];

/**
 * The roles whose CAN_ASSUME edges are evaluated again for every caller: each role whose trust or existence
 * changed, with every role sharing its old or its new trust policy (the builder's groups), and every role of
 * its account whose trust names another account when its own old or new trust does.
 */
function trustGroups(
  change: GraphChange,
  targets: Map<string, { kind: Principal['kind']; changes: Set<TargetChange> }>,
): Set<string> {
  const seeds = [...targets].filter(
    ([, t]) => t.kind === 'role' && (t.changes.has('exists') || t.changes.has('trust')),
  );
  const out = new Set<string>();
  if (!seeds.length) return out;
  const accountOf = (r: IamRole) => r.arn.split(':')[4]!;
  const key = (r: IamRole) => `${accountOf(r)}\u0000${r.trustPolicy}`;
  // Textual, so it may name more roles than the builder's classes hold: those are only evaluated again.
  const namesOtherAccount = (r: IamRole) =>
    (r.trustPolicy.match(/\d{12}/g) ?? []).some((id) => id !== accountOf(r));
  const seedArns = new Set(seeds.map(([arn]) => arn));
  const keys = new Set<string>();
  for (const s of [change.before, change.after])
    for (const r of s.roles) if (seedArns.has(r.arn)) keys.add(key(r));
  // A trust naming another account puts its roles in that account's callers' class of every role of this
  // account delegating to them (build.ts `crossAccountAssume`): each such role of the account is evaluated again.
  const delegatingAccounts = new Set<string>();
  for (const s of [change.before, change.after])
    for (const r of s.roles)
      if (seedArns.has(r.arn) && namesOtherAccount(r)) delegatingAccounts.add(accountOf(r));
  for (const s of [change.before, change.after])
    for (const r of s.roles)
      if (keys.has(key(r)) || (delegatingAccounts.has(accountOf(r)) && namesOtherAccount(r))) out.add(r.arn);
  return out;
}
