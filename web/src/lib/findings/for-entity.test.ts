import { describe, expect, it } from 'vitest';
import type { Finding } from '../api/results.ts';
import { findingKey, findingsFor, severityCounts } from './for-entity.ts';

const carol = 'arn:aws:iam::111122223333:user/carol';
const reports = 'arn:aws:iam::111122223333:policy/ReportsReadOnly';
const finding = (kind: string, severity: Finding['severity'], entities: string[]): Finding => ({
  kind,
  severity,
  message: kind,
  fix: '',
  entities,
});

describe('findingsFor', () => {
  const all = [
    finding('user-with-direct-policies', 'LOW', [carol, reports]),
    finding('root-access-key', 'CRITICAL', ['arn:aws:iam::111122223333:root']),
    finding('policy-is-broad', 'HIGH', [reports, carol]),
    finding('console-without-mfa', 'HIGH', [carol]),
  ];

  it('keeps the findings naming the entity, about it first, then by severity', () => {
    expect(findingsFor(all, carol).map((f) => f.kind)).toEqual([
      'console-without-mfa',
      'user-with-direct-policies',
      'policy-is-broad',
    ]);
    expect(findingsFor(all, reports).map((f) => f.kind)).toEqual([
      'policy-is-broad',
      'user-with-direct-policies',
    ]);
  });

  it('is empty for an entity no finding names', () => {
    expect(findingsFor(all, 'arn:aws:iam::111122223333:user/alice')).toEqual([]);
  });
});

describe('findingKey and severityCounts', () => {
  it('keys a finding by kind and subject, and counts every severity, most severe first', () => {
    const all = [
      finding('console-without-mfa', 'HIGH', [carol]),
      finding('inline-policy', 'LOW', [carol, reports]),
      finding('admin-equivalent', 'HIGH', ['arn:aws:iam::111122223333:user/grace']),
    ];
    expect(findingKey(all[1]!)).toBe(`inline-policy|${carol}`);
    expect(severityCounts(all)).toEqual([
      { severity: 'CRITICAL', count: 0 },
      { severity: 'HIGH', count: 2 },
      { severity: 'MEDIUM', count: 0 },
      { severity: 'LOW', count: 1 },
      { severity: 'WARNING', count: 0 },
    ]);
  });
});
