import { describe, expect, it } from 'vitest';
import type { EscalationPath, PathsAnswer } from '../api/results.ts';
import { pathIds } from '../blast/reach-graph.ts';
import {
  K_BOUND,
  MAX_DEPTH_BOUND,
  parseBound,
  pathsArgs,
  pathsGraph,
  pathTitle,
  pickedPath,
} from './path-graph.ts';

const acct = 'arn:aws:iam::111122223333';
const dave = `${acct}:user/dave`;
const deploy = `${acct}:role/svc-deploy`;
const cfn = `${acct}:role/cfn-deployer`;
const ADMIN = 'accessgraph:admin';

const step = (from: string, to: string, kind: 'ASSUME' | 'ESCALATE' | 'ADMIN', technique: string) => ({
  from,
  to,
  toAdmin: to === ADMIN,
  kind,
  technique,
  conditional: false,
  conditions: [],
  evidence: [],
});
const viaCfn: EscalationPath = {
  hops: 2,
  conditional: false,
  conditions: [],
  steps: [
    step(dave, deploy, 'ASSUME', 'sts:AssumeRole'),
    step(deploy, cfn, 'ESCALATE', 'iam-013'),
    step(cfn, ADMIN, 'ADMIN', 'admin-equivalent'),
  ],
};
const direct: EscalationPath = {
  hops: 1,
  conditional: false,
  conditions: [],
  steps: [step(dave, ADMIN, 'ESCALATE', 'iam-008')],
};
const answer: PathsAnswer = { from: dave, to: ADMIN, paths: [viaCfn, direct] };

describe('pathsArgs', () => {
  it('asks for admin when `to` is empty, for the principal otherwise', () => {
    expect(pathsArgs(' dave ', ' ')).toEqual({ from: 'dave', to: null, toAdmin: true });
    expect(pathsArgs('dave', 'cfn-deployer')).toEqual({ from: 'dave', to: 'cfn-deployer', toAdmin: false });
  });
});

describe('pathsGraph', () => {
  it('draws every principal on some path once, admin as one node, each step an edge', () => {
    const g = pathsGraph(answer);
    expect(g.nodes.map((n) => [n.id, n.kind, n.label])).toEqual([
      [dave, 'USER', 'dave'],
      [deploy, 'ROLE', 'svc-deploy'],
      [cfn, 'ROLE', 'cfn-deployer'],
      [ADMIN, 'ACCOUNT', 'admin'],
    ]);
    expect(g.edges.map((e) => `${e.source}>${e.target}:${e.kind}`)).toEqual([
      `${dave}>${deploy}:CAN_ASSUME`,
      `${deploy}>${cfn}:ESCALATES`,
      `${cfn}>${ADMIN}:ESCALATES`,
      `${dave}>${ADMIN}:ESCALATES`,
    ]);
    // The picked path's ids are all drawn.
    const drawn = new Set([...g.nodes.map((n) => n.id)]);
    for (const id of pathIds(viaCfn).filter((i) => !i.includes('|'))) expect(drawn.has(id)).toBe(true);
  });
});

describe('pathTitle and pickedPath', () => {
  it('titles a path by its principals, and picks the URL rank or else the first', () => {
    expect(pathTitle(viaCfn)).toBe('dave → svc-deploy → cfn-deployer → ADMIN');
    expect(pickedPath(answer, '1')).toBe(1);
    expect(pickedPath(answer, null)).toBe(0);
    expect(pickedPath(answer, '7')).toBe(0);
    expect(pickedPath({ ...answer, paths: [] }, '0')).toBeNull();
    expect(pickedPath(null, '0')).toBeNull();
  });
});

describe('parseBound', () => {
  it('takes whole numbers within the API limits and says why anything else is refused', () => {
    expect(parseBound(' 3 ', K_BOUND)).toEqual({ value: 3 });
    expect(parseBound('0', MAX_DEPTH_BOUND)).toEqual({ value: 0 });
    expect(parseBound('32', MAX_DEPTH_BOUND)).toEqual({ value: 32 });
    expect(parseBound('0', K_BOUND)).toEqual({
      error: 'The number of paths must be a whole number from 1 to 100, not “0”.',
    });
    for (const bad of ['101', '2.5', '-1', 'abc', '1e2', ''])
      expect(parseBound(bad, K_BOUND), bad).toHaveProperty('error');
    expect(parseBound('33', MAX_DEPTH_BOUND)).toHaveProperty('error');
  });
});
