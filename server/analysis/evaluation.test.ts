/**
 * principalPolicySet / simulatePrincipal on the bundled demo account: the policies AWS would gather for a
 * principal (reference_policies_evaluation-logic: identity policies incl. group ones, the boundary as its own
 * layer) and, for sts:AssumeRole on a role, its trust policy as the resource policy
 * (id_roles_use_permissions-to-switch).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import { demo, importDemo } from '../../test/api/demo-fixture.ts';
import { simulatePrincipal } from './evaluation.ts';
import { principalPolicySet, resourcePolicyFor } from './policy-set.ts';
import { SnapshotAnalysis } from './snapshot-analysis.ts';

let snapshot: AccountSnapshot;
beforeAll(async () => {
  snapshot = await importDemo();
});

const ok = async (p: ReturnType<typeof simulatePrincipal>) => {
  const out = await p;
  if (!out?.ok) throw new Error(`expected an evaluation, got ${JSON.stringify(out)}`);
  return out;
};

describe('principalPolicySet', () => {
  it('gathers group-attached managed policies with the user → group path', () => {
    const set = principalPolicySet(snapshot, demo.alice)!;
    const s3 = set.identity.find((p) => p.id === demo.s3Full);
    expect(s3?.attachedVia).toEqual([demo.alice, demo.engineering]);
    expect(set.boundary).toBeUndefined();
  });

  it('keeps a user inline policy attached directly, and the boundary as a separate layer', () => {
    const bob = principalPolicySet(snapshot, demo.bob)!;
    expect(bob.identity.find((p) => p.name === 'lambda-deployer')?.attachedVia).toEqual([demo.bob]);
    const elena = principalPolicySet(snapshot, demo.elena)!;
    expect(elena.boundary?.id).toBe(demo.powerUser);
    // The boundary limits; it is not an identity policy that grants.
    expect(elena.identity.some((p) => p.id === demo.powerUser)).toBe(false);
  });

  it('is undefined for a principal the snapshot does not have', () => {
    expect(principalPolicySet(snapshot, 'arn:aws:iam::111122223333:user/nobody')).toBeUndefined();
    expect(resourcePolicyFor(snapshot, 'arn:aws:s3:::no-such-bucket/x')).toBeUndefined();
  });
});

describe('simulatePrincipal', () => {
  it('allows alice s3:GetObject through Engineering → AmazonS3FullAccess', async () => {
    const out = await ok(
      simulatePrincipal(SnapshotAnalysis.of(snapshot), {
        principalArn: demo.alice,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::example-corp-engineering/x',
        // The bucket policy denies plain HTTP: over TLS the answer is a plain ALLOWED.
        context: { 'aws:SecureTransport': 'true' },
      }),
    );
    expect(out.result.decision).toBe('ALLOWED');
    const identity = out.result.explanation.layers.find((l) => l.layer === 'identity')!;
    expect(identity.statements.find((s) => s.effect === 'Allow')?.policyId).toBe(demo.s3Full);
    expect(out.warnings).toEqual([]);
  });

  it('denies svc-notifier s3:GetObject implicitly', async () => {
    const out = await ok(
      simulatePrincipal(SnapshotAnalysis.of(snapshot), {
        principalArn: demo.svcNotifier,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::example-corp-engineering/x',
      }),
    );
    expect(out.result.decision).toBe('DENIED');
    expect(out.result.deniedBy?.kind).toBe('implicit');
  });

  it('uses the role trust policy for sts:AssumeRole: platform-admin trusts the account only with MFA', async () => {
    const out = await ok(
      simulatePrincipal(SnapshotAnalysis.of(snapshot), {
        principalArn: demo.alice,
        action: 'sts:AssumeRole',
        resource: 'arn:aws:iam::111122223333:role/platform-admin',
      }),
    );
    const resource = out.result.explanation.layers.find((l) => l.layer === 'resource');
    expect(resource?.statements[0]?.policyId).toBe(
      'arn:aws:iam::111122223333:role/platform-admin#trust-policy',
    );
    // Without MFA in the context, the trust policy's Bool condition stays open.
    expect(resource?.statements[0]?.conditional).toBe(true);
    expect(out.result.decision).not.toBe('ALLOWED');
  });

  it('flags an unknown action as a warning, not an error', async () => {
    const out = await ok(
      simulatePrincipal(SnapshotAnalysis.of(snapshot), {
        principalArn: demo.alice,
        action: 's3:GetObjekt',
        resource: '*',
      }),
    );
    expect(out.warnings.join()).toMatch(/unknown action/);
  });

  it('is undefined for an unknown principal', () => {
    expect(
      simulatePrincipal(SnapshotAnalysis.of(snapshot), {
        principalArn: 'arn:aws:iam::111122223333:role/none',
        action: 's3:*',
        resource: '*',
      }),
    ).toBeUndefined();
  });
});

describe('evaluateInput', () => {
  it('evaluates a policy whose Action string matches nothing, with a warning naming the policy and path', async () => {
    const { evaluateInput } = await import('./evaluation.ts');
    const out = await evaluateInput({
      principal: demo.alice,
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::b/k',
      identityPolicies: [
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:GetObject,s3:PutObject', Resource: '*' }],
        }),
      ],
    });
    if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
    expect(out.result.decision).toBe('DENIED');
    expect(out.warnings).toEqual([
      expect.stringMatching(
        /^warning policy\.unmatchable-action: identityPolicies\[0\] \(Statement\[0\]\.Action\): /,
      ),
    ]);
  });
});

describe('evaluateInput with a VPC endpoint policy [vpc-endpoints-access]', () => {
  it('the endpoint policy must allow too; the explanation names it by its input field', async () => {
    const { evaluateInput } = await import('./evaluation.ts');
    const allowS3 = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
    });
    const onlyGet = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }],
    });
    const ask = (action: string) =>
      evaluateInput({
        principal: demo.alice,
        action,
        resource: 'arn:aws:s3:::b/k',
        identityPolicies: [allowS3],
        vpcEndpointPolicy: onlyGet,
        strictContext: true,
      });
    const get = await ask('s3:GetObject');
    const put = await ask('s3:PutObject');
    if (!get.ok || !put.ok) throw new Error('expected evaluations');
    expect(get.result.decision).toBe('ALLOWED');
    expect(get.result.explanation.layers.find((l) => l.layer === 'endpoint')?.statements[0]?.policyId).toBe(
      'vpcEndpointPolicy',
    );
    expect(put.result.deniedBy).toEqual({ kind: 'implicit', layer: 'endpoint' });
    expect(put.summary).toBe('DENIED: no Allow in the VPC endpoint policy');
  });
});

describe('evaluateInput context', () => {
  it('`values: []` says the key is absent: decided, not CONDITIONAL, without strictContext', async () => {
    const { evaluateInput } = await import('./evaluation.ts');
    const noMfaDenied = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
        {
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { Null: { 'aws:MultiFactorAuthPresent': 'true' } },
        },
      ],
    });
    const ask = (context: { key: string; values: string[] }[]) =>
      evaluateInput({
        principal: demo.alice,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
        identityPolicies: [noMfaDenied],
        context,
      });
    const unknown = await ask([]);
    const absent = await ask([{ key: 'aws:MultiFactorAuthPresent', values: [] }]);
    expect(unknown.ok && unknown.result.decision).toBe('CONDITIONAL');
    expect(absent.ok && absent.result.deniedBy).toEqual({ kind: 'explicit', layer: 'identity' });
  });
});

// VPC endpoint policies "control which AWS principals can use the endpoint to access an AWS service"; they do
// not replace identity or resource policies (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html).
// aws:SourceVpce is the endpoint the request came through (reference_policies_condition-keys).
describe('simulatePrincipal through a VPC endpoint of the snapshot', async () => {
  const { aBucket, aSnapshot, aUser, allowDocument } = await import('../../test/support/builders.ts');
  const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const alice = aUser({ name: 'alice', inlinePolicies: [{ name: 's3', document: allowDocument('s3:*') }] });
  const bucket = aBucket(
    'reports',
    doc({
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: 'arn:aws:s3:::reports/*',
      Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d' } },
    }),
  );
  const endpointSnapshot = aSnapshot({
    users: [alice],
    resources: [bucket],
    vpcEndpoints: [
      {
        id: 'vpce-0a1b2c3d',
        arn: 'arn:aws:ec2:eu-west-1:111122223333:vpc-endpoint/vpce-0a1b2c3d',
        accountId: '111122223333',
        region: 'eu-west-1',
        vpcId: 'vpc-11112222',
        serviceName: 'com.amazonaws.eu-west-1.s3',
        policy: doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }),
      },
    ],
  });
  const ask = (action: string, vpcEndpointId?: string) =>
    ok(
      simulatePrincipal(SnapshotAnalysis.of(endpointSnapshot), {
        principalArn: alice.arn,
        action,
        resource: 'arn:aws:s3:::reports/q1.csv',
        strictContext: true,
        ...(vpcEndpointId ? { vpcEndpointId } : {}),
      }),
    );

  it('the endpoint sets aws:SourceVpce, so the bucket policy lets the read through', async () => {
    expect((await ask('s3:GetObject', 'vpce-0a1b2c3d')).result.decision).toBe('ALLOWED');
    expect((await ask('s3:GetObject')).result.deniedBy).toEqual({ kind: 'explicit', layer: 'resource' });
  });

  it('the endpoint policy must allow too: a write it does not list is denied at the endpoint', async () => {
    const out = await ask('s3:PutObject', 'vpce-0a1b2c3d');
    expect(out.result.deniedBy).toEqual({ kind: 'implicit', layer: 'endpoint' });
    expect(out.result.explanation.layers.map((l) => l.layer)).toContain('endpoint');
  });
});
