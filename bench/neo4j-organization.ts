/**
 * A server's questions about one principal on Neo4j, on a generated organization (broad-IAM shape): imports it
 * into the Neo4j at NEO4J_URI as `accessgraph import` does, then measures, in a fresh process per way of reading
 * the escalation graph (bench/harness/neo4j-queries.ts), the first blast radius after start, blast radius, paths
 * and who-can p50 and the process's peak RSS. The snapshot is deleted afterwards.
 *
 *   NEO4J_URI=bolt://… NEO4J_PASSWORD=… npx tsx bench/neo4j-organization.ts --accounts 4 --principals 500
 */
import { existsSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importBundles } from '../server/app/import-bundles.ts';
import { createNeo4jStore } from '../server/graph/neo4j/neo4j-store.ts';
import { loadCatalog } from './generate/catalog.ts';
import { writeAccount } from './generate/generate-account.ts';
import { generateOrganization } from './generate/generate-organization.ts';
import { queryMeasurements, queryPrincipals, runQueryChildren } from './harness/neo4j-queries.ts';
import { whoCanQueries } from './harness/who-can-indexed.ts';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '4' },
    principals: { type: 'string', default: '500' },
    seed: { type: 'string', default: '1' },
  },
});
const accounts = Number(values.accounts);
const principals = Number(values.principals);
const uri = process.env.NEO4J_URI;
if (!uri || !Number.isInteger(accounts) || accounts < 2 || !Number.isInteger(principals) || principals < 2) {
  process.stderr.write('needs NEO4J_URI, --accounts N (2 or more) and --principals N\n');
  process.exit(2);
}
const connection = {
  uri,
  user: process.env.NEO4J_USER ?? 'neo4j',
  password: process.env.NEO4J_PASSWORD ?? '',
};
const log = (m: string): void => void process.stderr.write(`${m}\n`);

const dir = join(tmpdir(), `accessgraph-neo4j-org-${accounts}-${principals}-${values.seed}`);
if (!existsSync(dir)) {
  log(`generating ${accounts} accounts × ${principals} principals into ${dir}`);
  const options = { accounts, principals, seed: values.seed };
  await generateOrganization(await loadCatalog(), options, (files) => writeAccount({ files }, dir));
}
const store = await createNeo4jStore(connection);
try {
  const importLoad = os.loadavg()[0]!;
  const start = performance.now();
  const [outcome] = await importBundles(store, [dir], { label: `org ${accounts}x${principals}` });
  const importMs = performance.now() - start;
  const info = outcome?.snapshot;
  if (!info) throw new Error(`the organization did not import: ${JSON.stringify(outcome?.diagnostics)}`);
  try {
    const snapshot = (await store.readSnapshot(info.id))!;
    const rows = { derivedEdges: await store.readDerivedEdges(info.id), principalClasses: [] };
    const runs = await runQueryChildren(
      {
        connection,
        snapshotId: info.id,
        principals: queryPrincipals(snapshot, rows),
        whoCan: whoCanQueries(snapshot),
      },
      log,
    );
    const result = {
      organization: { accounts, principalsPerAccount: principals, derivedRows: rows.derivedEdges.length },
      import: { ms: importMs, load: importLoad },
      measurements: queryMeasurements(runs),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await store.deleteSnapshot(info.id);
  }
} finally {
  await store.close();
}
