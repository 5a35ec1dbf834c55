/**
 * access never misses or invents a grant on a known resource: on a generated account, for a spread of principals,
 * every listed decision on every bucket (and `bucket/*`) equals evaluating the request from scratch with the
 * principal's policy set and the bucket's side (policy, account, RCPs) — and nothing unlisted is allowed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS, generateAccount, writeAccount } from '../../bench/generate/generate-account.ts';
import { snapshotWithBuckets } from '../../bench/harness/who-can-indexed.ts';
import { importBundle } from '../../importers/index.ts';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import { evaluate } from '../engine/index.ts';
import { access } from './access.ts';
import { requestPrincipalOf } from './candidate-index.ts';
import { principalPolicySet, resourceSideFor } from './policy-set.ts';
import { SnapshotAnalysis } from './snapshot-analysis.ts';

const ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket', 's3:GetBucketPolicy'];
const OBJECT_ACTIONS = new Set(['s3:GetObject', 's3:PutObject', 's3:DeleteObject']);

let dir: string;
let snapshot: AccountSnapshot;

beforeAll(async () => {
  const account = await generateAccount({ ...PRESETS.tiny, seed: 'access-brute-force' });
  dir = mkdtempSync(join(tmpdir(), 'access-brute-force-'));
  await writeAccount(account, dir);
  const result = await importBundle([dir]);
  if (!result.snapshot) throw new Error(JSON.stringify(result.diagnostics.slice(0, 3)));
  snapshot = snapshotWithBuckets(result.snapshot, account);
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('access on known resources vs evaluating each request', () => {
  it('agrees for every principal, bucket and sampled s3 action', async () => {
    const principals = [...snapshot.users, ...snapshot.roles];
    const buckets = snapshot.resources.filter((r) => r.service === 's3');
    expect(buckets.length).toBeGreaterThan(0);
    let allowedSomewhere = 0;
    for (const p of principals) {
      const a = (await access(SnapshotAnalysis.of(snapshot), p.arn, { service: 's3' }))!;
      const listed = new Map<string, string>();
      for (const r of a.resources)
        for (const l of r.levels)
          for (const g of l.grants)
            if (!g.partial) for (const action of g.actions) listed.set(`${action} ${g.scope}`, g.decision);
      const set = principalPolicySet(snapshot, p.arn)!;
      for (const b of buckets) {
        for (const action of ACTIONS) {
          const resource = OBJECT_ACTIONS.has(action) ? `${b.arn}/*` : b.arn;
          const side = resourceSideFor(snapshot, resource);
          const direct = evaluate(
            {
              principal: requestPrincipalOf(p),
              action,
              resource,
              ...(side.resourceAccount ? { resourceAccount: side.resourceAccount } : {}),
              context: p.kind === 'role' ? { 'aws:PrincipalArn': p.arn } : {},
            },
            {
              ...set,
              ...(side.resource ? { resource: side.resource } : {}),
              ...(side.rcps ? { rcps: side.rcps } : {}),
            },
          );
          const got = listed.get(`${action} ${resource}`) ?? 'DENIED';
          if (got !== 'DENIED') allowedSomewhere++;
          expect(`${p.name} ${action} ${resource} ${got}`).toBe(
            `${p.name} ${action} ${resource} ${direct.decision}`,
          );
        }
      }
    }
    // Not vacuous: the generated account grants bucket access to someone.
    expect(allowedSomewhere).toBeGreaterThan(0);
  }, 120_000);
});
