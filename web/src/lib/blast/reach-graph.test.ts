import { describe, expect, it } from 'vitest';
import type { BlastRadius, EscalationPath } from '../api/results.ts';
import { toElements } from '../graph/to-elements.ts';
import { ADMIN_ID, blastArgs, pathIds, reachGraph } from './reach-graph.ts';

const acct = 'arn:aws:iam::111122223333';
const grace = `${acct}:user/grace`;
const platform = `${acct}:role/platform-admin`;
const bucket = 'arn:aws:s3:::example-corp-engineering';

const step = (from: string, to: string, kind: 'ADMIN' | 'ASSUME' | 'ESCALATE') => ({
  from,
  to,
  toAdmin: to === ADMIN_ID,
  kind,
  technique: kind === 'ASSUME' ? 'sts:AssumeRole' : 'admin-equivalent',
  conditional: false,
  conditions: [],
  evidence: [],
});
const viaRole: EscalationPath = {
  hops: 1,
  conditional: true,
  conditions: ['aws:MultiFactorAuthPresent = true'],
  steps: [step(grace, platform, 'ASSUME'), step(platform, ADMIN_ID, 'ADMIN')],
};
const blast: BlastRadius = {
  start: { arn: grace, name: 'grace', kind: 'user', accessKeyId: null },
  counts: { principals: 1, users: 0, roles: 1, services: 0, resources: 1, adminPaths: 2 },
  admin: {
    reachable: true,
    conditional: false,
    paths: [
      { hops: 0, conditional: false, conditions: [], steps: [step(grace, ADMIN_ID, 'ADMIN')] },
      viaRole,
    ],
  },
  principals: [
    {
      arn: platform,
      name: 'platform-admin',
      kind: 'role',
      hops: 1,
      conditional: true,
      path: { ...viaRole, steps: viaRole.steps.slice(0, 1) },
    },
  ],
  services: [],
  resources: [
    {
      arn: bucket,
      name: 'example-corp-engineering',
      service: 's3',
      type: 'bucket',
      levels: [{ level: 'Read', via: [grace, platform] }],
    },
  ],
  notes: [],
};

describe('reachGraph', () => {
  it('draws the start, the reached role, admin, and the resources from the principals that grant them', () => {
    const g = reachGraph(blast);
    expect(g.nodes.map((n) => [n.id, n.kind])).toEqual([
      [grace, 'USER'],
      [platform, 'ROLE'],
      [ADMIN_ID, 'ACCOUNT'],
      [bucket, 'RESOURCE'],
    ]);
    expect(g.edges).toEqual([
      { source: grace, target: ADMIN_ID, kind: 'ESCALATES' },
      { source: grace, target: platform, kind: 'CAN_ASSUME' },
      { source: platform, target: ADMIN_ID, kind: 'ESCALATES' },
      { source: grace, target: bucket, kind: 'ALLOWS' },
      { source: platform, target: bucket, kind: 'ALLOWS' },
    ]);
  });

  it('names one path for the highlight, all of it drawn', () => {
    const drawn = toElements(reachGraph(blast));
    const ids = new Set([...drawn.nodes, ...drawn.edges].map((e) => e.data.id));
    const path = pathIds(viaRole);
    expect(path.sort()).toEqual(
      [
        grace,
        platform,
        ADMIN_ID,
        `${grace}|CAN_ASSUME|${platform}`,
        `${platform}|ESCALATES|${ADMIN_ID}`,
      ].sort(),
    );
    expect(path.every((id) => ids.has(id))).toBe(true);
  });
});

describe('blastArgs', () => {
  it('reads an access key id by its prefix, anything else as a principal', () => {
    expect(blastArgs(' AKIAIOSFODNN7EXAMPLE ')).toEqual({
      principal: null,
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    });
    expect(blastArgs('grace')).toEqual({ principal: 'grace', accessKeyId: null });
    expect(blastArgs(grace)).toEqual({ principal: grace, accessKeyId: null });
  });
});
