import { describe, expect, it } from 'vitest';
import {
  summarizeResult,
  evaluate,
  evaluateCompiled,
  compilePolicySet,
  PolicyParseError,
  renderCondition,
  type PolicyInput,
  type PolicySet,
} from '../index.ts';

const A = '111122223333';
const B = '444455556666';
const alice = `arn:aws:iam::${A}:user/alice`;
const session = `arn:aws:sts::${A}:assumed-role/app/s1`;
const bucketObj = 'arn:aws:s3:::bucket/k';

let n = 0;
function pol(...statements: object[]): PolicyInput {
  return { id: `p${n++}`, document: { Version: '2012-10-17', Statement: statements } };
}
const allowAll = { Effect: 'Allow', Action: '*', Resource: '*' };
const allowGet = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
const strict = { strictContext: true };

function decide(principal: string, action: string, resource: string, set: PolicySet, extra: object = strict) {
  return evaluate({ principal, action, resource, ...extra }, set);
}

describe('deny wins, default deny [reference_policies_evaluation-logic]', () => {
  it('no policies: implicitly denied by the identity layer', () => {
    expect(decide(alice, 's3:GetObject', bucketObj, { identity: [] })).toMatchObject({
      decision: 'DENIED',
      deniedBy: { kind: 'implicit', layer: 'identity' },
    });
  });
  it('an explicit Deny overrides an Allow and the explanation names the statement', () => {
    const deny = {
      id: 'arn:aws:iam::aws:policy/Deny',
      name: 'Deny',
      attachedVia: [alice, `arn:aws:iam::${A}:group/g`],
      document: {
        Version: '2012-10-17',
        Statement: [{ Sid: 'NoGet', Effect: 'Deny', Action: 's3:Get*', Resource: '*' }],
      },
    };
    const r = decide(alice, 's3:GetObject', bucketObj, { identity: [pol(allowAll), deny] });
    expect(r).toMatchObject({ decision: 'DENIED', deniedBy: { kind: 'explicit', layer: 'identity' } });
    expect(r.explanation.layers[0]!.statements).toContainEqual({
      policyId: 'arn:aws:iam::aws:policy/Deny',
      policyName: 'Deny',
      attachedVia: [alice, `arn:aws:iam::${A}:group/g`],
      statementIndex: 0,
      sid: 'NoGet',
      effect: 'Deny',
      conditional: false,
    });
  });
  it('NotAction Allow covers other services; NotResource Deny spares the listed resource', () => {
    const set = {
      identity: [
        pol(
          { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
          { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::bucket/*' },
        ),
      ],
    };
    expect(decide(alice, 's3:GetObject', bucketObj, set).decision).toBe('ALLOWED');
    expect(decide(alice, 's3:GetObject', 'arn:aws:s3:::other/k', set).deniedBy).toEqual({
      kind: 'explicit',
      layer: 'identity',
    });
    expect(decide(alice, 'iam:PassRole', '*', set).deniedBy).toEqual({ kind: 'implicit', layer: 'identity' });
  });
});

describe('three-valued decisions', () => {
  const mfaAllow = { ...allowGet, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } };
  it('an Allow on an unknown key is CONDITIONAL with the residual; pinning it resolves', () => {
    const set = { identity: [pol(mfaAllow)] };
    const r = decide(alice, 's3:GetObject', bucketObj, set, {});
    expect(r.decision).toBe('CONDITIONAL');
    expect(renderCondition(r.conditions!)).toBe('aws:MultiFactorAuthPresent = true');
    expect(
      decide(alice, 's3:GetObject', bucketObj, set, { context: { 'aws:MultiFactorAuthPresent': 'true' } })
        .decision,
    ).toBe('ALLOWED');
    expect(
      decide(alice, 's3:GetObject', bucketObj, set, { context: { 'aws:MultiFactorAuthPresent': 'false' } })
        .decision,
    ).toBe('DENIED');
    expect(decide(alice, 's3:GetObject', bucketObj, set, strict).decision).toBe('DENIED');
  });
  it('a possibly-matching conditional Deny makes an Allow CONDITIONAL: allow AND NOT deny', () => {
    const set = {
      identity: [
        pol(allowGet, {
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
        }),
      ],
    };
    const r = decide(alice, 's3:GetObject', bucketObj, set, {});
    expect(r.decision).toBe('CONDITIONAL');
    expect(renderCondition(r.conditions!)).toBe('NOT aws:SourceIp not in 10.0.0.0/8');
    expect(
      decide(alice, 's3:GetObject', bucketObj, set, { context: { 'aws:SourceIp': '10.0.0.1' } }).decision,
    ).toBe('ALLOWED');
    expect(
      decide(alice, 's3:GetObject', bucketObj, set, { context: { 'aws:SourceIp': '8.8.8.8' } }).decision,
    ).toBe('DENIED');
  });
  it('a surely-applying Deny denies whatever the unknown keys', () => {
    const set = { identity: [pol(mfaAllow, { Effect: 'Deny', Action: 's3:*', Resource: '*' })] };
    expect(decide(alice, 's3:GetObject', bucketObj, set, {})).toMatchObject({
      decision: 'DENIED',
      deniedBy: { kind: 'explicit' },
    });
  });
  it('derived keys are known without context: aws:username, aws:PrincipalAccount, aws:PrincipalType', () => {
    const set = {
      identity: [
        pol({
          ...allowGet,
          Condition: {
            StringEquals: { 'aws:username': 'alice', 'aws:PrincipalAccount': A, 'aws:PrincipalType': 'User' },
          },
        }),
      ],
    };
    expect(decide(alice, 's3:GetObject', bucketObj, set, {}).decision).toBe('ALLOWED');
    expect(decide(`arn:aws:iam::${A}:user/bob`, 's3:GetObject', bucketObj, set, {}).decision).toBe('DENIED');
  });
});

describe('permissions boundaries [access_policies_boundaries]', () => {
  const boundary = pol({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' });
  it('a boundary limits identity permissions (intersection) and never grants', () => {
    expect(
      decide(alice, 's3:GetObject', bucketObj, { identity: [pol(allowAll)], boundary }).deniedBy,
    ).toEqual({ kind: 'implicit', layer: 'boundary' });
    expect(decide(alice, 'ec2:RunInstances', '*', { identity: [], boundary }).deniedBy).toEqual({
      kind: 'implicit',
      layer: 'identity',
    });
    expect(decide(alice, 'ec2:RunInstances', '*', { identity: [pol(allowAll)], boundary }).decision).toBe(
      'ALLOWED',
    );
  });
  it('a resource policy naming the user ARN is not limited by the boundary', () => {
    const resource = pol({ ...allowGet, Principal: { AWS: alice } });
    expect(decide(alice, 's3:GetObject', bucketObj, { identity: [], boundary, resource }).decision).toBe(
      'ALLOWED',
    );
  });
  it('a resource policy naming the role ARN is limited; naming the session ARN is not', () => {
    const byRole = pol({ ...allowGet, Principal: { AWS: `arn:aws:iam::${A}:role/app` } });
    const bySession = pol({ ...allowGet, Principal: { AWS: session } });
    expect(
      decide(session, 's3:GetObject', bucketObj, { identity: [], boundary, resource: byRole }).deniedBy,
    ).toEqual({ kind: 'implicit', layer: 'boundary' });
    expect(
      decide(session, 's3:GetObject', bucketObj, { identity: [], boundary, resource: bySession }).decision,
    ).toBe('ALLOWED');
  });
  it('Principal "*" grants an IAM user and a role session past the boundary and session policy', () => {
    const resource = pol({ ...allowGet, Principal: '*' });
    const ec2Only = pol({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' });
    expect(decide(alice, 's3:GetObject', bucketObj, { identity: [], boundary, resource }).decision).toBe(
      'ALLOWED',
    );
    const r = decide(session, 's3:GetObject', bucketObj, {
      identity: [],
      boundary,
      session: ec2Only,
      resource,
    });
    expect(r.decision).toBe('ALLOWED');
    expect(r.explanation.layers.find((l) => l.layer === 'resource')?.statements[0]?.principalMatch).toBe(
      'any',
    );
  });
  it('a NotPrincipal Deny applies to a principal with a boundary even when it is listed', () => {
    const resource = pol(
      { ...allowGet, Principal: { AWS: alice } },
      { Effect: 'Deny', NotPrincipal: { AWS: alice }, Action: 's3:*', Resource: '*' },
    );
    expect(decide(alice, 's3:GetObject', bucketObj, { identity: [], resource }).decision).toBe('ALLOWED');
    expect(
      decide(alice, 's3:GetObject', bucketObj, { identity: [], boundary: pol(allowAll), resource }).deniedBy,
    ).toEqual({ kind: 'explicit', layer: 'resource' });
  });
  it('an explicit Deny in the boundary wins over a resource-policy Allow', () => {
    const b = pol(allowAll, { Effect: 'Deny', Action: 's3:*', Resource: '*' });
    expect(
      decide(alice, 's3:GetObject', bucketObj, {
        identity: [],
        boundary: b,
        resource: pol({ ...allowGet, Principal: { AWS: alice } }),
      }).deniedBy,
    ).toEqual({ kind: 'explicit', layer: 'boundary' });
  });
});

describe('session policies [access_policies]', () => {
  it('the session policy intersects with identity permissions', () => {
    const set = {
      identity: [pol(allowAll)],
      session: pol({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }),
    };
    expect(decide(session, 's3:GetObject', bucketObj, set).deniedBy).toEqual({
      kind: 'implicit',
      layer: 'session',
    });
    expect(decide(session, 'ec2:StopInstances', '*', set).decision).toBe('ALLOWED');
  });
});

describe('SCPs and RCPs per org level [orgs_manage_policies_scps_evaluation, orgs_manage_policies_rcps]', () => {
  const full = pol(allowAll);
  it('every level must allow; the failing level is reported', () => {
    const set = {
      identity: [pol(allowAll)],
      scps: [[full], [pol({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' })], [full]],
    };
    expect(decide(alice, 's3:GetObject', bucketObj, set).deniedBy).toEqual({
      kind: 'implicit',
      layer: 'scp',
      level: 1,
    });
    expect(decide(alice, 'ec2:RunInstances', '*', set).decision).toBe('ALLOWED');
  });
  it('an SCP Allow never grants by itself', () => {
    expect(decide(alice, 's3:GetObject', bucketObj, { identity: [], scps: [[full]] }).deniedBy).toEqual({
      kind: 'implicit',
      layer: 'identity',
    });
  });
  it('an SCP Deny at a level is explicit with that level', () => {
    const set = {
      identity: [pol(allowAll)],
      scps: [[full], [full, pol({ Effect: 'Deny', Action: 's3:*', Resource: '*' })]],
    };
    expect(decide(alice, 's3:GetObject', bucketObj, set).deniedBy).toEqual({
      kind: 'explicit',
      layer: 'scp',
      level: 1,
    });
  });
  it('SCPs do not apply to service principals or service-linked roles', () => {
    const set = {
      identity: [pol(allowAll)],
      scps: [[pol({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' })]],
    };
    expect(
      decide(
        `arn:aws:iam::${A}:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX`,
        's3:GetObject',
        bucketObj,
        set,
      ).decision,
    ).toBe('ALLOWED');
    const r = decide('lambda.amazonaws.com', 's3:GetObject', bucketObj, {
      identity: [],
      scps: set.scps,
      resource: pol({ ...allowGet, Principal: { Service: 'lambda.amazonaws.com' } }),
    });
    expect(r.decision).toBe('ALLOWED');
  });
  it("a service-linked role's session is told by aws:PrincipalArn (the role's ARN with its path)", () => {
    // orgs_manage_policies_scps: "SCPs don't affect service-linked roles"; a session's ARN has no role path.
    const set = {
      identity: [pol(allowAll)],
      scps: [[pol({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' })]],
      rcps: [[pol({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' })]],
    };
    const session = `arn:aws:sts::${A}:assumed-role/AWSServiceRoleForX/s`;
    const asked = (principalArn: string) =>
      decide(session, 's3:GetObject', bucketObj, set, {
        ...strict,
        context: { 'aws:PrincipalArn': principalArn },
      }).decision;
    expect(asked(`arn:aws:iam::${A}:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX`)).toBe(
      'ALLOWED',
    );
    // The same name on an ordinary path, or a service-linked path naming another role: the SCPs and RCPs apply.
    expect(asked(`arn:aws:iam::${A}:role/AWSServiceRoleForX`)).toBe('DENIED');
    expect(asked(`arn:aws:iam::${A}:role/aws-service-role/x.amazonaws.com/Other`)).toBe('DENIED');
  });
  it('an RCP Deny applies to a cross-account caller allowed by the bucket policy', () => {
    const set = {
      identity: [pol(allowAll)],
      resource: pol({ ...allowGet, Principal: { AWS: B } }),
      rcps: [
        [
          pol({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }),
          pol({
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: '*',
            Condition: { StringNotEquals: { 'aws:PrincipalAccount': A } },
          }),
        ],
      ],
    };
    const r = evaluate(
      {
        principal: `arn:aws:iam::${B}:user/bob`,
        action: 's3:GetObject',
        resource: bucketObj,
        resourceAccount: A,
        strictContext: true,
      },
      set,
    );
    expect(r.deniedBy).toEqual({ kind: 'explicit', layer: 'rcp', level: 0 });
  });
});

describe('cross-account [reference_policies_evaluation-logic-cross-account]', () => {
  const bob = `arn:aws:iam::${B}:user/bob`;
  const req = {
    principal: bob,
    action: 's3:GetObject',
    resource: bucketObj,
    resourceAccount: A,
    strictContext: true,
  };
  it('both sides must allow', () => {
    const resource = pol({ ...allowGet, Principal: { AWS: `arn:aws:iam::${B}:root` } });
    expect(evaluate(req, { identity: [pol(allowGet)], resource }).decision).toBe('ALLOWED');
    expect(evaluate(req, { identity: [], resource }).deniedBy).toEqual({
      kind: 'implicit',
      layer: 'identity',
    });
    expect(evaluate(req, { identity: [pol(allowGet)] }).deniedBy).toEqual({
      kind: 'implicit',
      layer: 'resource',
    });
    expect(
      evaluate(req, {
        identity: [pol(allowGet)],
        resource: pol({ ...allowGet, Principal: { AWS: `arn:aws:iam::${A}:root` } }),
      }).deniedBy,
    ).toEqual({ kind: 'implicit', layer: 'resource' });
  });
});

describe('KMS key policies [kms key-policies]', () => {
  const key = `arn:aws:kms:us-east-1:${A}:key/1234`;
  it('IAM policies count only when the key policy delegates to the account', () => {
    const delegating = pol({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:root` },
      Action: 'kms:*',
      Resource: '*',
    });
    const other = pol({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:role/admin` },
      Action: 'kms:*',
      Resource: '*',
    });
    expect(
      decide(alice, 'kms:Decrypt', key, { identity: [pol(allowAll)], resource: delegating }).decision,
    ).toBe('ALLOWED');
    expect(decide(alice, 'kms:Decrypt', key, { identity: [], resource: delegating }).deniedBy).toEqual({
      kind: 'implicit',
      layer: 'identity',
    });
    expect(
      decide(alice, 'kms:Decrypt', key, { identity: [pol(allowAll)], resource: other }).deniedBy,
    ).toEqual({ kind: 'implicit', layer: 'resource' });
    expect(decide(alice, 'kms:Decrypt', key, { identity: [pol(allowAll)] }).deniedBy).toEqual({
      kind: 'implicit',
      layer: 'resource',
    });
  });
  it('a key policy naming the user grants without an IAM policy', () => {
    expect(
      decide(alice, 'kms:Decrypt', key, {
        identity: [],
        resource: pol({ Effect: 'Allow', Principal: { AWS: alice }, Action: 'kms:Decrypt', Resource: '*' }),
      }).decision,
    ).toBe('ALLOWED');
  });
});

describe('role trust [id_roles_terms-and-concepts]', () => {
  const role = `arn:aws:iam::${A}:role/target`;
  const assume = { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: role };
  it('same account: trusting the principal ARN suffices; trusting the account root needs an identity Allow', () => {
    const direct = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: alice }, Action: 'sts:AssumeRole' }],
    };
    const root = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole' },
      ],
    };
    expect(
      decide(alice, 'sts:AssumeRole', role, { identity: [], resource: { id: 'trust', document: direct } })
        .decision,
    ).toBe('ALLOWED');
    expect(
      decide(alice, 'sts:AssumeRole', role, { identity: [], resource: { id: 'trust', document: root } })
        .deniedBy,
    ).toEqual({ kind: 'implicit', layer: 'identity' });
    expect(
      decide(alice, 'sts:AssumeRole', role, {
        identity: [pol(assume)],
        resource: { id: 'trust', document: root },
      }).decision,
    ).toBe('ALLOWED');
    expect(decide(alice, 'sts:AssumeRole', role, { identity: [pol(assume)] }).deniedBy).toEqual({
      kind: 'implicit',
      layer: 'resource',
    });
  });
  it('cross-account: both the trust policy and the caller identity policy', () => {
    const bob = `arn:aws:iam::${B}:user/bob`;
    const trust = {
      id: 'trust',
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: bob }, Action: 'sts:AssumeRole' }],
      },
    };
    expect(decide(bob, 'sts:AssumeRole', role, { identity: [], resource: trust }).deniedBy).toEqual({
      kind: 'implicit',
      layer: 'identity',
    });
    expect(decide(bob, 'sts:AssumeRole', role, { identity: [pol(assume)], resource: trust }).decision).toBe(
      'ALLOWED',
    );
  });
  it('a web identity provider is trusted by the trust policy alone, conditions on its keys included', () => {
    const oidc = `arn:aws:iam::${A}:oidc-provider/token.actions.githubusercontent.com`;
    const trust = {
      id: 'trust',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: oidc },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:org/app:*' } },
          },
        ],
      },
    };
    const r = decide(oidc, 'sts:AssumeRoleWithWebIdentity', role, { identity: [], resource: trust }, {});
    expect(r.decision).toBe('CONDITIONAL');
    expect(renderCondition(r.conditions!)).toBe(
      'token.actions.githubusercontent.com:sub like repo:org/app:*',
    );
    const ctx = {
      context: { 'token.actions.githubusercontent.com:sub': 'repo:org/app:ref:refs/heads/main' },
    };
    expect(
      decide(oidc, 'sts:AssumeRoleWithWebIdentity', role, { identity: [], resource: trust }, ctx).decision,
    ).toBe('ALLOWED');
  });
  it('a service principal is trusted by the trust policy alone', () => {
    const trust = {
      id: 'trust',
      document: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
    };
    expect(
      decide('ec2.amazonaws.com', 'sts:AssumeRole', role, { identity: [], resource: trust }).decision,
    ).toBe('ALLOWED');
    expect(
      decide('lambda.amazonaws.com', 'sts:AssumeRole', role, { identity: [], resource: trust }).deniedBy,
    ).toEqual({ kind: 'implicit', layer: 'resource' });
  });
});

describe('API behaviour', () => {
  it('evaluate throws PolicyParseError with diagnostics for an invalid document', () => {
    try {
      evaluate(
        { principal: alice, action: 's3:GetObject', resource: '*' },
        {
          identity: [
            { id: 'bad', document: { Statement: [{ Effect: 'allow', Action: 'a:b', Resource: '*' }] } },
          ],
        },
      );
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyParseError);
      expect((e as PolicyParseError).diagnostics).toMatchObject([
        { code: 'policy.invalid-effect', file: 'bad', jsonPath: 'Statement[0].Effect' },
      ]);
    }
  });
  it('a compiled set gives the same answers as evaluate', () => {
    const set = {
      identity: [
        pol(allowGet),
        pol({ Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::secret/*' }),
      ],
    };
    const c = compilePolicySet(set);
    for (const resource of [bucketObj, 'arn:aws:s3:::secret/x']) {
      const r = { principal: alice, action: 's3:GetObject', resource };
      expect(evaluateCompiled(r, c)).toEqual(evaluate(r, set));
    }
  });
  it('the result, explanation included, survives JSON serialization', () => {
    const set = {
      identity: [
        {
          id: 'p-json',
          name: 'P',
          document: {
            Version: '2012-10-17',
            Statement: [{ Sid: 'A', ...allowGet, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }],
          },
        },
      ],
    };
    const r = decide(alice, 's3:GetObject', bucketObj, set, {});
    expect(JSON.parse(JSON.stringify(r))).toEqual({
      decision: 'CONDITIONAL',
      conditions: { operator: 'Bool', key: 'aws:SecureTransport', values: ['true'] },
      explanation: {
        layers: [
          {
            layer: 'identity',
            allow: 'conditional',
            deny: 'no',
            statements: [
              {
                policyId: 'p-json',
                policyName: 'P',
                statementIndex: 0,
                sid: 'A',
                effect: 'Allow',
                conditional: true,
                residual: { operator: 'Bool', key: 'aws:SecureTransport', values: ['true'] },
              },
            ],
          },
        ],
        crossAccount: false,
        resourcePolicyRequired: false,
        notes: ['no SCPs given: none applied'],
      },
    });
  });
  it('root is allowed in its own account without policies, but SCPs still apply', () => {
    const root = `arn:aws:iam::${A}:root`;
    expect(decide(root, 's3:GetObject', bucketObj, { identity: [] }).decision).toBe('ALLOWED');
    expect(
      decide(root, 's3:GetObject', bucketObj, {
        identity: [],
        scps: [[pol({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' })]],
      }).deniedBy,
    ).toEqual({ kind: 'implicit', layer: 'scp', level: 0 });
  });
});

describe('summarizeResult', () => {
  it('says in one line why', () => {
    const deny = {
      id: 'arn:aws:organizations::1:policy/p-deny',
      name: 'DenyS3',
      document: {
        Version: '2012-10-17',
        Statement: [{ Sid: 'NoS3', Effect: 'Deny', Action: 's3:*', Resource: '*' }],
      },
    };
    const full = pol(allowAll);
    expect(
      summarizeResult(
        decide(alice, 's3:GetObject', bucketObj, { identity: [full], scps: [[full], [full, deny]] }),
      ),
    ).toBe('DENIED: explicit Deny in the SCPs at org level 1 (DenyS3, Statement[0] "NoS3")');
    expect(summarizeResult(decide(alice, 's3:GetObject', bucketObj, { identity: [] }))).toBe(
      'DENIED: no Allow in the identity-based policies',
    );
    expect(summarizeResult(decide(alice, 's3:GetObject', bucketObj, { identity: [full] }))).toBe('ALLOWED');
    const mfa = pol({ ...allowGet, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } });
    expect(summarizeResult(decide(alice, 's3:GetObject', bucketObj, { identity: [mfa] }, {}))).toBe(
      'ALLOWED if aws:MultiFactorAuthPresent = true',
    );
  });
});

describe('service rules [API_GetCallerIdentity, access_policies_managed-vs-inline]', () => {
  it('a rule overrides the layers, which the explanation still shows; the summary says why', () => {
    const denyAll = pol({ Sid: 'NoSts', Effect: 'Deny', Action: 'sts:*', Resource: '*' });
    const who = decide(alice, 'sts:GetCallerIdentity', '*', { identity: [denyAll] });
    expect(who.decision).toBe('ALLOWED');
    expect(who.serviceRule?.id).toBe('no-permission-needed');
    expect(who.explanation.layers[0]).toMatchObject({ layer: 'identity', deny: 'yes' });
    expect(summarizeResult(who)).toMatch(/^ALLOWED: sts:GetCallerIdentity needs no permission/);

    const edit = decide(alice, 'iam:CreatePolicyVersion', 'arn:aws:iam::aws:policy/ReadOnlyAccess', {
      identity: [pol(allowAll)],
    });
    expect(edit).toMatchObject({ decision: 'DENIED', deniedBy: { kind: 'service', layer: 'resource' } });
    expect(edit.explanation.layers[0]).toMatchObject({ layer: 'identity', allow: 'yes' });
    expect(summarizeResult(edit)).toBe(
      'DENIED: AWS managed policies cannot be changed: AWS creates and updates them',
    );
  });
  it('a CONDITIONAL answer of the policies is settled by the rule', () => {
    const mfa = pol({ ...allowAll, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } });
    const r = decide(
      alice,
      'iam:AttachRolePolicy',
      `arn:aws:iam::${A}:role/aws-service-role/x.amazonaws.com/R`,
      {
        identity: [mfa],
      },
      {},
    );
    expect(r.decision).toBe('DENIED');
    expect(r.conditions).toBeUndefined();
  });
  it('needing no permission is for principals with an identity: a service principal gets no exemption', () => {
    expect(decide('ec2.amazonaws.com', 'sts:GetCallerIdentity', '*', { identity: [] }).decision).toBe(
      'DENIED',
    );
  });
});
