/**
 * The demo account (examples/demo/) imports cleanly and has every feature the README promises; the committed
 * GAAD is exactly what its generator writes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importBundle } from './index.ts';
import { defaultDocument } from '../schema/snapshot.ts';
import {
  DEMO_CREDENTIAL_REPORT_PATH,
  DEMO_GAAD_PATH,
  DEMO_PASSWORD_POLICY_PATH,
  demoCredentialReportText,
  demoGaadText,
  demoPasswordPolicyText,
} from '../examples/demo/generate-demo.ts';
import { evaluate, inlinePolicyId, type PolicyInput } from '../server/engine/index.ts';

const DEMO = path.resolve(import.meta.dirname, '../examples/demo');
const A = (s: string) => `arn:aws:iam::111122223333:${s}`;

describe('demo account', async () => {
  const { snapshot, diagnostics } = await importBundle([DEMO]);
  const s = snapshot!;
  const user = (name: string) => s.users.find((u) => u.name === name)!;
  const role = (name: string) => s.roles.find((r) => r.name === name)!;

  it('is the generator output (regenerate with `npx tsx examples/demo/generate-demo.ts`)', () => {
    expect(readFileSync(DEMO_GAAD_PATH, 'utf8')).toBe(demoGaadText());
    expect(readFileSync(DEMO_CREDENTIAL_REPORT_PATH, 'utf8')).toBe(demoCredentialReportText());
    expect(readFileSync(DEMO_PASSWORD_POLICY_PATH, 'utf8')).toBe(demoPasswordPolicyText());
  });

  it('imports with three expected warnings: the boundary-only AWS managed policy GAAD omits, the CSV report without its time, the finance bucket whose policy was not collected', () => {
    expect(diagnostics.map((d) => [d.severity, d.code, d.jsonPath])).toEqual([
      ['warning', 'gaad.aws-policy-filled', 'UserDetailList[2].PermissionsBoundary.PermissionsBoundaryArn'],
      ['warning', 'credential-report.no-generated-time', undefined],
      ['warning', 'resource-policy.bucket-policy-not-collected', undefined],
    ]);
    expect(s.accountId).toBe('111122223333');
    expect(s.label).toBe('demo');
    expect(s.collectedAt).toBe('2026-11-28T07:55:00Z');
    expect(s.sourceFiles).toEqual(
      expect.arrayContaining(['authorization-details.json', 'credential-report.csv', 'password-policy.json']),
    );
  });

  it('has credentials for every user, the root row and a password policy weaker than CIS', () => {
    expect(s.users.filter((u) => !u.credentials)).toEqual([]);
    expect(user('carol').credentials).toMatchObject({ passwordEnabled: true, mfaActive: false });
    expect(user('svc-deploy').credentials!.accessKeys.map((k) => [k.slot, k.active])).toEqual([
      [1, true],
      [2, true],
    ]);
    expect(s.accounts[0]!.root!.accessKeys).toHaveLength(1);
    expect(s.passwordPolicy).toMatchObject({ minimumPasswordLength: 8 });
  });

  it('has the seed scenario groups and members', () => {
    const members = (g: string) =>
      s.users.filter((u) => u.groups.includes(A(`group/${g}`))).map((u) => u.name);
    expect(members('Engineering')).toEqual(['alice', 'bob', 'elena']);
    expect(members('QA')).toEqual(['dave']);
    expect(members('Admins')).toEqual(['grace']);
    expect(s.groups.find((g) => g.name === 'Engineering')!.attachedPolicies).toEqual([
      'arn:aws:iam::aws:policy/AmazonS3FullAccess',
    ]);
    // QAServiceAccountKeys: QA rotates the technical users' keys (an escalation to svc-deploy, README).
    expect(s.groups.find((g) => g.name === 'QA')!.attachedPolicies).toEqual([
      'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      A('policy/QAServiceAccountKeys'),
    ]);
  });

  it('svc-notifier may only sns:Publish to one topic', () => {
    const svc = user('svc-notifier');
    expect(svc.groups).toEqual([]);
    expect(svc.attachedPolicies).toEqual([]);
    expect(svc.inlinePolicies.map((p) => JSON.parse(p.document).Statement)).toEqual([
      [
        {
          Effect: 'Allow',
          Action: 'sns:Publish',
          Resource: 'arn:aws:sns:eu-central-1:111122223333:order-events',
        },
      ],
    ]);
  });

  it('has a user with direct policies, a bounded user and an escalation-prone user', () => {
    expect(user('carol').attachedPolicies).toEqual([
      'arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess',
      A('policy/ReportsReadOnly'),
    ]);
    expect(user('elena').permissionsBoundary).toBe('arn:aws:iam::aws:policy/PowerUserAccess');
    const actions = user('bob').inlinePolicies.flatMap((p) =>
      JSON.parse(p.document).Statement.flatMap((st: any) => [st.Action].flat()),
    );
    expect(actions).toEqual(expect.arrayContaining(['iam:PassRole', 'lambda:CreateFunction']));
  });

  it('has service roles with trust policies, an instance profile, a cross-account role without ExternalId, an admin role', () => {
    expect(JSON.parse(role('lambda-order-processor').trustPolicy).Statement[0].Principal).toEqual({
      Service: 'lambda.amazonaws.com',
    });
    expect(JSON.parse(role('ec2-build-agent').trustPolicy).Statement[0].Principal).toEqual({
      Service: 'ec2.amazonaws.com',
    });
    expect(role('ec2-build-agent').instanceProfiles).toEqual([
      { arn: A('instance-profile/ec2-build-agent'), name: 'ec2-build-agent' },
    ]);
    const partner = JSON.parse(role('partner-auditor').trustPolicy).Statement[0];
    expect(partner.Principal).toEqual({ AWS: 'arn:aws:iam::444455556666:root' });
    expect(partner.Condition).toBeUndefined();
    expect(role('platform-admin').attachedPolicies).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
  });

  it('is a member account of an organization with one SCP of its own (ProtectAccount on the Workloads OU)', () => {
    const org = s.organization!;
    expect([org.id, org.managementAccountId]).toEqual(['o-examplecorp1', '123456789012']);
    expect(org.nodes.map((n) => [n.kind, n.name, n.parentId])).toEqual([
      ['root', 'Root', undefined],
      ['account', 'example-corp-management', 'r-ec01'],
      ['organizationalUnit', 'Workloads', 'r-ec01'],
      ['account', 'example-corp-prod', 'ou-ec01-workload1'],
    ]);
    expect(org.policies.map((p) => [p.name, p.targets])).toEqual([
      ['FullAWSAccess', ['r-ec01', 'ou-ec01-workload1', '123456789012', '111122223333']],
      ['ProtectAccount', ['ou-ec01-workload1']],
    ]);
    // The demo account first: single-account readers take accounts[0].
    expect(s.accounts.map((a) => [a.id, a.isManagementAccount])).toEqual([
      ['111122223333', false],
      ['123456789012', true],
    ]);
  });

  it('has resource policies for a bucket, the order-events topic, a KMS key and the orders-db secret', () => {
    expect(s.resources.map((r) => [r.service, r.name, r.policy !== undefined])).toEqual([
      ['kms', '3f0c2a8e-5b7d-4c1e-9a6f-2d4b8e1c7a90', true],
      ['s3', 'example-corp-engineering', true],
      ['secretsmanager', 'orders-db', true],
      ['sns', 'order-events', true],
      ['s3', 'example-corp-reports', false],
    ]);
    expect(s.resources.find((r) => r.name === 'example-corp-reports')!.attributes).toMatchObject({
      policyCollected: false,
      blockPublicPolicy: true,
    });
  });

  it('uses the real AWS managed documents and keeps both versions of ReportsReadOnly', () => {
    const p = (arn: string) => s.policies.find((x) => x.arn === arn)!;
    expect(
      JSON.parse(defaultDocument(p('arn:aws:iam::aws:policy/AmazonS3FullAccess'))).Statement[0].Action,
    ).toEqual(['s3:*', 's3-object-lambda:*']);
    const reports = p(A('policy/ReportsReadOnly'));
    expect(reports.versions.map((v) => [v.versionId, v.isDefault])).toEqual([
      ['v2', true],
      ['v1', false],
    ]);
  });

  it('has the engineering bucket policy in `aws s3api get-bucket-policy` form, granting ec2-build-agent read', () => {
    const out = JSON.parse(
      readFileSync(
        path.join(DEMO, 'resource-policies/s3/example-corp-engineering.get-bucket-policy.json'),
        'utf8',
      ),
    );
    const policy = JSON.parse(out.Policy);
    expect(policy.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Principal: { AWS: A('role/ec2-build-agent') },
      Action: ['s3:GetObject', 's3:ListBucket'],
    });
  });

  it('answers the README question: who can s3:GetObject on example-corp-engineering/* (over TLS)', () => {
    const bucketPolicy = JSON.parse(
      readFileSync(
        path.join(DEMO, 'resource-policies/s3/example-corp-engineering.get-bucket-policy.json'),
        'utf8',
      ),
    ).Policy as string;
    const managed = (arn: string, via: string[]): PolicyInput => ({
      id: arn,
      document: defaultDocument(s.policies.find((p) => p.arn === arn)!),
      attachedVia: via,
    });
    const allowed = (arn: string, secure = 'true') => {
      const p = [...s.users, ...s.roles].find((x) => x.arn === arn)!;
      const groups = p.kind === 'user' ? s.groups.filter((g) => p.groups.includes(g.arn)) : [];
      const identity: PolicyInput[] = [
        ...p.inlinePolicies.map((i) => ({ id: inlinePolicyId(p.arn, i.name), document: i.document })),
        ...p.attachedPolicies.map((a) => managed(a, [p.arn])),
        ...groups.flatMap((g) => [
          ...g.inlinePolicies.map((i) => ({ id: inlinePolicyId(g.arn, i.name), document: i.document })),
          ...g.attachedPolicies.map((a) => managed(a, [p.arn, g.arn])),
        ]),
      ];
      const result = evaluate(
        {
          principal: p.arn,
          action: 's3:GetObject',
          resource: 'arn:aws:s3:::example-corp-engineering/builds/app.zip',
          resourceAccount: '111122223333',
          context: { 'aws:SecureTransport': secure },
          strictContext: true,
        },
        {
          identity,
          ...(p.permissionsBoundary ? { boundary: managed(p.permissionsBoundary, [p.arn]) } : {}),
          resource: { id: 'arn:aws:s3:::example-corp-engineering', document: bucketPolicy },
        },
      );
      return result.decision === 'ALLOWED';
    };
    const everyone = [...s.users, ...s.roles].map((x) => x.arn);
    expect(
      everyone
        .filter((a) => allowed(a))
        .map((a) => a.split('/').pop())
        .sort(),
    ).toEqual(['alice', 'bob', 'dave', 'ec2-build-agent', 'elena', 'grace', 'platform-admin'].sort());
    // The bucket policy denies every request without TLS, whatever the identity side allows.
    expect(everyone.filter((a) => allowed(a, 'false'))).toEqual([]);
  });
});
