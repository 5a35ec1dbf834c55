/**
 * Right-sized proposals as what-if change sets, each proven by running it through what-if. Per principal (with
 * evidence and enough history): a group or own policy that grants nothing it used is removed (membership,
 * attachment, inline policy); an own policy that grants some unused services or tracked actions is narrowed —
 * inline policies rewritten in place, a customer managed policy attached to nobody else updated, an AWS managed or
 * shared one replaced by a customer managed copy for this principal only. Per group (every member with evidence):
 * the same for the group's policies, against every member's use. A group's mixed policies are left to the group's
 * proposal, never rewritten for one member.
 */
import type { AccountSnapshot, IamGroup, ManagedPolicy } from '../../../schema/snapshot.ts';
import { defaultDocument, inlinePolicyId } from '../../../schema/snapshot.ts';
import { arnAccount } from '../../engine/index.ts';
import { formatDiagnostic } from '../../../schema/diagnostics.ts';
import type { ChangeInput } from '../what-if/changes.ts';
import type { DiffOptions, ServiceLevelDelta } from '../what-if/diff.ts';
import { SnapshotAnalysis, memoKey } from '../snapshot-analysis.ts';
import { whatIf } from '../what-if/what-if.ts';
import { actionStatus, evidenceOf, type UseStatus } from './evidence.ts';
import { lookupsOf } from '../policy-set.ts';
import { narrowDocument, type Expander } from './narrow.ts';
import { sourceActions, type PrincipalGrants, type PrincipalUsage } from './usage.ts';

export interface Proposal {
  target: { arn: string; name: string; kind: 'user' | 'role' | 'group' };
  /** The change set (docs/what-if.md), in order. */
  changes: ChangeInput[];
  /** Why each change, one line per change. */
  reasons: string[];
  proof?: Proof;
}

export interface LostAccess {
  principal: string;
  action: string;
  resource: string;
  /** What the evidence says of the action: `used`, or `unknown` (kept, since missing evidence is never unused). */
  evidence: UseStatus;
}

/** What what-if says the proposal does. `ok`: it removes no access the evidence shows used (or cannot judge). */
export interface Proof {
  ok: boolean;
  usedAccessLost: LostAccess[];
  /** Access removed, per principal, by service and level. */
  removed: { principal: string; revoked: number; byService: ServiceLevelDelta[] }[];
  escalationEdgesRemoved: number;
  /** Access keys made inactive (what-if): a leaked one no longer signs requests. */
  keysDeactivated: { user: string; slot: number; accessKeyId?: string }[];
  pathsToAdminLost: string[];
  adminsLost: string[];
  blastRadius: {
    arn: string;
    reachableBefore: number;
    reachableAfter: number;
    adminBefore: string;
    adminAfter: string;
  }[];
  notes: string[];
}

/** How many users, groups and roles each managed policy is attached to, counted once per snapshot. */
const ATTACHMENTS = memoKey<Map<string, number>>('managed policy attachment counts');
function attachmentCount(snapshot: AccountSnapshot, policyArn: string): number {
  const counts = SnapshotAnalysis.of(snapshot).memo(ATTACHMENTS, () => {
    const c = new Map<string, number>();
    for (const e of [...snapshot.users, ...snapshot.groups, ...snapshot.roles])
      for (const arn of new Set(e.attachedPolicies)) c.set(arn, (c.get(arn) ?? 0) + 1);
    return c;
  });
  return counts.get(policyArn) ?? 0;
}

/** IAM names: 1–128 of `\w+=,.@-`. */
function policyName(base: string, owner: string): string {
  return `${base}-${owner}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 128);
}

/**
 * The changes that take `drop` (actions nobody the target stands for used) out of one policy of `owner`: remove it
 * when nothing used is left, else narrow it without editing an AWS managed or shared policy.
 */
function policyChanges(
  catalog: Expander,
  snapshot: AccountSnapshot,
  owner: { arn: string; name: string; kind: 'user' | 'role' | 'group' },
  policy: { inline: string; document: string } | { managed: ManagedPolicy },
  grantsUsed: boolean,
  drop: (action: string) => boolean,
): { changes: ChangeInput[]; reasons: string[] } {
  const target = owner.arn;
  /** Whose use decided it, for the reasons. */
  const users = owner.kind === 'group' ? `the members of ${owner.name}` : owner.name;
  if ('inline' in policy) {
    if (!grantsUsed)
      return {
        changes: [{ op: 'deleteInlinePolicy', target, name: policy.inline }],
        reasons: [`inline policy ${policy.inline} grants nothing ${users} used`],
      };
    const n = narrowDocument(catalog, policy.document, drop);
    if (!n.changed) return { changes: [], reasons: [] };
    return n.document
      ? {
          changes: [{ op: 'putInlinePolicy', target, name: policy.inline, document: n.document }],
          reasons: [`inline policy ${policy.inline} narrowed to what ${users} used`],
        }
      : {
          changes: [{ op: 'deleteInlinePolicy', target, name: policy.inline }],
          reasons: [`inline policy ${policy.inline} grants nothing ${users} used`],
        };
  }
  const p = policy.managed;
  if (!grantsUsed)
    return {
      changes: [{ op: 'detachPolicy', policy: p.arn, target }],
      reasons: [`${p.name} grants nothing ${users} used: detached`],
    };
  const n = narrowDocument(catalog, defaultDocument(p), drop);
  if (!n.changed) return { changes: [], reasons: [] };
  if (!n.document)
    return {
      changes: [{ op: 'detachPolicy', policy: p.arn, target }],
      reasons: [`${p.name} grants nothing ${users} used: detached`],
    };
  if (p.kind === 'customerManaged' && attachmentCount(snapshot, p.arn) === 1)
    return {
      changes: [{ op: 'updatePolicy', policy: p.arn, document: n.document }],
      reasons: [`${p.name} (attached only to ${owner.name}) narrowed to what ${users} used`],
    };
  const name = policyName(p.name, owner.name);
  const arn = `arn:${snapshot.partition}:iam::${arnAccount(owner.arn)}:policy/rightsized/${name}`;
  return {
    changes: [
      { op: 'createPolicy', name, path: '/rightsized/', document: n.document },
      { op: 'attachPolicy', policy: arn, target },
      { op: 'detachPolicy', policy: p.arn, target },
    ],
    reasons: [
      `${p.kind === 'awsManaged' ? 'AWS managed' : 'shared'} ${p.name} is not edited: a narrowed copy ${name} for ${owner.name}`,
      `attach ${name} to ${owner.name}`,
      `detach ${p.name} from ${owner.name}`,
    ],
  };
}

/**
 * The proposal for one principal, or undefined when nothing is unused: its policies and groups when the
 * last-accessed evidence allows, then each active access key unused in the window (credential report: `keys`).
 */
export function principalProposal(
  catalog: Expander,
  snapshot: AccountSnapshot,
  g: PrincipalGrants,
  keys: PrincipalUsage['keys'],
): Proposal | undefined {
  const p = g.principal;
  const owner = { arn: p.arn, name: p.name, kind: p.kind };
  const { changes, reasons } = policyProposal(catalog, snapshot, g);
  for (const k of keys.filter((x) => x.status === 'unused')) {
    changes.push({
      op: 'deactivateAccessKey',
      user: p.arn,
      ...(k.id ? { accessKeyId: k.id } : { slot: k.slot }),
    });
    reasons.push(`${k.detail}: deactivate it`);
  }
  return changes.length > 0 ? { target: owner, changes, reasons } : undefined;
}

/** The principal's own policies and groups that grant something unused, when its evidence allows a judgement. */
function policyProposal(
  catalog: Expander,
  snapshot: AccountSnapshot,
  g: PrincipalGrants,
): { changes: ChangeInput[]; reasons: string[] } {
  const changes: ChangeInput[] = [];
  const reasons: string[] = [];
  const e = g.evidence;
  if (!e || e.shortHistory) return { changes, reasons };
  const p = g.principal;
  const owner = { arn: p.arn, name: p.name, kind: p.kind };
  const drop = (a: string) => actionStatus(e, a) === 'unused';
  const used = (id: string) => sourceActions(g, id).some((a) => !drop(a));
  const { policies } = lookupsOf(snapshot);
  for (const s of g.sources) {
    if (s.kind === 'group') {
      if (used(s.id)) continue;
      changes.push({ op: 'removeUserFromGroup', user: p.arn, group: s.id });
      reasons.push(`group ${s.name} grants nothing ${p.name} used`);
      continue;
    }
    const policy =
      s.kind === 'inline'
        ? {
            inline: s.name,
            document: p.inlinePolicies.find((ip) => inlinePolicyId(p.arn, ip.name) === s.id)!.document,
          }
        : { managed: policies.get(s.id)! };
    const r = policyChanges(catalog, snapshot, owner, policy, used(s.id), drop);
    changes.push(...r.changes);
    reasons.push(...r.reasons);
  }
  return { changes, reasons };
}

/** The proposal for one group, judged against every member's evidence; none when a member lacks it. */
export function groupProposal(
  catalog: Expander,
  snapshot: AccountSnapshot,
  group: IamGroup,
  members: readonly PrincipalGrants[],
): Proposal | undefined {
  if (members.length === 0 || members.some((m) => !m.evidence || m.evidence.shortHistory)) return undefined;
  const owner = { arn: group.arn, name: group.name, kind: 'group' as const };
  const drop = (a: string) => members.every((m) => actionStatus(m.evidence, a) === 'unused');
  const { policies } = lookupsOf(snapshot);
  const changes: ChangeInput[] = [];
  const reasons: string[] = [];
  const grantsUsed = (document: string) => {
    const n = narrowDocument(catalog, document, drop);
    return n.document !== undefined;
  };
  for (const ip of group.inlinePolicies) {
    const r = policyChanges(
      catalog,
      snapshot,
      owner,
      { inline: ip.name, document: ip.document },
      grantsUsed(ip.document),
      drop,
    );
    changes.push(...r.changes);
    reasons.push(...r.reasons);
  }
  for (const arn of group.attachedPolicies) {
    const mp = policies.get(arn);
    if (!mp) continue;
    const r = policyChanges(catalog, snapshot, owner, { managed: mp }, grantsUsed(defaultDocument(mp)), drop);
    changes.push(...r.changes);
    reasons.push(...r.reasons);
  }
  return changes.length > 0 ? { target: owner, changes, reasons } : undefined;
}

/**
 * Prove proposals whose changes touch disjoint entities (each principal's own, or each group's) in one what-if:
 * their changes applied together, the diff split per proposal by the principals it stands for (`affects`: the
 * principal, or the group's members). What-if's grant source may count an action that effective permissions
 * (`access.ts`, what usage is decided with) do not — an action without resource-level permissions granted only on
 * an ARN pattern; `effective` says which actions were granted before, and a revoked grant of any other action is no
 * access lost (a note counts them). Knock-on effects on principals no proposal stands for are in `batchNotes`.
 */
export async function proveBatch(
  analysis: SnapshotAnalysis,
  proposals: readonly Proposal[],
  affects: (p: Proposal) => readonly string[],
  unusedDays: number,
  effective: (principalArn: string) => { has(action: string): boolean },
  options?: DiffOptions,
): Promise<{ batchNotes: string[] }> {
  if (proposals.length === 0) return { batchNotes: [] };
  const snapshot = analysis.snapshot;
  const outcome = await whatIf(
    analysis,
    proposals.flatMap((p) => p.changes),
    options,
  );
  if (!outcome.ok) {
    const notes = outcome.diagnostics.map(formatDiagnostic);
    for (const p of proposals)
      p.proof = {
        ok: false,
        usedAccessLost: [],
        removed: [],
        escalationEdgesRemoved: 0,
        keysDeactivated: [],
        pathsToAdminLost: [],
        adminsLost: [],
        blastRadius: [],
        notes,
      };
    return { batchNotes: notes };
  }
  const { diff } = outcome;
  const owner = new Map<string, Proposal[]>();
  for (const p of proposals) for (const arn of affects(p)) owner.set(arn, [...(owner.get(arn) ?? []), p]);
  const mine = (p: Proposal) => {
    const arns = new Set(affects(p));
    return (arn: string) => arns.has(arn);
  };
  for (const proposal of proposals) {
    const has = mine(proposal);
    const usedAccessLost: LostAccess[] = [];
    let notEffective = 0;
    const principals = diff.principals.filter((p) => has(p.arn));
    for (const p of principals) {
      const e = evidenceOf(snapshot, p.arn, unusedDays);
      const before = effective(p.arn);
      for (const g of p.revoked) {
        if (!before.has(g.action)) {
          notEffective++;
          continue;
        }
        const status = actionStatus(e, g.action);
        if (status !== 'unused')
          usedAccessLost.push({ principal: p.arn, action: g.action, resource: g.resource, evidence: status });
      }
    }
    const escalation = diff.escalation;
    proposal.proof = {
      ok: usedAccessLost.length === 0,
      usedAccessLost,
      removed: principals.map((p) => ({
        principal: p.arn,
        revoked: p.revoked.length,
        byService: p.byService,
      })),
      escalationEdgesRemoved:
        (escalation?.removed.filter((e) => has(e.from)).length ?? 0) +
        (escalation?.fanOutRemoved.filter((e) => has(e.from)).length ?? 0),
      keysDeactivated: outcome.keysDeactivated.filter((k) => has(k.user)),
      pathsToAdminLost: (escalation?.pathsToAdminLost ?? []).filter(has),
      adminsLost: diff.admins.lost.map((a) => a.arn).filter(has),
      blastRadius: (diff.blastRadius?.principals ?? [])
        .filter((b) => has(b.arn))
        .map((b) => ({
          arn: b.arn,
          reachableBefore: b.before.reachable,
          reachableAfter: b.after.reachable,
          adminBefore: b.before.admin,
          adminAfter: b.after.admin,
        })),
      notes:
        notEffective > 0
          ? [
              `${notEffective} revoked grant(s) of actions not effectively granted before (access.ts): no access lost`,
            ]
          : [],
    };
  }
  const others = [
    ...(diff.escalation?.pathsToAdminLost ?? [])
      .filter((a) => !owner.has(a))
      .map((a) => `${a} no longer reaches admin`),
    ...diff.admins.lost.filter((a) => !owner.has(a.arn)).map((a) => `${a.arn} is no longer admin-equivalent`),
  ];
  return { batchNotes: [...diff.notes, ...outcome.diagnostics.map(formatDiagnostic), ...others] };
}
