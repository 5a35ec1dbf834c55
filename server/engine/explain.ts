import type { Tri } from './conditions/expr.ts';
import type { Layer, LayerResults, DecisionFacts } from './evaluate/decide.ts';
import { toMatch, type LayerResult, type StatementMatch } from './evaluate/layers/layer.ts';

export type { StatementMatch };

/** Whether a layer had a matching Allow / Deny: surely, only under a residual condition, or not at all. */
export type Contribution = 'yes' | 'no' | 'conditional';

export interface LayerExplanation {
  layer: Layer;
  /** SCP/RCP org level (0 = root). */
  level?: number;
  allow: Contribution;
  deny: Contribution;
  /** Matching statements, Allow and Deny, in policy order. */
  statements: StatementMatch[];
}

export interface Explanation {
  layers: LayerExplanation[];
  crossAccount: boolean;
  /** true when the resource policy had to allow even in one account (KMS key policy, role trust policy). */
  resourcePolicyRequired: boolean;
  /** Facts worth showing: layers that were not given, rules that were skipped. */
  notes: string[];
}

function contribution(t: Tri): Contribution {
  return t === true ? 'yes' : t === false ? 'no' : 'conditional';
}

function layer(name: Layer, r: LayerResult, level?: number): LayerExplanation {
  return {
    layer: name,
    ...(level !== undefined ? { level } : {}),
    allow: contribution(r.allow),
    deny: contribution(r.deny),
    statements: r.matches.map(toMatch),
  };
}

export function buildExplanation(l: LayerResults, f: DecisionFacts, notes: string[]): Explanation {
  const layers: LayerExplanation[] = [layer('identity', l.identity)];
  if (l.boundary) layers.push(layer('boundary', l.boundary));
  (l.scps ?? []).forEach((r, i) => layers.push(layer('scp', r, i)));
  (l.rcps ?? []).forEach((r, i) => layers.push(layer('rcp', r, i)));
  if (l.resource) layers.push(layer('resource', l.resource));
  if (l.session) layers.push(layer('session', l.session));
  return { layers, crossAccount: f.crossAccount, resourcePolicyRequired: f.resourcePolicyRequired, notes };
}
