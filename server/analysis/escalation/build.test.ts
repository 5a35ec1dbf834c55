/**
 * The edge builder on the demo account (examples/demo/README.md "Who can escalate?", "Who is admin?").
 * Per-technique fixtures are in techniques.fixtures.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { demo, importDemo } from '../../../test/api/demo-fixture.ts';
import { ADMIN, buildEscalationGraph } from './index.ts';

const PLATFORM_ADMIN = 'arn:aws:iam::111122223333:role/platform-admin';
const GRACE = 'arn:aws:iam::111122223333:user/grace';

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

  it('no escalation edges from admins, and none into ADMIN from the non-admins of the demo', () => {
    expect(graph.edges.filter((e) => e.kind === 'escalate' && graph.admins.has(e.from))).toEqual([]);
    expect(graph.edges.filter((e) => e.to === ADMIN).map((e) => e.from)).toEqual([]);
  });
});
