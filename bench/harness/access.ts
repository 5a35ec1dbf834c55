/**
 * Effective permissions (server/analysis/access.ts, target `access(principal)` ≤ 100 ms): the p50 over users and
 * roles picked across the account — every Nth principal, plus the admins, whose `*` expands to every catalog
 * action — each answered in full (every service, every known bucket with its policy). Warm: the catalog is
 * loaded and one answer computed before timing, as in a running server.
 */
import { access } from '../../server/analysis/access.ts';
import { SnapshotAnalysis } from '../../server/analysis/snapshot-analysis.ts';
import { median } from './measure.ts';
import type { Measurement } from './results.ts';
import { SkipSection, type BenchContext } from './context.ts';
import { snapshotWithBuckets } from './who-can-indexed.ts';

const PRINCIPALS = 40;

export async function accessSection(ctx: BenchContext): Promise<Measurement[]> {
  if (!ctx.snapshot || !ctx.account) throw new SkipSection('needs the `generate` and `parse` sections');
  const snapshot = snapshotWithBuckets(ctx.snapshot, ctx.account);
  const analysis = SnapshotAnalysis.of(snapshot);
  const all = [...snapshot.users, ...snapshot.roles];
  const step = Math.max(1, Math.floor(all.length / PRINCIPALS));
  const admins = all.filter((p) => p.attachedPolicies.some((a) => a.endsWith(':policy/AdministratorAccess')));
  const picked = [...all.filter((_, i) => i % step === 0).slice(0, PRINCIPALS - 2), ...admins.slice(0, 2)];
  await access(analysis, picked[0]!.arn);
  const times: number[] = [];
  let worst = { ms: 0, arn: '', actions: 0 };
  let evaluations = 0;
  let actions = 0;
  let resources = 0;
  for (const p of picked) {
    const start = performance.now();
    const answer = await access(analysis, p.arn);
    const ms = performance.now() - start;
    times.push(ms);
    const n = answer?.services.reduce((sum, s) => sum + s.actions, 0) ?? 0;
    if (ms > worst.ms) worst = { ms, arn: p.arn, actions: n };
    evaluations += answer?.evaluations ?? 0;
    actions += n;
    resources += answer?.resources.length ?? 0;
  }
  const sorted = [...times].sort((a, b) => a - b);
  return [
    {
      section: 'whocan',
      key: 'whocan.access-p50',
      name: `access(principal) p50 over ${picked.length} users and roles (embedded, every service and bucket)`,
      value: median(times),
      unit: 'ms',
      runs: times,
      note: `p90 ${sorted[Math.floor(sorted.length * 0.9)]!.toFixed(1)} ms; slowest ${worst.ms.toFixed(0)} ms (${worst.arn.split(':').pop()}, ${worst.actions} actions); on average ${Math.round(actions / picked.length)} actions, ${Math.round(resources / picked.length)} buckets and ${Math.round(evaluations / picked.length)} engine evaluations per principal`,
    },
  ];
}
