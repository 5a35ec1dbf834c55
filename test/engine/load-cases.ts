/**
 * Reads the engine case corpus and turns a case into the engine's inputs. Policies given as bare documents get
 * stable ids from their position (`identity/0`, `boundary`, `scp/<level>/<n>`, `rcp/<level>/<n>`, `resource`,
 * `session`, `endpoint`), which is what `expect.matched` refers to.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EvaluationRequest, PolicyInput, PolicySet } from '../../server/engine/index.ts';
import { caseFileSchema, type CasePolicy, type EngineCase } from './case-schema.ts';

export const casesRoot = fileURLToPath(new URL('../cases/engine/', import.meta.url));

export interface CaseFile {
  /** Path relative to `test/cases/engine`, e.g. `conditions/string.json`. */
  file: string;
  cases: EngineCase[];
}

function listJson(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? listJson(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : [],
    )
    .sort();
}

/** Every case file, validated; a fixture that does not fit the schema throws with its path and the zod issues. */
export function loadCaseFiles(root = casesRoot): CaseFile[] {
  return listJson(root).map((path) => {
    const file = relative(root, path);
    const parsed = caseFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success)
      throw new Error(`${file}: not a valid case file:\n${JSON.stringify(parsed.error.issues, null, 2)}`);
    const cases = Array.isArray(parsed.data) ? parsed.data : parsed.data.cases;
    return { file, cases };
  });
}

function toInput(p: CasePolicy, id: string): PolicyInput {
  if ('document' in p && p.document !== undefined && !('Statement' in p)) {
    const w = p as { id: string; name?: string; document: string | object; attachedVia?: string[] };
    return {
      id: w.id,
      document: w.document,
      ...(w.name ? { name: w.name } : {}),
      ...(w.attachedVia ? { attachedVia: w.attachedVia } : {}),
    };
  }
  return { id, document: p as object };
}

export function toPolicySet(c: EngineCase): PolicySet {
  const p = c.policies;
  return {
    identity: (p.identity ?? []).map((d, i) => toInput(d, `identity/${i}`)),
    ...(p.boundary ? { boundary: toInput(p.boundary, 'boundary') } : {}),
    ...(p.scps ? { scps: p.scps.map((level, l) => level.map((d, i) => toInput(d, `scp/${l}/${i}`))) } : {}),
    ...(p.rcps ? { rcps: p.rcps.map((level, l) => level.map((d, i) => toInput(d, `rcp/${l}/${i}`))) } : {}),
    ...(p.resource ? { resource: toInput(p.resource, 'resource') } : {}),
    ...(p.session ? { session: toInput(p.session, 'session') } : {}),
    ...(p.endpoint ? { endpoint: toInput(p.endpoint, 'endpoint') } : {}),
  };
}

export function toRequest(c: EngineCase): EvaluationRequest {
  return { ...c.request, ...(c.strictContext !== undefined ? { strictContext: c.strictContext } : {}) };
}

/** Test name: the rule in words plus the AWS page it encodes (docs/style.md §B). */
export function testName(c: EngineCase): string {
  return `${c.name} [${c.doc}]`;
}

/** Every `{ policyId, statementIndex }` the explanation mentions, wherever it nests them. */
export function matchedRefs(explanation: unknown): Array<{ policyId: string; statementIndex: number }> {
  const out: Array<{ policyId: string; statementIndex: number }> = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (typeof o.policyId === 'string' && typeof o.statementIndex === 'number') {
        out.push({ policyId: o.policyId, statementIndex: o.statementIndex });
      }
      Object.values(o).forEach(walk);
    }
  };
  walk(explanation);
  return out;
}

/**
 * The context keys a residual condition depends on, lower-cased and sorted: each leaf's `key` (a Resource
 * pattern leaf, operator `ResourceMatches`, contributes only its `variables`) and any unknown variable keys.
 */
export function residualKeysOf(conditions: unknown): string[] {
  const keys = new Set<string>();
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (typeof o.operator === 'string' && typeof o.key === 'string' && o.operator !== 'ResourceMatches')
        keys.add(o.key.toLowerCase());
      if (Array.isArray(o.variables))
        o.variables.forEach((v) => typeof v === 'string' && keys.add(v.toLowerCase()));
      Object.values(o).forEach(walk);
    }
  };
  walk(conditions);
  return [...keys].sort();
}
