/** The case corpus itself: every fixture fits the strict schema, and the schema really is strict. */
import { describe, expect, it } from 'vitest';
import { engineCaseSchema } from './case-schema.ts';
import { loadCaseFiles, testName, toPolicySet } from './load-cases.ts';

const valid = {
  name: 'an identity Allow allows',
  doc: 'reference_policies_evaluation-logic',
  request: {
    principal: 'arn:aws:iam::111122223333:user/alice',
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::b/k',
  },
  policies: {
    identity: [
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] },
    ],
  },
  strictContext: true,
  expect: { decision: 'ALLOWED' },
};

describe('engine case schema', () => {
  it('accepts a well-formed case', () => {
    expect(engineCaseSchema.safeParse(valid).success).toBe(true);
  });

  it.each([
    ['a misspelt top-level key', { ...valid, stricContext: true }],
    ['a misspelt expect key', { ...valid, expect: { decision: 'DENIED', deniedby: { kind: 'implicit' } } }],
    ['a misspelt request key', { ...valid, request: { ...valid.request, contxt: {} } }],
    [
      'an unknown policy layer',
      { ...valid, policies: { ...valid.policies, permissionBoundary: valid.policies.identity[0] } },
    ],
    [
      'a wrapped policy with a misspelt key',
      { ...valid, policies: { identity: [{ id: 'p', documnet: {} }] } },
    ],
    ['an unknown decision', { ...valid, expect: { decision: 'ALLOW' } }],
    [
      'a doc that is not a page slug',
      { ...valid, doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/x.html' },
    ],
    [
      'deniedBy on an ALLOWED case',
      { ...valid, expect: { decision: 'ALLOWED', deniedBy: { kind: 'implicit' } } },
    ],
    ['CONDITIONAL under strictContext', { ...valid, expect: { decision: 'CONDITIONAL' } }],
  ])('rejects %s', (_what, bad) => {
    expect(engineCaseSchema.safeParse(bad).success).toBe(false);
  });

  it('every corpus file validates and every case names an AWS page', () => {
    const files = loadCaseFiles();
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) for (const c of f.cases) expect(testName(c)).toMatch(/ \[[a-z][a-z0-9_-]*\]$/);
  });

  it('gives bare policy documents positional ids and keeps wrapped ids', () => {
    const set = toPolicySet({
      ...valid,
      policies: {
        identity: [
          valid.policies.identity[0],
          { id: 'mine', document: valid.policies.identity[0], attachedVia: ['group:g'] },
        ],
        scps: [[valid.policies.identity[0]], [valid.policies.identity[0], valid.policies.identity[0]]],
        resource: valid.policies.identity[0],
      },
    } as never);
    expect(set.identity.map((p) => p.id)).toEqual(['identity/0', 'mine']);
    expect(set.identity[1]?.attachedVia).toEqual(['group:g']);
    expect(set.scps?.map((l) => l.map((p) => p.id))).toEqual([['scp/0/0'], ['scp/1/0', 'scp/1/1']]);
    expect(set.resource?.id).toBe('resource');
  });
});
