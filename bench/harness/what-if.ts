/**
 * What-if (issue 7: attaching a policy to a 500-member group, diff included, ≤ 1 s on the embedded store): the
 * group of the generated account closest to 500 members gets AmazonS3FullAccess, answered end to end — parse the
 * change, copy-on-write overlay, diff of the affected principals with admin-equivalence — as a running server
 * does (catalog loaded, policy texts parsed; each run with a fresh grant source, so no grant is reused).
 * For comparison, from scratch: the change applied to a copy and every principal of both snapshots recomputed.
 * Escalation edges are left out of both: rebuilding the whole account's graph is issue 6's measurement.
 */
import { loadCatalog } from '../../server/engine/catalog.ts';
import { adminEquivalence } from '../../server/analysis/escalation/admin.ts';
import { parseChanges } from '../../server/analysis/what-if/changes.ts';
import { diffPrincipals, type DiffOptions } from '../../server/analysis/what-if/diff.ts';
import { createGrantSource } from '../../server/analysis/what-if/grants.ts';
import { applyChanges } from '../../server/analysis/what-if/overlay.ts';
import { whatIf } from '../../server/analysis/what-if/what-if.ts';
import { median } from './measure.ts';
import type { Measurement } from './results.ts';
import { SkipSection, type BenchContext } from './sections.ts';
import { snapshotWithBuckets } from './who-can-indexed.ts';

const FROM_SCRATCH_SAMPLE = 1000;

export async function whatIfSection(ctx: BenchContext): Promise<Measurement[]> {
  if (!ctx.snapshot || !ctx.account) throw new SkipSection('needs the `generate` and `parse` sections');
  const snapshot = snapshotWithBuckets(ctx.snapshot, ctx.account);
  const members = new Map<string, number>();
  for (const u of snapshot.users) for (const g of u.groups) members.set(g, (members.get(g) ?? 0) + 1);
  const closest = [...members].sort((a, b) => Math.abs(a[1] - 500) - Math.abs(b[1] - 500))[0];
  if (!closest) throw new SkipSection('the generated account has no group members');
  const [group, size] = closest;
  const changes = [{ op: 'attachPolicy', policy: 'AmazonS3FullAccess', target: group }];
  const catalog = await loadCatalog();
  const options = (): DiffOptions => ({
    source: createGrantSource(catalog),
    adminOf: (s, p) => adminEquivalence(s, p.arn),
  });
  // Warm-up: the same question once, so policy texts are parsed and compiled (per process, as in a server that
  // has answered anything about them); each timed run still recomputes every grant with a fresh grant source.
  await whatIf(snapshot, changes, options());
  const times: number[] = [];
  let summary = '';
  for (let i = 0; i < ctx.runs; i++) {
    const o = options();
    const start = performance.now();
    const outcome = await whatIf(snapshot, changes, o);
    times.push(performance.now() - start);
    if (!outcome.ok)
      throw new Error(`what-if failed: ${outcome.diagnostics.map((d) => d.message).join('; ')}`);
    const s = outcome.diff.summary;
    summary = `${outcome.affected.length} principals recomputed, ${s.principalsChanged} changed: ${s.granted} grants, ${s.conditional} condition changes; ${o.source.computed} grant computations (the rest shared between principals, see server/analysis/what-if/grants.ts)`;
  }
  const out: Measurement[] = [
    {
      section: 'whatif',
      key: 'whatif.attach-500',
      name: `what-if: AmazonS3FullAccess attached to a ${size}-member group, diff included (embedded)`,
      value: median(times),
      unit: 'ms',
      runs: times,
      note: summary,
    },
  ];
  // From scratch: the change applied to a copy and every principal of both snapshots recomputed. On the large
  // account that is tens of minutes on two cores, so a sample of principals is timed and the total projected.
  ctx.log('  what-if from scratch (every principal of both snapshots, sampled on large accounts)…');
  const after = structuredClone(applyChanges(snapshot, parseChanges(changes).changes!).overlay!.after);
  const before = structuredClone(snapshot);
  const all = [...snapshot.users, ...snapshot.roles].map((p) => p.arn);
  const step = Math.max(1, Math.floor(all.length / FROM_SCRATCH_SAMPLE));
  const sample = all.filter((_, i) => i % step === 0);
  const start = performance.now();
  await diffPrincipals(before, after, sample, options());
  const sampled = performance.now() - start;
  out.push({
    section: 'whatif',
    key: 'whatif.from-scratch',
    name: `the same diff from scratch: all ${all.length} principals of both snapshots recomputed${sample.length < all.length ? ` (projected from ${sample.length})` : ''}`,
    value: (sampled * all.length) / sample.length,
    unit: 'ms',
  });
  return out;
}
