import { describe, expect, it } from 'vitest';
import type { WhoCanEntry, WhoCanMatch } from '../api/results.ts';
import { toElements } from '../graph/to-elements.ts';
import { explanationGraph, explanationIds, kindOfArn, resourceLabel } from './explanation.ts';

const acct = 'arn:aws:iam::111122223333';
const alice = `${acct}:user/alice`;
const eng = `${acct}:group/Engineering`;
const s3Full = 'arn:aws:iam::aws:policy/AmazonS3FullAccess';
const bucket = 'arn:aws:s3:::example-corp-engineering/*';
// whoCan names a bucket policy by its bucket's ARN.
const bucketPolicy = 'arn:aws:s3:::example-corp-engineering';

function match(over: Partial<WhoCanMatch>): WhoCanMatch {
  return {
    layer: 'identity',
    effect: 'Allow',
    policyId: s3Full,
    policyName: 'AmazonS3FullAccess',
    statementIndex: 0,
    sid: null,
    attachedVia: [alice, eng],
    conditional: false,
    path: '',
    ...over,
  };
}

function entry(arn: string, kind: 'user' | 'role', over: Partial<WhoCanEntry> = {}): WhoCanEntry {
  return {
    principal: { arn, name: arn.split('/').pop()!, kind },
    action: 's3:GetObject',
    decision: 'ALLOWED',
    conditions: null,
    residual: null,
    deniedBy: null,
    summary: 'ALLOWED',
    matched: [],
    ...over,
  };
}

const aliceEntry = entry(alice, 'user', { matched: [match({})] });
const bob = `${acct}:user/bob`;
const bobEntry = entry(bob, 'user', { matched: [match({ attachedVia: [bob, eng] })] });
const agent = `${acct}:role/ec2-build-agent`;
const agentEntry = entry(agent, 'role', {
  matched: [match({ layer: 'resource', policyId: bucketPolicy, policyName: null, attachedVia: [] })],
});
const carol = `${acct}:user/carol`;
const carolEntry = entry(carol, 'user', {
  decision: 'DENIED',
  deniedBy: { kind: 'implicit', layer: 'identity' },
});

describe('explanationGraph', () => {
  it('draws user → group → policy → resource, sharing the group and policy between members', () => {
    const g = explanationGraph([aliceEntry, bobEntry], bucket);
    expect(g.nodes).toEqual([
      { id: alice, kind: 'USER', label: 'alice' },
      { id: bucket, kind: 'RESOURCE', label: 'example-corp-engineering/*' },
      { id: s3Full, kind: 'POLICY', label: 'AmazonS3FullAccess' },
      { id: eng, kind: 'GROUP', label: 'Engineering' },
      { id: bob, kind: 'USER', label: 'bob' },
    ]);
    expect(g.edges).toEqual([
      { source: alice, target: eng, kind: 'MEMBER_OF' },
      { source: eng, target: s3Full, kind: 'HAS_POLICY' },
      { source: s3Full, target: bucket, kind: 'ALLOWS' },
      { source: bob, target: eng, kind: 'MEMBER_OF' },
    ]);
  });

  it('links a resource policy as governing the principal, a boundary as bounding it, and a plain denial directly', () => {
    const elena = `${acct}:user/elena`;
    const boundary = 'arn:aws:iam::aws:policy/PowerUserAccess';
    const elenaEntry = entry(elena, 'user', {
      matched: [
        match({ attachedVia: [elena, eng] }),
        match({ layer: 'boundary', policyId: boundary, policyName: 'PowerUserAccess', attachedVia: [elena] }),
      ],
    });
    const g = explanationGraph([agentEntry, elenaEntry, carolEntry], bucket);
    expect(g.edges).toContainEqual({ source: agent, target: bucketPolicy, kind: 'GOVERNED_BY' });
    expect(g.edges).toContainEqual({ source: elena, target: boundary, kind: 'BOUNDED_BY' });
    expect(g.edges).toContainEqual({ source: boundary, target: bucket, kind: 'ALLOWS' });
    expect(g.edges).toContainEqual({ source: carol, target: bucket, kind: 'DENIES' });
    expect(g.nodes.find((n) => n.id === agent)?.kind).toBe('ROLE');
    expect(g.nodes.find((n) => n.id === bucketPolicy)).toEqual({
      id: bucketPolicy,
      kind: 'POLICY',
      label: 'example-corp-engineering policy',
    });
  });

  it('draws an explicit Deny statement as the policy denying, not a direct denial', () => {
    const denied = entry(alice, 'user', {
      decision: 'DENIED',
      deniedBy: { kind: 'explicit', layer: 'resource' },
      matched: [match({ layer: 'resource', effect: 'Deny', policyId: bucketPolicy, attachedVia: [] })],
    });
    const g = explanationGraph([denied], bucket);
    expect(g.edges).toEqual([
      { source: alice, target: bucketPolicy, kind: 'GOVERNED_BY' },
      { source: bucketPolicy, target: bucket, kind: 'DENIES' },
    ]);
  });

  it('an implicit denial is drawn as such, not as the conditional Deny listed beside it', () => {
    const g = explanationGraph(
      [
        {
          ...carolEntry,
          matched: [match({ layer: 'resource', effect: 'Deny', policyId: bucketPolicy, attachedVia: [] })],
        },
      ],
      bucket,
    );
    expect(g.edges).toEqual([{ source: carol, target: bucket, kind: 'DENIES' }]);
    expect(g.nodes.map((n) => n.id)).toEqual([carol, bucket]);
  });
});

describe('organization policies', () => {
  const scp = 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess';
  const denyScp = 'arn:aws:organizations::111122223333:policy/o-1/service_control_policy/p-deny';

  it('leaves out SCP Allows (a guardrail everyone passes) and draws an SCP Deny through the OU', () => {
    const allowed = entry(alice, 'user', {
      matched: [
        match({}),
        match({ layer: 'scp', policyId: scp, policyName: 'FullAWSAccess', attachedVia: ['r-ec01'] }),
        match({ layer: 'scp', policyId: scp, policyName: 'FullAWSAccess', attachedVia: ['ou-ec01-a'] }),
      ],
    });
    expect(explanationGraph([allowed], bucket)).toEqual(explanationGraph([aliceEntry], bucket));

    const denied = entry(alice, 'user', {
      decision: 'DENIED',
      deniedBy: { kind: 'explicit', layer: 'scp' },
      matched: [
        match({}),
        match({
          layer: 'scp',
          effect: 'Deny',
          policyId: denyScp,
          policyName: 'DenyS3',
          attachedVia: ['ou-ec01-a'],
        }),
      ],
    });
    const g = explanationGraph([denied], bucket);
    expect(g.nodes.find((n) => n.id === 'ou-ec01-a')).toEqual({
      id: 'ou-ec01-a',
      kind: 'ACCOUNT',
      label: 'ou-ec01-a',
    });
    expect(g.edges).toEqual(
      expect.arrayContaining([
        { source: alice, target: 'ou-ec01-a', kind: 'MEMBER_OF' },
        { source: 'ou-ec01-a', target: denyScp, kind: 'GOVERNED_BY' },
        { source: denyScp, target: bucket, kind: 'DENIES' },
      ]),
    );
  });
});

describe('explanationIds', () => {
  it('names exactly the drawn elements of one entry, not those of others', () => {
    const all = toElements(explanationGraph([aliceEntry, bobEntry, carolEntry], bucket), {
      aggregateAbove: Infinity,
    });
    const drawn = new Set([...all.nodes, ...all.edges].map((e) => e.data.id));
    const ids = explanationIds(aliceEntry, bucket);
    expect(ids.every((id) => drawn.has(id))).toBe(true);
    expect(ids.sort()).toEqual(
      [
        alice,
        eng,
        s3Full,
        bucket,
        `${alice}|MEMBER_OF|${eng}`,
        `${eng}|HAS_POLICY|${s3Full}`,
        `${s3Full}|ALLOWS|${bucket}`,
      ].sort(),
    );
    expect(ids).not.toContain(bob);
  });
});

describe('labels', () => {
  it('reads kinds and resource labels from ARNs', () => {
    expect([alice, eng, agent, s3Full, `${alice}#inline/x`, 'ou-ab12-cdef'].map(kindOfArn)).toEqual([
      'USER',
      'GROUP',
      'ROLE',
      'POLICY',
      'POLICY',
      'ACCOUNT',
    ]);
    expect(resourceLabel(bucket)).toBe('example-corp-engineering/*');
    expect(resourceLabel('arn:aws:sns:eu-central-1:111122223333:order-events')).toBe('order-events');
    expect(resourceLabel('*')).toBe('*');
  });
});
