/**
 * The edge builder on the demo account (examples/demo/README.md "Who can escalate?", "Who is admin?").
 * Per-technique fixtures are in techniques.fixtures.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../test/support/property.ts';
import { demo, importDemo } from '../../../test/api/demo-fixture.ts';
import type { IamGroup, IamRole, IamUser } from '../../../schema/snapshot.ts';
import { stepConditions, type EscalationEdge, type EscalationGraph } from './graph.ts';
import { ADMIN, buildEscalationGraph } from './index.ts';
import { paths } from './paths.ts';

/** A credential report row with `n` active access keys. */
const credentials = (n: number, passwordEnabled: boolean) => ({
  passwordEnabled,
  mfaActive: false,
  accessKeys: Array.from({ length: n }, (_, i) => ({ slot: i + 1, active: true, lastRotated: '2026-01-01' })),
  certificates: [],
});

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

  it('roles trusting another account’s root are one class per caller statement, each role keeping its ExternalId', async () => {
    // A role trusting an account's root lets any principal of that account whose own policies allow
    // sts:AssumeRole on it assume it (IAM user guide, id_roles_common-scenarios_aws-accounts; cross-account
    // requests need both sides: reference_policies_evaluation-logic-cross-account), so the roles of A trusting B
    // answer alike for every caller of B up to each trust's own condition.
    const vendor = (i: number, external?: string) =>
      aRole({
        name: `vendor-${i}`,
        trustPolicy: doc({
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${B}:root` },
          Action: 'sts:AssumeRole',
          ...(external ? { Condition: { StringEquals: { 'sts:ExternalId': external } } } : {}),
        }),
      });
    const roles = [vendor(0, 'ext-0'), vendor(1, 'ext-1'), vendor(2, 'ext-2'), vendor(3)];
    const callers = ['c0', 'c1', 'c2'].map((name) =>
      aUser({ name, account: B, inlinePolicies: [inline('sts', allowDocument('sts:AssumeRole'))] }),
    );
    const snapshot = aSnapshot({ users: callers, roles, accounts: [{ id: A }, { id: B }] });
    const graph = await buildEscalationGraph(snapshot);
    // The unconditional trust is a statement of its own: one edge per caller. The three ExternalId roles: one
    // entry per caller, into one class shared by the three callers.
    expect(graph.edges.map((e) => `${e.from.split('/')[1]} → ${e.to.split('/')[1]}`).sort()).toEqual([
      'c0 → vendor-3',
      'c1 → vendor-3',
      'c2 → vendor-3',
    ]);
    const entries = graph.fanOut ?? [];
    expect(entries.map((f) => f.from)).toEqual(callers.map((c) => c.arn));
    expect(new Set(entries.map((f) => f.targets)).size).toBe(1);
    expect(entries[0]!.targets).toEqual(roles.slice(0, 3).map((r) => r.arn));
    const { stepConditions } = await import('./graph.ts');
    expect(roles.slice(0, 3).map((r) => stepConditions(entries[0]!, r.arn))).toEqual([
      { conditional: true, conditions: ['sts:ExternalId = ext-0'] },
      { conditional: true, conditions: ['sts:ExternalId = ext-1'] },
      { conditional: true, conditions: ['sts:ExternalId = ext-2'] },
    ]);
    // A path shows the role's own condition; the stores keep it (round trip through the stored rows).
    const path = paths(graph, { from: callers[1]!.arn, to: roles[2]!.arn, k: 1 })[0]!;
    expect(path.steps.map((st) => st.conditions)).toEqual([['sts:ExternalId = ext-2']]);
    const { fromDerivedEdges, toStoredRows } = await import('./stored.ts');
    const rows = toStoredRows(graph);
    expect(rows.principalClasses).toHaveLength(1);
    expect(rows.principalClasses[0]!.memberConditions).toEqual({
      [roles[0]!.arn]: ['sts:ExternalId = ext-0'],
      [roles[1]!.arn]: ['sts:ExternalId = ext-1'],
      [roles[2]!.arn]: ['sts:ExternalId = ext-2'],
    });
    const back = fromDerivedEdges(rows.derivedEdges, rows.principalClasses);
    expect(paths(back, { from: callers[1]!.arn, to: roles[2]!.arn, k: 1 })[0]!.steps).toEqual(path.steps);
  });

  it('callers with the same statements share the answers, unless a trust reads the caller (aws:PrincipalArn)', async () => {
    const { buildEscalationGraphWith, buildPerPair } = await import('./build.ts');
    const { loadTechniques } = await import('./techniques/load.ts');
    const { stepConditions } = await import('./graph.ts');
    const techniques = await loadTechniques();
    const trust = (i: number, condition: object) =>
      aRole({
        name: `partner-${i}`,
        trustPolicy: doc({
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${B}:root` },
          Action: 'sts:AssumeRole',
          Condition: condition,
        }),
      });
    const roles = [
      trust(0, { StringEquals: { 'sts:ExternalId': 'e0' } }),
      trust(1, { StringEquals: { 'sts:ExternalId': 'e1' } }),
      trust(2, { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${B}:user/blue` } }),
      trust(3, {
        ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${B}:user/blue` },
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      }),
    ];
    const same = inline('sts', allowDocument('sts:AssumeRole'));
    const callers = [
      aUser({ name: 'blue', account: B, inlinePolicies: [same] }),
      aUser({ name: 'red', account: B, inlinePolicies: [same] }),
    ];
    const snapshot = aSnapshot({ users: callers, roles, accounts: [{ id: A }, { id: B }] });
    const classes = buildEscalationGraphWith(snapshot, techniques);
    const pairs = buildPerPair(snapshot, techniques);
    const steps = (g: EscalationGraph) =>
      [
        ...g.edges.map((e) => `${e.from} → ${e.to} ${e.conditions.join(' & ')}`),
        ...(g.fanOut ?? []).flatMap((f) =>
          f.targets.map((t) => `${f.from} → ${t} ${stepConditions(f, t).conditions.join(' & ')}`),
        ),
      ].sort();
    expect(steps(classes)).toEqual(steps(pairs));
    // Blue reaches the tag-guarded roles, red does not.
    expect(steps(classes).filter((x) => x.includes('partner-2'))).toEqual([
      `${callers[0]!.arn} → ${roles[2]!.arn} `,
    ]);
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
    const keys = (n: number) => credentials(n, false);
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
      [
        ...graph.edges.filter((e) => e.from === ops.arn && e.technique === technique).map((e) => e.to),
        ...graph
          .fanOut!.filter((f) => f.from === ops.arn && f.technique === technique)
          .flatMap((f) => f.targets),
      ].sort();
    expect(to('iam-002')).toEqual([roomy.arn]);
    // Both named users match the same statements: one evaluation, one entry for the two.
    expect(to('iam-003')).toEqual([full.arn, roomy.arn].sort());
    expect(graph.fanOut!.filter((f) => f.technique === 'iam-003')).toHaveLength(1);
  });

  it('login-profile preconditions: the credential report decides them; without a row the step is conditional', async () => {
    // IAM API reference: CreateLoginProfile fails with EntityAlreadyExists on a user that has a console password
    // (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateLoginProfile.html); UpdateLoginProfile fails
    // with NoSuchEntity on one without (https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateLoginProfile.html).
    const withPassword = aUser({ name: 'with-password', credentials: credentials(0, true) });
    const noPassword = aUser({ name: 'no-password', credentials: credentials(0, false) });
    const unreported = aUser({ name: 'unreported' });
    const helpdesk = aUser({
      name: 'helpdesk',
      inlinePolicies: [
        inline('console', allowDocument(['iam:CreateLoginProfile', 'iam:UpdateLoginProfile'])),
      ],
    });
    const graph = await buildEscalationGraph(
      aSnapshot({ users: [helpdesk, withPassword, noPassword, unreported] }),
    );
    const reached = (technique: string) =>
      [
        ...graph.edges
          .filter((e) => e.from === helpdesk.arn && e.technique === technique)
          .map((e) => ({ ...e, targets: [e.to] })),
        ...graph.fanOut!.filter((f) => f.from === helpdesk.arn && f.technique === technique),
      ]
        .flatMap((e) => e.targets.filter((t) => t !== helpdesk.arn).map((t) => [t, e.conditions]))
        .sort();
    expect(reached('iam-004')).toEqual([
      [noPassword.arn, []],
      [unreported.arn, ['if the target has no console password']],
    ]);
    expect(reached('iam-006')).toEqual([
      [unreported.arn, ['if the target has a console password']],
      [withPassword.arn, []],
    ]);
  });

  it('iam:CreateAccessKey on * is one fan-out entry over every user, the admin user’s way to ADMIN with no edge of its own', async () => {
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
    expect(graph.edges.filter((e) => e.from === helpdesk.arn && e.technique === 'iam-002')).toEqual([]);
    expect(
      paths(graph, { from: helpdesk.arn, to: ADMIN }).map((p) => p.steps.map((s) => [s.to, s.technique])),
    ).toEqual([
      [
        [boss.arn, 'iam-002'],
        [ADMIN, 'admin-equivalent'],
      ],
    ]);
  });
});

describe('CAN_ASSUME into roles sharing one trust policy', async () => {
  const { aPolicy, aRole, aSnapshot, aUser, allowDocument } =
    await import('../../../test/support/builders.ts');
  const { toStoredRows, fromDerivedEdges } = await import('./stored.ts');
  // A trust policy naming the account delegates to the caller's own policies ("Specifying a principal": the
  // account root), https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
  const trustRoot = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Account',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: 'sts:AssumeRole',
      },
    ],
  });
  it('is one entry; the step into its admin-equivalent member shows that member’s trust statement', async () => {
    const admin = aPolicy({ name: 'AdministratorAccess', awsManaged: true, document: allowDocument('*') });
    const roles = ['a', 'b', 'boss', 'c'].map((name) =>
      aRole({ name, trustPolicy: trustRoot, ...(name === 'boss' ? { attachedPolicies: [admin.arn] } : {}) }),
    );
    const boss = roles[2]!.arn;
    const dev = aUser({
      name: 'dev',
      inlinePolicies: [{ name: 'assume', document: allowDocument('sts:AssumeRole') }],
    });
    const graph = await buildEscalationGraph(aSnapshot({ users: [dev], roles, policies: [admin] }));
    expect(graph.fanOut!.filter((f) => f.from === dev.arn && f.kind === 'assume')).toHaveLength(1);
    expect(graph.edges.filter((e) => e.from === dev.arn)).toEqual([]);
    const rows = toStoredRows(graph);
    const stored = fromDerivedEdges(rows.derivedEdges, rows.principalClasses);
    for (const g of [graph, stored]) {
      const [step, last] = paths(g, { from: dev.arn, to: ADMIN })[0]!.steps;
      expect(step!.to).toBe(boss);
      expect(step!.evidence.map((e) => e.path)).toEqual([
        'user dev → inline assume → Statement[0]',
        `resource policy ${boss} → Statement[0] "Account"`,
      ]);
      expect(step!.evidence[1]).toMatchObject({ policyId: boss, policyName: 'trust policy of boss' });
      expect(last!.technique).toBe('admin-equivalent');
      // Into a member that is not admin-equivalent: the caller's statement (the entry's evidence).
      const [toA] = paths(g, { from: dev.arn, to: roles[0]!.arn })[0]!.steps;
      expect(toA!.evidence.map((e) => e.path)).toEqual(['user dev → inline assume → Statement[0]']);
    }
  });
});

describe('evidence is kept once per (source, statement)', async () => {
  const { aSnapshot, aUser, allowDocument } = await import('../../../test/support/builders.ts');
  const { toStoredRows, fromDerivedEdges } = await import('./stored.ts');
  it('every edge and entry of a source that a statement grants holds the same statement object', async () => {
    const ops = aUser({
      name: 'ops',
      inlinePolicies: [
        {
          name: 'credentials',
          document: allowDocument(['iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:UpdateLoginProfile']),
        },
      ],
    });
    const others = ['u1', 'u2'].map((name) => aUser({ name }));
    const graph = await buildEscalationGraph(aSnapshot({ users: [ops, ...others] }));
    const rows = toStoredRows(graph);
    for (const g of [graph, fromDerivedEdges(rows.derivedEdges, rows.principalClasses)]) {
      const granted = [...g.edges, ...(g.fanOut ?? [])].filter((e) => e.from === ops.arn);
      expect(new Set(granted.map((e) => e.technique)).size).toBeGreaterThan(1);
      const statements = granted.flatMap((e) => e.evidence);
      expect(statements.map((e) => e.path)).toContain('user ops → inline credentials → Statement[0]');
      expect(new Set(statements).size).toBe(1);
    }
  });
});

describe('organizations: service roles are per account', async () => {
  const { aRole, aSnapshot, aUser, allowDocument, trustService } =
    await import('../../../test/support/builders.ts');
  // "You can only use the PassRole permission to pass an IAM role to a service that shares the same AWS
  // account." https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
  it("PassRole on * reaches the roles of the source's own account only, not those trusting the service elsewhere", async () => {
    const A = '111122223333';
    const B = '444455556666';
    const dev = aUser({
      name: 'dev',
      account: B,
      inlinePolicies: [
        {
          name: 'deploy',
          document: allowDocument([
            'iam:PassRole',
            'lambda:CreateFunction',
            'lambda:InvokeFunction',
            'lambda:UpdateFunctionCode',
          ]),
        },
      ],
    });
    const own = aRole({ name: 'fn', account: B, trustPolicy: trustService('lambda.amazonaws.com') });
    const other = aRole({ name: 'fn', account: A, trustPolicy: trustService('lambda.amazonaws.com') });
    const graph = await buildEscalationGraph(
      aSnapshot({ users: [dev], roles: [own, other], accounts: [{ id: A }, { id: B }] }),
    );
    const reached = (technique: string) =>
      [
        ...graph.edges.filter((e) => e.technique === technique).map((e) => e.to),
        ...graph.fanOut!.filter((f) => f.technique === technique).flatMap((f) => f.targets),
      ].sort();
    // lambda-001: a new function run as the passed role; lambda-003: an existing function of its account.
    expect(reached('lambda-001')).toEqual([own.arn]);
    expect(reached('lambda-003')).toEqual([own.arn]);
  });
});

describe('scoped grants: one evaluation per part of a class', async () => {
  const { aRole, aSnapshot, aUser, allowDocument, trustService } =
    await import('../../../test/support/builders.ts');
  const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  it('PassRole on role/service-* less a denied role: one entry for the roles it may pass, none for the others', async () => {
    const dev = aUser({
      name: 'dev',
      inlinePolicies: [
        { name: 'lambda', document: allowDocument(['lambda:CreateFunction', 'lambda:InvokeFunction']) },
        {
          name: 'pass',
          document: doc(
            { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/service-*' },
            { Effect: 'Deny', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/service-c' },
          ),
        },
      ],
    });
    const lambda = trustService('lambda.amazonaws.com');
    const roles = ['service-a', 'service-b', 'service-c', 'other'].map((name) =>
      aRole({ name, trustPolicy: lambda }),
    );
    const graph = await buildEscalationGraph(aSnapshot({ users: [dev], roles }));
    const fan = graph.fanOut!.filter((f) => f.technique === 'lambda-001');
    expect(fan.map((f) => [...f.targets].sort())).toEqual([[roles[0]!.arn, roles[1]!.arn]]);
    expect(graph.edges.filter((e) => e.technique === 'lambda-001')).toEqual([]);
  });

  it("AWS's self-service credentials policy adds no edge and keeps CreateAccessKey on * one class", async () => {
    // IAM user guide, "IAM: Allows IAM users to update their own credentials programmatically and in the
    // console": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_credentials_console.html
    const selfService = doc({
      Effect: 'Allow',
      Action: ['iam:*AccessKey*', 'iam:ChangePassword', 'iam:GetUser'],
      Resource: ['arn:aws:iam::*:user/${aws:username}'],
    });
    const helpdesk = aUser({
      name: 'helpdesk',
      inlinePolicies: [
        { name: 'self', document: selfService },
        { name: 'keys', document: allowDocument('iam:CreateAccessKey') },
      ],
    });
    const others = ['u1', 'u2'].map((name) =>
      aUser({ name, inlinePolicies: [{ name: 'self', document: selfService }] }),
    );
    const graph = await buildEscalationGraph(aSnapshot({ users: [helpdesk, ...others] }));
    // The others may only manage their own keys: no step to anyone.
    expect([...graph.edges, ...graph.fanOut!].filter((e) => e.from !== helpdesk.arn)).toEqual([]);
    const fan = graph.fanOut!.filter((f) => f.from === helpdesk.arn && f.technique === 'iam-002');
    // No credential report: the key slot is a precondition of the step, not a certainty.
    expect(fan.map((f) => [f.targetClass, f.conditions])).toEqual([
      [
        'every user of account 111122223333 with fewer than two access keys (not in the credential report)',
        ['if the target has fewer than two access keys'],
      ],
    ]);
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

/**
 * The class-based build (fan-out entries, patterns evaluated once, per-account classes) against `buildPerPair`,
 * which asks the engine about every (source, target) pair of every account, on small random two-account
 * snapshots. Both graphs are compared as the steps they allow: an edge, or a fan-out entry expanded to one step
 * per target other than its source; with conditions and the identity statements granting each step.
 */
describe('property: the class-based build equals a per-pair build', async () => {
  const fc = (await import('fast-check')).default;
  const { aGroup, aPolicy, aRole, aSnapshot, aUser } = await import('../../../test/support/builders.ts');
  const { buildEscalationGraphWith, buildPerPair, buildRestricted } = await import('./build.ts');
  const { loadTechniques } = await import('./techniques/load.ts');
  const techniques = await loadTechniques();
  const A = '111122223333';
  const B = '444455556666';
  const C = '777788889999';
  const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

  const steps = (g: EscalationGraph): string[] => {
    const key = (e: Omit<EscalationEdge, 'to'>, to: string, step = e) =>
      JSON.stringify([
        e.kind,
        e.from,
        to,
        e.technique,
        step.conditional,
        step.conditions,
        e.evidence
          .filter((x) => x.layer === 'identity')
          .map((x) => `${x.policyId}#${x.statementIndex}#${x.attachedVia.join(',')}`)
          .sort(),
      ]);
    const out = new Set(g.edges.map((e) => key(e, e.to)));
    for (const f of g.fanOut ?? [])
      for (const t of f.targets) if (t !== f.from) out.add(key(f, t, { ...f, ...stepConditions(f, t) }));
    return [...out].sort();
  };

  // Few actions, so that statements of one principal often overlap (an Allow split by a Deny, two scopes).
  const actions = [
    'iam:CreateAccessKey',
    'iam:*AccessKey*',
    'iam:UpdateLoginProfile',
    'iam:AttachUserPolicy',
    'iam:AttachRolePolicy',
    'iam:UpdateAssumeRolePolicy',
    'iam:PassRole',
    'sts:AssumeRole',
    'lambda:CreateFunction',
    'lambda:InvokeFunction',
  ];
  const resources = [
    '*',
    `arn:aws:iam::${A}:user/*`,
    `arn:aws:iam::*:user/\${aws:username}`,
    `arn:aws:iam::${A}:user/\${aws:username}`,
    `arn:aws:iam::${A}:user/u1`,
    `arn:aws:iam::${A}:user/svc-*`,
    `arn:aws:iam::${A}:role/service-*`,
    `arn:aws:iam::*:role/*`,
    `arn:aws:iam::${A}:role/r1`,
    `arn:aws:iam::${B}:role/*`,
    `arn:aws:iam::*:role/xa-*`,
  ];
  const statement = fc
    .record({
      Effect: fc.constantFrom('Allow', 'Allow', 'Allow', 'Deny'),
      Action: fc.subarray(actions, { minLength: 1, maxLength: 3 }),
      Resource: fc.subarray(resources, { minLength: 1, maxLength: 2 }),
      not: fc.constantFrom(false, false, false, false, true),
      condition: fc.constantFrom(
        undefined,
        undefined,
        undefined,
        { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        { StringEquals: { 'aws:ResourceTag/team': 'blue' } },
      ),
    })
    .map(({ not, condition, Resource, ...st }) => ({
      ...st,
      ...(not ? { NotResource: Resource } : { Resource }),
      ...(condition ? { Condition: condition } : {}),
    }));
  const policyDoc = fc.array(statement, { minLength: 1, maxLength: 4 }).map((sts) => doc(...sts));
  // The account after `account` (A → B → C → A): cross-account trusts name it, with an ExternalId of the role's
  // own, with MFA, or none.
  const next = (account: string, accounts: string[]) =>
    accounts[(accounts.indexOf(account) + 1) % accounts.length]!;
  const trusts = (account: string, role: string, accounts: string[]) => [
    doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }),
    doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole' }),
    doc({
      Effect: 'Allow',
      Principal: { AWS: account },
      Action: 'sts:AssumeRole',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    }),
    doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:user/u0` }, Action: 'sts:AssumeRole' }),
    doc({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${next(account, accounts)}:root` },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': `ext-${role}` } },
    }),
    doc({
      Effect: 'Allow',
      Principal: { AWS: [next(account, accounts), `arn:aws:iam::${A}:root`] },
      Action: 'sts:AssumeRole',
    }),
  ];
  // A console password for users with one key: login-profile techniques see both kinds.
  const keys = (n: number) => credentials(n, n === 1);
  const admin = aPolicy({
    name: 'AdministratorAccess',
    awsManaged: true,
    document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
  });
  const bound = aPolicy({
    name: 'Bound',
    document: doc({ Effect: 'Allow', Action: ['iam:*', 'sts:*', 'lambda:*'], Resource: '*' }),
  });
  const userNames = ['u0', 'u1', 'u2', 'svc-a', 'svc-b'];
  const roleNames = ['r0', 'r1', 'service-x', 'service-y', 'xa-0', 'xa-1'];
  const principal = fc.record({
    policy: fc.option(policyDoc, { nil: undefined, freq: 2 }),
    admin: fc.constantFrom(false, false, false, false, true),
    bounded: fc.constantFrom(false, false, true),
    // -1: no credential report row (the login-profile and key-slot preconditions are unknown).
    keys: fc.constantFrom(0, 1, 2, -1),
    inGroup: fc.boolean(),
    // Lambda's trust twice as often: scoped PassRole then splits a class of several roles.
    trust: fc.constantFrom(0, 0, 1, 2, 3, 4, 5, 6, 6, 7),
  });
  const account = fc.record({
    users: fc.array(principal, { minLength: userNames.length, maxLength: userNames.length }),
    roles: fc.array(principal, { minLength: roleNames.length, maxLength: roleNames.length }),
  });
  type Owned = ReturnType<typeof account.generate>['value'];

  /** A random organization: one account per `owns` entry (A, B, C), each with an all-users group. */
  const organization = (owns: Owned[], groupDoc: string) => {
    const users: IamUser[] = [];
    const roles: IamRole[] = [];
    const groups: IamGroup[] = [];
    const ids = [A, B, C].slice(0, owns.length);
    for (const [id, own] of owns.map((o, i) => [ids[i]!, o] as const)) {
      const group = aGroup({
        name: 'everyone',
        account: id,
        inlinePolicies: [{ name: 'g', document: groupDoc }],
      });
      groups.push(group);
      const common = (p: (typeof own.users)[number]) => ({
        account: id,
        inlinePolicies: p.policy ? [{ name: 'own', document: p.policy }] : [],
        attachedPolicies: p.admin ? [admin.arn] : [],
        ...(p.bounded ? { permissionsBoundary: bound.arn } : {}),
      });
      own.users.forEach((p, i) =>
        users.push(
          aUser({
            name: userNames[i]!,
            ...common(p),
            groups: p.inGroup ? [group.arn] : [],
            ...(p.keys >= 0 ? { credentials: keys(p.keys) } : {}),
          }),
        ),
      );
      own.roles.forEach((p, i) =>
        roles.push(
          aRole({
            name: roleNames[i]!,
            ...common(p),
            trustPolicy: trusts(id, roleNames[i]!, ids)[p.trust]!,
          }),
        ),
      );
    }
    const snapshot = aSnapshot({
      users,
      roles,
      groups,
      policies: [admin, bound],
      accounts: ids.map((id) => ({ id })),
    });
    return snapshot;
  };

  it('on random organizations of 2–3 accounts (scoped, self-referencing and denied grants; boundaries; trusts)', () => {
    fc.assert(
      fc.property(fc.array(account, { minLength: 2, maxLength: 3 }), policyDoc, (owns, groupDoc) => {
        const snapshot = organization(owns, groupDoc);
        const classes = buildEscalationGraphWith(snapshot, techniques);
        const pairs = buildPerPair(snapshot, techniques);
        expect(steps(classes)).toEqual(steps(pairs));
        expect([...classes.admins.keys()].sort()).toEqual([...pairs.admins.keys()].sort());
      }),
      propertyRuns(80, 16),
    );
  }, 300_000);

  it('built one account at a time: the graph of one pass over the whole organization, in its order', () => {
    fc.assert(
      fc.property(fc.array(account, { minLength: 2, maxLength: 3 }), policyDoc, (owns, groupDoc) => {
        const snapshot = organization(owns, groupDoc);
        const perAccount = buildEscalationGraphWith(snapshot, techniques);
        // A restriction that lists every source, role and technique is one pass over the whole snapshot.
        const whole = buildRestricted(snapshot, techniques, {
          admins: perAccount.admins,
          assume: {
            sources: new Set([...snapshot.users, ...snapshot.roles].map((p) => p.arn)),
            roles: new Set(snapshot.roles.map((r) => r.arn)),
          },
          techniqueSources: () => 'all',
        }).graph;
        expect(perAccount.edges).toEqual(whole.edges);
        expect(perAccount.fanOut).toEqual(whole.fanOut);
      }),
      propertyRuns(40, 17),
    );
  }, 300_000);
});
