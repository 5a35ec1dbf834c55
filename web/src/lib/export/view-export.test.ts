import { describe, expect, it } from 'vitest';
import { toElements } from '../graph/to-elements.ts';
import { emptyViewState, type ViewState } from '../state/url-state.ts';
import { exportFileName, viewExport } from './view-export.ts';

const alice = 'arn:aws:iam::111122223333:user/alice';
const eng = 'arn:aws:iam::111122223333:group/Engineering';
const elements = toElements({
  nodes: [
    { id: alice, kind: 'USER', label: 'alice' },
    { id: eng, kind: 'GROUP', label: 'Engineering' },
  ],
  edges: [{ source: alice, target: eng, kind: 'MEMBER_OF' }],
});
const whoCan: ViewState = {
  ...emptyViewState(),
  view: 'who-can',
  snapshot: 'snap-1',
  whoCan: {
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::b/*',
    context: [
      { key: 'aws:SecureTransport', value: 'true' },
      { key: '', value: '' },
    ],
    includeDenied: true,
  },
};

describe('viewExport', () => {
  it('saves the who-can question in API form, the answer and the drawn elements', () => {
    const answer = {
      snapshotId: 'snap-1',
      actions: ['s3:GetObject'],
      entries: [],
      resourcePolicyId: null,
      evaluated: 1,
      principals: 1,
      notes: [],
    };
    const out = viewExport({
      state: whoCan,
      elements,
      answer,
      link: 'http://x/?view=who-can',
      now: new Date(0),
    });
    expect(out).toMatchObject({
      format: 'accessgraph-view/1',
      exportedAt: '1970-01-01T00:00:00.000Z',
      view: 'who-can',
      snapshotId: 'snap-1',
      query: {
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/*',
        context: [{ key: 'aws:SecureTransport', values: ['true'] }],
        includeDenied: true,
      },
      answer,
    });
    expect(out.elements.nodes).toEqual([
      { id: alice, kind: 'USER', label: 'alice' },
      { id: eng, kind: 'GROUP', label: 'Engineering' },
    ]);
    expect(out.elements.edges).toHaveLength(1);
  });

  it('saves the explorer focus and filters, without a who-can answer', () => {
    const state = { ...emptyViewState(), focus: alice, depth: 1, hidden: ['POLICY' as const] };
    const out = viewExport({ state, elements, answer: null, link: '' });
    expect(out.query).toEqual({ focus: alice, depth: 1, hidden: ['POLICY'] });
    expect('answer' in out).toBe(false);
  });
});

describe('viewExport for what-if', () => {
  it('saves the changes in API form', () => {
    const state: ViewState = {
      ...emptyViewState(),
      view: 'what-if',
      changes: [{ op: 'attachPolicy', subject: 'AmazonS3FullAccess', object: 'group/QA' }],
    };
    expect(viewExport({ state, elements, answer: null, link: '' }).query).toEqual({
      changes: [{ op: 'attachPolicy', policy: 'AmazonS3FullAccess', target: 'group/QA' }],
    });
    expect(exportFileName(state, 'png')).toBe('accessgraph-what-if-AmazonS3FullAccess.png');
  });
});

describe('viewExport for the blast radius and findings', () => {
  it('saves whose blast radius, or the picked finding', () => {
    const blast: ViewState = { ...emptyViewState(), view: 'blast', from: 'bob' };
    expect(viewExport({ state: blast, elements, answer: null, link: '' }).query).toEqual({ from: 'bob' });
    expect(exportFileName(blast, 'png')).toBe('accessgraph-blast-bob.png');
    const paths: ViewState = { ...emptyViewState(), view: 'paths', from: 'dave', k: 3 };
    expect(viewExport({ state: paths, elements, answer: null, link: '' }).query).toEqual({
      from: 'dave',
      to: null,
      k: 3,
      maxDepth: 6,
    });
    expect(exportFileName(paths, 'json')).toBe('accessgraph-paths-dave.json');
    const findings: ViewState = { ...emptyViewState(), view: 'findings', finding: 'inline-policy|x' };
    expect(viewExport({ state: findings, elements, answer: null, link: '' }).query).toEqual({
      finding: 'inline-policy|x',
    });
  });
});

describe('exportFileName', () => {
  it('names the file after the view and its subject, with only safe characters', () => {
    expect(exportFileName(whoCan, 'png')).toBe('accessgraph-who-can-s3-GetObject.png');
    expect(exportFileName({ ...emptyViewState(), focus: alice }, 'json')).toBe(
      'accessgraph-explore-alice.json',
    );
    expect(exportFileName(emptyViewState(), 'json')).toBe('accessgraph-explore-account.json');
  });
});
