import { describe, expect, it } from 'vitest';
import {
  emptyViewState,
  emptyWhoCanInputs,
  parseViewState,
  serializeViewState,
  type ViewState,
} from './url-state.ts';

describe('view state in the URL', () => {
  it('round-trips every explorer field', () => {
    const state: ViewState = {
      ...emptyViewState(),
      snapshot: 'snap-1',
      focus: 'arn:aws:iam::111122223333:user/alice',
      depth: 3,
      hidden: ['ACCESS_KEY', 'POLICY'],
      selected: 'arn:aws:iam::111122223333:group/devs',
    };
    const text = serializeViewState(state);
    expect(text).toBe(
      '?snapshot=snap-1&focus=arn%3Aaws%3Aiam%3A%3A111122223333%3Auser%2Falice&depth=3&hide=ACCESS_KEY%2CPOLICY&select=arn%3Aaws%3Aiam%3A%3A111122223333%3Agroup%2Fdevs',
    );
    expect(parseViewState(text)).toEqual(state);
  });

  it('round-trips the who-can view: inputs, context rows (a repeated key kept twice), denied, the picked result', () => {
    const state: ViewState = {
      ...emptyViewState(),
      view: 'who-can',
      snapshot: 'snap-1',
      hidden: ['ACCESS_KEY'],
      selected: 'arn:aws:iam::111122223333:group/devs',
      whoCan: {
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::bucket/*',
        context: [
          { key: 'aws:SecureTransport', value: 'false' },
          { key: 'aws:TagKeys', value: 'team' },
          { key: 'aws:TagKeys', value: 'a=b' },
        ],
        includeDenied: true,
      },
      result: 'arn:aws:iam::111122223333:user/alice',
    };
    const text = serializeViewState(state);
    const params = new URLSearchParams(text);
    expect(params.get('view')).toBe('who-can');
    expect(params.getAll('ctx')).toEqual([
      'aws:SecureTransport=false',
      'aws:TagKeys=team',
      'aws:TagKeys=a=b',
    ]);
    expect(params.get('denied')).toBe('1');
    expect(parseViewState(text)).toEqual(state);
  });

  it('keeps who-can fields out of explorer links, and ignores them in an explorer link', () => {
    const state: ViewState = {
      ...emptyViewState(),
      whoCan: { ...emptyWhoCanInputs(), action: 's3:GetObject' },
      result: 'x',
    };
    expect(serializeViewState(state)).toBe('');
    expect(parseViewState('?action=s3:GetObject&result=x')).toEqual(emptyViewState());
  });

  it('round-trips what-if changes and drops malformed ones from a hand-edited link', () => {
    const state: ViewState = {
      ...emptyViewState(),
      view: 'what-if',
      changes: [
        { op: 'attachPolicy', subject: 'AmazonS3FullAccess', object: 'group/QA' },
        { op: 'addUserToGroup', subject: 'bob', object: 'QA' },
      ],
    };
    const text = serializeViewState(state);
    expect(new URLSearchParams(text).getAll('change')).toEqual([
      'attachPolicy|AmazonS3FullAccess|group/QA',
      'addUserToGroup|bob|QA',
    ]);
    expect(parseViewState(text)).toEqual(state);
    expect(parseViewState(`${text}&change=nuke|a|b`).changes).toHaveLength(2);
    expect(parseViewState('?change=addUserToGroup|bob|QA').changes).toEqual([]); // not the what-if view
    const compare: ViewState = { ...emptyViewState(), view: 'what-if', snapshot: 'b', compare: 'a' };
    expect(parseViewState(serializeViewState(compare))).toEqual(compare);
  });

  it('round-trips the picked finding, in the findings view only', () => {
    const state: ViewState = {
      ...emptyViewState(),
      view: 'findings',
      finding: 'console-without-mfa|arn:aws:iam::111122223333:user/carol',
    };
    expect(parseViewState(serializeViewState(state))).toEqual(state);
    expect(serializeViewState({ ...state, view: 'explore' })).toBe('');
  });

  it('round-trips the blast radius start and its highlighted path', () => {
    const state: ViewState = { ...emptyViewState(), view: 'blast', from: 'grace', result: 'admin:1' };
    expect(serializeViewState(state)).toBe('?view=blast&from=grace&result=admin%3A1');
    expect(parseViewState(serializeViewState(state))).toEqual(state);
  });

  it('round-trips a paths question (to a principal, or to admin when `to` is empty) and its picked path', () => {
    const toRole: ViewState = {
      ...emptyViewState(),
      view: 'paths',
      from: 'dave',
      to: 'cfn-deployer',
      result: '1',
    };
    expect(serializeViewState(toRole)).toBe('?view=paths&from=dave&to=cfn-deployer&result=1');
    expect(parseViewState(serializeViewState(toRole))).toEqual(toRole);
    const toAdmin: ViewState = { ...emptyViewState(), view: 'paths', from: 'dave' };
    expect(serializeViewState(toAdmin)).toBe('?view=paths&from=dave');
    expect(parseViewState(serializeViewState(toAdmin))).toEqual(toAdmin);
    // `to` belongs to the paths view only.
    expect(parseViewState('?view=blast&from=dave&to=x').to).toBe('');
  });

  it('keeps the right-size principal, and only for that view', () => {
    const state: ViewState = { ...emptyViewState(), view: 'rightsize', from: 'dave' };
    expect(serializeViewState(state)).toBe('?view=rightsize&from=dave');
    expect(parseViewState(serializeViewState(state))).toEqual(state);
    expect(parseViewState('?view=findings&from=dave').from).toBe('');
  });

  it('keeps the paths bounds (k, maxDepth) when not the defaults; a bad one in a link falls back to the default', () => {
    const bounded: ViewState = { ...emptyViewState(), view: 'paths', from: 'dave', k: 1, maxDepth: 3 };
    expect(serializeViewState(bounded)).toBe('?view=paths&from=dave&k=1&maxDepth=3');
    expect(parseViewState(serializeViewState(bounded))).toEqual(bounded);
    const hand = parseViewState('?view=paths&from=dave&k=0&maxDepth=x');
    expect([hand.k, hand.maxDepth]).toEqual([emptyViewState().k, emptyViewState().maxDepth]);
    expect(parseViewState('?view=paths&k=101').k).toBe(emptyViewState().k);
    // The bounds belong to the paths view only.
    expect(parseViewState('?view=blast&from=dave&k=1').k).toBe(emptyViewState().k);
  });

  it('keeps the marked statement with the selection only', () => {
    const state: ViewState = { ...emptyViewState(), selected: 'arn:aws:iam::aws:policy/X', statement: 2 };
    expect(new URLSearchParams(serializeViewState(state)).get('stmt')).toBe('2');
    expect(parseViewState(serializeViewState(state))).toEqual(state);
    expect(parseViewState('?stmt=2').statement).toBeNull();
    expect(parseViewState('?select=x&stmt=-1').statement).toBeNull();
  });

  it('leaves defaults out and parses an empty query to the defaults', () => {
    expect(serializeViewState(emptyViewState())).toBe('');
    expect(parseViewState('')).toEqual(emptyViewState());
  });

  it('ignores unknown kinds, views and out-of-range depths from hand-edited links', () => {
    expect(parseViewState('?focus=x&depth=99&hide=USER,BOGUS,USER&view=nope')).toEqual({
      ...emptyViewState(),
      focus: 'x',
      hidden: ['USER'],
    });
    expect(parseViewState('?depth=-1').depth).toBe(2);
  });
});
