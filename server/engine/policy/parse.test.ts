import { describe, expect, it } from 'vitest';
import { parsePolicy } from './parse.ts';

const allow = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };

describe('parsePolicy accepts every legal shape [reference_policies_grammar]', () => {
  it('Statement as a single object and as an array; strings or arrays everywhere', () => {
    const one = parsePolicy({ Version: '2012-10-17', Statement: allow });
    expect(one.diagnostics).toEqual([]);
    expect(one.policy?.statements[0]).toMatchObject({
      index: 0,
      effect: 'Allow',
      action: ['s3:GetObject'],
      resource: ['*'],
    });
    const many = parsePolicy(
      JSON.stringify({
        Statement: [allow, { ...allow, Effect: 'Deny', Action: ['a:b', 'c:*'], Resource: ['x', 'y'] }],
      }),
    );
    expect(many.policy?.statements.map((s) => [s.index, s.effect, s.action])).toEqual([
      [0, 'Allow', ['s3:GetObject']],
      [1, 'Deny', ['a:b', 'c:*']],
    ]);
  });

  it.each(['2012-10-17', '2008-10-17', undefined])('Version %s', (v) => {
    const r = parsePolicy({ ...(v ? { Version: v } : {}), Statement: [allow] });
    expect(r.diagnostics).toEqual([]);
    expect(r.policy?.version).toBe(v);
  });

  it('Principal forms: "*", AWS account id / ARN lists, Service, Federated, CanonicalUser', () => {
    const r = parsePolicy(
      {
        Statement: [
          { ...allow, Principal: '*' },
          {
            ...allow,
            Principal: {
              AWS: ['111122223333', 'arn:aws:iam::111122223333:role/r'],
              Service: 'lambda.amazonaws.com',
            },
          },
          { ...allow, Principal: { Federated: 'cognito-identity.amazonaws.com', CanonicalUser: 'abc' } },
          { ...allow, NotPrincipal: { AWS: '*' } },
        ],
      },
      { kind: 'resource' },
    );
    expect(r.diagnostics).toEqual([]);
    const [a, b, c, d] = r.policy!.statements;
    expect(a!.principal).toEqual({ any: true, aws: [], service: [], federated: [], canonicalUser: [] });
    expect(b!.principal).toMatchObject({
      any: false,
      aws: ['111122223333', 'arn:aws:iam::111122223333:role/r'],
      service: ['lambda.amazonaws.com'],
    });
    expect(c!.principal).toMatchObject({
      federated: ['cognito-identity.amazonaws.com'],
      canonicalUser: ['abc'],
    });
    expect(d!.notPrincipal?.any).toBe(true);
  });

  it('condition operators split into qualifier, base operator and IfExists; JSON booleans become text', () => {
    const r = parsePolicy({
      Statement: [
        {
          ...allow,
          Condition: {
            'ForAllValues:StringLikeIfExists': { 'aws:TagKeys': ['a*', 'b'] },
            Bool: { 'aws:SecureTransport': false },
            Null: { 'aws:x': 'true' },
          },
        },
      ],
    });
    expect(r.policy?.statements[0]?.conditions).toEqual([
      {
        rawOperator: 'ForAllValues:StringLikeIfExists',
        operator: 'StringLike',
        qualifier: 'ForAllValues',
        ifExists: true,
        key: 'aws:TagKeys',
        values: ['a*', 'b'],
      },
      {
        rawOperator: 'Bool',
        operator: 'Bool',
        ifExists: false,
        key: 'aws:SecureTransport',
        values: ['false'],
      },
      { rawOperator: 'Null', operator: 'Null', ifExists: false, key: 'aws:x', values: ['true'] },
    ]);
  });

  it('trust policies may omit Resource', () => {
    const r = parsePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
      { kind: 'trust' },
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.policy?.statements[0]?.resource).toBeUndefined();
  });
});

describe('parsePolicy reports typed diagnostics with JSON paths', () => {
  const cases: [string, unknown, string | undefined, string, string][] = [
    ['invalid JSON', '{"Statement": [', undefined, 'policy.invalid-json', ''],
    ['not an object', '[1]', undefined, 'policy.not-object', ''],
    [
      'bad Version',
      { Version: '2012-10-18', Statement: [allow] },
      undefined,
      'policy.invalid-version',
      'Version',
    ],
    ['missing Statement', { Version: '2012-10-17' }, undefined, 'policy.missing-statement', 'Statement'],
    [
      'lower-case effect',
      { Statement: [allow, allow, { ...allow, Effect: 'allow' }] },
      undefined,
      'policy.invalid-effect',
      'Statement[2].Effect',
    ],
    [
      'missing Effect',
      { Statement: [{ Action: 'a:b', Resource: '*' }] },
      undefined,
      'policy.missing-effect',
      'Statement[0].Effect',
    ],
    [
      'Action and NotAction',
      { Statement: [{ ...allow, NotAction: 'x:y' }] },
      undefined,
      'policy.action-and-notaction',
      'Statement[0]',
    ],
    [
      'no Action',
      { Statement: [{ Effect: 'Allow', Resource: '*' }] },
      undefined,
      'policy.missing-action',
      'Statement[0]',
    ],
    [
      'malformed action',
      { Statement: [{ ...allow, Action: ['s3:Get', 'GetObject'] }] },
      undefined,
      'policy.invalid-action',
      'Statement[0].Action[1]',
    ],
    [
      'empty action array',
      { Statement: [{ ...allow, Action: [] }] },
      undefined,
      'policy.invalid-action',
      'Statement[0].Action',
    ],
    [
      'non-string resource',
      { Statement: [{ ...allow, Resource: ['*', 3] }] },
      undefined,
      'policy.invalid-resource',
      'Statement[0].Resource[1]',
    ],
    [
      'Resource and NotResource',
      { Statement: [{ ...allow, NotResource: 'x' }] },
      undefined,
      'policy.resource-and-notresource',
      'Statement[0]',
    ],
    [
      'identity policy without Resource',
      { Statement: [{ Effect: 'Allow', Action: 'a:b' }] },
      'identity',
      'policy.missing-resource',
      'Statement[0]',
    ],
    [
      'Principal in an identity policy',
      { Statement: [{ ...allow, Principal: '*' }] },
      'identity',
      'policy.principal-not-allowed',
      'Statement[0].Principal',
    ],
    [
      'resource policy without Principal',
      { Statement: [allow] },
      'resource',
      'policy.missing-principal',
      'Statement[0]',
    ],
    [
      'unknown principal type',
      { Statement: [{ ...allow, Principal: { Aws: '*' } }] },
      'resource',
      'policy.invalid-principal',
      'Statement[0].Principal.Aws',
    ],
    [
      'unknown operator',
      { Statement: [{ ...allow, Condition: { StringEqual: { 'aws:x': 'y' } } }] },
      undefined,
      'policy.unknown-condition-operator',
      'Statement[0].Condition.StringEqual',
    ],
    [
      'NullIfExists is not an operator',
      { Statement: [{ ...allow, Condition: { NullIfExists: { 'aws:x': 'true' } } }] },
      undefined,
      'policy.unknown-condition-operator',
      'Statement[0].Condition.NullIfExists',
    ],
    [
      'condition value object',
      { Statement: [{ ...allow, Condition: { StringEquals: { 'aws:x': [{}] } } }] },
      undefined,
      'policy.invalid-condition',
      'Statement[0].Condition.StringEquals.aws:x[0]',
    ],
    [
      'misspelt element',
      { Statement: [{ ...allow, Resources: '*' }] },
      undefined,
      'policy.unknown-element',
      'Statement[0].Resources',
    ],
    ['statement not an object', { Statement: ['x'] }, undefined, 'policy.invalid-statement', 'Statement[0]'],
  ];
  it.each(cases)('%s', (_name, doc, kind, code, path) => {
    const r = parsePolicy(doc as object, kind ? { kind: kind as 'identity' } : {});
    expect(r.policy).toBeUndefined();
    const d = r.diagnostics.find((x) => x.code === code);
    expect(d, JSON.stringify(r.diagnostics)).toBeDefined();
    expect(d!.severity).toBe('error');
    expect(d!.jsonPath ?? '').toBe(path);
  });

  it('the message names the path and the value, with a hint for case mistakes', () => {
    const r = parsePolicy({ Statement: [allow, allow, { ...allow, Effect: 'allow' }] });
    expect(r.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'policy.invalid-effect',
        jsonPath: 'Statement[2].Effect',
        message: '`Statement[2].Effect` must be `Allow` or `Deny`, got `allow`',
        hint: 'values are case-sensitive',
      },
    ]);
  });

  it('collects every error, not just the first', () => {
    const r = parsePolicy({
      Version: 'x',
      Statement: [{ Effect: 'Maybe', Action: 'a:b', Resource: '*' }, { Effect: 'Allow' }],
    });
    expect(r.diagnostics.map((d) => d.code).sort()).toEqual([
      'policy.invalid-effect',
      'policy.invalid-version',
      'policy.missing-action',
    ]);
  });

  it('duplicate Sids are a warning, not an error', () => {
    const r = parsePolicy({
      Statement: [
        { ...allow, Sid: 'A' },
        { ...allow, Sid: 'A' },
      ],
    });
    expect(r.policy).toBeDefined();
    expect(r.diagnostics).toMatchObject([
      { severity: 'warning', code: 'policy.duplicate-sid', jsonPath: 'Statement[1].Sid' },
    ]);
  });

  it('an Action string IAM stores but the grammar does not describe is a warning naming its path', () => {
    const r = parsePolicy({
      Statement: [
        { ...allow, Action: ['s3:GetObject', 's3:GetObject,s3:PutObject'] },
        { Effect: 'Deny', NotAction: 's3:PutObject ', Resource: '*' },
      ],
    });
    expect(r.policy?.statements[0]?.action).toEqual(['s3:GetObject', 's3:GetObject,s3:PutObject']);
    expect(r.diagnostics).toMatchObject([
      { severity: 'warning', code: 'policy.unmatchable-action', jsonPath: 'Statement[0].Action[1]' },
      { severity: 'warning', code: 'policy.unmatchable-action', jsonPath: 'Statement[1].NotAction' },
    ]);
    expect(r.diagnostics[1]?.hint).toMatch(/applies to every action/);
  });
});
