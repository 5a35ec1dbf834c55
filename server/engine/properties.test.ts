import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { propertyRuns } from '../../test/support/property.ts';
import {
  evaluate,
  parsePolicy,
  residualKeys,
  type EvaluationRequest,
  type PolicyInput,
  type PolicySet,
} from './index.ts';

// Invariants of reference_policies_evaluation-logic, checked over random small policy sets.
const A = '111122223333';
const actions = ['s3:GetObject', 's3:PutObject', 'ec2:RunInstances', 'iam:PassRole'];
const resources = ['arn:aws:s3:::b/k', 'arn:aws:s3:::c/k', `arn:aws:ec2:us-east-1:${A}:instance/i-1`, '*'];
const principals = [
  `arn:aws:iam::${A}:user/alice`,
  `arn:aws:sts::${A}:assumed-role/app/s`,
  `arn:aws:iam::444455556666:user/bob`,
  'lambda.amazonaws.com',
];

const conditionArb = fc.oneof(
  fc.constant(undefined),
  fc.record({ Bool: fc.record({ 'aws:MultiFactorAuthPresent': fc.constantFrom('true', 'false') }) }),
  fc.record({ IpAddress: fc.record({ 'aws:SourceIp': fc.constantFrom('10.0.0.0/8', '192.168.0.0/16') }) }),
  fc.record({ NotIpAddress: fc.record({ 'aws:SourceIp': fc.constant('10.0.0.0/8') }) }),
  fc.record({
    StringNotEqualsIfExists: fc.record({ 'aws:RequestedRegion': fc.constantFrom('us-east-1', 'eu-west-1') }),
  }),
  fc.record({
    'ForAllValues:StringEquals': fc.record({ 'aws:TagKeys': fc.constantFrom(['a'], ['a', 'b']) }),
  }),
  fc.record({ 'ForAnyValue:StringLike': fc.record({ 'aws:TagKeys': fc.constant(['b*']) }) }),
  fc.record({ StringEquals: fc.record({ 'aws:username': fc.constantFrom('alice', 'bob') }) }),
);

const statementArb = (effect?: 'Allow' | 'Deny', withPrincipal = false) =>
  fc
    .record({
      Effect: effect ? fc.constant(effect) : fc.constantFrom('Allow', 'Deny'),
      action: fc.oneof(fc.constantFrom(...actions, 's3:*', '*', 'ec2:*'), fc.constant('NOT:iam:*')),
      Resource: fc.constantFrom(...resources, 'arn:aws:s3:::b/*', 'arn:aws:s3:::${aws:username}/*'),
      Condition: conditionArb,
      principal: withPrincipal
        ? fc.constantFrom<unknown>(
            '*',
            { AWS: A },
            { AWS: principals[0] },
            { AWS: `arn:aws:iam::${A}:role/app` },
            { AWS: '444455556666' },
            { Service: 'lambda.amazonaws.com' },
          )
        : fc.constant(undefined),
    })
    .map(({ action, Condition, principal, ...rest }) => ({
      ...rest,
      ...(action.startsWith('NOT:') ? { NotAction: action.slice(4) } : { Action: action }),
      ...(Condition ? { Condition } : {}),
      ...(principal !== undefined ? { Principal: principal } : {}),
    }));

let n = 0;
const policyArb = (effect?: 'Allow' | 'Deny', withPrincipal = false) =>
  fc
    .array(statementArb(effect, withPrincipal), { minLength: 1, maxLength: 3 })
    .map((Statement): PolicyInput => ({ id: `p${n++}`, document: { Version: '2012-10-17', Statement } }));

const setArb: fc.Arbitrary<PolicySet> = fc
  .record({
    identity: fc.array(policyArb(), { maxLength: 3 }),
    boundary: fc.option(policyArb(), { nil: undefined }),
    scps: fc.option(
      fc.array(fc.array(policyArb(), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }),
      { nil: undefined },
    ),
    resource: fc.option(policyArb(undefined, true), { nil: undefined }),
    session: fc.option(policyArb(), { nil: undefined }),
  })
  .map(
    (s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as unknown as PolicySet,
  );

const contextArb = fc.record(
  {
    'aws:MultiFactorAuthPresent': fc.constantFrom('true', 'false'),
    'aws:SourceIp': fc.constantFrom('10.1.1.1', '192.168.1.1', '8.8.8.8'),
    'aws:RequestedRegion': fc.constantFrom('us-east-1', 'eu-west-1', 'ap-south-1'),
    'aws:TagKeys': fc.constantFrom<string | string[]>(['a'], ['a', 'b'], ['c'], []),
  },
  { requiredKeys: [] },
);

const requestArb: fc.Arbitrary<EvaluationRequest> = fc.record({
  principal: fc.constantFrom(...principals),
  action: fc.constantFrom(...actions),
  resource: fc.constantFrom(...resources),
  context: contextArb,
  strictContext: fc.boolean(),
});

const runs = propertyRuns(400, 20261207);

describe('engine invariants (fast-check)', () => {
  it('adding a Deny never turns DENIED into ALLOWED (nor CONDITIONAL)', () => {
    fc.assert(
      fc.property(setArb, policyArb('Deny'), requestArb, (set, deny, req) => {
        const before = evaluate(req, set).decision;
        const after = evaluate(req, { ...set, identity: [...set.identity, deny] }).decision;
        if (before === 'DENIED') expect(after).toBe('DENIED');
        if (after === 'ALLOWED') expect(before).toBe('ALLOWED');
      }),
      runs,
    );
  });

  it('adding an Allow never turns ALLOWED into DENIED (nor CONDITIONAL)', () => {
    fc.assert(
      fc.property(setArb, policyArb('Allow'), requestArb, (set, allow, req) => {
        const before = evaluate(req, set).decision;
        const after = evaluate(req, { ...set, identity: [...set.identity, allow] }).decision;
        if (before === 'ALLOWED') expect(after).toBe('ALLOWED');
        if (after === 'DENIED') expect(before).toBe('DENIED');
      }),
      runs,
    );
  });

  it('a boundary never grants: with a boundary nothing is allowed that was denied without one', () => {
    fc.assert(
      fc.property(setArb, policyArb(), requestArb, (set, boundary, req) => {
        const { boundary: _b, ...without } = set;
        const before = evaluate(req, without).decision;
        const after = evaluate(req, { ...without, boundary }).decision;
        if (before === 'DENIED') expect(after).toBe('DENIED');
      }),
      runs,
    );
  });

  it('strictContext never gives CONDITIONAL; pinning every residual key resolves CONDITIONAL', () => {
    fc.assert(
      fc.property(setArb, requestArb, contextArb, (set, req, pins) => {
        const strict = evaluate({ ...req, strictContext: true }, set);
        expect(strict.decision).not.toBe('CONDITIONAL');
        const open = evaluate({ ...req, strictContext: false, context: {} }, set);
        if (open.decision !== 'CONDITIONAL') return;
        const needed = residualKeys(open.conditions!);
        expect(needed.length).toBeGreaterThan(0);
        const context: Record<string, string | string[]> = {};
        for (const k of needed) {
          const hit = Object.entries(pins).find(([pk]) => pk.toLowerCase() === k);
          context[k] = hit ? hit[1] : 'pinned-value';
        }
        expect(evaluate({ ...req, strictContext: false, context }, set).decision).not.toBe('CONDITIONAL');
      }),
      runs,
    );
  });

  it('the parser never throws on random JSON, and always either returns a policy or an error', () => {
    const jsonish = fc.oneof(
      fc.jsonValue(),
      fc.record({
        Version: fc.jsonValue(),
        Statement: fc.oneof(
          fc.jsonValue(),
          fc.array(
            fc.dictionary(
              fc.constantFrom('Effect', 'Action', 'NotAction', 'Resource', 'Principal', 'Condition', 'Sid'),
              fc.jsonValue(),
            ),
          ),
        ),
      }),
    );
    fc.assert(
      fc.property(
        jsonish,
        fc.constantFrom(undefined, 'identity', 'resource', 'trust', 'scp') as fc.Arbitrary<
          'identity' | undefined
        >,
        fc.boolean(),
        (doc, kind, asText) => {
          const input = asText ? (JSON.stringify(doc) ?? 'null') : (doc as object);
          const r = parsePolicy(input, kind ? { kind } : {});
          expect(r.policy !== undefined || r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
        },
      ),
      propertyRuns(1000, 20261207),
    );
  });
});
