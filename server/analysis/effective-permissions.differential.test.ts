/**
 * The two effective-permissions implementations held to each other where their meanings meet (README.md, "Who
 * computes effective permissions today"): `access.ts` (access panel, blast radius, resource view, right-size) and
 * `what-if/grants.ts` (what-if and diff), both with the organization's SCPs and RCPs:
 *
 * - scopes: every identity scope access() lists (its pattern as written, `${aws:username}` substituted for a
 *   user; a `within` scope, a narrower pattern that replaces a denied one, aside) is a grants.ts scope grant with
 *   the same decision and condition, and every grants.ts scope grant is one of access()'s (both keep only the
 *   patterns that fit the action's resource types);
 * - known resources: every grant grants.ts lists on a resource whose policy names the principal, on the resource
 *   or `bucket/*` for an action of that resource type (object actions on `bucket/*`), is in access()'s resources
 *   section with the same decision and condition.
 *
 * On the demo and on generated accounts (SEED/RUNS widen the search: test/README.md, "Property tests").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateAccount, writeAccount } from '../../bench/generate/generate-account.ts';
import { snapshotWithBuckets } from '../../bench/harness/who-can-indexed.ts';
import { importBundle } from '../../importers/index.ts';
import type { AccountSnapshot, Principal } from '../../schema/snapshot.ts';
import { importDemo } from '../../test/api/demo-fixture.ts';
import { propertyRuns } from '../../test/support/property.ts';
import { loadCatalog, type ActionCatalog } from '../engine/index.ts';
import { accessWithCatalog } from './access.ts';
import { SnapshotAnalysis } from './snapshot-analysis.ts';
import { createGrantSource } from './what-if/grants.ts';

let catalog: ActionCatalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

const verdict = (x: { decision: string; conditions?: string }) => `${x.decision} ${x.conditions ?? ''}`;

/** Both implementations' answers for every principal of `snapshot`, as comparable maps; counts what was compared. */
function compare(snapshot: AccountSnapshot): { scopes: number; known: number } {
  const source = createGrantSource(catalog);
  const analysis = SnapshotAnalysis.of(snapshot);
  let scopes = 0;
  let known = 0;
  for (const p of [...snapshot.users, ...snapshot.roles] as Principal[]) {
    const answer = accessWithCatalog(catalog, analysis, p.arn)!;
    const grants = source.grants(snapshot, p.arn);
    const substituted = (pattern: string) =>
      p.kind === 'user' ? pattern.replaceAll('${aws:username}', p.name) : pattern;
    const fromAccess = new Map<string, string>();
    for (const svc of answer.services)
      for (const level of svc.levels)
        for (const a of level.actions)
          for (const s of a.scopes)
            if (!s.cuts.some((c) => c.how === 'within'))
              fromAccess.set(`${a.action} ${substituted(s.pattern)}`, verdict(s));
    const fromGrants = new Map<string, string>();
    for (const g of grants) if (!g.known) fromGrants.set(`${g.action} ${g.resource}`, verdict(g));
    expect(
      [...fromGrants].filter(([k, v]) => fromAccess.get(k) !== v),
      `${p.name}: grants.ts scopes access() does not list alike`,
    ).toEqual([]);
    expect(
      [...fromAccess].filter(([k, v]) => fromGrants.get(k) !== v),
      `${p.name}: access() scopes grants.ts does not list alike`,
    ).toEqual([]);
    scopes += fromAccess.size;
    const onResources = new Map<string, string>();
    for (const r of answer.resources)
      for (const level of r.levels)
        for (const g of level.grants)
          if (!g.partial) for (const action of g.actions) onResources.set(`${action} ${g.scope}`, verdict(g));
    for (const g of grants) {
      if (!g.known) continue;
      const r = snapshot.resources.find((x) => g.resource === x.arn || g.resource === `${x.arn}/*`);
      // access() asks each action on the resource (or a bucket's objects) of its own resource type.
      const type = g.resource === r?.arn ? r.type.toLowerCase() : 'object';
      if (!r || !catalog.resourceTypes(g.action).some((t) => t.name.toLowerCase() === type)) continue;
      expect(onResources.get(`${g.action} ${g.resource}`), `${p.name} ${g.action} ${g.resource}`).toBe(
        verdict(g),
      );
      known++;
    }
  }
  return { scopes, known };
}

describe('access.ts and what-if/grants.ts agree where their meanings meet', () => {
  it('on the demo account, with its organization (SCP ProtectAccount)', async () => {
    const demo = await importDemo();
    expect(demo.organization?.policies.map((p) => p.name)).toContain('ProtectAccount');
    const counts = compare(demo);
    // Not vacuous: the admins' thousands of scopes; the engineering bucket's and the secret's named grants.
    expect(counts.scopes).toBeGreaterThan(1000);
    expect(counts.known).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('on generated accounts with buckets and their policies, with their organization', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1_000_000 }), async (seed) => {
        const account = await generateAccount({
          users: 12,
          groups: 4,
          roles: 8,
          managedPolicies: 10,
          buckets: 4,
          seed: `differential-${seed}`,
        });
        const dir = mkdtempSync(join(tmpdir(), 'differential-'));
        try {
          await writeAccount(account, dir);
          const result = await importBundle([dir]);
          if (!result.snapshot) throw new Error(JSON.stringify(result.diagnostics.slice(0, 3)));
          const snapshot = snapshotWithBuckets(result.snapshot, account);
          // Not vacuous: the SCP layers are there to apply.
          expect(snapshot.organization?.policies.length).toBeGreaterThan(0);
          const counts = compare(snapshot);
          expect(counts.scopes).toBeGreaterThan(0);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      propertyRuns(2, 16),
    );
  }, 300_000);
});
