import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importBundle } from '../../index.ts';

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const A = (s: string) => `arn:aws:iam::111122223333:${s}`;
const GAAD = {
  UserDetailList: [
    {
      UserName: 'alice',
      UserId: 'AIDAALICE',
      Arn: A('user/alice'),
      Path: '/',
      CreateDate: '2023-03-09T10:41:45Z',
      GroupList: [],
      AttachedManagedPolicies: [],
    },
  ],
  GroupDetailList: [],
  RoleDetailList: [
    {
      RoleName: 'fresh',
      RoleId: 'AROAFRESH',
      Arn: A('role/fresh'),
      Path: '/',
      CreateDate: '2024-10-01T00:00:00Z',
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] },
      AttachedManagedPolicies: [],
      RolePolicyList: [],
      InstanceProfileList: [],
      RoleLastUsed: {},
    },
  ],
  Policies: [],
};

/**
 * The response example of GetServiceLastAccessedDetails in the IAM API reference
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetServiceLastAccessedDetails.html), as the CLI prints it.
 */
const COMPLETED = {
  IsTruncated: false,
  JobCompletionDate: '2024-10-24T19:47:35.241000+00:00',
  JobCreationDate: '2024-10-24T19:47:31.466000+00:00',
  JobStatus: 'COMPLETED',
  ServicesLastAccessed: [
    {
      LastAuthenticated: '2024-10-24T19:11:00+00:00',
      LastAuthenticatedEntity: A('user/alice'),
      ServiceName: 'AWS Identity and Access Management',
      ServiceNamespace: 'iam',
      TotalAuthenticatedEntities: 2,
    },
    { ServiceName: 'Amazon Simple Storage Service', ServiceNamespace: 's3', TotalAuthenticatedEntities: 0 },
  ],
};

async function importWith(files: Record<string, unknown>) {
  const dir = await mkdtemp(path.join(tmpdir(), 'last-accessed-'));
  temps.push(dir);
  await writeFile(path.join(dir, 'authorization-details.json'), JSON.stringify(GAAD));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(
      path.join(dir, rel),
      typeof content === 'string' ? content : JSON.stringify(content, null, 4),
    );
  }
  return importBundle([dir]);
}
const codes = (r: Awaited<ReturnType<typeof importWith>>) =>
  r.diagnostics.map((d) => [d.severity, d.code, d.file, d.jsonPath]);

describe('last-accessed evidence (aws iam get-service-last-accessed-details)', () => {
  it('reads a completed service-level job onto snapshot.lastAccess, the tracking period 400 days before completion', async () => {
    const r = await importWith({
      'last-accessed/users/alice.json': COMPLETED,
      'last-accessed/roles/fresh.json': COMPLETED,
    });
    expect(codes(r)).toEqual([]);
    const alice = r.snapshot!.lastAccess!.find((x) => x.entityArn === A('user/alice'))!;
    expect(alice).toEqual({
      entityArn: A('user/alice'),
      granularity: 'SERVICE_LEVEL',
      jobCreatedAt: '2024-10-24T19:47:31.466Z',
      jobCompletedAt: '2024-10-24T19:47:35.241Z',
      trackedSince: '2023-09-20T19:47:35.241Z',
      services: [
        {
          service: 'iam',
          name: 'AWS Identity and Access Management',
          lastAuthenticated: '2024-10-24T19:11:00Z',
          lastAuthenticatedEntity: A('user/alice'),
          totalAuthenticatedEntities: 2,
        },
        { service: 's3', name: 'Amazon Simple Storage Service', totalAuthenticatedEntities: 0 },
      ],
    });
    // A role created 23 days before the job has 23 days of history, not 400.
    expect(r.snapshot!.lastAccess!.find((x) => x.entityArn === A('role/fresh'))!.trackedSince).toBe(
      '2024-10-01T00:00:00Z',
    );
    expect(r.snapshot!.sourceFiles).toContain('last-accessed/users/alice.json');
  });

  it('reads the tracked actions of an action-level job (TrackedActionLastAccessed)', async () => {
    // https://docs.aws.amazon.com/IAM/latest/APIReference/API_TrackedActionLastAccessed.html
    const job = {
      ...COMPLETED,
      JobType: 'ACTION_LEVEL',
      ServicesLastAccessed: [
        {
          ServiceName: 'Amazon S3',
          ServiceNamespace: 's3',
          LastAuthenticated: '2024-10-20T08:00:00+00:00',
          TotalAuthenticatedEntities: 1,
          TrackedActionsLastAccessed: [
            { ActionName: 'PutBucketPolicy' },
            {
              ActionName: 'ListAllMyBuckets',
              LastAccessedEntity: A('user/alice'),
              LastAccessedRegion: 'eu-west-1',
              LastAccessedTime: '2024-10-20T08:00:00+00:00',
            },
          ],
        },
      ],
    };
    const r = await importWith({
      'last-accessed/users/alice.json': job,
      'last-accessed/roles/fresh.json': job,
    });
    expect(codes(r)).toEqual([]);
    const report = r.snapshot!.lastAccess!.find((x) => x.entityArn === A('user/alice'))!;
    expect(report.granularity).toBe('ACTION_LEVEL');
    expect(report.services[0]!.trackedActions).toEqual([
      { action: 's3:PutBucketPolicy' },
      {
        action: 's3:ListAllMyBuckets',
        lastAccessed: '2024-10-20T08:00:00Z',
        lastAccessedEntity: A('user/alice'),
        lastAccessedRegion: 'eu-west-1',
      },
    ]);
  });

  it('a job still IN_PROGRESS or FAILED is a warning naming JobStatus; the entity is reported as missing evidence', async () => {
    const r = await importWith({
      'last-accessed/users/alice.json': {
        JobStatus: 'IN_PROGRESS',
        JobCreationDate: '2024-10-24T19:47:31.466000+00:00',
        JobCompletionDate: null,
        ServicesLastAccessed: [],
      },
      'last-accessed/roles/fresh.json': {
        JobStatus: 'FAILED',
        JobCreationDate: '2024-10-24T19:47:31.466000+00:00',
        JobCompletionDate: '2024-10-24T19:47:40.000000+00:00',
        ServicesLastAccessed: [],
        Error: { Message: 'internal error', Code: 'ServiceFailure' },
      },
    });
    expect(codes(r)).toEqual([
      ['warning', 'last-accessed.job-not-completed', 'last-accessed/roles/fresh.json', 'JobStatus'],
      ['warning', 'last-accessed.job-not-completed', 'last-accessed/users/alice.json', 'JobStatus'],
      ['warning', 'last-accessed.missing', 'last-accessed', undefined],
    ]);
    expect(r.diagnostics[0]!.message).toContain('internal error');
    expect(r.diagnostics[2]!.message).toMatch(/^2 user\(s\), group\(s\) or role\(s\)/);
    expect(r.snapshot!.lastAccess).toBeUndefined();
  });

  it('a report for an entity the GAAD lacks is a warning and is dropped', async () => {
    const r = await importWith({
      'last-accessed/users/alice.json': COMPLETED,
      'last-accessed/roles/fresh.json': COMPLETED,
      'last-accessed/users/mallory.json': COMPLETED,
    });
    expect(codes(r)).toEqual([
      ['warning', 'last-accessed.unknown-entity', 'last-accessed/users/mallory.json', 'ServicesLastAccessed'],
    ]);
    expect(r.snapshot!.lastAccess!.map((x) => x.entityArn)).toEqual([A('role/fresh'), A('user/alice')]);
  });

  it('a bad date or a missing namespace is an error with its JSON path; nothing is imported', async () => {
    const bad = structuredClone(COMPLETED) as Record<string, unknown> & typeof COMPLETED;
    bad.ServicesLastAccessed[0]!.LastAuthenticated = 'yesterday';
    const noNamespace = structuredClone(COMPLETED) as { ServicesLastAccessed: Record<string, unknown>[] };
    delete noNamespace.ServicesLastAccessed[1]!.ServiceNamespace;
    const r = await importWith({
      'last-accessed/users/alice.json': bad,
      'last-accessed/roles/fresh.json': noNamespace,
    });
    expect(codes(r)).toEqual([
      [
        'error',
        'last-accessed.missing-field',
        'last-accessed/roles/fresh.json',
        'ServicesLastAccessed[1].ServiceNamespace',
      ],
      [
        'error',
        'last-accessed.invalid-date',
        'last-accessed/users/alice.json',
        'ServicesLastAccessed[0].LastAuthenticated',
      ],
      ['warning', 'last-accessed.missing', 'last-accessed', undefined],
    ]);
    expect(r.diagnostics.filter((d) => d.severity === 'error').every((d) => d.line !== undefined)).toBe(true);
    expect(r.snapshot).toBeUndefined();
  });

  it('a file outside the layout, and a truncated page, are warnings', async () => {
    const r = await importWith({
      'last-accessed/users/alice.json': { ...COMPLETED, IsTruncated: true, Marker: 'abc' },
      'last-accessed/roles/fresh.json': COMPLETED,
      'last-accessed/alice.json': COMPLETED,
    });
    expect(codes(r)).toEqual([
      ['warning', 'last-accessed.unknown-file', 'last-accessed/alice.json', undefined],
      ['warning', 'last-accessed.truncated', 'last-accessed/users/alice.json', 'IsTruncated'],
    ]);
  });
});
