/**
 * What-if (target: attaching a policy to a 500-member group, diff included, ≤ 1 s on the embedded store): the
 * group of the generated account closest to 500 members gets AmazonS3FullAccess, answered end to end as a running
 * server answers it (`diffOptionsWith`, what `defaultDiffOptions` builds) — parse the change, copy-on-write
 * overlay, diff of the affected principals, the escalation graph updated for the change and compared (edges, paths
 * to admin), blast-radius deltas. The before graph is built once beforehand: the server has it from import. The
 * catalog is loaded and policy texts parsed (a warm-up run); each timed run has a fresh grant source and a fresh
 * overlay, so no grant, after snapshot or after graph is reused. The grants-only answer (no escalation) is timed
 * too, for comparison with earlier figures. From scratch: the change applied to a copy, every principal of both
 * snapshots recomputed and both escalation graphs built.
 *
 * A class-wide change too: the same group gets `iam:PassRole` on `*` + `lambda:CreateFunction`, so every role
 * trusting Lambda becomes reachable from each member (a fan-out entry per member;
 * examples/what-if/fan-out-path-to-admin.json is the shape on the demo). Unlike the S3 policy it changes many
 * principals' reach, so it times the escalation part of the diff when the graph really changes: the whole what-if,
 * and the blast-radius deltas alone on the before and after graphs.
 */
import { loadCatalog } from '../../server/engine/catalog.ts';
import { buildEscalationGraph } from '../../server/analysis/escalation/build.ts';
import { updateEscalationGraph } from '../../server/analysis/escalation/incremental.ts';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import { blastRadiusDelta } from '../../server/analysis/what-if/blast-delta.ts';
import { parseChanges } from '../../server/analysis/what-if/changes.ts';
import { diffPrincipals } from '../../server/analysis/what-if/diff.ts';
import { createGrantSource } from '../../server/analysis/what-if/grants.ts';
import { applyChanges } from '../../server/analysis/what-if/overlay.ts';
import {
  diffOptionsWith,
  escalationGraphOf,
  whatIf,
  type WhatIfOutcome,
} from '../../server/analysis/what-if/what-if.ts';
import { readTerraformPlan, translatePlan } from '../../importers/terraform-plan/index.ts';
import { median } from './measure.ts';
import type { Measurement } from './results.ts';
import { SkipSection, type BenchContext } from './context.ts';
import { snapshotWithBuckets } from './who-can-indexed.ts';
import { SnapshotAnalysis } from '../../server/analysis/snapshot-analysis.ts';
import { deriveAnalysis } from '../../server/analysis/what-if/derive.ts';

const FROM_SCRATCH_SAMPLE = 1000;

/** The group closest to 500 members and its size. */
function groupNear500(snapshot: AccountSnapshot): [string, number] {
  const members = new Map<string, number>();
  for (const u of snapshot.users) for (const g of u.groups) members.set(g, (members.get(g) ?? 0) + 1);
  const closest = [...members].sort((a, b) => Math.abs(a[1] - 500) - Math.abs(b[1] - 500))[0];
  if (!closest) throw new SkipSection('the generated account has no group members');
  return closest;
}

/** The class-wide change: the group may create Lambda functions with any role (PassRole on `*`). */
function fanOutChange(group: string): unknown[] {
  return [
    {
      op: 'putInlinePolicy',
      target: group,
      name: 'bench-lambda-deploy',
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['iam:PassRole', 'lambda:CreateFunction'], Resource: '*' }],
      },
    },
  ];
}

type Described = Extract<WhatIfOutcome, { ok: true }>;

/**
 * A 200-resource Terraform plan (`terraform show -json` shape) against the generated account: 50 AWS managed
 * policies attached to groups, 50 inline user policies, 50 group memberships, 25 new policies and 25 attachments of
 * them to existing roles whose `policy_arn` is known only after apply (resolved through `configuration`).
 */
export function terraformPlan(snapshot: AccountSnapshot): Uint8Array {
  const groups = snapshot.groups;
  const users = snapshot.users;
  const roles = snapshot.roles;
  if (!groups.length || users.length < 100 || roles.length < 25)
    throw new SkipSection('the generated account is too small for a 200-resource plan');
  const rc = (type: string, name: string, after: object, after_unknown: object = {}) => ({
    address: `${type}.${name}`,
    mode: 'managed',
    type,
    name: name.replace(/\[\d+\]$/, ''),
    ...(/\[(\d+)\]$/.test(name) ? { index: Number(/\[(\d+)\]$/.exec(name)![1]) } : {}),
    change: { actions: ['create'], before: null, after, after_unknown: { id: true, ...after_unknown } },
  });
  const doc = (action: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
    });
  const changes = [
    ...Array.from({ length: 50 }, (_, i) =>
      rc('aws_iam_group_policy_attachment', `g${i}`, {
        group: groups[i % groups.length]!.name,
        policy_arn:
          i % 2
            ? 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'
            : 'arn:aws:iam::aws:policy/AWSLambda_ReadOnlyAccess',
      }),
    ),
    ...Array.from({ length: 50 }, (_, i) =>
      rc('aws_iam_user_policy', `u${i}`, {
        user: users[i]!.name,
        name: 'bench-inline',
        policy: doc('sqs:SendMessage'),
      }),
    ),
    ...Array.from({ length: 50 }, (_, i) =>
      rc('aws_iam_user_group_membership', `m${i}`, {
        user: users[50 + i]!.name,
        groups: [groups[(i * 7) % groups.length]!.name],
      }),
    ),
    ...Array.from({ length: 25 }, (_, i) =>
      rc(
        'aws_iam_policy',
        `p[${i}]`,
        { name: `bench-policy-${i}`, path: '/', policy: doc('dynamodb:GetItem') },
        { arn: true },
      ),
    ),
    ...Array.from({ length: 25 }, (_, i) =>
      rc('aws_iam_role_policy_attachment', `r[${i}]`, { role: roles[i]!.name }, { policy_arn: true }),
    ),
  ];
  const plan = {
    format_version: '1.2',
    terraform_version: '1.9.8',
    resource_changes: changes,
    configuration: {
      root_module: {
        resources: [
          {
            address: 'aws_iam_role_policy_attachment.r',
            mode: 'managed',
            type: 'aws_iam_role_policy_attachment',
            name: 'r',
            expressions: { policy_arn: { references: ['aws_iam_policy.p', 'count.index'] } },
          },
        ],
      },
    },
  };
  return new TextEncoder().encode(JSON.stringify(plan));
}

export async function whatIfSection(ctx: BenchContext): Promise<Measurement[]> {
  if (!ctx.snapshot || !ctx.account) throw new SkipSection('needs the `generate` and `parse` sections');
  const snapshot = snapshotWithBuckets(ctx.snapshot, ctx.account);
  const [group, size] = groupNear500(snapshot);
  const changes = [{ op: 'attachPolicy', policy: 'AmazonS3FullAccess', target: group }];
  const catalog = await loadCatalog();
  ctx.log('  escalation graph of the snapshot (built once, as the server has it from import)…');
  const t0 = performance.now();
  await escalationGraphOf(snapshot);
  const beforeBuildMs = performance.now() - t0;

  const timed = async (
    changes: unknown[],
    escalation: boolean,
    describe: (outcome: Described, computed: number) => string,
  ) => {
    const options = () => diffOptionsWith(createGrantSource(catalog), { escalation });
    // Warm-up: the same question once, so policy texts are parsed and compiled (per process, as in a server that
    // has answered anything about them); each timed run still recomputes every grant with a fresh grant source.
    await whatIf(SnapshotAnalysis.of(snapshot), changes, options());
    const times: number[] = [];
    let note = '';
    for (let i = 0; i < ctx.runs; i++) {
      const o = options();
      const start = performance.now();
      const outcome = await whatIf(SnapshotAnalysis.of(snapshot), changes, o);
      times.push(performance.now() - start);
      if (!outcome.ok)
        throw new Error(`what-if failed: ${outcome.diagnostics.map((d) => d.message).join('; ')}`);
      note = describe(outcome, o.source.computed);
    }
    return { times, note };
  };
  const grantsNote = (outcome: Described, computed: number): string => {
    const s = outcome.diff.summary;
    return `${outcome.affected.length} principals recomputed, ${s.principalsChanged} changed: ${s.granted} grants, ${s.conditional} condition changes; ${computed} grant computations (the rest shared between principals, see server/analysis/what-if/grants.ts)`;
  };
  const full = await timed(changes, true, (outcome, computed) => {
    const s = outcome.diff.summary;
    return `${grantsNote(outcome, computed)}; escalation edges +${s.edgesAdded} −${s.edgesRemoved}, paths to admin +${s.pathsToAdminGained} −${s.pathsToAdminLost}, blast radius changed for ${s.blastRadiusChanged}`;
  });
  const grantsOnly = await timed(changes, false, grantsNote);
  const out: Measurement[] = [
    {
      section: 'whatif',
      key: 'whatif.attach-500',
      name: `what-if: AmazonS3FullAccess attached to a ${size}-member group, diff included: grants, admins, escalation edges and paths, blast radius (embedded)`,
      value: median(full.times),
      unit: 'ms',
      runs: full.times,
      note: full.note,
    },
    {
      section: 'whatif',
      key: 'whatif.attach-500-grants',
      name: 'the same what-if, grants and admins only (no escalation graph)',
      value: median(grantsOnly.times),
      unit: 'ms',
      runs: grantsOnly.times,
      note: grantsOnly.note,
    },
  ];
  // From scratch: the change applied to a copy, every principal of both snapshots recomputed, both graphs built.
  // On the large account the grants are tens of minutes on two cores, so a sample of principals is timed and the
  // total projected.
  ctx.log('  what-if from scratch (every principal of both snapshots, sampled on large accounts)…');
  const after = structuredClone(applyChanges(snapshot, parseChanges(changes).changes!).overlay!.after);
  const before = structuredClone(snapshot);
  const all = [...snapshot.users, ...snapshot.roles].map((p) => p.arn);
  const step = Math.max(1, Math.floor(all.length / FROM_SCRATCH_SAMPLE));
  const sample = all.filter((_, i) => i % step === 0);
  const start = performance.now();
  await diffPrincipals(
    before,
    after,
    sample,
    diffOptionsWith(createGrantSource(catalog), { escalation: false }),
  );
  const grantsMs = ((performance.now() - start) * all.length) / sample.length;
  const t1 = performance.now();
  await buildEscalationGraph(after);
  const afterBuildMs = performance.now() - t1;
  out.push({
    section: 'whatif',
    key: 'whatif.from-scratch',
    name: `the same diff from scratch: all ${all.length} principals of both snapshots recomputed${sample.length < all.length ? ` (projected from ${sample.length})` : ''}, both escalation graphs built`,
    value: grantsMs + beforeBuildMs + afterBuildMs,
    unit: 'ms',
    note: `grants ${(grantsMs / 1000).toFixed(1)} s, escalation graphs ${(beforeBuildMs / 1000).toFixed(1)} s + ${(afterBuildMs / 1000).toFixed(1)} s`,
  });
  // The class-wide change: the whole what-if, then its blast-radius deltas alone on graphs computed beforehand.
  const fanOut = fanOutChange(group);
  const wide = await timed(fanOut, true, (outcome) => {
    const s = outcome.diff.summary;
    const b = outcome.diff.blastRadius;
    return `${outcome.affected.length} principals recomputed; fan-out entries +${s.fanOutAdded}, paths to admin +${s.pathsToAdminGained}, blast radius changed for ${s.blastRadiusChanged} (${b?.evaluated ?? 0} of ${b?.candidates ?? 0} candidates walked)`;
  });
  const overlay = deriveAnalysis(SnapshotAnalysis.of(snapshot), parseChanges(fanOut).changes!).after!
    .derivation!.overlay;
  const beforeGraph = await escalationGraphOf(snapshot);
  const afterGraph = await updateEscalationGraph(beforeGraph, overlay);
  const arns = (s: AccountSnapshot) => new Set([...s.users, ...s.roles].map((p) => p.arn));
  const principals = { before: arns(overlay.before), after: arns(overlay.after) };
  const delta = () => blastRadiusDelta(beforeGraph, afterGraph, principals, overlay.affected);
  delta();
  const deltaTimes: number[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    const t = performance.now();
    delta();
    deltaTimes.push(performance.now() - t);
  }
  out.push(
    {
      section: 'whatif',
      key: 'whatif.fan-out-500',
      name: `what-if: iam:PassRole on * + lambda:CreateFunction for a ${size}-member group (every role trusting Lambda reachable), diff included (embedded)`,
      value: median(wide.times),
      unit: 'ms',
      runs: wide.times,
      note: wide.note,
    },
    {
      section: 'whatif',
      key: 'whatif.fan-out-500-blast',
      name: 'the same change, blast-radius deltas alone (before and after graphs given)',
      value: median(deltaTimes),
      unit: 'ms',
      runs: deltaTimes,
    },
  );
  // A Terraform plan: read, translated and answered, as `what-if --terraform-plan` does.
  const planBytes = terraformPlan(snapshot);
  const fromPlan = () => {
    const read = readTerraformPlan(planBytes, 'plan.json');
    return translatePlan(read.plan!, 'plan.json').changes.map((c) => c.change);
  };
  const planned = fromPlan();
  if (planned.length !== 200) throw new Error(`the bench plan gave ${planned.length} changes, not 200`);
  const planTimes: number[] = [];
  let planNote = '';
  await whatIf(SnapshotAnalysis.of(snapshot), planned, diffOptionsWith(createGrantSource(catalog)));
  for (let i = 0; i < ctx.runs; i++) {
    const o = diffOptionsWith(createGrantSource(catalog));
    const start = performance.now();
    const outcome = await whatIf(SnapshotAnalysis.of(snapshot), fromPlan(), o);
    planTimes.push(performance.now() - start);
    if (!outcome.ok)
      throw new Error(`what-if failed: ${outcome.diagnostics.map((d) => d.message).join('; ')}`);
    const s = outcome.diff.summary;
    planNote = `${planBytes.length} bytes, 200 changes; ${outcome.affected.length} principals recomputed, ${s.principalsChanged} changed; escalation edges +${s.edgesAdded}, paths to admin +${s.pathsToAdminGained}`;
  }
  out.push({
    section: 'whatif',
    key: 'whatif.terraform-200',
    name: 'what-if from a 200-resource Terraform plan (attachments, inline policies, memberships, new policies), read + translated + diff with escalation (embedded)',
    value: median(planTimes),
    unit: 'ms',
    runs: planTimes,
    note: planNote,
  });
  for (const m of out) if (m.note) ctx.log(`  (${m.key}: ${m.note})`);
  return out;
}
