import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importBundle } from '../../index.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures');
const REAL_CSV = path.join(FIXTURES, 'credential-report/cloudmapper-demo-credential-report.csv');
const REAL_JSON = path.join(FIXTURES, 'credential-report/cloudmapper-demo-credential-report.json');
const CLOUDMAPPER_GAAD = path.join(FIXTURES, 'gaad/cloudmapper-demo-gaad.json');

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function bundle(files: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'credential-report-'));
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

const A = (s: string) => `arn:aws:iam::111122223333:${s}`;
const gaadUser = (name: string) => ({
  UserName: name,
  UserId: `AIDA${name.toUpperCase()}`,
  Arn: A(`user/${name}`),
  Path: '/',
  CreateDate: '2023-03-09T10:41:45Z',
  GroupList: [],
  UserPolicyList: [],
  AttachedManagedPolicies: [],
  Tags: [],
});
const GAAD = {
  UserDetailList: ['alice', 'svc'].map(gaadUser),
  GroupDetailList: [],
  RoleDetailList: [],
  Policies: [],
};

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const ROOT = `<root_account>,${A('root')},2019-01-01T00:00:00+00:00,not_supported,2024-05-01T08:00:00+00:00,not_supported,not_supported,false,true,2019-02-01T00:00:00+00:00,2024-04-01T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
// alice: console without MFA, password used before October 2014 tracking (`no_information`), no keys.
const ALICE = `alice,${A('user/alice')},2023-03-09T10:41:45+00:00,true,no_information,2023-03-09T10:42:00+00:00,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
// svc: no console, one active key used once, one inactive key never used, an active signing certificate.
const SVC = `svc,${A('user/svc')},2023-03-09T10:41:45+00:00,false,N/A,N/A,N/A,false,true,2023-03-10T00:00:00+00:00,2024-06-01T12:30:00+00:00,eu-west-1,sns,false,2023-03-11T00:00:00+00:00,N/A,N/A,N/A,true,2023-04-01T00:00:00+00:00,false,N/A`;
const CSV = [HEADER, ROOT, ALICE, SVC].join('\n') + '\n';

const errorsOf = (r: Awaited<ReturnType<typeof importBundle>>) =>
  r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.file, d.line, d.jsonPath]);

describe('credential report: values', async () => {
  const result = await importBundle([
    await bundle({ 'authorization-details.json': GAAD, 'credential-report.csv': CSV }),
  ]);
  const s = result.snapshot!;
  const user = (n: string) => s.users.find((u) => u.name === n)!;

  it('fills each user from its row: N/A and no_information are unknown, an inactive key keeps its creation date', () => {
    expect(user('alice').credentials).toEqual({
      passwordEnabled: true,
      passwordLastChanged: '2023-03-09T10:42:00Z',
      mfaActive: false,
      accessKeys: [],
      certificates: [],
    });
    expect(user('svc').credentials).toEqual({
      passwordEnabled: false,
      mfaActive: false,
      accessKeys: [
        {
          slot: 1,
          active: true,
          lastRotated: '2023-03-10T00:00:00Z',
          lastUsedDate: '2024-06-01T12:30:00Z',
          lastUsedRegion: 'eu-west-1',
          lastUsedService: 'sns',
        },
        { slot: 2, active: false, lastRotated: '2023-03-11T00:00:00Z' },
      ],
      certificates: [{ active: true, lastRotated: '2023-04-01T00:00:00Z' }],
    });
    // The report never shows key ids (let alone secrets).
    expect(user('svc').credentials!.accessKeys.every((k) => k.id === undefined)).toBe(true);
  });

  it('puts the <root_account> row on the account (not_supported password columns are unknown)', () => {
    expect(s.accounts).toEqual([
      {
        id: '111122223333',
        root: {
          createDate: '2019-01-01T00:00:00Z',
          passwordLastUsed: '2024-05-01T08:00:00Z',
          mfaActive: false,
          accessKeys: [
            {
              slot: 1,
              active: true,
              lastRotated: '2019-02-01T00:00:00Z',
              lastUsedDate: '2024-04-01T00:00:00Z',
              lastUsedRegion: 'us-east-1',
              lastUsedService: 's3',
            },
          ],
          certificates: [],
        },
      },
    ]);
    expect(s.users.some((u) => u.arn.endsWith(':root'))).toBe(false);
  });

  it('without GeneratedTime, collectedAt is the newest timestamp in the report, with a warning saying so', () => {
    expect(s.collectedAt).toBe('2024-06-01T12:30:00Z');
    expect(result.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ['warning', 'credential-report.no-generated-time'],
    ]);
    expect(s.sourceFiles).toEqual(['authorization-details.json', 'credential-report.csv']);
  });

  it('reads the same snapshot from a BOM, CRLF, reordered columns and the base64 JSON form', async () => {
    const lines = CSV.trimEnd().split('\n');
    const cols = lines.map((l) => l.split(','));
    const order = cols[0]!.map((_, i) => i).reverse();
    const reordered = cols.map((c) => order.map((i) => c[i]).join(',')).join('\n');
    const variants = {
      bom: '\ufeff' + CSV,
      crlf: CSV.replaceAll('\n', '\r\n'),
      reordered,
    };
    const users = async (files: Record<string, unknown>) => {
      const r = await importBundle([await bundle({ 'authorization-details.json': GAAD, ...files })]);
      expect(errorsOf(r)).toEqual([]);
      return { users: r.snapshot!.users, accounts: r.snapshot!.accounts };
    };
    for (const [name, text] of Object.entries(variants))
      expect(await users({ 'credential-report.csv': text }), name).toEqual({
        users: s.users,
        accounts: s.accounts,
      });
    const json = await importBundle([
      await bundle({
        'authorization-details.json': GAAD,
        'credential-report.json': {
          Content: Buffer.from(CSV).toString('base64'),
          ReportFormat: 'text/csv',
          GeneratedTime: '2024-06-02T09:00:00Z',
        },
      }),
    ]);
    expect(json.snapshot!.users).toEqual(s.users);
    // The JSON form says when the report was generated: no guess, no warning.
    expect(json.snapshot!.collectedAt).toBe('2024-06-02T09:00:00Z');
    expect(json.diagnostics).toEqual([]);
  });

  it('users in GAAD but not in the report keep credentials undefined, with a warning naming them', async () => {
    const r = await importBundle([
      await bundle({
        'authorization-details.json': GAAD,
        'credential-report.csv': [HEADER, ROOT, ALICE].join('\n'),
      }),
    ]);
    expect(r.snapshot!.users.find((u) => u.name === 'svc')!.credentials).toBeUndefined();
    expect(r.diagnostics.find((d) => d.code === 'credential-report.user-missing')!.message).toContain(
      '`svc`',
    );
  });
});

describe('credential report: the real CloudMapper sample', () => {
  it('CSV and JSON (Content already decoded) give the same root row; its users are not in the GAAD (warnings with lines)', async () => {
    const csv = await importBundle([
      await bundle({
        'authorization-details.json': await readFile(CLOUDMAPPER_GAAD, 'utf8'),
        'credential-report.csv': await readFile(REAL_CSV, 'utf8'),
      }),
    ]);
    const json = await importBundle([
      await bundle({
        'authorization-details.json': await readFile(CLOUDMAPPER_GAAD, 'utf8'),
        'credential-report.json': await readFile(REAL_JSON, 'utf8'),
      }),
    ]);
    expect(errorsOf(csv)).toEqual([]);
    expect(csv.snapshot!.accounts[0]!.root).toEqual({
      createDate: '2018-08-12T17:20:55Z',
      passwordLastUsed: '2019-03-03T16:58:16Z',
      mfaActive: true,
      accessKeys: [
        {
          slot: 1,
          active: true,
          lastRotated: '2018-11-23T16:01:14Z',
          lastUsedDate: '2018-11-27T00:02:00Z',
          lastUsedRegion: 'us-east-1',
          lastUsedService: 'ecr',
        },
      ],
      certificates: [],
    });
    expect(json.snapshot!.accounts).toEqual(csv.snapshot!.accounts);
    expect(json.snapshot!.collectedAt).toBe('2019-05-07T15:40:22Z');
    // The sample's users (`auditor_tmp`, `user`) are not the GAAD's (`USER`, hand-anonymized ARNs).
    const notInGaad = (r: typeof csv) =>
      r.diagnostics
        .filter((d) => d.code === 'credential-report.user-not-in-gaad')
        .map((d) => [d.file, d.line]);
    expect(notInGaad(csv)).toEqual([
      ['credential-report.csv', 3],
      ['credential-report.csv', 4],
    ]);
  });
});

describe('credential report: bad input is a diagnostic with file and line, never a crash', () => {
  const cases: [string, Record<string, unknown>, unknown[][]][] = [
    [
      'empty file',
      { 'credential-report.csv': '\n' },
      [['credential-report.empty-file', 'credential-report.csv', 1, undefined]],
    ],
    [
      'some other CSV',
      { 'credential-report.csv': 'name,age\nbob,3\n' },
      [['credential-report.not-credential-report', 'credential-report.csv', 1, undefined]],
    ],
    [
      'a missing column',
      { 'credential-report.csv': CSV.replace(',mfa_active', ',mfa') },
      [['credential-report.missing-column', 'credential-report.csv', 1, undefined]],
    ],
    [
      'a row with a cell too many (CRLF file)',
      { 'credential-report.csv': [HEADER, ROOT, ALICE + ',extra', SVC].join('\r\n') },
      [['credential-report.wrong-column-count', 'credential-report.csv', 3, undefined]],
    ],
    [
      'a spreadsheet-formatted date and a yes/no boolean',
      {
        'credential-report.csv': [
          HEADER,
          ROOT,
          ALICE.replace('2023-03-09T10:42:00+00:00', '09/03/2023 10:42'),
          SVC.replace(',false,N/A,N/A,N/A,false,true,', ',no,N/A,N/A,N/A,false,true,'),
        ].join('\n'),
      },
      [
        ['credential-report.invalid-date', 'credential-report.csv', 3, undefined],
        ['credential-report.invalid-value', 'credential-report.csv', 4, undefined],
      ],
    ],
    [
      'an unclosed quote',
      { 'credential-report.csv': [HEADER, ROOT, '"alice' + ALICE.slice(5)].join('\n') },
      [['credential-report.invalid-csv', 'credential-report.csv', 3, undefined]],
    ],
    [
      'the same user twice with different values',
      {
        'credential-report.csv': [
          HEADER,
          ROOT,
          ALICE,
          SVC,
          ALICE.replace(',true,no_information', ',false,no_information'),
        ].join('\n'),
      },
      [['credential-report.duplicate-user', 'credential-report.csv', 5, undefined]],
    ],
    [
      "another account's report",
      { 'credential-report.csv': [HEADER, ROOT.replaceAll('111122223333', '999988887777')].join('\n') },
      [['credential-report.account-mismatch', 'credential-report.csv', 2, undefined]],
    ],
    [
      'JSON whose Content is neither base64 of the report nor the report',
      {
        'credential-report.json':
          '{\n  "GeneratedTime": "2024-06-02T09:00:00Z",\n  "Content": "bm90IGEgcmVwb3J0"\n}',
      },
      [['credential-report.undecodable-content', 'credential-report.json', 3, 'Content']],
    ],
    [
      'JSON with a bad date inside the CSV: the line of Content, the CSV line in the message',
      {
        'credential-report.json': {
          Content: Buffer.from(
            [HEADER, ROOT.replace('2019-01-01T00:00:00+00:00', 'yesterday')].join('\n'),
          ).toString('base64'),
        },
      },
      [['credential-report.invalid-date', 'credential-report.json', 2, 'Content']],
    ],
    [
      'both the CSV and the JSON',
      {
        'credential-report.csv': CSV,
        'credential-report.json': { Content: Buffer.from(CSV).toString('base64') },
      },
      [['credential-report.several', 'credential-report.csv', undefined, undefined]],
    ],
  ];
  for (const [name, files, expected] of cases)
    it(name, async () => {
      const r = await importBundle([await bundle({ 'authorization-details.json': GAAD, ...files })]);
      expect(r.snapshot).toBeUndefined();
      expect(errorsOf(r)).toEqual(expected);
    });

  it('the CSV line of a JSON-embedded error is in the message', async () => {
    const r = await importBundle([
      await bundle({
        'authorization-details.json': GAAD,
        'credential-report.json': {
          Content: Buffer.from(
            [HEADER, ROOT.replace('2019-01-01T00:00:00+00:00', 'yesterday')].join('\n'),
          ).toString('base64'),
        },
      }),
    ]);
    expect(r.diagnostics[0]!.message).toBe('CSV line 2: `user_creation_time`: `yesterday` is not a date');
  });

  it('an identical duplicated row is a warning and is read once', async () => {
    const r = await importBundle([
      await bundle({
        'authorization-details.json': GAAD,
        'credential-report.csv': [HEADER, ROOT, ALICE, SVC, SVC].join('\n'),
      }),
    ]);
    expect(r.snapshot).toBeDefined();
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ['warning', 'credential-report.duplicate-row', 5],
      ['warning', 'credential-report.no-generated-time', undefined],
    ]);
  });
});
