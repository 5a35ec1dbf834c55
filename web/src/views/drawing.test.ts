import { describe, expect, it } from 'vitest';
import { answerOverlay } from './drawing.ts';
import { VIEWS, viewEntry } from './registry.ts';

describe('answerOverlay', () => {
  const texts = { loading: 'Searching paths…', idle: 'Pick a user or role on the left.' };

  it('says what the graph is waiting for until the answer is ready, then steps aside', () => {
    expect(answerOverlay('idle', texts)).toEqual({ kind: 'empty', text: 'Pick a user or role on the left.' });
    expect(answerOverlay('loading', texts)).toEqual({ kind: 'loading', text: 'Searching paths…' });
    expect(answerOverlay('error', texts)).toEqual({
      kind: 'empty',
      text: 'No answer: see the message on the left.',
    });
    expect(answerOverlay('ready', texts)).toBeNull();
  });
});

describe('the view registry', () => {
  it('has every tab of the URL state once, the explorer first and built into the frame', () => {
    expect(VIEWS.map((v) => v.name)).toEqual([
      'explore',
      'who-can',
      'what-if',
      'blast',
      'paths',
      'findings',
      'rightsize',
    ]);
    expect(VIEWS[0]!.load).toBeNull();
    expect(VIEWS.slice(1).every((v) => typeof v.load === 'function')).toBe(true);
    // Only who-can draws nothing of the account graph (the others draw on it or suggest names from it).
    expect(VIEWS.filter((v) => !v.accountGraph).map((v) => v.name)).toEqual(['who-can']);
    expect(viewEntry('paths').label).toBe('Paths');
  });
});
