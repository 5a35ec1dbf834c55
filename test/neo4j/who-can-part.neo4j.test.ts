/**
 * who-can on Neo4j reads only the question's candidates through indexed Cypher (`readSnapshotPart`: principals
 * whose policies could allow the action's service, those the resource or trust policy names, their groups,
 * policies and boundaries) and evaluates them with the same engine. Its answers must be those of who-can over the
 * whole snapshot from the memory store, entry for entry: on the demo and on a generated account with bucket
 * policies, for services, buckets, roles (trust policies) and `*`, with and without a complete context.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAccount, writeAccount } from '../../bench/generate/generate-account.ts';
import { parsePolicy } from '../../server/engine/index.ts';
import { policyNames } from '../../server/analysis/policy-principals.ts';
import { resourcePolicyFor } from '../../server/analysis/policy-set.ts';
import { SnapshotAnalysis } from '../../server/analysis/snapshot-analysis.ts';
import { whoCan, type WhoCanQuery } from '../../server/analysis/who-can.ts';
import { whoCanFromStore } from '../../server/analysis/who-can-store.ts';
import { importBundles } from '../../server/app/import-bundles.ts';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import { createNeo4jStore } from '../../server/graph/neo4j/neo4j-store.ts';
import type { GraphStore } from '../../server/graph/store.ts';
import { freshAccountId } from '../contract/graph-store.contract.ts';
import { DEMO_DIR } from '../api/demo-fixture.ts';
import { testNeo4jConnection } from '../support/neo4j.ts';

interface Loaded {
  memory: SnapshotAnalysis;
  neoId: string;
  queries: WhoCanQuery[];
}

let memoryStore: GraphStore;
let neo: GraphStore;
let generatedDir: string;
const loaded: Record<'demo' | 'generated', Loaded | undefined> = { demo: undefined, generated: undefined };

const ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  's3:Put*',
  'sns:Publish',
  'sqs:SendMessage',
  'kms:Decrypt',
  'iam:PassRole',
  'iam:CreateAccessKey',
  'lambda:InvokeFunction',
  'ec2:DescribeInstances',
];
const CONTEXT = { 'aws:SecureTransport': 'true', 'aws:MultiFactorAuthPresent': 'true' };

async function load(dir: string): Promise<Loaded> {
  const [m] = await importBundles(memoryStore, [dir]);
  const [n] = await importBundles(neo, [dir]);
  const memory = (await SnapshotAnalysis.open(memoryStore, m!.snapshot!.id))!;
  const s = memory.snapshot;
  const objects = s.resources.filter((r) => r.service === 's3').map((r) => `${r.arn}/data/report.csv`);
  const others = s.resources.filter((r) => r.service !== 's3').map((r) => r.arn);
  const roles = s.roles
    .map((r) => r.arn)
    .filter((_, i) => i % Math.max(1, Math.ceil(s.roles.length / 8)) === 0);
  const queries: WhoCanQuery[] = [];
  ACTIONS.forEach((action, i) => {
    const resources = action.startsWith('s3:') ? objects.slice(0, 6) : ['*', ...others.slice(0, 3)];
    for (const resource of resources)
      queries.push({ action, resource, context: CONTEXT, strictContext: i % 2 === 0 });
  });
  for (const resource of roles) {
    queries.push({ action: 'sts:AssumeRole', resource });
    queries.push({ action: 'iam:PassRole', resource, context: CONTEXT, strictContext: true });
  }
  return { memory, neoId: n!.snapshot!.id, queries };
}

beforeAll(async () => {
  memoryStore = createMemoryStore();
  neo = await createNeo4jStore(testNeo4jConnection());
  generatedDir = await mkdtemp(join(tmpdir(), 'accessgraph-who-can-part-'));
  const size = { users: 150, groups: 12, roles: 150, managedPolicies: 60, buckets: 10 };
  await writeAccount(await generateAccount({ ...size, seed: 2, accountId: freshAccountId() }), generatedDir);
  loaded.demo = await load(DEMO_DIR);
  loaded.generated = await load(generatedDir);
}, 300_000);

afterAll(async () => {
  for (const l of Object.values(loaded)) if (l) await neo.deleteSnapshot(l.neoId);
  await neo?.close();
  await memoryStore?.close();
  if (generatedDir) await rm(generatedDir, { recursive: true, force: true });
});

describe.each(['demo', 'generated'] as const)('%s: who-can from Cypher', (name) => {
  it('answers every question as who-can over the whole snapshot, reading fewer principals', async () => {
    const l = loaded[name]!;
    expect(l.queries.length).toBeGreaterThan(20);
    let answered = 0;
    let allowed = 0;
    let partial = 0;
    for (const q of l.queries) {
      const fromPart = await whoCanFromStore(neo, l.neoId, q);
      const whole = await whoCan(l.memory, q);
      const policy = resourcePolicyFor(l.memory.snapshot, q.resource);
      const parsed = policy && parsePolicy(policy.document, { kind: 'resource' }).policy;
      // Only a resource policy that names everyone (`"Principal": "*"`) needs every principal read.
      if (parsed && policyNames(parsed) === 'all') {
        expect(fromPart, `${q.action} on ${q.resource}`).toBeUndefined();
        continue;
      }
      expect(fromPart, `${q.action} on ${q.resource}`).toEqual(whole);
      answered++;
      allowed += whole.entries.length;
      if (whole.evaluated < whole.principals) partial++;
    }
    // Not vacuous: most questions are answered from a part, principals are allowed, and most need only some.
    expect(answered).toBeGreaterThan(l.queries.length / 2);
    expect(allowed).toBeGreaterThan(answered);
    expect(partial).toBeGreaterThan(answered / 2);
  }, 300_000);

  it('leaves questions about every principal to the whole snapshot', async () => {
    const l = loaded[name]!;
    const q = l.queries[0]!;
    expect(await whoCanFromStore(neo, l.neoId, { ...q, includeDenied: true })).toBeUndefined();
    expect(await whoCanFromStore(neo, l.neoId, { ...q, includeIndirect: true })).toBeUndefined();
    expect(
      await whoCanFromStore(neo, l.neoId, { action: 'sts:GetCallerIdentity', resource: '*' }),
    ).toBeUndefined();
    expect(await whoCanFromStore(memoryStore, l.neoId, q)).toBeUndefined();
  });
});
