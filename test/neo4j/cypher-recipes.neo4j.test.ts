/**
 * Every Cypher block of docs/cypher-recipes.md runs against a real Neo4j holding the hand-built escalation graph
 * of server/analysis/escalation/test-graph.ts (with its class-wide techniques: frank and Audit can create a key for
 * every user), and returns what the recipe's heading promises. A recipe without an
 * expectation here fails the test, so new recipes get checked too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from 'neo4j-driver';
import { toStoredRows } from '../../server/analysis/escalation/stored.ts';
import { testGraphWithFanOut, testSnapshot } from '../../server/analysis/escalation/test-graph.ts';
import { toNumber } from '../../server/graph/neo4j/load.ts';
import { createNeo4jStore } from '../../server/graph/neo4j/neo4j-store.ts';
import type { GraphStore, SnapshotInfo } from '../../server/graph/store.ts';
import { openTestDriver, testNeo4jConnection } from '../support/neo4j.ts';
import { ROOT } from '../cli/run-cli.ts';

/** `### heading` → the first ```cypher block under it. */
export function recipes(markdown: string): { title: string; cypher: string }[] {
  const out: { title: string; cypher: string }[] = [];
  let title: string | undefined;
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const h = /^### (.+)$/.exec(lines[i]!);
    if (h) title = h[1]!;
    if (lines[i] === '```cypher' && title) {
      const end = lines.indexOf('```', i + 1);
      out.push({ title, cypher: lines.slice(i + 1, end).join('\n') });
      title = undefined;
      i = end;
    }
  }
  return out;
}

const plain = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(plain) : typeof v === 'object' && v !== null && 'low' in v ? toNumber(v) : v;

const EXPECTED: Record<string, unknown[]> = {
  'Shortest path from a user to admin': [
    { principals: ['bob', 'ADMIN'], techniques: ['iam:CreatePolicyVersion'], conditionalSteps: 0 },
  ],
  // frank only through the class of every user: frank -> class -> erin -> Audit -> ADMIN.
  'Every user with a path to admin, and the length of the shortest': [
    { user: 'bob', steps: 1 },
    { user: 'dave', steps: 2 },
    { user: 'erin', steps: 2 },
    { user: 'carol', steps: 3 },
    { user: 'frank', steps: 3 },
  ],
  'Paths to admin that need no condition (no MFA, ExternalId, source IP, … to satisfy)': [
    { techniques: ['iam:CreatePolicyVersion'] },
    { techniques: ['sts:AssumeRole', 'iam:PassRole+lambda:CreateFunction', 'admin-equivalent'] },
  ],
  // Audit, erin (through Audit) and frank reach Ops through the class: a member (carol) assumes Deploy.
  'Everyone who can reach a role': [
    { principal: 'Audit' },
    { principal: 'Deploy' },
    { principal: 'bob' },
    { principal: 'carol' },
    { principal: 'dave' },
    { principal: 'erin' },
    { principal: 'frank' },
  ],
  'Admin-equivalent principals, and under which conditions': [
    { principal: 'Audit', conditional: true, conditions: ['aws:MultiFactorAuthPresent = true'] },
    { principal: 'Ops', conditional: false, conditions: [] },
  ],
  'Techniques that reach a whole class of principals': [
    {
      principal: 'Audit',
      technique: 'iam:CreateAccessKey',
      class: 'every user of account 111122223333',
      reaches: 3,
    },
    {
      principal: 'frank',
      technique: 'iam:CreateAccessKey',
      class: 'every user of account 111122223333',
      reaches: 2,
    },
  ],
  'Escalation edges by technique': [
    { technique: 'iam:CreateAccessKey', edges: 3 },
    { technique: 'iam:AttachUserPolicy', edges: 1 },
    { technique: 'iam:CreatePolicyVersion', edges: 1 },
    { technique: 'iam:PassRole+lambda:CreateFunction', edges: 1 },
  ],
  'The evidence of one step': [
    { technique: 'iam:AttachUserPolicy', evidence: 'AttachSelf' },
    { technique: 'iam:CreatePolicyVersion', evidence: 'PolicyEditor' },
  ],
};

let store: GraphStore;
let driver: Driver;
let info: SnapshotInfo;

beforeAll(async () => {
  store = await createNeo4jStore(testNeo4jConnection());
  driver = openTestDriver();
  info = await store.load(testSnapshot(), toStoredRows(testGraphWithFanOut()));
}, 120_000);

afterAll(async () => {
  if (info) await store.deleteSnapshot(info.id);
  await store?.close();
  await driver?.close();
});

const docs = recipes(readFileSync(join(ROOT, 'docs', 'cypher-recipes.md'), 'utf8'));

describe('docs/cypher-recipes.md', () => {
  it('has recipes, each with an expectation here', () => {
    expect(docs.length).toBeGreaterThan(5);
    expect(docs.map((r) => r.title).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(docs)('$title', async ({ title, cypher }) => {
    const result = await driver.executeQuery(cypher, {
      snapshotId: info.id,
      user: 'bob',
      role: 'Ops',
    });
    const rows = result.records.map((r) => {
      const o = r.toObject() as Record<string, unknown>;
      // Evidence is JSON text: compare the policy it names.
      if (typeof o.evidence === 'string')
        o.evidence = (JSON.parse(o.evidence) as { policyName: string }[])[0]!.policyName;
      return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, plain(v)]));
    });
    expect(rows).toEqual(EXPECTED[title]);
  });
});
