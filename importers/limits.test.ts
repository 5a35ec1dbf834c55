import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, parseLimitsFlag } from './limits.ts';

describe('parseLimitsFlag', () => {
  it('raises the named limits and keeps the others', () => {
    expect(parseLimitsFlag('fileBytes=1e9, jsonDepth=200')).toEqual({
      ...DEFAULT_LIMITS,
      fileBytes: 1_000_000_000,
      jsonDepth: 200,
    });
  });

  it.each([
    ['fileByte=1', /unknown limit `fileByte`/],
    ['jsonDepth=0', /positive integer/],
    ['jsonDepth=1.5', /positive integer/],
    ['jsonDepth', /not name=value/],
  ])('%s is refused', (text, message) => {
    expect(() => parseLimitsFlag(text)).toThrow(message);
  });
});
