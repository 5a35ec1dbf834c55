import { describe, expect, it } from 'vitest';
import { ADMIN, type AdminVerdict, type EscalationEdge, type EscalationGraph } from '../escalation/graph.ts';
import { sameEscalation } from './escalation-keys.ts';

const alice = 'arn:aws:iam::111122223333:user/alice';
const bob = 'arn:aws:iam::111122223333:user/bob';
const edge: EscalationEdge = {
  from: alice,
  to: bob,
  kind: 'escalate',
  technique: 'iam-002',
  conditional: false,
  conditions: [],
  evidence: [],
};
const verdict = (decision: AdminVerdict['decision'], conditions: string[] = []): AdminVerdict => ({
  decision,
  conditions,
  evidence: [],
});
const before: EscalationGraph = { edges: [edge], fanOut: [], admins: new Map([[bob, verdict('ALLOWED')]]) };

describe('sameEscalation: unchanged known by identity, never by guess', () => {
  const cases: [string, EscalationGraph, boolean][] = [
    ['the same graph', before, true],
    [
      'the same edge objects, admin verdicts recomputed with the same decision (a what-if that no technique reads)',
      { edges: [edge], admins: new Map([[bob, verdict('ALLOWED')]]) },
      true,
    ],
    ['an equal edge built apart (compared by key elsewhere)', { ...before, edges: [{ ...edge }] }, false],
    ['an edge more', { ...before, edges: [edge, { ...edge, to: ADMIN }] }, false],
    [
      'an admin verdict turned CONDITIONAL',
      { ...before, admins: new Map([[bob, verdict('CONDITIONAL')]]) },
      false,
    ],
    [
      'an admin verdict with other conditions',
      { ...before, admins: new Map([[bob, verdict('ALLOWED', ['aws:MultiFactorAuthPresent = true'])]]) },
      false,
    ],
    ['an admin more', { ...before, admins: new Map([...before.admins, [alice, verdict('ALLOWED')]]) }, false],
    ['an admin less', { ...before, admins: new Map() }, false],
  ];
  it.each(cases)('%s', (_, after, expected) => {
    expect(sameEscalation(before, after)).toBe(expected);
  });
});
