import { describe, expect, it } from 'vitest';
import { contextEntries } from './context-rows.ts';

describe('contextEntries', () => {
  it('groups a repeated key into one multi-valued entry and skips blank rows', () => {
    expect(
      contextEntries([
        { key: ' aws:SecureTransport ', value: 'false' },
        { key: '', value: '' },
        { key: 'aws:TagKeys', value: 'team' },
        { key: 'aws:TagKeys', value: 'env' },
        { key: 'aws:PrincipalTag/team', value: 'platform' },
      ]),
    ).toEqual({
      entries: [
        { key: 'aws:SecureTransport', values: ['false'] },
        { key: 'aws:TagKeys', values: ['team', 'env'] },
        { key: 'aws:PrincipalTag/team', values: ['platform'] },
      ],
      errors: [],
    });
  });

  it('reports a missing key and a key that is not a condition key, by row', () => {
    const { entries, errors } = contextEntries([
      { key: '', value: 'true' },
      { key: 'SecureTransport', value: 'true' },
      { key: 'aws:SourceIp', value: '10.0.0.1' },
    ]);
    expect(entries).toEqual([{ key: 'aws:SourceIp', values: ['10.0.0.1'] }]);
    expect(errors).toEqual([
      'Context row 1: the key is missing (for example aws:SecureTransport)',
      'Context row 2: `SecureTransport` is not a condition key like aws:SecureTransport',
    ]);
  });
});
