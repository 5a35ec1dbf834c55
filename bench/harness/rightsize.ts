/**
 * Right-sizing (target: every principal of the large account, generated evidence, what-if proofs included,
 * ≤ 30 s): each user, group and role gets a last-access report generated from its policies — per service named in
 * its Allow statements, used in the last 30 days, long ago, or never (seeded) — then `rightsize` over the whole
 * snapshot: effective access of every principal, the proposals, and a what-if proof of each.
 */
import type { AccountSnapshot, LastAccessReport } from '../../schema/snapshot.ts';
import { defaultDocument } from '../../schema/snapshot.ts';
import { rightsize } from '../../server/analysis/unused-access/index.ts';
import { createGrantSource } from '../../server/analysis/what-if/grants.ts';
import { diffOptionsWith } from '../../server/analysis/what-if/what-if.ts';
import { loadCatalog } from '../../server/engine/catalog.ts';
import { parsePolicy } from '../../server/engine/index.ts';
import { Rng } from '../generate/prng.ts';
import type { Measurement } from './results.ts';
import { SkipSection, type BenchContext } from './context.ts';
import { SnapshotAnalysis } from '../../server/analysis/snapshot-analysis.ts';

const DAY = 86_400_000;

/** A report per user, group and role: every service its own and its groups' Allow statements name. */
export function withGeneratedEvidence(snapshot: AccountSnapshot, seed: string | number): AccountSnapshot {
  const rng = new Rng(`${seed}-last-accessed`);
  const random = () => rng.next();
  const completed = Date.parse(snapshot.collectedAt ?? '2026-01-01T00:00:00Z');
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const policies = new Map(snapshot.policies.map((p) => [p.arn, defaultDocument(p)]));
  const servicesOf = (docs: string[]) => {
    const out = new Set<string>();
    for (const d of docs)
      for (const s of parsePolicy(d).policy?.statements ?? [])
        if (s.effect === 'Allow')
          for (const a of s.action ?? []) if (a.includes(':')) out.add(a.split(':')[0]!.toLowerCase());
    return [...out].sort();
  };
  const docsOf = (e: { inlinePolicies: { document: string }[]; attachedPolicies: string[] }) => [
    ...e.inlinePolicies.map((p) => p.document),
    ...e.attachedPolicies.flatMap((a) => policies.get(a) ?? []),
  ];
  const groups = new Map(snapshot.groups.map((g) => [g.arn, g]));
  const report = (entityArn: string, services: string[]): LastAccessReport => ({
    entityArn,
    granularity: 'SERVICE_LEVEL',
    jobCreatedAt: iso(completed - 10_000),
    jobCompletedAt: iso(completed),
    trackedSince: iso(completed - 400 * DAY),
    services: services.map((service) => {
      const r = random();
      const last =
        r < 0.4 ? completed - Math.floor(random() * 30) * DAY : r < 0.6 ? completed - 200 * DAY : undefined;
      return { service, name: service, ...(last !== undefined ? { lastAuthenticated: iso(last) } : {}) };
    }),
  });
  const lastAccess = [
    ...snapshot.users.map((u) =>
      report(
        u.arn,
        servicesOf([...docsOf(u), ...u.groups.flatMap((g) => (groups.has(g) ? docsOf(groups.get(g)!) : []))]),
      ),
    ),
    ...snapshot.roles.map((r) => report(r.arn, servicesOf(docsOf(r)))),
    ...snapshot.groups.map((g) => report(g.arn, servicesOf(docsOf(g)))),
  ];
  return { ...snapshot, lastAccess };
}

export async function rightsizeSection(ctx: BenchContext): Promise<Measurement[]> {
  if (!ctx.snapshot) throw new SkipSection('needs the `generate` and `parse` sections');
  const snapshot = withGeneratedEvidence(ctx.snapshot, ctx.options.seed);
  const catalog = await loadCatalog();
  const principals = snapshot.users.length + snapshot.roles.length;
  ctx.log(`  rightsize: ${principals} principals, ${snapshot.groups.length} groups…`);
  const start = performance.now();
  const result = await rightsize(SnapshotAnalysis.of(snapshot), {
    diff: diffOptionsWith(createGrantSource(catalog)),
  });
  const ms = performance.now() - start;
  const proven = result.proposals.filter((p) => p.proof?.ok).length;
  return [
    {
      key: 'rightsize.all',
      section: 'rightsize',
      name: 'rightsize every principal and group, what-if proofs included',
      value: ms,
      unit: 'ms',
      note: `${principals} principals, ${snapshot.groups.length} groups: ${result.proposals.length} proposals, ${proven} proven`,
    },
  ];
}
