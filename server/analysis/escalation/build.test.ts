/**
 * The edge builder on the demo account (examples/demo/README.md "Who can escalate?", "Who is admin?").
 * Per-technique fixtures are in techniques.fixtures.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { demo, importDemo } from '../../../test/api/demo-fixture.ts';
import { ADMIN, buildEscalationGraph } from './index.ts';
import { paths } from './paths.ts';

const PLATFORM_ADMIN = 'arn:aws:iam::111122223333:role/platform-admin';
const GRACE = 'arn:aws:iam::111122223333:user/grace';
const SVC_DEPLOY = 'arn:aws:iam::111122223333:user/service-accounts/svc-deploy';

describe('buildEscalationGraph on the demo', async () => {
  const snapshot = await importDemo();
  const graph = await buildEscalationGraph(snapshot);
  const edges = (from: string, technique?: string) =>
    graph.edges.filter((e) => e.from === from && (!technique || e.technique === technique));

  it('admins: grace (Admins → AdministratorAccess) and platform-admin', () => {
    expect([...graph.admins.keys()].sort()).toEqual([PLATFORM_ADMIN, GRACE]);
    expect(graph.admins.get(GRACE)!.evidence.map((e) => e.path)).toEqual([
      'user grace → group Admins → AdministratorAccess → Statement[0]',
    ]);
  });

  it('CAN_ASSUME: grace → platform-admin only with MFA; the trust statement is evidence', () => {
    const e = edges(GRACE, 'sts:AssumeRole').find((x) => x.to === PLATFORM_ADMIN)!;
    expect(e).toMatchObject({
      kind: 'assume',
      conditional: true,
      conditions: ['aws:MultiFactorAuthPresent = true'],
    });
    expect(e.evidence.some((x) => x.layer === 'resource' && x.policyId === PLATFORM_ADMIN)).toBe(true);
    // Nobody else in the account may assume it: their policies do not allow sts:AssumeRole.
    expect(
      graph.edges.filter((x) => x.to === PLATFORM_ADMIN && x.kind === 'assume').map((x) => x.from),
    ).toEqual([GRACE]);
  });

  it('bob passes lambda-order-processor to a new function (lambda-001), with both inline statements as evidence', () => {
    const e = edges(demo.bob, 'lambda-001')[0]!;
    expect(e).toMatchObject({ to: demo.lambdaRole, kind: 'escalate', conditional: false });
    expect(e.evidence.map((x) => x.path)).toEqual([
      'user bob → inline lambda-deployer → Statement[0] "DeployFunctions"',
      'user bob → inline lambda-deployer → Statement[1] "PassLambdaRoles"',
      `resource policy ${demo.lambdaRole} → Statement[0]`,
    ]);
  });

  it('bob can also take over any existing Lambda function (lambda-003): one conditional fan-out entry', () => {
    const fan = graph.fanOut!.filter((f) => f.from === demo.bob && f.technique === 'lambda-003');
    expect(fan).toHaveLength(1);
    expect(fan[0]).toMatchObject({
      targets: [demo.lambdaRole],
      conditional: true,
      conditions: ['assumes: a Lambda function runs as the role'],
    });
  });

  it('no escalation edges from admins', () => {
    expect(graph.edges.filter((e) => e.kind === 'escalate' && graph.admins.has(e.from))).toEqual([]);
  });

  // The README's "Escalation paths": three paths with their evidence, as `accessgraph paths` shows them.
  const route = (from: string, to: string) =>
    paths(graph, { from, to, k: 1 })[0]?.steps.map((st) => `${st.technique} → ${st.to.split(':').pop()}`);

  it('path 1: bob runs code as lambda-order-processor (lambda-001)', () => {
    expect(route(demo.bob, demo.lambdaRole)).toEqual(['lambda-001 → role/lambda-order-processor']);
  });

  it('path 2: svc-deploy passes cfn-deployer to CloudFormation, which can write itself a policy (iam-005)', () => {
    expect(route(SVC_DEPLOY, ADMIN)).toEqual(['cloudformation-001 → role/cfn-deployer', 'iam-005 → admin']);
    const [pass, self] = paths(graph, { from: SVC_DEPLOY, to: ADMIN, k: 1 })[0]!.steps;
    expect(pass!.evidence.map((x) => x.path)).toContain(
      'user svc-deploy → inline cloudformation-deployer → Statement[1] "PassStackRole"',
    );
    expect(self!.evidence.map((x) => x.path)).toEqual([
      'role cfn-deployer → CfnDeployerPermissions → Statement[1] "StackRoles"',
    ]);
  });

  it("path 3: dave (QA) mints svc-deploy's keys (iam-003: it already has two), then path 2", () => {
    expect(route(demo.dave, ADMIN)).toEqual([
      'iam-003 → user/service-accounts/svc-deploy',
      'cloudformation-001 → role/cfn-deployer',
      'iam-005 → admin',
    ]);
    // CreateAccessKey alone (iam-002) does not reach svc-deploy, which has two keys; it reaches svc-notifier.
    const iam002 = graph.edges
      .filter((e) => e.from === demo.dave && e.technique === 'iam-002')
      .map((e) => e.to);
    expect(iam002).toEqual([demo.svcNotifier]);
  });

  it('alice, elena and carol have no way up', () => {
    for (const who of [demo.alice, demo.elena, demo.carol])
      expect(paths(graph, { from: who, to: ADMIN })).toEqual([]);
  });
});

/** Hand-written cases, independent of the fixture generator in techniques.fixtures.test.ts. */
describe('buildEscalationGraph, hand-written cases', async () => {
  const { aGroup, aPolicy, aRole, aSnapshot, aUser, allowDocument, trustService } =
    await import('../../../test/support/builders.ts');
  const A = '111122223333';
  const B = '444455556666';
  const arn = (account: string, rest: string) => `arn:aws:iam::${account}:${rest}`;
  const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const inline = (name: string, document: string) => ({ name, document });

  it('PassRole in the user inline policy, lambda:CreateFunction through a group: found, on the passable role only', async () => {
    const builders = aGroup({
      name: 'Builders',
      inlinePolicies: [inline('lambda', allowDocument(['lambda:CreateFunction', 'lambda:InvokeFunction']))],
    });
    const dev = aUser({
      name: 'dev',
      groups: [builders.arn],
      inlinePolicies: [inline('pass', allowDocument('iam:PassRole', arn(A, 'role/app-*')))],
    });
    const snapshot = aSnapshot({
      users: [dev],
      groups: [builders],
      roles: [aRole({ name: 'app-worker' }), aRole({ name: 'billing-worker' })],
    });
    const graph = await buildEscalationGraph(snapshot);
    const e = graph.edges.filter((x) => x.from === dev.arn && x.technique === 'lambda-001');
    expect(e.map((x) => x.to)).toEqual([arn(A, 'role/app-worker')]);
    expect(e[0]!.evidence.map((x) => x.path)).toEqual([
      'user dev → group Builders → inline lambda → Statement[0]',
      'user dev → inline pass → Statement[0]',
      `resource policy ${arn(A, 'role/app-worker')} → Statement[0]`,
    ]);
  });

  it('cross-account CAN_ASSUME needs both sides, and keeps the ExternalId as a residual', async () => {
    const vendorRole = aRole({
      name: 'vendor-access',
      trustPolicy: doc({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${B}:root` },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'ext-42' } },
      }),
    });
    const caller = aUser({
      name: 'caller',
      account: B,
      inlinePolicies: [inline('sts', allowDocument('sts:AssumeRole'))],
    });
    const idle = aUser({
      name: 'idle',
      account: B,
      inlinePolicies: [inline('s3', allowDocument('s3:GetObject'))],
    });
    const snapshot = aSnapshot({
      users: [caller, idle],
      roles: [vendorRole],
      accounts: [{ id: A }, { id: B }],
    });
    const graph = await buildEscalationGraph(snapshot);
    const assume = graph.edges.filter((x) => x.kind === 'assume');
    expect(assume).toHaveLength(1);
    expect(assume[0]).toMatchObject({
      from: caller.arn,
      to: vendorRole.arn,
      conditional: true,
      conditions: ['sts:ExternalId = ext-42'],
    });
  });

  it('self-escalation under a boundary leads to ADMIN only when the user may also delete its boundary', async () => {
    const bound = aPolicy({
      name: 'Bound',
      document: allowDocument(['s3:*', 'iam:PutUserPolicy', 'iam:DeleteUserPermissionsBoundary']),
    });
    const user = (name: string, actions: string[]) =>
      aUser({
        name,
        permissionsBoundary: bound.arn,
        inlinePolicies: [inline('self', allowDocument(actions, arn(A, `user/${name}`)))],
      });
    const stuck = user('stuck', ['iam:PutUserPolicy']);
    const free = user('free', ['iam:PutUserPolicy', 'iam:DeleteUserPermissionsBoundary']);
    const graph = await buildEscalationGraph(aSnapshot({ users: [stuck, free], policies: [bound] }));
    const toAdmin = graph.edges.filter((e) => e.to === ADMIN && e.technique === 'iam-007').map((e) => e.from);
    expect(toAdmin).toEqual([free.arn]);
  });

  it('CreateAccessKey alone cannot reach a user with two keys (iam-002); with DeleteAccessKey it can (iam-003)', async () => {
    const keys = (n: number) => ({
      passwordEnabled: false,
      mfaActive: false,
      accessKeys: Array.from({ length: n }, (_, i) => ({
        slot: i + 1,
        active: true,
        lastRotated: '2026-01-01',
      })),
      certificates: [],
    });
    const full = aUser({ name: 'full', credentials: keys(2) });
    const roomy = aUser({ name: 'roomy', credentials: keys(1) });
    const ops = aUser({
      name: 'ops',
      inlinePolicies: [
        inline('keys', allowDocument(['iam:CreateAccessKey', 'iam:DeleteAccessKey'], [full.arn, roomy.arn])),
      ],
    });
    const graph = await buildEscalationGraph(aSnapshot({ users: [ops, full, roomy] }));
    const to = (technique: string) =>
      graph.edges
        .filter((e) => e.from === ops.arn && e.technique === technique)
        .map((e) => e.to)
        .sort();
    expect(to('iam-002')).toEqual([roomy.arn]);
    expect(to('iam-003')).toEqual([full.arn, roomy.arn].sort());
  });

  it('iam:CreateAccessKey on * is one fan-out entry over every user, plus an edge to the admin user', async () => {
    const admin = aPolicy({ name: 'AdministratorAccess', awsManaged: true, document: allowDocument('*') });
    const helpdesk = aUser({
      name: 'helpdesk',
      inlinePolicies: [inline('keys', allowDocument('iam:CreateAccessKey'))],
    });
    const boss = aUser({ name: 'boss', attachedPolicies: [admin.arn] });
    const others = ['u1', 'u2', 'u3'].map((name) => aUser({ name }));
    const graph = await buildEscalationGraph(
      aSnapshot({
        users: [helpdesk, boss, ...others],
        policies: [admin],
        roles: [aRole({ name: 'r', trustPolicy: trustService('ec2.amazonaws.com') })],
      }),
    );
    const fan = graph.fanOut!.filter((f) => f.from === helpdesk.arn && f.technique === 'iam-002');
    expect(fan).toHaveLength(1);
    expect([...fan[0]!.targets].sort()).toEqual([helpdesk, boss, ...others].map((u) => u.arn).sort());
    expect(
      graph.edges.filter((e) => e.from === helpdesk.arn && e.technique === 'iam-002').map((e) => e.to),
    ).toEqual([boss.arn]);
  });
});

describe('service trust conditions', async () => {
  const { aRole, aSnapshot, aUser, allowDocument } = await import('../../../test/support/builders.ts');
  const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const lambdaTrust = (condition: object) =>
    doc({
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: condition,
    });

  it('aws:SourceAccount of the role account holds for a new resource; aws:SourceArn stays a residual; another account fails', async () => {
    const dev = aUser({
      name: 'dev',
      inlinePolicies: [
        {
          name: 'l',
          document: allowDocument([
            'iam:PassRole',
            'lambda:CreateFunction',
            'lambda:InvokeFunction',
            'lambda:UpdateFunctionCode',
          ]),
        },
      ],
    });
    const own = aRole({
      name: 'own',
      trustPolicy: lambdaTrust({ StringEquals: { 'aws:SourceAccount': '111122223333' } }),
    });
    const arnBound = aRole({
      name: 'arn-bound',
      trustPolicy: lambdaTrust({
        ArnLike: { 'aws:SourceArn': 'arn:aws:lambda:*:111122223333:function:orders-*' },
      }),
    });
    const foreign = aRole({
      name: 'foreign',
      trustPolicy: lambdaTrust({ StringEquals: { 'aws:SourceAccount': '999999999999' } }),
    });
    const graph = await buildEscalationGraph(aSnapshot({ users: [dev], roles: [own, arnBound, foreign] }));
    const reached = new Map<string, string[]>();
    for (const e of graph.edges.filter((x) => x.technique === 'lambda-001')) reached.set(e.to, e.conditions);
    for (const f of graph.fanOut!.filter((x) => x.technique === 'lambda-001'))
      for (const t of f.targets) reached.set(t, f.conditions);
    expect(reached.get(own.arn)).toEqual([]);
    expect(reached.get(arnBound.arn)).toEqual([
      'aws:SourceArn like arn:aws:lambda:*:111122223333:function:orders-*',
    ]);
    expect(reached.has(foreign.arn)).toBe(false);
    // An existing function already runs as the role: a condition on the function's ARN held when it was set up,
    // so lambda-003 reaches arn-bound too; a trust only for another account's functions cannot be in use here.
    const existing = graph.fanOut!.find((x) => x.technique === 'lambda-003')!;
    expect([...existing.targets].sort()).toEqual([arnBound.arn, own.arn].sort());
  });
});

describe('protected roles', async () => {
  const { aRole, aSnapshot, aUser, allowDocument, trustService } =
    await import('../../../test/support/builders.ts');
  it('service-linked and Identity Center roles are no targets of trust or policy rewrites', async () => {
    const ops = aUser({
      name: 'ops',
      inlinePolicies: [
        { name: 'trust', document: allowDocument(['iam:UpdateAssumeRolePolicy', 'iam:GetRole']) },
      ],
    });
    const slr = aRole({ name: 'AWSServiceRoleForECS', path: '/aws-service-role/ecs.amazonaws.com/' });
    const sso = aRole({ name: 'AWSReservedSSO_Admin_0123', path: '/aws-reserved/sso.amazonaws.com/' });
    const plain = aRole({ name: 'plain' });
    const graph = await buildEscalationGraph(aSnapshot({ users: [ops], roles: [slr, sso, plain] }));
    const fan = graph.fanOut!.filter((f) => f.from === ops.arn && f.technique === 'iam-012');
    expect(fan.flatMap((f) => f.targets)).toEqual([plain.arn]);
  });
  it('service-linked and Identity Center roles are alike no roles to pass or to find running: neither is reached', async () => {
    // iam-simulate's differential and the engine's protected-role rule agree: only the service uses such a role.
    const dev = aUser({
      name: 'dev',
      inlinePolicies: [
        {
          name: 'run',
          document: allowDocument([
            'iam:PassRole',
            'lambda:CreateFunction',
            'lambda:InvokeFunction',
            'ssm:SendCommand',
          ]),
        },
      ],
    });
    const profile = [{ arn: 'arn:aws:iam::111122223333:instance-profile/p', name: 'p' }];
    const slr = aRole({
      name: 'AWSServiceRoleForLambdaX',
      path: '/aws-service-role/lambda.amazonaws.com/',
      trustPolicy: trustService('lambda.amazonaws.com'),
    });
    const ec2Slr = aRole({
      name: 'AWSServiceRoleForEC2X',
      path: '/aws-service-role/ec2.amazonaws.com/',
      trustPolicy: trustService('ec2.amazonaws.com'),
      instanceProfiles: profile,
    });
    const sso = aRole({
      name: 'AWSReservedSSO_Admin_0123',
      path: '/aws-reserved/sso.amazonaws.com/',
      trustPolicy: trustService('lambda.amazonaws.com'),
      instanceProfiles: profile,
    });
    const plain = aRole({ name: 'plain', trustPolicy: trustService('lambda.amazonaws.com') });
    const graph = await buildEscalationGraph(aSnapshot({ users: [dev], roles: [slr, ec2Slr, sso, plain] }));
    const reached = new Set([
      ...graph.edges.filter((e) => e.from === dev.arn).map((e) => e.to),
      ...graph.fanOut!.filter((f) => f.from === dev.arn).flatMap((f) => f.targets),
    ]);
    expect(reached.has(plain.arn)).toBe(true);
    for (const r of [slr, ec2Slr, sso]) expect(reached.has(r.arn), r.name).toBe(false);
  });
});

describe('one edge per technique and pair', async () => {
  const { aRole, aSnapshot, aUser, allowDocument } = await import('../../../test/support/builders.ts');
  it('two roles the source may rewrite and assume give one iam-014 edge to ADMIN, not two', async () => {
    const ops = aUser({
      name: 'ops',
      inlinePolicies: [
        {
          name: 'roles',
          document: allowDocument(
            ['iam:AttachRolePolicy', 'sts:AssumeRole'],
            ['arn:aws:iam::111122223333:role/a', 'arn:aws:iam::111122223333:role/b'],
          ),
        },
      ],
    });
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: ops.arn }, Action: 'sts:AssumeRole' }],
    });
    const graph = await buildEscalationGraph(
      aSnapshot({
        users: [ops],
        roles: [aRole({ name: 'a', trustPolicy: trust }), aRole({ name: 'b', trustPolicy: trust })],
      }),
    );
    expect(graph.edges.filter((e) => e.technique === 'iam-014').map((e) => e.to)).toEqual([ADMIN]);
    expect(graph.edges.filter((e) => e.technique === 'sts:AssumeRole')).toHaveLength(2);
  });
});
