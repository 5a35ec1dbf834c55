/**
 * The index never misses anyone: for random requests over a generated account, the indexed who-can (shared
 * compiled policies, candidates by service, resource-policy names) equals evaluating every principal from
 * scratch with its own freshly compiled policy set (the brute force of bench/harness/brute-force.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { propertyRuns } from '../../test/support/property.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PRESETS,
  generateAccount,
  writeAccount,
  type GeneratedAccount,
} from '../../bench/generate/generate-account.ts';
import { importBundle } from '../../importers/index.ts';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import { evaluate, renderCondition } from '../engine/index.ts';
import { requestPrincipalOf } from './candidate-index.ts';
import { principalPolicySet, resourcePolicyFor } from './policy-set.ts';
import {
  candidateIndexOf,
  trustPolicyFor,
  whoCanActions,
  type ContextValues,
  type WhoCanQuery,
} from './who-can.ts';
import { SnapshotAnalysis } from './snapshot-analysis.ts';

let dir: string;
let account: GeneratedAccount;
let snapshot: AccountSnapshot;

/** The generated bucket policies as Resources, the way the resource-policies importer records them. */
function withBuckets(s: AccountSnapshot, a: GeneratedAccount): AccountSnapshot {
  // Only for bundles whose import did not read the generated bucket policies.
  if (s.resources.length > 0) return s;
  const resources = a.files
    .filter((f) => f.path.startsWith('resource-policies/s3/'))
    .map((f) => {
      const name = f.path.slice('resource-policies/s3/'.length).replace(/\.get-bucket-policy\.json$/, '');
      return {
        arn: `arn:aws:s3:::${name}`,
        service: 's3',
        type: 'bucket',
        name,
        policy: JSON.stringify(JSON.parse((JSON.parse(f.text) as { Policy: string }).Policy)),
        tags: {},
      };
    });
  return { ...s, resources: [...s.resources, ...resources] };
}

beforeAll(async () => {
  account = await generateAccount({ ...PRESETS.tiny, seed: 'who-can-index' });
  dir = mkdtempSync(join(tmpdir(), 'who-can-index-'));
  await writeAccount(account, dir);
  const result = await importBundle([dir]);
  if (!result.snapshot) throw new Error(JSON.stringify(result.diagnostics.slice(0, 3)));
  snapshot = withBuckets(result.snapshot, account);
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function bruteForce(s: AccountSnapshot, q: WhoCanQuery): string[] {
  // For sts:AssumeRole on a role its trust policy is the resource policy (id_roles_use_permissions-to-switch).
  const resource =
    (/^sts:assumerole$/i.test(q.action) ? trustPolicyFor(s, q.resource) : undefined) ??
    resourcePolicyFor(s, q.resource);
  const out: string[] = [];
  for (const p of [...s.users, ...s.roles]) {
    const set = principalPolicySet(s, p.arn);
    if (!set) continue;
    const context: ContextValues =
      p.kind === 'role' ? { ...q.context, 'aws:PrincipalArn': p.arn } : { ...q.context };
    const r = evaluate(
      { principal: requestPrincipalOf(p), action: q.action, resource: q.resource, context },
      { ...set, ...(resource ? { resource } : {}) },
    );
    if (r.decision !== 'DENIED')
      out.push(`${p.arn} ${r.decision} ${r.conditions ? renderCondition(r.conditions) : ''}`);
  }
  return out.sort();
}

function indexed(s: AccountSnapshot, q: WhoCanQuery): string[] {
  return whoCanActions(SnapshotAnalysis.of(s), [q.action], q)
    .entries.map((e) => `${e.principal.arn} ${e.decision} ${e.conditions ?? ''}`)
    .sort();
}

describe('candidate index vs brute force (generated tiny account)', () => {
  it('every principal compiles', () => {
    expect(candidateIndexOf(snapshot).failures).toEqual([]);
    expect(candidateIndexOf(snapshot).principals).toHaveLength(snapshot.users.length + snapshot.roles.length);
  });

  it('indexed who-can == evaluating every principal, for random requests', () => {
    const buckets = snapshot.resources.map((r) => r.name);
    // Actions the generated policies use plus a few no policy names, so both hits and misses are drawn.
    const actions = [
      's3:GetObject',
      's3:PutObject',
      's3:ListBucket',
      's3:DeleteObject',
      's3:GetBucketPolicy',
      'sns:Publish',
      'sqs:SendMessage',
      'dynamodb:GetItem',
      'ec2:DescribeInstances',
      'iam:PassRole',
      'iam:CreateUser',
      'lambda:CreateFunction',
      'kms:Decrypt',
      'sts:AssumeRole',
      'logs:PutLogEvents',
      'cloudwatch:GetMetricData',
      'glue:GetTable',
      'athena:StartQueryExecution',
      'ssm:GetParameter',
    ];
    const resource = fc.oneof(
      fc.constantFrom(...buckets).map((b) => `arn:aws:s3:::${b}`),
      fc
        .tuple(fc.constantFrom(...buckets), fc.constantFrom('x', 'home/alice/a', 'shared/b', 'exports/c'))
        .map(([b, k]) => `arn:aws:s3:::${b}/${k}`),
      fc.constant('*'),
      fc.constantFrom(...snapshot.roles.map((r) => r.arn)),
    );
    const context = fc.record(
      {
        'aws:SecureTransport': fc.constantFrom('true', 'false'),
        'aws:MultiFactorAuthPresent': fc.constantFrom('true', 'false'),
        'aws:RequestedRegion': fc.constantFrom('eu-central-1', 'us-east-1', 'ap-south-1'),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.constantFrom(...actions), resource, context, (action, res, ctx) => {
        const q: WhoCanQuery = { action, resource: res, context: ctx };
        expect(indexed(snapshot, q)).toEqual(bruteForce(snapshot, q));
      }),
      propertyRuns(60, 4),
    );
    // 60 brute-force sweeps: seconds on a loaded shared machine.
  }, 60_000);
});
