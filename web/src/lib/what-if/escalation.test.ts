import { describe, expect, it } from 'vitest';
import type { DiffEdge, DiffFanOut, GraphView } from '../api/results.ts';
import { classLabel, drawEscalation, escalationList } from './escalation.ts';

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
      fanOutAdded: [],
      fanOutRemoved: [],
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
      fanOutAdded: [],
      fanOutRemoved: [],
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
      fanOutAdded: [],
      fanOutRemoved: [],
    });
    expect(d.graph.nodes.slice(view.nodes.length)).toEqual([
      { id: 'accessgraph:admin', kind: 'ACCOUNT', label: 'admin' },
      { id: lambda, kind: 'ROLE', label: 'lambda-order-processor' },
    ]);
    expect(drawEscalation(view, null)).toEqual({ graph: view, added: [], addedConditional: [], removed: [] });
  });
});

describe('fan-out entries (one technique reaching a whole class)', () => {
  const carol = `${acct}:user/carol`;
  const lambdaClass = {
    id: 'accessgraph:class:0123456789abcdef0123456789abcdef',
    description: 'every role trusting lambda.amazonaws.com',
    size: 3,
    sample: [`${acct}:role/lambda-reports`],
  };
  const userClass = {
    id: 'accessgraph:class:fedcba9876543210fedcba9876543210',
    description: 'every user of account 111122223333',
    size: 40,
    sample: [`${acct}:user/alice`],
  };
  const entry = (from: string, technique: string, more: Partial<DiffFanOut> = {}): DiffFanOut => ({
    from,
    kind: 'escalate',
    technique,
    conditional: false,
    conditions: [],
    targetClass: lambdaClass,
    ...more,
  });
  const diff = {
    added: [],
    removed: [],
    fanOutAdded: [
      entry(carol, 'lambda-001'),
      entry(carol, 'lambda-003', { conditional: true, conditions: ['runs as the role'] }),
      entry(bob, 'iam-002', { targetClass: userClass }),
    ],
    fanOutRemoved: [entry(bob, 'lambda-001')],
    pathsToAdminGained: [carol],
    pathsToAdminLost: [],
  };
  const view: GraphView = { nodes: [{ id: carol, kind: 'USER', label: 'carol' }], edges: [] };

  it('lists each entry once, to its class by description and size', () => {
    const list = escalationList(diff)!;
    expect(list.edges.map((e) => [e.change, e.text, e.technique, e.to])).toEqual([
      ['added', 'carol → every role trusting lambda.amazonaws.com (3)', 'lambda-001', lambdaClass.id],
      ['added', 'carol → every role trusting lambda.amazonaws.com (3)', 'lambda-003', lambdaClass.id],
      ['added', 'bob → every user of account 111122223333 (40)', 'iam-002', userClass.id],
      ['removed', 'bob → every role trusting lambda.amazonaws.com (3)', 'lambda-001', lambdaClass.id],
    ]);
    expect(list.adminGained).toEqual([{ arn: carol, name: 'carol' }]);
  });

  it('draws one edge from the source to one node per class, of its members’ kind, not one per member', () => {
    const d = drawEscalation(view, diff);
    expect(d.graph.nodes.slice(1)).toEqual([
      { id: lambdaClass.id, kind: 'ROLE', label: 'every role trusting lambda.amazonaws.com (3)' },
      { id: bob, kind: 'USER', label: 'bob' },
      { id: userClass.id, kind: 'USER', label: 'every user of account 111122223333 (40)' },
    ]);
    expect(d.graph.edges).toEqual([
      { source: carol, target: lambdaClass.id, kind: 'ESCALATES', label: 'lambda-001, lambda-003' },
      { source: bob, target: userClass.id, kind: 'ESCALATES', label: 'iam-002' },
      { source: bob, target: lambdaClass.id, kind: 'ESCALATES', label: 'lambda-001' },
    ]);
    expect(d.added).toEqual([`${carol}|ESCALATES|${lambdaClass.id}`, `${bob}|ESCALATES|${userClass.id}`]);
    expect(d.removed).toEqual([`${bob}|ESCALATES|${lambdaClass.id}`]);
  });

  it('a description that already says its size is not given it twice', () => {
    const trustGroup = {
      description: 'every role (3) whose trust policy is that of lambda-reports',
      size: 3,
    };
    expect(classLabel(trustGroup)).toBe('every role (3) whose trust policy is that of lambda-reports');
  });
});
