import { describe, expect, it } from 'vitest';
import { ageInDays, formatAge, shortName } from './format.ts';

describe('format', () => {
  it('counts whole days, and says unknown for missing or bad dates', () => {
    const now = new Date('2026-01-11T12:00:00Z');
    expect(ageInDays('2026-01-01T13:00:00Z', now)).toBe(9);
    expect(ageInDays('2025-01-11 12:00:00+00:00', now)).toBe(365);
    expect(ageInDays(null, now)).toBeNull();
    expect(ageInDays('N/A', now)).toBeNull();
    expect([formatAge(null), formatAge(0), formatAge(1), formatAge(120)]).toEqual([
      '—',
      'today',
      '1 day',
      '120 days',
    ]);
  });

  it('shortens ARNs and inline policy ids', () => {
    expect(shortName('arn:aws:iam::111122223333:user/ops/alice')).toBe('alice');
    expect(shortName('arn:aws:iam::111122223333:group/devs#inline/ReadLogs')).toBe('ReadLogs');
    expect(shortName('arn:aws:s3:::demo-bucket')).toBe('demo-bucket');
  });
});
