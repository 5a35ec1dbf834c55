/**
 * The technique catalog: pathfinding.cloud's paths (YAML shipped beside this file, Apache-2.0, see
 * pathfinding-cloud/SOURCE.md) joined with our reading of each (`PATHFINDING_MODELS`), plus `OUR_RULES`.
 *
 * Loaded once per process (async, like the action catalog). A path without a model, a model without a path, or a
 * model whose permissions differ from the YAML's required permissions is an error: the data and its reading must
 * not drift apart silently when the YAML is updated.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { defaultOn, OUR_RULES, PATHFINDING_MODELS, type TechniqueRule } from './rules.ts';
import { packagePath } from '../../../package-root.ts';

export const PATHFINDING_DIR = packagePath('server/analysis/escalation/techniques/pathfinding-cloud');

const PathShape = z.object({
  id: z.string(),
  name: z.string(),
  category: z.string(),
  description: z.string(),
  permissions: z.object({
    required: z
      .array(z.object({ permission: z.string(), resourceConstraints: z.string().optional() }))
      .min(1),
  }),
  references: z.array(z.object({ title: z.string(), url: z.string() })).optional(),
});
export type PathfindingPath = z.infer<typeof PathShape>;

/** Every pathfinding.cloud path, in id order; errors name the file. */
export async function readPathfindingPaths(dir = PATHFINDING_DIR): Promise<PathfindingPath[]> {
  const root = path.join(dir, 'paths');
  const out: PathfindingPath[] = [];
  for (const service of (await readdir(root)).sort()) {
    for (const file of (await readdir(path.join(root, service))).sort()) {
      if (!/\.(ya?ml|json)$/.test(file)) continue;
      const where = path.join(root, service, file);
      const text = await readFile(where, 'utf8');
      let raw: unknown;
      try {
        raw = file.endsWith('.json') ? JSON.parse(text) : parse(text, { uniqueKeys: false }); // iam-017.yaml repeats a key; later wins, as in PyYAML
      } catch (e) {
        throw new Error(`${where}: not valid YAML/JSON: ${e instanceof Error ? e.message : String(e)}`);
      }
      const parsed = PathShape.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new Error(`${where}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      }
      out.push(parsed.data);
    }
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Joins the YAML with the models; throws on any mismatch. */
export function rulesFromPaths(paths: PathfindingPath[]): TechniqueRule[] {
  const problems: string[] = [];
  const rules: TechniqueRule[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    seen.add(p.id);
    const model = PATHFINDING_MODELS[p.id];
    if (!model) {
      problems.push(`${p.id}: no model in techniques/rules.ts PATHFINDING_MODELS`);
      continue;
    }
    const actions = p.permissions.required.map((r) => r.permission);
    const { on, ...rest } = model;
    for (const action of Object.keys(on ?? {}))
      if (!actions.includes(action))
        problems.push(`${p.id}: the model places ${action}, which the YAML does not require`);
    rules.push({
      id: p.id,
      name: p.name,
      origin: 'pathfinding.cloud',
      category: p.category,
      description: p.description.trim(),
      references: p.references ?? [],
      requires: actions.map((action) => ({ action, on: on?.[action] ?? defaultOn(model.outcome, action) })),
      ...rest,
    });
  }
  for (const id of Object.keys(PATHFINDING_MODELS))
    if (!seen.has(id)) problems.push(`${id}: a model without a pathfinding.cloud path`);
  if (problems.length)
    throw new Error(`technique catalog out of step with its data:\n  ${problems.join('\n  ')}`);
  return [...rules, ...OUR_RULES];
}

let loaded: Promise<TechniqueRule[]> | undefined;

/** The combined catalog (pathfinding.cloud, then ours), loaded once. */
export function loadTechniques(): Promise<TechniqueRule[]> {
  loaded ??= readPathfindingPaths().then(rulesFromPaths);
  loaded.catch(() => (loaded = undefined));
  return loaded;
}
