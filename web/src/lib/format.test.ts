import { describe, expect, it } from 'vitest';
import { formatAge, keyLabel, shortName } from './format.ts';

describe('format', () => {
  it('says an age in days, and unknown for a missing one', () => {
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

  it('names a key by its id, else by its credential report slot', () => {
    const user = 'arn:aws:iam::111122223333:user/service-accounts/svc-deploy';
    expect(keyLabel({ user, accessKeyId: 'AKIAIOSFODNN7EXAMPLE', slot: 1 })).toBe(
      'AKIAIOSFODNN7EXAMPLE of svc-deploy',
    );
    expect(keyLabel({ user, accessKeyId: null, slot: 2 })).toBe('key 2 of svc-deploy');
  });
});
