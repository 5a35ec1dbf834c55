import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountSnapshot, IamUser } from '../../../schema/snapshot.ts';
import { demo, importDemo } from '../../../test/api/demo-fixture.ts';
import { loadCatalog, type ActionCatalog } from '../../engine/index.ts';
import { access } from '../access.ts';
import { SnapshotAnalysis } from '../snapshot-analysis.ts';
import { EffectiveActions } from './effective.ts';
import { ActionIndex } from './granted-set.ts';

/** A user of the demo account with one inline policy of these statements (and, when given, this boundary). */
function userWith(base: IamUser, name: string, statements: object[], boundary?: string): IamUser {
  return {
    ...base,
    arn: base.arn.replace(/user\/.*$/, `user/${name}`),
    name,
    id: `AIDA${name.toUpperCase().padEnd(17, 'X')}`,
    groups: [],
    attachedPolicies: [],
    inlinePolicies: [
      { name: 'p', document: JSON.stringify({ Version: '2012-10-17', Statement: statements }) },
    ],
    ...(boundary ? { permissionsBoundary: boundary } : { permissionsBoundary: undefined }),
  };
}

const allow = (action: unknown, resource: unknown = '*', extra: object = {}) => ({
  Effect: 'Allow',
  ...(typeof action === 'object' && action && 'not' in action
    ? { NotAction: (action as { not: unknown }).not }
    : { Action: action }),
  Resource: resource,
  ...extra,
});

describe('effective actions as bits', () => {
  let snapshot: AccountSnapshot;
  let catalog: ActionCatalog;
  beforeAll(async () => {
    const demoSnapshot = await importDemo();
    const alice = demoSnapshot.users.find((u) => u.arn === demo.alice)!;
    // Shapes the demo lacks: NotAction, a Deny of part of a scope, conditions, a boundary, service rules (KMS),
    // an ARN pattern that fits only some actions of a service, a policy variable.
    const extra = [
      userWith(alice, 'not-action', [
        allow({ not: ['iam:*', 'organizations:*'] }),
        { Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::secret/*' },
      ]),
      userWith(alice, 'scoped', [
        allow(['s3:Get*', 's3:List*'], 'arn:aws:s3:::reports/*'),
        allow('kms:*', 'arn:aws:kms:*:111122223333:key/*'),
        allow('ec2:*', '*', { Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }),
        allow('iam:*', 'arn:aws:iam::111122223333:user/${aws:username}'),
        { Effect: 'Deny', NotAction: ['s3:GetObject'], Resource: '*' },
      ]),
      userWith(alice, 'bounded', [allow('*')], demo.powerUser),
    ];
    snapshot = { ...demoSnapshot, users: [...demoSnapshot.users, ...extra] };
    catalog = await loadCatalog();
  }, 60_000);

  it("are exactly the access panel's services section, in its order, with its notes, for every principal", async () => {
    const analysis = SnapshotAnalysis.of(snapshot);
    const bits = new EffectiveActions(catalog, new ActionIndex(catalog));
    let granted = 0;
    for (const p of [...snapshot.users, ...snapshot.roles]) {
      const expected = (await access(analysis, p.arn, { sections: 'services' }))!;
      const listed = expected.services.flatMap((s) =>
        s.levels.flatMap((l) => l.actions.map((a) => a.action)),
      );
      const got = bits.of(analysis, p.arn)!;
      const names = [...got.actions.services()].flatMap(([, range]) =>
        [...got.actions.within(range)].map((i) => got.actions.index.actions[i]!),
      );
      expect(names, p.name).toEqual(listed);
      expect(got.notes, p.name).toEqual(expected.notes);
      granted += names.length;
    }
    // The comparison is not between two empty answers.
    expect(granted).toBeGreaterThan(20_000);
    expect(bits.of(analysis, `${demo.carol}-nobody`)).toBeUndefined();
  });

  it('a NotAction Allow grants everything but what it names, less a Deny', () => {
    const analysis = SnapshotAnalysis.of(snapshot);
    const arn = snapshot.users.find((u) => u.name === 'not-action')!.arn;
    const got = new EffectiveActions(catalog, new ActionIndex(catalog)).of(analysis, arn)!.actions;
    expect(got.has('ec2:RunInstances')).toBe(true);
    expect(got.has('iam:CreateUser')).toBe(false);
    // Denied only on one bucket's objects: still granted elsewhere.
    expect(got.has('s3:GetObject')).toBe(true);
  });
});
