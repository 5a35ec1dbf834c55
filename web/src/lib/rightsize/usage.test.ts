import { describe, expect, it } from 'vitest';
import type { RightsizeProposal, RightsizeResult, ServiceUsage } from '../api/results.ts';
import { appendPage, changeSetFile, serviceBars } from './usage.ts';

const svc = (service: string, status: ServiceUsage['status'], levels: [number, number][]): ServiceUsage => ({
  service,
  status,
  lastUsed: null,
  unusedActions: [],
  levels: levels.map(([actions, unused], i) => ({ level: i ? 'WRITE' : 'READ', actions, unused })),
});

describe('service bars', () => {
  it('split each service into used, unused and unknown actions, unused services first', () => {
    const bars = serviceBars([
      svc('s3', 'USED', [
        [10, 2],
        [5, 0],
      ]),
      svc('ec2', 'UNKNOWN', [[7, 0]]),
      svc('iam', 'UNUSED', [[4, 4]]),
    ]);
    expect(bars.map((b) => [b.service, b.used, b.unused, b.unknown])).toEqual([
      ['iam', 0, 4, 0],
      ['ec2', 0, 0, 7],
      ['s3', 13, 2, 0],
    ]);
  });
});

describe('a proposal as a change set', () => {
  const proposal: RightsizeProposal = {
    targetArn: 'arn:aws:iam::111122223333:group/QA',
    targetName: 'QA',
    targetKind: 'group',
    reasons: [],
    proof: null,
    changes: [
      {
        op: 'detachPolicy',
        policy: 'arn:aws:iam::111122223333:policy/QAServiceAccountKeys',
        target: 'arn:aws:iam::111122223333:group/QA',
        name: null,
        user: null,
        group: null,
        path: null,
        document: null,
        accessKeyId: null,
        slot: null,
      },
      {
        op: 'deactivateAccessKey',
        user: 'arn:aws:iam::111122223333:user/svc-deploy',
        target: null,
        policy: null,
        name: null,
        group: null,
        path: null,
        document: null,
        accessKeyId: null,
        slot: 2,
      },
    ],
  };

  it('saves the change set with only the fields each change has, as `rightsize --out` writes it', () => {
    const file = changeSetFile(proposal);
    expect(file.name).toBe('rightsize-group-QA.json');
    expect(JSON.parse(file.text)).toEqual([
      {
        op: 'detachPolicy',
        policy: 'arn:aws:iam::111122223333:policy/QAServiceAccountKeys',
        target: 'arn:aws:iam::111122223333:group/QA',
      },
      // A key the credential report shows by slot only keeps its slot: the change set stays valid for what-if.
      { op: 'deactivateAccessKey', user: 'arn:aws:iam::111122223333:user/svc-deploy', slot: 2 },
    ]);
  });
});

describe('the next page', () => {
  const ACCT = 'arn:aws:iam::111122223333';
  const principal = (name: string) =>
    ({ arn: `${ACCT}:user/${name}`, name }) as RightsizeResult['usage']['principals'][number];
  const group = (name: string, members: string[]) =>
    ({ arn: `${ACCT}:group/${name}`, name, members }) as RightsizeResult['usage']['groups'][number];
  const proposal = (target: string, reasons: string[]) =>
    ({ targetArn: `${ACCT}:${target}`, reasons }) as RightsizeProposal;
  const page = (
    principals: string[],
    groups: RightsizeResult['usage']['groups'],
    proposals: RightsizeProposal[],
    notes: string[],
    endCursor: string | null,
  ): RightsizeResult =>
    ({
      pageInfo: { endCursor, hasNextPage: endCursor !== null },
      usage: { unusedDays: 90, totalCount: 3, notes, principals: principals.map(principal), groups },
      proposals,
      notes,
    }) as RightsizeResult;

  it('appends its principals, keeps a group and proposal shown already, and takes its page info', () => {
    const shown = page(
      ['alice', 'bob'],
      [group('QA', ['alice', 'carol'])],
      [proposal('group/QA', ['first']), proposal('user/bob', ['b'])],
      ['no evidence for 1 principal'],
      'c2',
    );
    const next = page(
      ['carol'],
      [group('QA', ['alice', 'carol']), group('Ops', ['carol'])],
      [proposal('group/QA', ['again']), proposal('user/carol', ['c'])],
      ['no evidence for 1 principal', 'carol: not enough history'],
      null,
    );
    const both = appendPage(shown, next);
    expect(both.usage.principals.map((p) => p.name)).toEqual(['alice', 'bob', 'carol']);
    expect(both.usage.groups.map((g) => g.name)).toEqual(['QA', 'Ops']);
    expect(both.proposals.map((p) => [p.targetArn.split(':').pop(), p.reasons[0]])).toEqual([
      ['group/QA', 'first'],
      ['user/bob', 'b'],
      ['user/carol', 'c'],
    ]);
    expect(both.notes).toEqual(['no evidence for 1 principal', 'carol: not enough history']);
    expect(both.usage.notes).toEqual(both.notes);
    expect(both.pageInfo).toEqual({ endCursor: null, hasNextPage: false });
    expect(both.usage.totalCount).toBe(3);
  });
});
