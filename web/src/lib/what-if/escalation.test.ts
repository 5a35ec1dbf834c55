import { describe, expect, it } from 'vitest';
import type { DiffEdge, GraphView } from '../api/types.ts';
import { drawEscalation, escalationList } from './escalation.ts';

const acct = 'arn:aws:iam::111122223333';
const bob = `${acct}:user/ops/bob`;
const lambdaAdmin = `${acct}:role/lambda-admin`;

describe('escalationList', () => {
  it('lists added then removed edges by short name (admin as ADMIN) and who gains or loses a path to admin', () => {
    const list = escalationList({
      added: [
        {
          from: bob,
          to: lambdaAdmin,
          kind: 'escalate',
          technique: 'passrole-lambda',
          conditional: false,
          conditions: [],
        },
      ],
      removed: [
        {
          from: lambdaAdmin,
          to: 'accessgraph:admin',
          kind: 'escalate',
          technique: 'admin',
          conditional: true,
          conditions: ['c'],
        },
      ],
      pathsToAdminGained: [bob],
      pathsToAdminLost: [],
    });
    expect(list).toEqual({
      edges: [
        {
          change: 'added',
          from: bob,
          to: lambdaAdmin,
          text: 'bob → lambda-admin',
          technique: 'passrole-lambda',
          conditional: false,
        },
        {
          change: 'removed',
          from: lambdaAdmin,
          to: 'accessgraph:admin',
          text: 'lambda-admin → ADMIN',
          technique: 'admin',
          conditional: true,
        },
      ],
      adminGained: [{ arn: bob, name: 'bob' }],
      adminLost: [],
    });
  });

  it('is null when the server had no escalation graph to compare', () => {
    expect(escalationList(null)).toBeNull();
    expect(escalationList(undefined)).toBeNull();
  });
});

describe('drawEscalation', () => {
  const alice = `${acct}:user/alice`;
  const deploy = `${acct}:user/service-accounts/svc-deploy`;
  const notifier = `${acct}:user/service-accounts/svc-notifier`;
  const platform = `${acct}:role/platform-admin`;
  const grace = `${acct}:user/grace`;
  const edge = (from: string, to: string, technique: string, more: Partial<DiffEdge> = {}): DiffEdge => ({
    from,
    to,
    kind: 'escalate',
    technique,
    conditional: false,
    conditions: [],
    ...more,
  });
  const view: GraphView = {
    nodes: [
      { id: alice, kind: 'USER', label: 'alice' },
      { id: deploy, kind: 'USER', label: 'svc-deploy' },
      { id: notifier, kind: 'USER', label: 'svc-notifier' },
      { id: grace, kind: 'USER', label: 'grace' },
      { id: platform, kind: 'ROLE', label: 'platform-admin' },
    ],
    edges: [{ source: grace, target: platform, kind: 'CAN_ASSUME' }],
  };

  it('draws one labelled edge per pair, dashed (conditional) only when every technique is, and the removed ones', () => {
    const d = drawEscalation(view, {
      added: [
        edge(alice, notifier, 'iam-003'),
        edge(alice, deploy, 'iam-003'),
        edge(alice, notifier, 'iam-002'),
        edge(alice, platform, 'sts:AssumeRole', { kind: 'assume', conditional: true, conditions: ['mfa'] }),
      ],
      removed: [edge(grace, platform, 'sts:AssumeRole', { kind: 'assume', conditional: true })],
      pathsToAdminGained: [alice],
      pathsToAdminLost: [],
    });
    expect(d.added).toEqual([`${alice}|ESCALATES|${notifier}`, `${alice}|ESCALATES|${deploy}`]);
    expect(d.addedConditional).toEqual([`${alice}|CAN_ASSUME|${platform}`]);
    // grace's trust edge is in the graph already: marked, not drawn twice.
    expect(d.removed).toEqual([`${grace}|CAN_ASSUME|${platform}`]);
    expect(d.graph.edges.filter((e) => e.source === grace)).toEqual([
      { source: grace, target: platform, kind: 'CAN_ASSUME', label: 'sts:AssumeRole' },
    ]);
    expect(d.graph.edges.find((e) => e.target === notifier)?.label).toBe('iam-002, iam-003');
    expect(d.graph.edges).toHaveLength(4);
    expect(d.graph.nodes).toHaveLength(view.nodes.length);
    // The input view is left as it was.
    expect(view.edges).toEqual([{ source: grace, target: platform, kind: 'CAN_ASSUME' }]);
  });

  it('adds the admin node and any principal the view lacks; no diff draws nothing', () => {
    const lambda = `${acct}:role/lambda-order-processor`;
    const d = drawEscalation(view, {
      added: [edge(alice, 'accessgraph:admin', 'iam-005'), edge(alice, lambda, 'lambda-001')],
      removed: [],
      pathsToAdminGained: [],
      pathsToAdminLost: [],
    });
    expect(d.graph.nodes.slice(view.nodes.length)).toEqual([
      { id: 'accessgraph:admin', kind: 'ACCOUNT', label: 'admin' },
      { id: lambda, kind: 'ROLE', label: 'lambda-order-processor' },
    ]);
    expect(drawEscalation(view, null)).toEqual({ graph: view, added: [], addedConditional: [], removed: [] });
  });
});
