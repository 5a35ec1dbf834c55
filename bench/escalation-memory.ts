/**
 * Where the escalation build's memory goes, on a generated broad-IAM account or organization: the heap after
 * each phase (read, build, stored rows), with the graph's parts counted (edges, steps into admin-equivalent class
 * members, fan-out entries, evidence statements and their distinct objects, stored evidence text).
 *
 *   node --expose-gc --import tsx bench/escalation-memory.ts [--principals 2000] [--accounts N] [--seed 1]
 *
 * Prints one JSON object. Heap figures are after a full GC (`--expose-gc`), in MB.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importBundle } from '../importers/index.ts';
import { buildEscalationGraph } from '../server/analysis/escalation/index.ts';
import { toStoredRows } from '../server/analysis/escalation/stored.ts';
import type { MatchedStatement } from '../server/analysis/who-can.ts';
import { loadCatalog } from './generate/catalog.ts';
import { broadIamSize, generateAccountWith, writeAccount } from './generate/generate-account.ts';
import { generateOrganization } from './generate/generate-organization.ts';

const { values } = parseArgs({
  options: {
    principals: { type: 'string', default: '2000' },
    accounts: { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const heapMb = (): number => {
  gc();
  return Math.round(process.memoryUsage().heapUsed / 2 ** 20);
};

const principals = Number(values.principals);
const dir = await mkdtemp(join(tmpdir(), 'accessgraph-memory-'));
try {
  const catalog = await loadCatalog();
  if (values.accounts)
    await generateOrganization(
      catalog,
      { accounts: Number(values.accounts), principals, seed: values.seed },
      (files) => writeAccount({ files }, dir),
    );
  else await writeAccount(generateAccountWith(catalog, { ...broadIamSize(principals), seed: values.seed }), dir);
  const heap: Record<string, number> = { start: heapMb() };
  const { snapshot } = await importBundle([dir], {});
  if (!snapshot) throw new Error('the bundle did not import');
  heap.snapshot = heapMb();
  const graph = await buildEscalationGraph(snapshot);
  heap.graph = heapMb();

  const evidence = new Set<MatchedStatement>();
  const arrays = new Set<readonly MatchedStatement[]>();
  let statements = 0;
  const count = (list: readonly MatchedStatement[]) => {
    arrays.add(list);
    statements += list.length;
    for (const e of list) evidence.add(e);
  };
  const stepsToAdmins = new Set<string>();
  for (const f of graph.fanOut ?? []) {
    count(f.evidence);
    for (const t of f.targets)
      if (graph.admins.has(t) && t !== f.from) stepsToAdmins.add(`${f.from}\u0000${t}\u0000${f.technique}`);
  }
  let companions = 0;
  for (const e of graph.edges) {
    count(e.evidence);
    if (stepsToAdmins.has(`${e.from}\u0000${e.to}\u0000${e.technique}`)) companions++;
  }
  let pathChars = 0;
  for (const e of evidence) pathChars += e.path.length;

  const rows = toStoredRows(graph);
  heap.rows = heapMb();
  let evidenceBytes = 0;
  for (const r of rows.derivedEdges) evidenceBytes += Buffer.byteLength(r.evidence);

  console.log(
    JSON.stringify(
      {
        principals: snapshot.users.length + snapshot.roles.length,
        heapMb: heap,
        edges: graph.edges.length,
        companionEdges: companions,
        fanOutEntries: graph.fanOut?.length ?? 0,
        classes: new Set((graph.fanOut ?? []).map((f) => f.targets)).size,
        admins: graph.admins.size,
        evidence: {
          statements,
          distinctObjects: evidence.size,
          distinctArrays: arrays.size,
          pathChars,
        },
        storedRows: rows.derivedEdges.length,
        storedEvidenceMb: Math.round(evidenceBytes / 2 ** 20),
        maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      },
      null,
      2,
    ),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
