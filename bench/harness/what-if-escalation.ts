/**
 * What-if with a class-wide escalation change (issue 7): the group of the generated account closest to 500
 * members gets `iam:PassRole` on `*` + `lambda:CreateFunction` — every role trusting Lambda becomes reachable from
 * each member (one fan-out entry per member; examples/what-if/fan-out-path-to-admin.json is the shape on the demo).
 * Unlike attaching AmazonS3FullAccess, this changes many principals' reach, so it times what the escalation part of
 * the diff costs when the graph really changes: the whole what-if as the server answers it, and the blast-radius
 * deltas alone on the before and after graphs (their largest part before blast-delta.ts shared its walks).
 * `whatIfSection` (what-if.ts) calls this after its own change; conditions as there (warm-up run, fresh grant
 * source per run, the before graph built once beforehand).
 */
import { loadCatalog } from '../../server/engine/catalog.ts';
import { updateEscalationGraph } from '../../server/analysis/escalation/incremental.ts';
import { blastRadiusDelta, type BlastRadiusDiff } from '../../server/analysis/what-if/blast-delta.ts';
import { parseChanges } from '../../server/analysis/what-if/changes.ts';
import { createGrantSource } from '../../server/analysis/what-if/grants.ts';
import { applyChanges } from '../../server/analysis/what-if/overlay.ts';
import { diffOptionsWith, escalationGraphOf, whatIf } from '../../server/analysis/what-if/what-if.ts';
import type { AccountSnapshot } from '../../importers/snapshot/model.ts';
import { median } from './measure.ts';
import type { Measurement } from './results.ts';
import { SkipSection, type BenchContext } from './sections.ts';

/** The change: a 500-member group may create Lambda functions with any role (PassRole on `*`). */
export function fanOutChange(group: string): unknown[] {
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

/** The group closest to 500 members (the same one `whatIfSection` changes) and its size. */
export function groupNear500(snapshot: AccountSnapshot): [string, number] {
  const members = new Map<string, number>();
  for (const u of snapshot.users) for (const g of u.groups) members.set(g, (members.get(g) ?? 0) + 1);
  const closest = [...members].sort((a, b) => Math.abs(a[1] - 500) - Math.abs(b[1] - 500))[0];
  if (!closest) throw new SkipSection('the generated account has no group members');
  return closest;
}

/** The blast-radius deltas of the change, on graphs computed beforehand (for timing and for comparing answers). */
export async function fanOutBlastDelta(
  snapshot: AccountSnapshot,
  group: string,
): Promise<{ run: () => BlastRadiusDiff }> {
  const overlay = applyChanges(snapshot, parseChanges(fanOutChange(group)).changes!).overlay!;
  const before = await escalationGraphOf(snapshot);
  const after = await updateEscalationGraph(before, overlay);
  const arns = (s: AccountSnapshot) => new Set([...s.users, ...s.roles].map((p) => p.arn));
  const principals = { before: arns(overlay.before), after: arns(overlay.after) };
  return { run: () => blastRadiusDelta(before, after, principals, overlay.affected) };
}

/** `snapshot`: the one `whatIfSection` uses (bucket policies added); its before graph is built by the caller or here. */
export async function whatIfFanOutMeasurements(
  ctx: BenchContext,
  snapshot: AccountSnapshot,
): Promise<Measurement[]> {
  const [group, size] = groupNear500(snapshot);
  const changes = fanOutChange(group);
  const catalog = await loadCatalog();
  await escalationGraphOf(snapshot);
  const options = () => diffOptionsWith(createGrantSource(catalog), { escalation: true });
  await whatIf(snapshot, changes, options());
  const times: number[] = [];
  let note = '';
  for (let i = 0; i < ctx.runs; i++) {
    const o = options();
    const start = performance.now();
    const outcome = await whatIf(snapshot, changes, o);
    times.push(performance.now() - start);
    if (!outcome.ok)
      throw new Error(`what-if failed: ${outcome.diagnostics.map((d) => d.message).join('; ')}`);
    const s = outcome.diff.summary;
    const b = outcome.diff.blastRadius;
    note = `${outcome.affected.length} principals recomputed; fan-out entries +${s.fanOutAdded}, paths to admin +${s.pathsToAdminGained}, blast radius changed for ${s.blastRadiusChanged} (${b?.evaluated ?? 0} of ${b?.candidates ?? 0} candidates walked)`;
  }
  const delta = await fanOutBlastDelta(snapshot, group);
  delta.run();
  const deltaTimes: number[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    const start = performance.now();
    delta.run();
    deltaTimes.push(performance.now() - start);
  }
  const out: Measurement[] = [
    {
      section: 'whatif',
      key: 'whatif.fan-out-500',
      name: `what-if: iam:PassRole on * + lambda:CreateFunction for a ${size}-member group (every role trusting Lambda reachable), diff included (embedded)`,
      value: median(times),
      unit: 'ms',
      runs: times,
      note,
    },
    {
      section: 'whatif',
      key: 'whatif.fan-out-500-blast',
      name: 'the same change, blast-radius deltas alone (before and after graphs given)',
      value: median(deltaTimes),
      unit: 'ms',
      runs: deltaTimes,
    },
  ];
  for (const m of out) if (m.note) ctx.log(`  (${m.key}: ${m.note})`);
  return out;
}
