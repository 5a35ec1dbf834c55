import type { ConditionExpr, Tri } from './conditions/expr.ts';
import { renderCondition } from './conditions/expr.ts';
import type { DenialKind, Layer, LayerResults, DecisionFacts } from './evaluate/decide.ts';
import type { ServiceRule } from './services/rules.ts';
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
  if (l.endpoint) layers.push(layer('endpoint', l.endpoint));
  return { layers, crossAccount: f.crossAccount, resourcePolicyRequired: f.resourcePolicyRequired, notes };
}

const LAYER_NAMES: Record<Layer, string> = {
  identity: 'the identity-based policies',
  boundary: 'the permissions boundary',
  scp: 'the SCPs',
  rcp: 'the RCPs',
  resource: 'the resource-based policy',
  session: 'the session policy',
  endpoint: 'the VPC endpoint policy',
};

function layerName(layer: Layer, level?: number): string {
  return level !== undefined ? `${LAYER_NAMES[layer]} at org level ${level}` : LAYER_NAMES[layer];
}

/**
 * One line for people (CLI, UI tooltips): `ALLOWED`, `ALLOWED if aws:MultiFactorAuthPresent = true`,
 * `DENIED: explicit Deny in the SCPs at org level 1 (p-deny, Statement[0] "DenyS3")`,
 * `DENIED: no Allow in the permissions boundary`; with a service rule, `DENIED: <its reason>`.
 */
export function summarizeResult(r: {
  decision: 'ALLOWED' | 'DENIED' | 'CONDITIONAL';
  deniedBy?: { kind: DenialKind; layer: Layer; level?: number };
  conditions?: ConditionExpr;
  serviceRule?: ServiceRule;
  explanation: Explanation;
}): string {
  if (r.serviceRule) return `${r.decision}: ${r.serviceRule.reason}`;
  if (r.decision === 'ALLOWED') return 'ALLOWED';
  if (r.decision === 'CONDITIONAL') return `ALLOWED if ${renderCondition(r.conditions ?? true)}`;
  const by = r.deniedBy;
  if (!by) return 'DENIED';
  if (by.kind === 'implicit') return `DENIED: no Allow in ${layerName(by.layer, by.level)}`;
  const layer = r.explanation.layers.find((l) => l.layer === by.layer && l.level === by.level);
  const st = layer?.statements.find((s) => s.effect === 'Deny' && !s.conditional);
  const where = st
    ? ` (${st.policyName ?? st.policyId}, Statement[${st.statementIndex}]${st.sid ? ` "${st.sid}"` : ''})`
    : '';
  return `DENIED: explicit Deny in ${layerName(by.layer, by.level)}${where}`;
}
