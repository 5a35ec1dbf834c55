import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountSnapshot, IamUser, Resource } from '../../schema/snapshot.ts';
import { SNAPSHOT_SCHEMA_VERSION } from '../../schema/snapshot.ts';
import { DEMO_DIR, demo, importDemo } from '../../test/api/demo-fixture.ts';
import {
  access,
  type AccessAnswer,
  type ActionAccess,
  type ResourceAccess,
  type ResourceGrant,
} from './access.ts';
import { evaluate, loadCatalog, renderCondition } from '../engine/index.ts';
import { requestPrincipalOf } from './candidate-index.ts';
import { principalPolicySet, resourcePolicyFor } from './policy-set.ts';
import { SnapshotAnalysis } from './snapshot-analysis.ts';

const ACCOUNT = '111122223333';
const ENG_BUCKET = 'arn:aws:s3:::example-corp-engineering';

function actionOf(a: AccessAnswer, action: string): ActionAccess | undefined {
  const svc = action.split(':')[0];
  return a.services
    .find((s) => s.service === svc)
    ?.levels.flatMap((l) => l.actions)
    .find((x) => x.action === action);
}

function levelActions(a: AccessAnswer, service: string, level: string): string[] {
  return (
    a.services
      .find((s) => s.service === service)
      ?.levels.find((l) => l.level === level)
      ?.actions.map((x) => x.action) ?? []
  );
}

/** A resource's grants, one row per action. */
function resourceActions(r: ResourceAccess): (ResourceGrant & { action: string })[] {
  return r.levels.flatMap((l) =>
    l.grants.flatMap((g) =>
      g.actions.map((action) => ({
        action,
        decision: g.decision,
        conditions: g.conditions,
        scope: g.scope,
        partial: g.partial,
        viaResourcePolicy: g.viaResourcePolicy,
        actions: g.actions,
      })),
    ),
  );
}

function withBucketPolicy(s: AccountSnapshot): AccountSnapshot {
  const outer = JSON.parse(
    readFileSync(
      path.join(DEMO_DIR, 'resource-policies/s3/example-corp-engineering.get-bucket-policy.json'),
      'utf8',
    ),
  ) as { Policy: string };
  const bucket: Resource = {
    arn: ENG_BUCKET,
    service: 's3',
    type: 'bucket',
    name: 'example-corp-engineering',
    policy: JSON.stringify(JSON.parse(outer.Policy)),
    tags: {},
  };
  return { ...s, resources: [...s.resources.filter((r) => r.arn !== ENG_BUCKET), bucket] };
}

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

/** One user with inline policies and optionally a boundary, in an otherwise empty account. */
function oneUser(
  inline: string[],
  opts: { boundary?: string; resources?: Resource[] } = {},
): { snapshot: AccountSnapshot; arn: string } {
  const arn = `arn:aws:iam::${ACCOUNT}:user/u`;
  const user: IamUser = {
    kind: 'user',
    arn,
    name: 'u',
    id: 'AIDAEXAMPLE',
    path: '/',
    inlinePolicies: inline.map((document, i) => ({ name: `p${i}`, document })),
    attachedPolicies: [],
    groups: [],
    tags: {},
    ...(opts.boundary ? { permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/limit` } : {}),
  };
  return {
    arn,
    snapshot: {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      accountId: ACCOUNT,
      partition: 'aws',
      accounts: [{ id: ACCOUNT }],
      label: 'hand-built',
      sourceFiles: [],
      users: [user],
      groups: [],
      roles: [],
      policies: opts.boundary
        ? [
            {
              kind: 'customerManaged',
              arn: `arn:aws:iam::${ACCOUNT}:policy/limit`,
              name: 'limit',
              path: '/',
              defaultVersionId: 'v1',
              versions: [{ versionId: 'v1', isDefault: true, document: opts.boundary }],
            },
          ]
        : [],
      resources: opts.resources ?? [],
      warnings: [],
    },
  };
}

describe('access on the demo account', () => {
  let snapshot: AccountSnapshot;
  beforeAll(async () => {
    snapshot = withBucketPolicy(await importDemo());
  }, 60_000);

  it('carol: billing read-only and the reports bucket, scoped to what ReportsReadOnly v2 names', async () => {
    const a = (await access(SnapshotAnalysis.of(snapshot), demo.carol))!;
    expect(a.principal).toMatchObject({ name: 'carol', kind: 'user' });
    const get = actionOf(a, 's3:GetObject')!;
    expect(get.decision).toBe('ALLOWED');
    expect(get.scopes.map((s) => s.pattern)).toEqual(['arn:aws:s3:::example-corp-reports/*']);
    expect(get.scopes[0]!.grantedBy[0]).toMatch(/^user carol → ReportsReadOnly → Statement\[\d\]/);
    // ListBucket takes the bucket ARN, so it gets the bucket pattern, not the objects'.
    expect(actionOf(a, 's3:ListBucket')!.scopes.map((s) => s.pattern)).toEqual([
      'arn:aws:s3:::example-corp-reports',
    ]);
    // v1 (s3:*) is not the default version: no s3 writes.
    expect(levelActions(a, 's3', 'Write')).toEqual([]);
    expect(a.services.map((s) => s.service)).toContain('budgets');
    // The reports bucket (when the importer records it): read and list there; nothing on the engineering bucket.
    expect(a.resources.map((r) => r.arn)).not.toContain(ENG_BUCKET);
    const reports = a.resources.find((r) => r.arn === 'arn:aws:s3:::example-corp-reports');
    if (reports)
      expect(resourceActions(reports).map((x) => [x.action, x.decision])).toEqual([
        ['s3:GetObject', 'ALLOWED'],
        ['s3:ListBucket', 'ALLOWED'],
      ]);
  });

  it('alice: every s3 level through group Engineering → AmazonS3FullAccess, and the engineering bucket', async () => {
    const a = (await access(SnapshotAnalysis.of(snapshot), demo.alice, { service: 's3' }))!;
    expect(a.services.map((s) => s.service)).toEqual(['s3']);
    expect(a.services[0]!.levels.map((l) => l.level)).toEqual([
      'Read',
      'Write',
      'List',
      'Tagging',
      'Permissions management',
    ]);
    const put = actionOf(a, 's3:PutObject')!;
    expect(put.scopes[0]!.grantedBy).toEqual([
      'user alice → group Engineering → AmazonS3FullAccess → Statement[0]',
    ]);
    const bucket = a.resources.find((r) => r.arn === ENG_BUCKET)!;
    expect(bucket.resourcePolicyId).toBe(ENG_BUCKET);
    expect(bucket.levels.map((l) => l.level)).toContain('Read');
    const getObject = resourceActions(bucket).find((x) => x.action === 's3:GetObject')!;
    // The bucket policy denies plain HTTP: allowed only when the request is not insecure.
    expect(getObject.decision).toBe('CONDITIONAL');
    expect(getObject.conditions).toContain('aws:SecureTransport');
    expect(getObject.scope).toBe(`${ENG_BUCKET}/*`);
  });

  it('with the context pinned the bucket answers are definite', async () => {
    const a = (await access(SnapshotAnalysis.of(snapshot), demo.alice, {
      service: 's3',
      context: { 'aws:SecureTransport': 'true' },
      strictContext: true,
    }))!;
    const bucket = a.resources.find((r) => r.arn === ENG_BUCKET)!;
    const all = resourceActions(bucket);
    expect(all.find((x) => x.action === 's3:GetObject')!.decision).toBe('ALLOWED');
    expect(all.find((x) => x.action === 's3:ListBucket')!.scope).toBe(ENG_BUCKET);
  });

  it('elena: bounded by PowerUserAccess — s3 through Engineering, and even an inline `*` gives no IAM writes', async () => {
    const plain = (await access(SnapshotAnalysis.of(snapshot), demo.elena))!;
    expect(plain.services.map((s) => s.service).sort()).toEqual(['s3', 's3-object-lambda']);
    const widened: AccountSnapshot = {
      ...snapshot,
      users: snapshot.users.map((u) =>
        u.arn === demo.elena
          ? {
              ...u,
              inlinePolicies: [
                { name: 'all', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) },
              ],
            }
          : u,
      ),
    };
    const a = (await access(SnapshotAnalysis.of(widened), demo.elena, { service: 'iam' }))!;
    // PowerUserAccess allows iam only for service-linked roles and ListRoles.
    expect(levelActions(a, 'iam', 'Write')).toEqual([
      'iam:CreateServiceLinkedRole',
      'iam:DeleteServiceLinkedRole',
    ]);
    expect(actionOf(a, 'iam:CreateUser')).toBeUndefined();
    expect(levelActions(a, 'iam', 'Permissions management')).toEqual([]);
  });

  it('ec2-build-agent: nothing from identity policies on s3, but the bucket policy lets it read the bucket', async () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/ec2-build-agent`;
    const a = (await access(SnapshotAnalysis.of(snapshot), role, { service: 's3' }))!;
    expect(a.services).toEqual([]);
    const bucket = a.resources.find((r) => r.arn === ENG_BUCKET)!;
    const actions = resourceActions(bucket);
    expect(actions.map((x) => x.action).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(actions.every((x) => x.viaResourcePolicy && x.decision === 'CONDITIONAL')).toBe(true);
  });

  it('lambda-order-processor: PutObject on the engineering bucket only under reports/ (partial)', async () => {
    const a = (await access(SnapshotAnalysis.of(snapshot), demo.lambdaRole, { service: 's3' }))!;
    const bucket = a.resources.find((r) => r.arn === ENG_BUCKET)!;
    const put = resourceActions(bucket).find((x) => x.action === 's3:PutObject')!;
    expect(put.partial).toBe(true);
    expect(put.scope).toBe(`${ENG_BUCKET}/reports/*`);
  });

  it('grouping actions by matching statements loses nothing: every s3 action on the bucket equals a direct evaluation', async () => {
    const catalog = await loadCatalog();
    for (const arn of [
      demo.alice,
      demo.carol,
      demo.lambdaRole,
      `arn:aws:iam::${ACCOUNT}:role/ec2-build-agent`,
    ]) {
      const a = (await access(SnapshotAnalysis.of(snapshot), arn, { service: 's3' }))!;
      const bucket = a.resources.find((r) => r.arn === ENG_BUCKET);
      const listed = new Map(
        (bucket ? resourceActions(bucket) : [])
          .filter((x) => !x.partial)
          .map((x) => [`${x.action} ${x.scope}`, x]),
      );
      const principal = [...snapshot.users, ...snapshot.roles].find((p) => p.arn === arn)!;
      const set = {
        ...principalPolicySet(snapshot, arn)!,
        resource: resourcePolicyFor(snapshot, ENG_BUCKET)!,
      };
      for (const action of catalog.expandAction('s3:*')) {
        const types = catalog.resourceTypes(action).map((t) => t.name);
        for (const [resource, type] of [
          [ENG_BUCKET, 'bucket'],
          [`${ENG_BUCKET}/*`, 'object'],
        ] as const) {
          if (!types.includes(type)) continue;
          const context: Record<string, string> =
            principal.kind === 'role' ? { 'aws:PrincipalArn': arn } : {};
          const direct = evaluate(
            { principal: requestPrincipalOf(principal), action, resource, context },
            set,
          );
          const got = listed.get(`${action} ${resource}`);
          expect([arn, action, resource, got?.decision ?? 'DENIED']).toEqual([
            arn,
            action,
            resource,
            direct.decision,
          ]);
          if (got?.conditions) expect(got.conditions).toBe(renderCondition(direct.conditions!));
        }
      }
    }
  });

  it('conditions rendered lazily still show in JSON', async () => {
    const a = (await access(SnapshotAnalysis.of(snapshot), demo.alice, { service: 's3' }))!;
    const json = JSON.parse(JSON.stringify(a)) as AccessAnswer;
    const bucket = json.resources.find((r) => r.arn === ENG_BUCKET)!;
    expect(bucket.levels[0]!.grants[0]!.conditions).toContain('aws:SecureTransport');
  });

  it('an unknown principal is undefined', async () => {
    expect(
      await access(SnapshotAnalysis.of(snapshot), `arn:aws:iam::${ACCOUNT}:user/nobody`),
    ).toBeUndefined();
  });
});

describe('access on hand-built accounts', () => {
  it('a Deny on part of the scope cuts it (partial, except), a Deny on all of it removes the action', async () => {
    const { snapshot, arn } = oneUser([
      doc(
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::secret/*' },
        { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' },
      ),
    ]);
    const a = (await access(SnapshotAnalysis.of(snapshot), arn, { service: 's3' }))!;
    const get = actionOf(a, 's3:GetObject')!;
    expect(get.scopes).toHaveLength(1);
    expect(get.scopes[0]).toMatchObject({ pattern: '*', partial: true });
    expect(get.scopes[0]!.cuts).toEqual([
      expect.objectContaining({ how: 'except', pattern: 'arn:aws:s3:::secret/*', layer: 'identity' }),
    ]);
    expect(actionOf(a, 's3:PutObject')!.scopes[0]!.partial).toBe(false);
    expect(actionOf(a, 's3:DeleteBucket')).toBeUndefined();
  });

  it('a boundary narrower than the grant: the scope becomes the boundary pattern, marked within', async () => {
    const { snapshot, arn } = oneUser([doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })], {
      boundary: doc({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::team-a/*' }),
    });
    const get = actionOf((await access(SnapshotAnalysis.of(snapshot), arn))!, 's3:GetObject')!;
    expect(get.scopes).toEqual([
      expect.objectContaining({
        pattern: 'arn:aws:s3:::team-a/*',
        partial: true,
        cuts: [expect.objectContaining({ how: 'within', layer: 'boundary' })],
      }),
    ]);
  });

  it('within a boundary, a Deny on part of what is left is still cut out', async () => {
    const { snapshot, arn } = oneUser(
      [
        doc(
          { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
          { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::team-a/secret/*' },
        ),
      ],
      { boundary: doc({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::team-a/*' }) },
    );
    const scope = actionOf((await access(SnapshotAnalysis.of(snapshot), arn))!, 's3:GetObject')!.scopes[0]!;
    expect(scope.pattern).toBe('arn:aws:s3:::team-a/*');
    expect(scope.cuts.map((c) => [c.how, c.layer, c.pattern])).toEqual([
      ['within', 'boundary', 'arn:aws:s3:::team-a/*'],
      ['except', 'identity', 'arn:aws:s3:::team-a/secret/*'],
    ]);
  });

  it('a boundary that does not allow the service removes it entirely', async () => {
    const { snapshot, arn } = oneUser([doc({ Effect: 'Allow', Action: ['s3:*', 'sns:*'], Resource: '*' })], {
      boundary: doc({ Effect: 'Allow', Action: 'sns:*', Resource: '*' }),
    });
    const a = (await access(SnapshotAnalysis.of(snapshot), arn))!;
    expect(a.services.map((s) => s.service)).toEqual(['sns']);
  });

  it('kms:* from identity policies alone: the keyless actions (ListKeys, CreateKey), not those on a key', async () => {
    // kms/latest/developerguide/iam-policies: CreateKey "can't be controlled by a key policy because [it doesn't]
    // involve any particular KMS key"; Decrypt needs the key policy, which the identity section does not have.
    // Both match the same statement, so one group per statement set would give them one verdict.
    const { snapshot, arn } = oneUser([doc({ Effect: 'Allow', Action: 'kms:*', Resource: '*' })]);
    const a = (await access(SnapshotAnalysis.of(snapshot), arn, { service: 'kms' }))!;
    expect(actionOf(a, 'kms:ListKeys')?.scopes[0]).toMatchObject({ pattern: '*' });
    expect(actionOf(a, 'kms:CreateKey')).toBeDefined();
    expect(actionOf(a, 'kms:Decrypt')).toBeUndefined();
    expect(actionOf(a, 'kms:CreateAlias')).toBeUndefined();
  });

  it('conditions: CONDITIONAL with the residual, ALLOWED once the context satisfies them', async () => {
    const { snapshot, arn } = oneUser([
      doc({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: '*',
        Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
      }),
    ]);
    const open = actionOf((await access(SnapshotAnalysis.of(snapshot), arn))!, 's3:GetObject')!;
    expect(open.decision).toBe('CONDITIONAL');
    expect(open.conditions).toContain('aws:SourceIp');
    expect(open.scopes[0]!.residual).toBeDefined();
    const pinned = (await access(SnapshotAnalysis.of(snapshot), arn, {
      context: { 'aws:SourceIp': '10.1.2.3' },
    }))!;
    expect(actionOf(pinned, 's3:GetObject')!.decision).toBe('ALLOWED');
    const outside = (await access(SnapshotAnalysis.of(snapshot), arn, {
      context: { 'aws:SourceIp': '192.0.2.1' },
    }))!;
    expect(actionOf(outside, 's3:GetObject')).toBeUndefined();
  });

  it('NotAction grants every other service; NotResource grants everything but its list', async () => {
    const { snapshot, arn } = oneUser([
      doc(
        { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' },
        { Effect: 'Allow', Action: 'sns:Publish', NotResource: 'arn:aws:sns:*:*:private-*' },
      ),
    ]);
    const iam = (await access(SnapshotAnalysis.of(snapshot), arn, { service: 'iam' }))!;
    expect(iam.services).toEqual([]);
    const s3 = (await access(SnapshotAnalysis.of(snapshot), arn, { service: 's3' }))!;
    expect(actionOf(s3, 's3:GetObject')!.decision).toBe('ALLOWED');
    const sns = (await access(SnapshotAnalysis.of(snapshot), arn, { service: 'sns' }))!;
    const publish = actionOf(sns, 'sns:Publish')!;
    // Both statements grant it: NotAction without cuts, the NotResource one with its exception.
    expect(publish.scopes).toHaveLength(1);
    expect(publish.scopes[0]!.grantedBy).toHaveLength(2);
  });

  it('NotResource alone is reported as partial with its exception', async () => {
    const { snapshot, arn } = oneUser([
      doc({ Effect: 'Allow', Action: 'sns:Publish', NotResource: 'arn:aws:sns:*:*:private-*' }),
    ]);
    const publish = actionOf((await access(SnapshotAnalysis.of(snapshot), arn))!, 'sns:Publish')!;
    expect(publish.scopes[0]).toMatchObject({ pattern: '*', partial: true });
    expect(publish.scopes[0]!.cuts.map((c) => [c.how, c.pattern])).toEqual([
      ['except', 'arn:aws:sns:*:*:private-*'],
    ]);
  });

  it('known resources without a policy: what the identity grants there, by level', async () => {
    const topic: Resource = {
      arn: `arn:aws:sns:eu-west-1:${ACCOUNT}:orders`,
      service: 'sns',
      type: 'topic',
      name: 'orders',
      tags: {},
    };
    const { snapshot, arn } = oneUser(
      [doc({ Effect: 'Allow', Action: 'sns:Publish', Resource: `arn:aws:sns:eu-west-1:${ACCOUNT}:orders` })],
      { resources: [topic, { ...topic, arn: `arn:aws:sns:eu-west-1:${ACCOUNT}:other`, name: 'other' }] },
    );
    const a = (await access(SnapshotAnalysis.of(snapshot), arn))!;
    expect(a.resources.map((r) => [r.name, r.levels.map((l) => l.level)])).toEqual([['orders', ['Write']]]);
    // A standalone account (no organization, no member roles): nothing incomplete to say.
    expect(a.notes).toEqual([]);
  });
});

describe('access with an organization', () => {
  const bucket: Resource = {
    arn: 'arn:aws:s3:::shared-data',
    service: 's3',
    type: 'bucket',
    name: 'shared-data',
    accountId: ACCOUNT,
    tags: {},
  };
  const orgPolicy = (
    id: string,
    type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY',
    document: string,
    targets: string[],
  ) => ({
    id,
    arn: `arn:aws:organizations::999999999999:policy/o-example/${type.toLowerCase()}/${id}`,
    name: id,
    type,
    awsManaged: false,
    document,
    targets,
  });
  function inOrg(): { snapshot: AccountSnapshot; arn: string } {
    const { snapshot, arn } = oneUser([doc({ Effect: 'Allow', Action: ['s3:*', 'sns:*'], Resource: '*' })], {
      resources: [bucket],
    });
    const allowAll = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
    return {
      arn,
      snapshot: {
        ...snapshot,
        organization: {
          id: 'o-example',
          managementAccountId: '999999999999',
          nodes: [
            { id: 'r-root', kind: 'root', name: 'Root' },
            { id: ACCOUNT, kind: 'account', name: 'workload', parentId: 'r-root' },
          ],
          policies: [
            orgPolicy('p-full', 'SERVICE_CONTROL_POLICY', allowAll, ['r-root', ACCOUNT]),
            // The SCP at the account level takes sns away from the account's principals.
            orgPolicy(
              'p-nosns',
              'SERVICE_CONTROL_POLICY',
              doc({ Effect: 'Deny', Action: 'sns:*', Resource: '*' }),
              [ACCOUNT],
            ),
            orgPolicy('r-full', 'RESOURCE_CONTROL_POLICY', allowAll, ['r-root', ACCOUNT]),
            // The RCP denies deleting objects in the account's buckets, whoever asks.
            orgPolicy(
              'r-nodelete',
              'RESOURCE_CONTROL_POLICY',
              doc({ Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: '*' }),
              [ACCOUNT],
            ),
          ],
        },
      },
    };
  }

  it('an SCP Deny removes a service from the identity grants (orgs_manage_policies_scps)', async () => {
    const { snapshot, arn } = inOrg();
    const a = (await access(SnapshotAnalysis.of(snapshot), arn))!;
    expect(a.services.map((s) => s.service)).toContain('s3');
    expect(a.services.map((s) => s.service)).not.toContain('sns');
  });

  it("an RCP Deny removes the action on the account's resources, not from the identity grants", async () => {
    const { snapshot, arn } = inOrg();
    const a = (await access(SnapshotAnalysis.of(snapshot), arn, { service: 's3' }))!;
    expect(actionOf(a, 's3:DeleteObject')).toBeDefined();
    const onBucket = resourceActions(a.resources.find((r) => r.arn === bucket.arn)!).map((x) => x.action);
    expect(onBucket).toContain('s3:GetObject');
    expect(onBucket).not.toContain('s3:DeleteObject');
  });
});
