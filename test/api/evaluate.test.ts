/**
 * `evaluate` (policies inline, like simulate-custom-policy) and `simulate` (a principal's stored policies, like
 * simulate-principal-policy) through GraphQL, on the embedded store loaded with the demo (examples/demo/README.md).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import type { GraphStore } from '../../server/graph/store.ts';
import { queryApi } from './api-fixture.ts';
import { demo, importDemo } from './demo-fixture.ts';

let store: GraphStore;

beforeAll(async () => {
  store = createMemoryStore();
  await store.load(await importDemo());
});

const RESULT = `
  __typename
  ... on Error { message }
  ... on InvalidPolicyDocument { diagnostics { code file jsonPath message } }
  ... on EvaluationResult {
    decision conditions conditionsText summary warnings deniedBy { kind layer level }
    explanation { crossAccount layers { layer level allow deny
      statements { policyId policyName attachedVia statementIndex sid effect conditional } } }
  }`;

const EVALUATE = `query($input: EvaluationInput!) { evaluate(input: $input) { ${RESULT} } }`;
const SIMULATE = `query($principalArn: String!, $action: String!, $resource: String!, $context: [ContextEntryInput!],
    $strictContext: Boolean) {
  simulate(principalArn: $principalArn, action: $action, resource: $resource, context: $context,
           strictContext: $strictContext) { ${RESULT} }
}`;

const doc = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const base = {
  principal: 'arn:aws:iam::111122223333:user/alice',
  action: 's3:GetObject',
  resource: 'arn:aws:s3:::payroll/2026/jan.csv',
};

describe('evaluate: policies given inline [reference_policies_evaluation-logic]', () => {
  it('an identity Allow allows, naming the statement', async () => {
    const { body } = await queryApi(store, EVALUATE, {
      input: {
        ...base,
        identityPolicies: [doc([{ Sid: 'Read', Effect: 'Allow', Action: 's3:Get*', Resource: '*' }])],
      },
    });
    const r = body.data.evaluate;
    expect(r.decision).toBe('ALLOWED');
    expect(r.warnings).toEqual([]);
    expect(r.explanation.layers[0]).toMatchObject({
      layer: 'identity',
      allow: 'yes',
      deny: 'no',
      statements: [{ policyId: 'identityPolicies[0]', statementIndex: 0, sid: 'Read', effect: 'Allow' }],
    });
  });

  it('an explicit Deny in an SCP wins over the identity Allow, and says which statement', async () => {
    const { body } = await queryApi(store, EVALUATE, {
      input: {
        ...base,
        identityPolicies: [doc([{ Effect: 'Allow', Action: '*', Resource: '*' }])],
        serviceControlPolicies: [
          [doc([{ Effect: 'Allow', Action: '*', Resource: '*' }])],
          [doc([{ Sid: 'NoPayroll', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::payroll/*' }])],
        ],
        strictContext: true,
      },
    });
    const r = body.data.evaluate;
    expect(r.decision).toBe('DENIED');
    expect(r.deniedBy).toEqual({ kind: 'explicit', layer: 'scp', level: 1 });
    expect(r.summary).toBe(
      'DENIED: explicit Deny in the SCPs at org level 1 (serviceControlPolicies[1][0], Statement[0] "NoPayroll")',
    );
  });

  it('an unknown MFA key gives CONDITIONAL with the residual; pinning it decides', async () => {
    const input = {
      ...base,
      identityPolicies: [
        doc([
          {
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: '*',
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
          },
        ]),
      ],
    };
    const open = (await queryApi(store, EVALUATE, { input })).body.data.evaluate;
    expect(open.decision).toBe('CONDITIONAL');
    expect(open.conditionsText).toContain('aws:MultiFactorAuthPresent');
    const pinned = async (v: string) =>
      (
        await queryApi(store, EVALUATE, {
          input: { ...input, context: [{ key: 'aws:MultiFactorAuthPresent', values: [v] }] },
        })
      ).body.data.evaluate.decision;
    expect(await pinned('true')).toBe('ALLOWED');
    expect(await pinned('false')).toBe('DENIED');
  });

  it('an invalid policy document is an InvalidPolicyDocument result with its JSON path', async () => {
    const { body } = await queryApi(store, EVALUATE, {
      input: {
        ...base,
        identityPolicies: [
          doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
          doc([{ Effect: 'allow', Action: '*', Resource: '*' }]),
        ],
      },
    });
    const r = body.data.evaluate;
    expect(r.__typename).toBe('InvalidPolicyDocument');
    expect(r.diagnostics[0]).toMatchObject({ file: 'identityPolicies[1]', jsonPath: 'Statement[0].Effect' });
  });

  it('an unknown action is answered with a warning, and a malformed one is an InvalidArgument', async () => {
    const allowAll = [doc([{ Effect: 'Allow', Action: '*', Resource: '*' }])];
    const unknown = (
      await queryApi(store, EVALUATE, {
        input: { ...base, action: 's3:GetObjekt', identityPolicies: allowAll },
      })
    ).body.data.evaluate;
    expect(unknown.decision).toBe('ALLOWED');
    expect(unknown.warnings).toEqual([
      'unknown action `s3:GetObjekt`: not in the Service Authorization Reference',
    ]);
    const bad = (
      await queryApi(store, EVALUATE, { input: { ...base, action: 'GetObject', identityPolicies: allowAll } })
    ).body.data.evaluate;
    expect(bad.__typename).toBe('InvalidArgument');
  });

  it("`at` settles aws:CurrentTime and bounds a role session's aws:TokenIssueTime; a bad one is an InvalidArgument", async () => {
    // reference_policies_condition-keys: aws:TokenIssueTime is in the context of temporary credentials only;
    // a role session lasts at most 12 hours (id_credentials_temp_request).
    const input = {
      ...base,
      principal: 'arn:aws:sts::111122223333:assumed-role/app/s1',
      identityPolicies: [
        doc([
          {
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: '*',
            Condition: { DateGreaterThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:00Z' } },
          },
        ]),
      ],
    };
    const EXPLAINED = `query($input: EvaluationInput!) { evaluate(input: $input) {
      __typename ... on EvaluationResult { decision explanation { notes } } } }`;
    const without = (await queryApi(store, EXPLAINED, { input })).body.data.evaluate;
    expect(without.decision).toBe('CONDITIONAL');
    const at = (await queryApi(store, EXPLAINED, { input: { ...input, at: '2026-12-07T12:00:00Z' } })).body
      .data.evaluate;
    expect(at.decision).toBe('ALLOWED');
    expect(at.explanation.notes.join(' ')).toContain('aws:TokenIssueTime decided a condition');
    const bad = (await queryApi(store, EXPLAINED, { input: { ...input, at: 'yesterday' } })).body.data
      .evaluate;
    expect(bad.__typename).toBe('InvalidArgument');
  });
});

describe("simulate: a principal's stored policies on the demo", () => {
  it('a vpcEndpointId the snapshot does not list is an InvalidArgument', async () => {
    const q = `query($endpoint: String) { simulate(principalArn: "${demo.alice}", action: "s3:GetObject",
      resource: "arn:aws:s3:::example-corp-engineering/x", vpcEndpointId: $endpoint) {
        __typename ... on InvalidArgument { message } } }`;
    const r = (await queryApi(store, q, { endpoint: 'vpce-0000' })).body.data.simulate;
    expect(r.__typename).toBe('InvalidArgument');
    expect(r.message).toContain('vpc-endpoints/');
  });

  it('alice may s3:GetObject on the engineering bucket through Engineering → AmazonS3FullAccess', async () => {
    const { body } = await queryApi(store, SIMULATE, {
      principalArn: demo.alice,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::example-corp-engineering/x',
      // The bucket policy denies plain HTTP: over TLS the answer is a plain ALLOWED.
      context: [{ key: 'aws:SecureTransport', values: ['true'] }],
    });
    const r = body.data.simulate;
    expect(r.decision).toBe('ALLOWED');
    const identity = r.explanation.layers.find((l: any) => l.layer === 'identity');
    expect(identity.statements).toContainEqual(
      expect.objectContaining({
        policyId: demo.s3Full,
        attachedVia: [demo.alice, demo.engineering],
        effect: 'Allow',
      }),
    );
  });

  it('svc-notifier cannot: implicitly denied by its identity policies', async () => {
    const { body } = await queryApi(store, SIMULATE, {
      principalArn: demo.svcNotifier,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::example-corp-engineering/x',
      strictContext: true,
    });
    expect(body.data.simulate).toMatchObject({
      decision: 'DENIED',
      deniedBy: { kind: 'implicit', layer: 'identity' },
    });
  });

  it("sts:AssumeRole is decided by the role's trust policy too [id_roles_use_permissions-to-switch]", async () => {
    const grace = 'arn:aws:iam::111122223333:user/grace'; // AdministratorAccess through the Admins group
    const assume = async (role: string, extra: object = {}) =>
      (
        await queryApi(store, SIMULATE, {
          principalArn: grace,
          action: 'sts:AssumeRole',
          resource: role,
          ...extra,
        })
      ).body.data.simulate;
    // lambda-order-processor trusts lambda.amazonaws.com only: even an admin of the account may not assume it.
    expect(await assume(demo.lambdaRole, { strictContext: true })).toMatchObject({
      decision: 'DENIED',
      deniedBy: { kind: 'implicit', layer: 'resource' },
    });
    // platform-admin trusts the account root with MFA: the admin may, if MFA is present.
    const platformAdmin = 'arn:aws:iam::111122223333:role/platform-admin';
    const open = await assume(platformAdmin);
    expect(open.decision).toBe('CONDITIONAL');
    expect(open.conditionsText).toContain('aws:MultiFactorAuthPresent');
    expect(
      (await assume(platformAdmin, { context: [{ key: 'aws:MultiFactorAuthPresent', values: ['true'] }] }))
        .decision,
    ).toBe('ALLOWED');
  });

  it('an unknown principal is a NotFound result', async () => {
    const { body } = await queryApi(store, SIMULATE, {
      principalArn: 'arn:aws:iam::111122223333:user/nobody',
      action: 's3:GetObject',
      resource: '*',
    });
    expect(body.data.simulate.__typename).toBe('NotFound');
  });
});
