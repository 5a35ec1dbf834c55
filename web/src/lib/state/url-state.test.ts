import { describe, expect, it } from 'vitest';
import { emptyViewState, parseViewState, serializeViewState, type ViewState } from './url-state.ts';

describe('view state in the URL', () => {
  it('round-trips every field', () => {
    const state: ViewState = {
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

  it('leaves defaults out and parses an empty query to the defaults', () => {
    expect(serializeViewState(emptyViewState())).toBe('');
    expect(parseViewState('')).toEqual(emptyViewState());
  });

  it('ignores unknown kinds and out-of-range depths from hand-edited links', () => {
    expect(parseViewState('?focus=x&depth=99&hide=USER,BOGUS,USER')).toEqual({
      ...emptyViewState(),
      focus: 'x',
      hidden: ['USER'],
    });
    expect(parseViewState('?depth=-1').depth).toBe(2);
  });
});
