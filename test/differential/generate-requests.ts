/**
 * A seeded generator of small, valid evaluation problems over a fixed S3 vocabulary: random statements (Action /
 * NotAction, Resource / NotResource, conditions on a few global keys, including a multivalued one) spread over the
 * identity, boundary, SCP and resource-policy layers, with a complete (strict) context. Every action/resource pair
 * is one AWS's Service Authorization Reference allows, so iam-simulate accepts the request.
 */
import fc from 'fast-check';
import type { EvaluationRequest, PolicyInput, PolicySet } from '../../server/engine/index.ts';

const A = '111122223333';
const B = '444455556666';
const ALICE = `arn:aws:iam::${A}:user/alice`;
const ROLE = `arn:aws:iam::${A}:role/app`;
const SESSION = `arn:aws:sts::${A}:assumed-role/app/sess`;

const objectActions = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'];
const objectArns = [
  'arn:aws:s3:::bucket-a/x.txt',
  'arn:aws:s3:::bucket-a/logs/y.log',
  'arn:aws:s3:::bucket-b/x.txt',
];
const bucketArns = ['arn:aws:s3:::bucket-a', 'arn:aws:s3:::bucket-b'];

const requestShape = fc.oneof(
  fc.record({ action: fc.constantFrom(...objectActions), resource: fc.constantFrom(...objectArns) }),
  fc.record({ action: fc.constant('s3:ListBucket'), resource: fc.constantFrom(...bucketArns) }),
);

const actionPatterns = [
  's3:GetObject',
  's3:PutObject',
  's3:ListBucket',
  's3:Get*',
  's3:*Object',
  's3:*',
  '*',
  'S3:getobject',
  's3:?etObject',
];
const resourcePatterns = [
  '*',
  'arn:aws:s3:::bucket-a/*',
  'arn:aws:s3:::bucket-a/logs/*',
  'arn:aws:s3:::bucket-b/*',
  'arn:aws:s3:::bucket-a',
  'arn:aws:s3:::bucket-?/x.txt',
  'arn:aws:s3:::bucket-a*',
  'arn:aws:s3:::Bucket-a/*',
];

const oneOrMany = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.array(arb, { minLength: 1, maxLength: 2 }));

const someCondition = fc.constantFrom<Record<string, Record<string, unknown>>>(
  { StringEquals: { 'aws:PrincipalTag/team': 'eng' } },
  { StringNotEquals: { 'aws:PrincipalTag/team': ['eng', 'sec'] } },
  { StringLike: { 'aws:PrincipalTag/team': 'e*' } },
  { StringEqualsIfExists: { 'aws:PrincipalTag/team': 'ops' } },
  { Bool: { 'aws:SecureTransport': 'true' } },
  { Bool: { 'aws:SecureTransport': 'false' } },
  { BoolIfExists: { 'aws:SecureTransport': 'false' } },
  { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } },
  { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } },
  { Null: { 'aws:MultiFactorAuthAge': 'true' } },
  { Null: { 'aws:PrincipalTag/team': 'false' } },
  { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } },
  { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a'] } },
  { 'ForAnyValue:StringNotLike': { 'aws:TagKeys': 'a*' } },
  { DateGreaterThan: { 'aws:CurrentTime': '2024-01-01T00:00:00Z' } },
  { StringEquals: { 'aws:PrincipalTag/team': 'eng' }, Bool: { 'aws:SecureTransport': 'true' } },
);
// Two statements in three are unconditional, so that enough requests end up allowed to compare both ways.
const condition = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 2 },
  { arbitrary: someCondition, weight: 1 },
);

function statement(withPrincipal: boolean) {
  return fc
    .record({
      effect: fc.constantFrom('Allow', 'Allow', 'Allow', 'Allow', 'Deny'),
      notAction: fc.boolean(),
      action: oneOrMany(fc.constantFrom(...actionPatterns)),
      notResource: fc.boolean(),
      resource: oneOrMany(fc.constantFrom(...resourcePatterns)),
      condition,
      principal: fc.constantFrom<unknown>(
        '*',
        { AWS: ALICE },
        { AWS: `arn:aws:iam::${A}:root` },
        { AWS: A },
        { AWS: `arn:aws:iam::${A}:user/bob` },
        { AWS: ROLE },
        { AWS: SESSION },
      ),
    })
    .map((s) => ({
      Effect: s.effect,
      ...(withPrincipal ? { Principal: s.principal } : {}),
      // NotAction / NotResource only in Deny statements (an Allow with them is rare and grants nearly everything).
      ...(s.notAction && s.effect === 'Deny' ? { NotAction: s.action } : { Action: s.action }),
      ...(s.notResource && s.effect === 'Deny' ? { NotResource: s.resource } : { Resource: s.resource }),
      ...(s.condition ? { Condition: s.condition } : {}),
    }));
}

const policyDoc = (withPrincipal: boolean) =>
  fc
    .array(statement(withPrincipal), { minLength: 1, maxLength: 3 })
    .map((Statement) => ({ Version: '2012-10-17', Statement }));

/** A customer RCP: Deny statements only, always with `Principal: "*"` (orgs_manage_policies_rcps_syntax). */
const rcpDoc = fc
  .array(
    fc.record({
      action: oneOrMany(fc.constantFrom('s3:GetObject', 's3:PutObject', 's3:*', 's3:Get*')),
      resource: oneOrMany(fc.constantFrom(...resourcePatterns)),
      condition,
    }),
    { minLength: 1, maxLength: 2 },
  )
  .map((sts) => ({
    Version: '2012-10-17',
    Statement: sts.map((s) => ({
      Effect: 'Deny',
      Principal: '*',
      Action: s.action,
      Resource: s.resource,
      ...(s.condition ? { Condition: s.condition } : {}),
    })),
  }));

const rcpFullAccess = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
};

const s3Access = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
/** Layers that only restrict (boundary, session, SCP levels) are usually permissive, else almost nothing is allowed. */
const mostlyPermissive = fc.oneof(
  { arbitrary: fc.constant(s3Access), weight: 2 },
  { arbitrary: policyDoc(false), weight: 1 },
);

const fullAccess = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

const context = fc
  .record(
    {
      'aws:PrincipalTag/team': fc.constantFrom('eng', 'ops'),
      'aws:SecureTransport': fc.constantFrom('true', 'false'),
      'aws:SourceIp': fc.constantFrom('10.1.2.3', '192.0.2.1', '2001:db8::7'),
      'aws:MultiFactorAuthAge': fc.constantFrom('100', '7200'),
      'aws:TagKeys': fc.constantFrom<string[]>([], ['a'], ['a', 'b'], ['a', 'c'], ['c']),
      'aws:CurrentTime': fc.constantFrom('2023-06-01T00:00:00Z', '2025-06-01T00:00:00Z'),
    },
    { requiredKeys: [] },
  )
  .map((c) => c as Record<string, string | string[]>);

export interface GeneratedProblem {
  request: EvaluationRequest;
  policies: PolicySet;
}

const input = (id: string, document: object): PolicyInput => ({ id, document });

export const generatedProblem: fc.Arbitrary<GeneratedProblem> = fc
  .record({
    shape: requestShape,
    asSession: fc.boolean(),
    session: fc.option(mostlyPermissive, { nil: undefined }),
    rcpLevels: fc.option(
      fc.array(fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: rcpDoc, weight: 1 }), {
        minLength: 1,
        maxLength: 2,
      }),
      {
        nil: undefined,
      },
    ),
    crossAccount: fc.constantFrom(false, false, true),
    context,
    identity: fc.array(policyDoc(false), { minLength: 1, maxLength: 3 }),
    boundary: fc.option(mostlyPermissive, { nil: undefined }),
    scpLevels: fc.option(
      fc.array(
        fc.oneof(
          { arbitrary: fc.constant(fullAccess), weight: 3 },
          { arbitrary: policyDoc(false), weight: 1 },
        ),
        {
          minLength: 1,
          maxLength: 2,
        },
      ),
      { nil: undefined },
    ),
    resource: fc.option(policyDoc(true), { nil: undefined }),
  })
  .map((g) => ({
    request: {
      principal: g.asSession ? SESSION : ALICE,
      action: g.shape.action,
      resource: g.shape.resource,
      resourceAccount: g.crossAccount ? B : A,
      context: g.context,
      strictContext: true,
    },
    policies: {
      identity: g.identity.map((d, i) => input(`identity/${i}`, d)),
      ...(g.boundary ? { boundary: input('boundary', g.boundary) } : {}),
      ...(g.scpLevels ? { scps: g.scpLevels.map((d, l) => [input(`scp/${l}/0`, d)]) } : {}),
      ...(g.resource ? { resource: input('resource', g.resource) } : {}),
      // Session policies exist only for sessions (reference_policies_evaluation-logic, session policies).
      ...(g.asSession && g.session ? { session: input('session', g.session) } : {}),
      // RCPFullAWSAccess is attached at every level and cannot be detached; customer RCPs add Deny statements.
      ...(g.rcpLevels
        ? {
            rcps: g.rcpLevels.map((d, l) => [
              input(`rcp/${l}/0`, rcpFullAccess),
              ...(d ? [input(`rcp/${l}/1`, d)] : []),
            ]),
          }
        : {}),
    },
  }));
