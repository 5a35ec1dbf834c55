/**
 * The engine's service rules (engine services/rules.ts) give the same answer through every path that asks the
 * engine: evaluate, simulate, who-can, access, blast radius and what-if. Each test would catch a caller that
 * answers without the engine, or groups an action with others the rule does not cover:
 * - sts:GetCallerIdentity needs no permission (STS API reference, API_GetCallerIdentity);
 * - AWS managed policies and protected roles refuse writes (IAM user guide, access_policies_managed-vs-inline;
 *   id_roles_update-role-trust-policy; repost.aws identity-center-aws-reserved-sso);
 * - kms:CreateAlias on an alias ARN is decided by IAM policies (KMS developer guide, alias-access).
 */
import { describe, expect, it } from 'vitest';
import {
  aRole,
  aSnapshot,
  aUser,
  allowDocument,
  trustService,
  ACCOUNT_ID,
} from '../../test/support/builders.ts';
import { access } from './access.ts';
import { evaluateInput, simulatePrincipal } from './evaluation.ts';
import { blastRadius } from './escalation/blast-radius.ts';
import { buildEscalationGraph } from './escalation/index.ts';
import { whatIf } from './what-if/what-if.ts';
import { whoCan } from './who-can.ts';
import { SnapshotAnalysis } from './snapshot-analysis.ts';

const denySts = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: 'sts:*', Resource: '*' }],
});
const aliases = `arn:aws:kms:*:${ACCOUNT_ID}:alias/*`;

// alice: everything but sts; bob: alias management and a Lambda pass-role path; carol: no policy at all.
const alice = aUser({
  name: 'alice',
  inlinePolicies: [
    { name: 'all', document: allowDocument('*') },
    { name: 'no-sts', document: denySts },
  ],
});
const bob = aUser({
  name: 'bob',
  inlinePolicies: [
    { name: 'aliases', document: allowDocument(['kms:CreateAlias', 'kms:DeleteAlias'], aliases) },
    {
      name: 'deploy',
      document: allowDocument(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction']),
    },
  ],
});
const carol = aUser({ name: 'carol' });
const sso = aRole({
  name: 'AWSReservedSSO_Admin_0123456789abcdef',
  path: '/aws-reserved/sso.amazonaws.com/',
  inlinePolicies: [{ name: 'admin', document: allowDocument('*') }],
});
const slr = aRole({
  name: 'AWSServiceRoleForLambdaX',
  path: '/aws-service-role/lambda.amazonaws.com/',
  trustPolicy: trustService('lambda.amazonaws.com'),
  inlinePolicies: [{ name: 'admin', document: allowDocument('*') }],
});
const worker = aRole({ name: 'worker', trustPolicy: trustService('lambda.amazonaws.com') });
const snapshot = aSnapshot({ users: [alice, bob, carol], roles: [sso, slr, worker] });
const managed = 'arn:aws:iam::aws:policy/AdministratorAccess';

describe('service rules through every path', () => {
  it('evaluate: GetCallerIdentity under an explicit Deny is ALLOWED, and the summary says why', async () => {
    const out = await evaluateInput({
      principal: alice.arn,
      action: 'sts:GetCallerIdentity',
      resource: '*',
      identityPolicies: [denySts],
    });
    expect(out.ok && out.result.decision).toBe('ALLOWED');
    expect(out.ok && out.summary).toMatch(/needs no permission/);
  });

  it('simulate: an administrator cannot change an AWS managed policy', async () => {
    const out = await simulatePrincipal(SnapshotAnalysis.of(snapshot), {
      principalArn: alice.arn,
      action: 'iam:CreatePolicyVersion',
      resource: managed,
    });
    expect(out?.ok && out.result.deniedBy).toEqual({ kind: 'service', layer: 'resource' });
    expect(out?.ok && out.result.serviceRule?.id).toBe('aws-managed-policy');
  });

  it('who-can: everyone may call GetCallerIdentity, a principal without any policy too', async () => {
    const answer = await whoCan(SnapshotAnalysis.of(snapshot), {
      action: 'sts:GetCallerIdentity',
      resource: '*',
    });
    const arns = answer.entries.map((e) => e.principal.arn).sort();
    expect(arns).toEqual([alice, bob, carol, sso, slr, worker].map((p) => p.arn).sort());
    expect(answer.entries.every((e) => e.decision === 'ALLOWED')).toBe(true);
  });

  it('who-can: nobody may rewrite an Identity Center role or a service-linked role, administrators included', async () => {
    for (const role of [sso, slr]) {
      const answer = await whoCan(SnapshotAnalysis.of(snapshot), {
        action: 'iam:UpdateAssumeRolePolicy',
        resource: role.arn,
      });
      expect(answer.entries, role.name).toEqual([]);
    }
    const plain = await whoCan(SnapshotAnalysis.of(snapshot), {
      action: 'iam:UpdateAssumeRolePolicy',
      resource: worker.arn,
    });
    expect(plain.entries.map((e) => e.principal.arn)).toContain(alice.arn);
  });

  it('access: GetCallerIdentity survives a Deny of sts:*; CreateAlias on aliases needs no key policy', async () => {
    const sts = (await access(SnapshotAnalysis.of(snapshot), alice.arn))!.services.find(
      (s) => s.service === 'sts',
    );
    const stsActions = sts?.levels.flatMap((l) => l.actions.map((a) => a.action)) ?? [];
    expect(stsActions).toEqual(['sts:GetCallerIdentity']);

    const kms = (await access(SnapshotAnalysis.of(snapshot), bob.arn))!.services.find(
      (s) => s.service === 'kms',
    );
    const created = kms?.levels.flatMap((l) => l.actions).find((a) => a.action === 'kms:CreateAlias');
    expect(created?.decision).toBe('ALLOWED');
    expect(created?.scopes.map((s) => s.pattern)).toEqual([aliases]);
  });

  it('blast radius: passing roles to Lambda reaches the customer role, not the protected ones', async () => {
    const graph = await buildEscalationGraph(snapshot);
    const result = blastRadius(graph, snapshot, bob.arn);
    if (result.kind !== 'ok') throw new Error(result.kind);
    const reached = result.answer.principals.map((p) => p.arn);
    expect(reached).toContain(worker.arn);
    expect(reached).not.toContain(slr.arn);
    expect(reached).not.toContain(sso.arn);
  });

  it('what-if: a Deny of sts:* revokes sts but not GetCallerIdentity; an alias grant is a grant', async () => {
    const out = await whatIf(SnapshotAnalysis.of(snapshot), [
      { op: 'putInlinePolicy', target: 'user/carol', name: 'sts', document: allowDocument('sts:*') },
      { op: 'putInlinePolicy', target: 'user/carol', name: 'no-sts', document: denySts },
      {
        op: 'putInlinePolicy',
        target: 'user/carol',
        name: 'alias',
        // DescribeKey acts on the key: on an alias ARN it still needs the key policy (none here).
        document: allowDocument(['kms:CreateAlias', 'kms:DescribeKey'], aliases),
      },
    ]);
    if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
    const granted = out.diff.principals.find((p) => p.arn === carol.arn)!.granted;
    expect(granted.map((g) => `${g.action} ${g.resource}`).sort()).toEqual([
      `kms:CreateAlias ${aliases}`,
      'sts:GetCallerIdentity *',
    ]);
  });
});
