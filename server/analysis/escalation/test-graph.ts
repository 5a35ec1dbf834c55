/**
 * A hand-built escalation graph for the query tests (queries are pure functions of a graph, so they are tested
 * without the edge builder), over a small snapshot with the same principals.
 *
 *   dave ─CreateAccessKey→ bob ─AssumeRole→ Deploy ─PassRole+Lambda→ Ops (admin-equivalent)
 *                           │  ─AssumeRole (MFA)────────────────────→ Ops
 *                           │  ─CreatePolicyVersion──────────────────→ ADMIN
 *                           └──AttachUserPolicy (conditional)────────→ ADMIN
 *   carol ─AssumeRole→ Deploy        erin ─AssumeRole (ExternalId)→ Audit (admin only with MFA)      frank: nothing
 */
import type { AccountSnapshot } from '../../../schema/snapshot.ts';
import {
  aBucket,
  aRole,
  aSnapshot,
  aUser,
  allowDocument,
  anAccessKey,
} from '../../../test/support/builders.ts';
import type { MatchedStatement } from '../who-can.ts';
import { ADMIN, type EscalationEdge, type EscalationGraph, type FanOutEdge } from './graph.ts';

const iam = (rest: string): string => `arn:aws:iam::111122223333:${rest}`;
export const arn = {
  bob: iam('user/bob'),
  carol: iam('user/carol'),
  dave: iam('user/dave'),
  erin: iam('user/erin'),
  frank: iam('user/frank'),
  deploy: iam('role/Deploy'),
  ops: iam('role/Ops'),
  audit: iam('role/Audit'),
};

export function evidence(policy: string, sid?: string): MatchedStatement[] {
  return [
    {
      layer: 'identity',
      effect: 'Allow',
      policyId: iam(`policy/${policy}`),
      policyName: policy,
      statementIndex: 0,
      ...(sid ? { sid } : {}),
      attachedVia: [],
      conditional: false,
      path: `${policy} → Statement[0]`,
    },
  ];
}

function edge(
  from: string,
  to: string,
  technique: string,
  conditions: string[] = [],
  policy = 'p',
): EscalationEdge {
  return {
    from,
    to,
    kind: technique === 'sts:AssumeRole' ? 'assume' : 'escalate',
    technique,
    conditional: conditions.length > 0,
    conditions,
    evidence: evidence(policy),
  };
}

export function testGraph(): EscalationGraph {
  return {
    edges: [
      edge(arn.dave, arn.bob, 'iam:CreateAccessKey', [], 'KeyAdmin'),
      edge(arn.bob, ADMIN, 'iam:AttachUserPolicy', ['aws:MultiFactorAuthPresent = true'], 'AttachSelf'),
      edge(arn.bob, arn.ops, 'sts:AssumeRole', ['aws:MultiFactorAuthPresent = true'], 'AssumeOps'),
      edge(arn.bob, arn.deploy, 'sts:AssumeRole', [], 'AssumeDeploy'),
      edge(arn.bob, ADMIN, 'iam:CreatePolicyVersion', [], 'PolicyEditor'),
      edge(arn.deploy, arn.ops, 'iam:PassRole+lambda:CreateFunction', [], 'DeployLambda'),
      edge(arn.carol, arn.deploy, 'sts:AssumeRole', [], 'AssumeDeploy'),
      edge(arn.erin, arn.audit, 'sts:AssumeRole', ['sts:ExternalId = 42'], 'AssumeAudit'),
    ],
    admins: new Map([
      [arn.ops, { decision: 'ALLOWED', conditions: [], evidence: evidence('AdministratorAccess') }],
      [
        arn.audit,
        {
          decision: 'CONDITIONAL',
          conditions: ['aws:MultiFactorAuthPresent = true'],
          evidence: evidence('AuditAdmin'),
        },
      ],
    ]),
  };
}

/**
 * `testGraph()` plus two techniques that reach a whole class (fan-out entries sharing one targets array, as the
 * builder makes them): frank -[iam:CreateAccessKey]-> every user of the list, and Audit the same only with MFA.
 */
export function testGraphWithFanOut(
  users: readonly string[] = [arn.carol, arn.frank, arn.erin],
): EscalationGraph {
  const graph = testGraph();
  const entry = (from: string, conditions: string[]): FanOutEdge => ({
    from,
    kind: 'escalate',
    technique: 'iam:CreateAccessKey',
    conditional: conditions.length > 0,
    conditions,
    evidence: evidence('KeyAdminEverywhere'),
    targets: users,
    targetClass: 'every user of account 111122223333',
  });
  graph.fanOut = [entry(arn.frank, []), entry(arn.audit, ['aws:MultiFactorAuthPresent = true'])];
  return graph;
}

export function testSnapshot(): AccountSnapshot {
  return aSnapshot({
    users: [
      aUser({
        name: 'bob',
        credentials: {
          passwordEnabled: false,
          mfaActive: false,
          accessKeys: [anAccessKey({ id: 'AKIAIOSFODNN7BOB0001' })],
          certificates: [],
        },
      }),
      aUser({ name: 'carol' }),
      aUser({ name: 'dave' }),
      aUser({ name: 'erin' }),
      // Reaches nobody, but reads the reports bucket by itself.
      aUser({
        name: 'frank',
        inlinePolicies: [
          { name: 'reports', document: allowDocument('s3:GetObject', 'arn:aws:s3:::reports/*') },
        ],
      }),
    ],
    roles: [aRole({ name: 'Deploy' }), aRole({ name: 'Ops' }), aRole({ name: 'Audit' })],
    resources: [aBucket('reports')],
  });
}

/** `bob -[sts:AssumeRole]-> Deploy -[…]-> ADMIN`: a path as one line, for readable expectations. */
export function line(steps: { from: string; to: string; technique: string }[]): string {
  const name = (a: string): string => (a === ADMIN ? 'ADMIN' : a.split('/').pop()!);
  return steps.length === 0
    ? ''
    : [name(steps[0]!.from), ...steps.map((s) => `-[${s.technique}]-> ${name(s.to)}`)].join(' ');
}
