/** The cytoscape stylesheet, a pure function of the kind tables (Kibana's service map keeps it this way). */
import { EDGE_KIND_STYLE, EDGE_KINDS, EXPLANATION_EDGE_KINDS, NODE_KIND_STYLE, NODE_KINDS } from './kinds.ts';

/** What-if escalation edges: gained in green, lost in red (the legend uses the same). */
export const ESCALATION_ADDED = '#16a34a';
export const ESCALATION_REMOVED = '#dc2626';

export interface StyleRule {
  selector: string;
  style: Record<string, string | number>;
}

export function stylesheet(): StyleRule[] {
  const rules: StyleRule[] = [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        'font-size': 11,
        'font-family': 'system-ui, sans-serif',
        color: '#1f2937',
        'text-valign': 'bottom',
        'text-margin-y': 4,
        'text-max-width': '140px',
        'text-wrap': 'ellipsis',
        // Skip labels too small to read when zoomed out: on a 2,000-element account this is most of the draw.
        'min-zoomed-font-size': 7,
        width: 28,
        height: 28,
        'border-width': 0,
      },
    },
    {
      selector: 'edge',
      style: {
        width: 1.5,
        'curve-style': 'bezier',
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.8,
        opacity: 0.8,
      },
    },
  ];
  for (const kind of NODE_KINDS) {
    const s = NODE_KIND_STYLE[kind];
    rules.push({
      selector: `node[kind = "${kind}"]`,
      style: { 'background-color': s.color, shape: s.shape },
    });
  }
  for (const kind of [...EDGE_KINDS, ...EXPLANATION_EDGE_KINDS]) {
    const s = EDGE_KIND_STYLE[kind];
    rules.push({
      selector: `edge[kind = "${kind}"]`,
      style: {
        'line-color': s.color,
        'target-arrow-color': s.color,
        'source-arrow-color': s.color,
        'line-style': s.dashed ? 'dashed' : 'solid',
      },
    });
  }
  rules.push(
    // Drawn policy → resource for layering (to-elements.ts), but the relationship reads resource → policy.
    {
      selector: 'edge[?reversed]',
      style: { 'target-arrow-shape': 'none', 'source-arrow-shape': 'triangle' },
    },
    {
      selector: 'node[aggregate]',
      style: {
        width: 40,
        height: 40,
        'background-opacity': 0.35,
        'border-width': 2,
        'border-style': 'dashed',
        'border-color': NODE_KIND_STYLE.USER.color,
        'font-weight': 'bold',
      },
    },
    {
      selector: 'node[?focus]',
      style: { 'border-width': 4, 'border-color': '#111827', width: 36, height: 36 },
    },
    {
      selector: 'node:selected',
      style: { 'border-width': 4, 'border-color': '#f59e0b', 'font-weight': 'bold' },
    },
    { selector: 'edge:selected', style: { width: 3 } },
    // A who-can explanation picked from the results: its path stands out, the rest steps back.
    { selector: '.faded', style: { opacity: 0.15 } },
    { selector: 'node.highlighted', style: { 'border-width': 3, 'border-color': '#16a34a' } },
    { selector: 'edge.highlighted', style: { width: 3.5, opacity: 1 } },
    // A what-if preview: the change's edges, and the principals whose access it changes.
    {
      selector: 'edge.added',
      style: { 'line-color': '#16a34a', 'target-arrow-color': '#16a34a', width: 4, 'line-style': 'solid' },
    },
    {
      selector: 'edge.removed',
      style: { 'line-color': '#dc2626', 'target-arrow-color': '#dc2626', width: 4, 'line-style': 'dashed' },
    },
    // The escalation edges a what-if change adds or removes, labelled with their techniques.
    {
      selector: 'edge[label]',
      style: {
        label: 'data(label)',
        'font-size': 10,
        'font-family': 'ui-monospace, monospace',
        'text-rotation': 'autorotate',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.85,
        'text-background-padding': '2px',
      },
    },
    {
      selector: 'edge.escalation-added',
      style: {
        'line-color': ESCALATION_ADDED,
        'target-arrow-color': ESCALATION_ADDED,
        width: 3,
        'line-style': 'solid',
        color: ESCALATION_ADDED,
      },
    },
    {
      selector: 'edge.escalation-added-conditional',
      style: {
        'line-color': ESCALATION_ADDED,
        'target-arrow-color': ESCALATION_ADDED,
        width: 3,
        'line-style': 'dashed',
        color: ESCALATION_ADDED,
      },
    },
    {
      selector: 'edge.escalation-removed',
      style: {
        'line-color': ESCALATION_REMOVED,
        'target-arrow-color': ESCALATION_REMOVED,
        width: 3,
        'line-style': 'solid',
        color: ESCALATION_REMOVED,
      },
    },
    { selector: 'node.gained', style: { 'border-width': 4, 'border-color': '#16a34a' } },
    { selector: 'node.lost', style: { 'border-width': 4, 'border-color': '#dc2626' } },
  );
  return rules;
}
