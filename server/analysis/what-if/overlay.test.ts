import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountSnapshot } from '../../../schema/snapshot.ts';
import { demo, importDemo } from '../../../test/api/demo-fixture.ts';
import { parseChanges, type Change } from './changes.ts';
import { applyChanges } from './overlay.ts';

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

function changes(input: unknown[]): Change[] {
  const r = parseChanges(input);
  expect(r.diagnostics).toEqual([]);
  return r.changes!;
}

const s3WriteDeny = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: 's3:PutObject', Resource: '*' }],
});

describe('parseChanges', () => {
  it('names the change and the JSON path of every problem, not only the first', () => {
    const r = parseChanges([
      { op: 'attachPolicy', policy: 'AmazonS3FullAccess', target: 'group/QA' },
      { op: 'attachPolicies', policy: 'x', target: 'group/QA' },
      {
        op: 'putInlinePolicy',
        target: 'user/bob',
        name: 'p',
        document: { Version: '2012-10-17', Statement: [{ Effect: 'allow', Action: 's3:*', Resource: '*' }] },
      },
      { op: 'createUser', name: 'eve', group: 'QA' },
    ]);
    expect(r.changes).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.jsonPath, d.message])).toEqual([
      ['change.unknown-op', 'changes[1].op', 'change 1: unknown op `attachPolicies`'],
      [
        'policy.invalid-effect',
        'changes[2].document.Statement[0].Effect',
        'change 2: invalid policy document: `Statement[0].Effect` must be `Allow` or `Deny`, got `allow`',
      ],
      ['change.invalid', 'changes[3]', 'change 3: unknown field `group`'],
    ]);
  });

  it('accepts documents as objects or text and keeps them as JSON text', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }],
    };
    const [a, b] = changes([
      { op: 'putInlinePolicy', target: 'user/bob', name: 'a', document: doc },
      { op: 'putInlinePolicy', target: 'user/bob', name: 'b', document: JSON.stringify(doc) },
    ]) as Extract<Change, { op: 'putInlinePolicy' }>[];
    expect(JSON.parse(a!.document)).toEqual(doc);
    expect(b!.document).toBe(JSON.stringify(doc));
  });

  it('rejects a change set that is not an array', () => {
    expect(parseChanges({ op: 'createUser', name: 'x' }).diagnostics[0]!.code).toBe('change.not-a-list');
  });
});

describe('applyChanges on the demo account', () => {
  let snapshot: AccountSnapshot;
  beforeAll(async () => {
    snapshot = deepFreeze(await importDemo());
  });

  it('never mutates the input (deep-frozen) and shares every object it did not change', () => {
    const r = applyChanges(
      snapshot,
      changes([
        { op: 'attachPolicy', policy: 'AmazonS3FullAccess', target: 'group/QA' },
        { op: 'addUserToGroup', user: 'carol', group: 'QA' },
        { op: 'removePermissionsBoundary', target: 'user/elena' },
      ]),
    );
    expect(r.diagnostics).toEqual([]);
    const after = r.overlay!.after;
    const qaBefore = snapshot.groups.find((g) => g.arn === demo.qa)!;
    const qaAfter = after.groups.find((g) => g.arn === demo.qa)!;
    expect(qaAfter.attachedPolicies).toEqual([...qaBefore.attachedPolicies, demo.s3Full]);
    expect(qaBefore.attachedPolicies).not.toContain(demo.s3Full);
    // Untouched entities are the very same objects; untouched arrays too.
    expect(after.groups.find((g) => g.arn === demo.engineering)).toBe(
      snapshot.groups.find((g) => g.arn === demo.engineering),
    );
    expect(after.users.find((u) => u.arn === demo.alice)).toBe(
      snapshot.users.find((u) => u.arn === demo.alice),
    );
    expect(after.roles).toBe(snapshot.roles);
    expect(after.users.find((u) => u.arn === demo.elena)!.permissionsBoundary).toBeUndefined();
    expect(snapshot.users.find((u) => u.arn === demo.elena)!.permissionsBoundary).toBe(demo.powerUser);
  });

  it('affects exactly the members of a changed group, the users moved and the principals changed', () => {
    const r = applyChanges(
      snapshot,
      changes([
        { op: 'attachPolicy', policy: 'AmazonS3FullAccess', target: 'group/QA' },
        { op: 'setPermissionsBoundary', target: 'role/partner-auditor', policy: 'PowerUserAccess' },
      ]),
    );
    expect([...r.overlay!.affected].sort()).toEqual([demo.dave, demo.partnerAuditor].sort());
    const moved = applyChanges(
      snapshot,
      changes([{ op: 'addUserToGroup', user: 'user/carol', group: 'QA' }]),
    );
    expect([...moved.overlay!.affected]).toEqual([demo.carol]);
  });

  it('creating a policy the snapshot held an attachment to (but did not list) affects its holders', () => {
    const dangling = 'arn:aws:iam::111122223333:policy/NotCollected';
    const withDangling: AccountSnapshot = {
      ...snapshot,
      users: snapshot.users.map((u) =>
        u.arn === demo.carol ? { ...u, attachedPolicies: [...u.attachedPolicies, dangling] } : u,
      ),
    };
    const r = applyChanges(
      withDangling,
      changes([{ op: 'createPolicy', name: 'NotCollected', document: s3WriteDeny }]),
    );
    expect([...r.overlay!.affected]).toEqual([demo.carol]);
  });

  it('fills an AWS managed policy the account does not use yet from the package', () => {
    const r = applyChanges(
      snapshot,
      changes([{ op: 'attachPolicy', policy: 'AWSLambda_FullAccess', target: 'user/dave' }]),
    );
    const p = r.overlay!.after.policies.find((x) => x.name === 'AWSLambda_FullAccess')!;
    expect(p).toMatchObject({ kind: 'awsManaged', arn: 'arn:aws:iam::aws:policy/AWSLambda_FullAccess' });
    expect(JSON.parse(p.versions[0]!.document).Statement.length).toBeGreaterThan(0);
    expect(snapshot.policies.some((x) => x.name === 'AWSLambda_FullAccess')).toBe(false);
  });

  it('says which change names what does not exist, with a hint for a case slip', () => {
    const r = applyChanges(
      snapshot,
      changes([
        { op: 'addUserToGroup', user: 'bob', group: 'QA2' },
        { op: 'attachPolicy', policy: 'AmazonS3FullAccess', target: 'group/qa' },
        { op: 'setPermissionsBoundary', target: 'group/QA', policy: 'PowerUserAccess' },
        { op: 'detachPolicy', policy: 'NoSuchPolicyAnywhere', target: 'group/QA' },
        { op: 'removeUserFromGroup', user: 'alice', group: 'QA' },
      ]),
    );
    expect(r.overlay).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.jsonPath, d.message, d.hint])).toEqual([
      [
        'change.unknown-target',
        'changes[0].group',
        'change 0 (addUserToGroup): unknown group `QA2`',
        undefined,
      ],
      [
        'change.unknown-target',
        'changes[1].target',
        'change 1 (attachPolicy): unknown group `group/qa`',
        'IAM names are case-sensitive: did you mean `QA`?',
      ],
      [
        'change.wrong-target-kind',
        'changes[2].target',
        'change 2 (setPermissionsBoundary): `group/QA` is a group; this change applies to a user or role',
        undefined,
      ],
      [
        'change.unknown-policy',
        'changes[3].policy',
        'change 3 (detachPolicy): unknown managed policy `NoSuchPolicyAnywhere`',
        expect.stringContaining('customer managed policies go by ARN'),
      ],
      [
        'change.not-a-member',
        'changes[4].group',
        'change 4 (removeUserFromGroup): `alice` is not a member of `QA`',
        undefined,
      ],
    ]);
  });

  it('resolves names against earlier changes: create a user, a policy, then attach and add to a group', () => {
    const r = applyChanges(
      snapshot,
      changes([
        { op: 'createUser', name: 'eve', path: '/contractors/' },
        { op: 'createPolicy', name: 'NoS3Writes', document: s3WriteDeny },
        { op: 'attachPolicy', policy: 'NoS3Writes', target: 'user/contractors/eve' },
        {
          op: 'addUserToGroup',
          user: 'arn:aws:iam::111122223333:user/contractors/eve',
          group: 'group/Engineering',
        },
      ]),
    );
    expect(r.diagnostics).toEqual([]);
    const eve = r.overlay!.after.users.find((u) => u.name === 'eve')!;
    expect(eve).toMatchObject({
      arn: 'arn:aws:iam::111122223333:user/contractors/eve',
      groups: [demo.engineering],
      attachedPolicies: ['arn:aws:iam::111122223333:policy/NoS3Writes'],
    });
    expect([...r.overlay!.affected]).toEqual([eve.arn]);
  });

  it('deleting a group drops it from its members, who are affected; a second attach is a no-op warning', () => {
    const r = applyChanges(
      snapshot,
      changes([
        { op: 'deletePrincipal', target: 'group/Engineering' },
        { op: 'attachPolicy', policy: 'AmazonS3ReadOnlyAccess', target: 'group/QA' },
      ]),
    );
    const after = r.overlay!.after;
    expect(after.groups.some((g) => g.arn === demo.engineering)).toBe(false);
    expect(after.users.filter((u) => u.groups.includes(demo.engineering))).toEqual([]);
    expect([...r.overlay!.affected].sort()).toEqual([demo.alice, demo.bob, demo.elena].sort());
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'change.no-op']]);
  });

  it('deleting a customer managed policy detaches it everywhere, with a warning naming the holders', () => {
    const r = applyChanges(snapshot, changes([{ op: 'deletePolicy', policy: demo.reportsReadOnly }]));
    expect([...r.overlay!.affected]).toEqual([demo.carol]);
    expect(r.overlay!.after.users.find((u) => u.arn === demo.carol)!.attachedPolicies).not.toContain(
      demo.reportsReadOnly,
    );
    expect(r.diagnostics[0]!.message).toContain('detached from user `carol`');
    const aws = applyChanges(snapshot, changes([{ op: 'deletePolicy', policy: 'AmazonS3FullAccess' }]));
    expect(aws.diagnostics[0]!.code).toBe('change.aws-managed');
  });

  it('updating a customer managed policy adds a default version (CreatePolicyVersion, SetAsDefault) and affects its holders', () => {
    const before = snapshot.policies.find((p) => p.arn === demo.reportsReadOnly)!;
    const r = applyChanges(
      snapshot,
      changes([{ op: 'updatePolicy', policy: 'ReportsReadOnly', document: s3WriteDeny }]),
    );
    expect(r.diagnostics).toEqual([]);
    const after = r.overlay!.after.policies.find((p) => p.arn === demo.reportsReadOnly)!;
    expect(after.versions).toHaveLength(before.versions.length + 1);
    expect(after.versions.filter((v) => v.isDefault)).toEqual([
      { versionId: after.defaultVersionId, isDefault: true, document: s3WriteDeny },
    ]);
    expect(after.defaultVersionId).not.toBe(before.defaultVersionId);
    expect([...r.overlay!.affected]).toEqual([demo.carol]);
    const aws = applyChanges(
      snapshot,
      changes([{ op: 'updatePolicy', policy: 'AmazonS3FullAccess', document: s3WriteDeny }]),
    );
    expect(aws.diagnostics.map((d) => [d.code, d.jsonPath])).toEqual([
      ['change.aws-managed', 'changes[0].policy'],
    ]);
  });

  it('a trust policy change marks the role, not its own permissions', () => {
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' },
      ],
    });
    const r = applyChanges(
      snapshot,
      changes([{ op: 'updateTrustPolicy', target: 'role/lambda-order-processor', document: trust }]),
    );
    expect([...r.overlay!.affected]).toEqual([]);
    expect([...r.overlay!.trustChanged]).toEqual([demo.lambdaRole]);
    expect(r.overlay!.after.roles.find((x) => x.arn === demo.lambdaRole)!.trustPolicy).toBe(trust);
  });

  // UpdateAccessKey (IAM API reference): Status Inactive makes the key unusable for API calls; it keeps its slot.
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccessKey.html
  it("deactivateAccessKey makes the key inactive, keeps its slot and changes nobody's permissions", () => {
    const r = applyChanges(snapshot, changes([{ op: 'deactivateAccessKey', user: 'svc-deploy', slot: 2 }]));
    expect(r.diagnostics).toEqual([]);
    const o = r.overlay!;
    const before = snapshot.users.find((u) => u.name === 'svc-deploy')!;
    const after = o.after.users.find((u) => u.name === 'svc-deploy')!;
    expect(before.credentials!.accessKeys.map((k) => [k.slot, k.active])).toEqual([
      [1, true],
      [2, true],
    ]);
    expect(after.credentials!.accessKeys.map((k) => [k.slot, k.active])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect([...o.affected]).toEqual([]);
    expect(o.keysDeactivated).toEqual([{ user: before.arn, slot: 2 }]);
  });

  it('deactivateAccessKey: an unknown key is an error naming the field, an inactive one a no-op', () => {
    const missing = applyChanges(
      snapshot,
      changes([{ op: 'deactivateAccessKey', user: 'svc-deploy', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' }]),
    );
    expect(missing.overlay).toBeUndefined();
    expect(missing.diagnostics.map((d) => [d.code, d.jsonPath, d.hint])).toEqual([
      [
        'change.unknown-access-key',
        'changes[0].accessKeyId',
        'the snapshot shows no key ids: name the key by `slot` (the credential report column)',
      ],
    ]);
    const twice = applyChanges(
      snapshot,
      changes([
        { op: 'deactivateAccessKey', user: 'svc-deploy', slot: 2 },
        { op: 'deactivateAccessKey', user: 'svc-deploy', slot: 2 },
      ]),
    );
    expect(twice.diagnostics.map((d) => [d.severity, d.code, d.jsonPath])).toEqual([
      ['warning', 'change.no-op', 'changes[1].slot'],
    ]);
    expect(twice.overlay!.keysDeactivated).toHaveLength(1);
    expect(
      parseChanges([{ op: 'deactivateAccessKey', user: 'bob' }]).diagnostics.map((d) => d.jsonPath),
    ).toEqual(['changes[0].accessKeyId']);
  });
});
