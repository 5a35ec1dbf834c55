/**
 * A generated bundle (every source the importers read: GAAD, credential report, password policy, the organization
 * with SCPs and RCPs, every kind of resource policy) through the app's import path into the embedded store and
 * into Neo4j: both must read back the same snapshot, escalation edges, graph and lookups. The contract tests use
 * a hand-built snapshot; this one catches a field of a real import that one store drops or reshapes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAccount, PRESETS, writeAccount } from '../../bench/generate/generate-account.ts';
import { blastRadius } from '../../server/analysis/escalation/blast-radius.ts';
import { buildEscalationGraph, type EscalationGraph } from '../../server/analysis/escalation/index.ts';
import { SnapshotAnalysis } from '../../server/analysis/snapshot-analysis.ts';
import { importBundles } from '../../server/app/import-bundles.ts';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import { createNeo4jStore } from '../../server/graph/neo4j/neo4j-store.ts';
import type { GraphStore, SnapshotInfo } from '../../server/graph/store.ts';
import { testNeo4jConnection } from '../support/neo4j.ts';
import { freshAccountId } from './graph-store.contract.ts';
import { escalationGraph } from '../../server/analysis/escalation/analysis-graph.ts';

describe('a generated bundle in both stores', () => {
  // An account id of its own: other Neo4j test files share the database.
  const accountId = freshAccountId();
  let dir: string;
  let memory: GraphStore;
  let neo: GraphStore;
  let inMemory: SnapshotInfo;
  let inNeo4j: SnapshotInfo;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accessgraph-generated-'));
    await writeAccount(await generateAccount({ ...PRESETS.tiny, seed: 'both-stores', accountId }), dir);
    memory = createMemoryStore();
    neo = await createNeo4jStore(testNeo4jConnection());
    const [m] = await importBundles(memory, [dir], { label: 'generated' });
    const [n] = await importBundles(neo, [dir], { label: 'generated' });
    expect(m!.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    inMemory = m!.snapshot!;
    inNeo4j = n!.snapshot!;
  });
  afterAll(async () => {
    if (inNeo4j) await neo.deleteSnapshot(inNeo4j.id);
    await neo?.close();
    await memory?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('loads with the same counts and warnings', () => {
    const { id: _m, loadedAt: _ml, ...m } = inMemory;
    const { id: _n, loadedAt: _nl, ...n } = inNeo4j;
    expect(n).toEqual(m);
    expect(m.accountId).toBe(accountId);
  });

  it('reads back the same snapshot, every source included', async () => {
    const fromMemory = (await memory.readSnapshot(inMemory.id))!;
    const fromNeo4j = (await neo.readSnapshot(inNeo4j.id))!;
    expect(fromNeo4j).toEqual(fromMemory);
    // What makes this more than the GAAD: the organization and resource-policy sources are in what both stores
    // gave back.
    expect(new Set(fromNeo4j.resources.map((r) => r.service))).toEqual(
      new Set(['s3', 'sns', 'sqs', 'kms', 'secretsmanager', 'lambda', 'ecr']),
    );
    expect(fromNeo4j.organization?.policies.map((p) => p.name)).toEqual([
      'FullAWSAccess',
      'ProtectAuditTrail',
      'ProtectSecurityServices',
      'RCPFullAWSAccess',
      'FreezeResourcePolicies',
    ]);
    expect(fromNeo4j.users.filter((u) => u.credentials !== undefined)).toHaveLength(PRESETS.tiny.users);
    expect(fromNeo4j.passwordPolicy).toBeDefined();
    expect(fromNeo4j.accounts.find((a) => a.id === accountId)?.root).toBeDefined();
  });

  it('reads back the same escalation edges, principal classes and graph', async () => {
    const edges = await memory.readDerivedEdges(inMemory.id);
    expect(edges.length).toBeGreaterThan(0);
    expect(await neo.readDerivedEdges(inNeo4j.id)).toEqual(edges);
    const classes = await memory.readPrincipalClasses(inMemory.id);
    expect(classes.length).toBeGreaterThan(0);
    expect(await neo.readPrincipalClasses(inNeo4j.id)).toEqual(classes);
    const whole = await memory.graph(inMemory.id, undefined, 1);
    expect(whole.edges.length).toBeGreaterThan(0);
    expect(await neo.graph(inNeo4j.id, undefined, 1)).toEqual(whole);
  });

  it('answers the same lookups for a resource of each service and for principals', async () => {
    const s = (await memory.readSnapshot(inMemory.id))!;
    for (const service of ['s3', 'sns', 'sqs', 'kms', 'secretsmanager', 'lambda', 'ecr']) {
      const r = s.resources.find((x) => x.service === service)!;
      const [m, n] = await Promise.all([
        memory.getResource(inMemory.id, r.arn),
        neo.getResource(inNeo4j.id, r.arn),
      ]);
      expect(m, r.arn).toEqual(r);
      expect(n, r.arn).toEqual(m);
      const [gm, gn] = await Promise.all([
        memory.graph(inMemory.id, r.arn, 1),
        neo.graph(inNeo4j.id, r.arn, 1),
      ]);
      expect(gn, r.arn).toEqual(gm);
    }
    const [pm, pn] = await Promise.all([
      memory.listPrincipals(inMemory.id, { kind: 'role' }, 10),
      neo.listPrincipals(inNeo4j.id, { kind: 'role' }, 10),
    ]);
    expect(pm.items).toHaveLength(10);
    expect(pn).toEqual(pm);
  });

  it('answers blast radius from the Neo4j-stored graph as from the graph built afresh', async () => {
    const analysis = (await SnapshotAnalysis.open(neo, inNeo4j.id))!;
    const { snapshot } = analysis;
    const stored = await escalationGraph(analysis);
    const built = await buildEscalationGraph(snapshot);
    expect(stored.fanOut?.length).toBe(built.fanOut?.length);
    const reached = (g: EscalationGraph, arn: string): string[] => {
      const r = blastRadius(g, snapshot, arn);
      if (r.kind !== 'ok') throw new Error(`${arn}: ${r.kind}`);
      return r.answer.principals.map((p) => `${p.arn} ${p.hops} ${p.conditional}`).sort();
    };
    const sources = [...new Set(built.fanOut!.map((f) => f.from))];
    expect(sources.length).toBeGreaterThan(0);
    for (const arn of sources) expect(reached(stored, arn), arn).toEqual(reached(built, arn));
  });
});
