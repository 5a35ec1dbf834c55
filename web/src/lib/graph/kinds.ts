/**
 * How each node and edge kind looks and reads: one table used by the stylesheet and the legend, keyed by the
 * kinds of the schema's `GraphNodeKind` and `GraphEdgeKind` (generated types) plus the edges the UI draws itself,
 * in the order the legend and the filters list them.
 */
import type { DrawnEdgeKind, ExplanationEdgeKind, GraphEdgeKind, GraphNodeKind } from '../api/results.ts';

export interface NodeKindStyle {
  label: string;
  plural: string;
  color: string;
  shape: 'ellipse' | 'round-rectangle' | 'hexagon' | 'diamond' | 'barrel' | 'tag' | 'star';
}

export const NODE_KIND_STYLE: Record<GraphNodeKind, NodeKindStyle> = {
  USER: { label: 'User', plural: 'users', color: '#2563eb', shape: 'ellipse' },
  GROUP: { label: 'Group', plural: 'groups', color: '#7c3aed', shape: 'round-rectangle' },
  ROLE: { label: 'Role', plural: 'roles', color: '#0891b2', shape: 'hexagon' },
  POLICY: { label: 'Policy', plural: 'policies', color: '#d97706', shape: 'tag' },
  RESOURCE: { label: 'Resource', plural: 'resources', color: '#059669', shape: 'barrel' },
  ACCESS_KEY: { label: 'Access key', plural: 'access keys', color: '#64748b', shape: 'diamond' },
  ACCOUNT: { label: 'Account', plural: 'accounts', color: '#be123c', shape: 'star' },
};

export interface EdgeKindStyle {
  label: string;
  color: string;
  dashed: boolean;
}

export const EDGE_KIND_STYLE: Record<DrawnEdgeKind, EdgeKindStyle> = {
  MEMBER_OF: { label: 'member of', color: '#7c3aed', dashed: false },
  HAS_POLICY: { label: 'has policy', color: '#d97706', dashed: false },
  BOUNDED_BY: { label: 'bounded by', color: '#dc2626', dashed: true },
  HAS_KEY: { label: 'has key', color: '#64748b', dashed: false },
  PROTECTED_BY: { label: 'protected by', color: '#059669', dashed: true },
  CAN_ASSUME: { label: 'can assume', color: '#0891b2', dashed: true },
  ALLOWS: { label: 'allows', color: '#16a34a', dashed: false },
  DENIES: { label: 'denies', color: '#dc2626', dashed: true },
  GOVERNED_BY: { label: 'governed by', color: '#059669', dashed: true },
  ESCALATES: { label: 'escalates to', color: '#be123c', dashed: false },
};

export const NODE_KINDS = Object.keys(NODE_KIND_STYLE) as GraphNodeKind[];
export const EXPLANATION_EDGE_KINDS: readonly ExplanationEdgeKind[] = [
  'ALLOWS',
  'DENIES',
  'GOVERNED_BY',
  'ESCALATES',
];
/** The edge kinds the API sends. */
export const EDGE_KINDS = (Object.keys(EDGE_KIND_STYLE) as DrawnEdgeKind[]).filter(
  (k): k is GraphEdgeKind => !(EXPLANATION_EDGE_KINDS as readonly string[]).includes(k),
);
