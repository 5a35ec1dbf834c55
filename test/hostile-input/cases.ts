/**
 * The hostile-input corpus: broken and hostile bundles, each generated at test time in a temp directory (large
 * files sparse or streamed, nothing committed) with the diagnostic it must produce.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { deflatedZeros, storedEntry, tarFile, tarHeader, writeTarGz, zip } from './archives.ts';

const ACCOUNT = '123456789012';
const MiB = 1 << 20;

export interface HostileCase {
  name: string;
  /** The diagnostic expected (undefined: none at all), and whether a snapshot is still produced. */
  code: string | undefined;
  snapshot: boolean;
  /** Extra checks on that diagnostic. */
  jsonPath?: string;
  /** Also run through `accessgraph import --json`. */
  cli?: boolean;
  /** Writes the input under `dir`; returns the path to import. */
  make: (dir: string) => string | Promise<string>;
}

export function user(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Path: '/',
    UserName: name,
    UserId: `AIDA${name.toUpperCase()}`,
    Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    CreateDate: '2024-01-01T00:00:00Z',
    GroupList: [],
    AttachedManagedPolicies: [],
    UserPolicyList: [],
    Tags: [],
    ...extra,
  };
}

export const gaad = (users: unknown[] = [user('alice')]) =>
  JSON.stringify({ UserDetailList: users, GroupDetailList: [], RoleDetailList: [], Policies: [] });

/** A bundle directory with the given files (text or bytes). */
function bundle(dir: string, files: Record<string, string | Buffer>): string {
  const root = path.join(dir, 'bundle');
  for (const [rel, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), body);
  }
  return root;
}

const GAAD = 'authorization-details.json';
const CREDENTIAL_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

const policy = (statements: string) => `{"Version":"2012-10-17","Statement":[${statements}]}`;
const allow = '{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}';

export const CASES: HostileCase[] = [
  // Deep nesting: the stack, not the heap, was the victim.
  {
    name: '100,000 nested arrays in the GAAD',
    code: 'gaad.too-deep',
    snapshot: false,
    cli: true,
    make: (d) => bundle(d, { [GAAD]: `{"UserDetailList":${'['.repeat(100_000)}${']'.repeat(100_000)}}` }),
  },
  {
    name: '100,000 nested objects, truncated',
    code: 'gaad.too-deep',
    snapshot: false,
    make: (d) => bundle(d, { [GAAD]: '{"a":'.repeat(100_000) }),
  },
  {
    name: '10,000 levels inside a policy document stored as a string',
    code: 'gaad.too-deep',
    snapshot: false,
    make: (d) =>
      bundle(d, {
        [GAAD]: gaad([
          user('alice', {
            UserPolicyList: [
              {
                PolicyName: 'p',
                PolicyDocument: `{"Version":"2012-10-17","Statement":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
              },
            ],
          }),
        ]),
      }),
  },
  // Sizes: checked with stat before reading.
  {
    name: 'a 2 GiB sparse GAAD',
    code: 'bundle.file-too-large',
    snapshot: false,
    cli: true,
    make: (d) => {
      const root = bundle(d, { [GAAD]: '' });
      truncateSync(path.join(root, GAAD), 2 * 1024 * MiB);
      return root;
    },
  },
  {
    name: 'a 600 MiB JSON file beside the GAAD',
    code: 'bundle.file-too-large',
    snapshot: false,
    make: (d) => {
      const root = bundle(d, { [GAAD]: gaad(), 'password-policy.json': '' });
      truncateSync(path.join(root, 'password-policy.json'), 600 * MiB);
      return root;
    },
  },
  {
    name: 'five 120 MiB resource-policy files, each under the file limit',
    code: 'bundle.too-large',
    snapshot: false,
    make: (d) => {
      const names = ['a', 'b', 'c', 'd', 'e'].map((b) => `resource-policies/s3/${b}.get-bucket-policy.json`);
      const root = bundle(d, { [GAAD]: gaad(), ...Object.fromEntries(names.map((n) => [n, ''])) });
      for (const n of names) truncateSync(path.join(root, n), 120 * MiB);
      return root;
    },
  },
  {
    name: 'a 2 GiB file beside the GAAD that is no bundle file: never read',
    code: undefined,
    snapshot: true,
    make: (d) => {
      const root = bundle(d, { [GAAD]: gaad(), 'core.dump': '' });
      truncateSync(path.join(root, 'core.dump'), 2 * 1024 * MiB);
      return root;
    },
  },
  // Archive bombs and lies.
  {
    name: 'zip entry declaring 100 bytes that inflates to 300 MiB',
    code: 'bundle.archive-too-large',
    snapshot: false,
    make: async (d) => {
      const f = path.join(d, 'bomb.zip');
      writeFileSync(
        f,
        zip([
          storedEntry(`b/${GAAD}`, Buffer.from(gaad())),
          {
            name: 'b/password-policy.json',
            data: await deflatedZeros(300 * MiB),
            method: 8,
            size: 100,
            crc: 0,
          },
        ]),
      );
      return f;
    },
  },
  {
    // Refused at its header: the body need not be there.
    name: 'tar.gz with a 700 MiB entry',
    code: 'bundle.archive-too-large',
    snapshot: false,
    make: async (d) => {
      const f = path.join(d, 'bomb.tar.gz');
      await writeTarGz(f, [
        ...tarFile(`b/${GAAD}`, Buffer.from(gaad())),
        tarHeader('b/password-policy.json', (700 * MiB).toString(8)),
        MiB,
      ]);
      return f;
    },
  },
  {
    name: 'tar.gz unpacking to 560 MiB of files that are not bundle files',
    code: 'bundle.archive-too-large',
    snapshot: false,
    make: async (d) => {
      const f = path.join(d, 'big.tar.gz');
      const size = 280 * MiB;
      await writeTarGz(f, [
        ...tarFile(`b/${GAAD}`, Buffer.from(gaad())),
        tarHeader('b/one.bin', size.toString(8)),
        size,
        tarHeader('b/two.bin', size.toString(8)),
        size,
      ]);
      return f;
    },
  },
  {
    name: 'tar header with a negative size',
    code: 'bundle.archive-invalid',
    snapshot: false,
    make: async (d) => {
      const f = path.join(d, 'negative.tar.gz');
      await writeTarGz(f, [...tarFile(`b/${GAAD}`, Buffer.from(gaad())), tarHeader('b/x.json', '-1000')]);
      return f;
    },
  },
  {
    name: 'zip whose local header offset points past the end',
    code: 'bundle.archive-invalid',
    snapshot: false,
    make: (d) => {
      const f = path.join(d, 'offset.zip');
      writeFileSync(f, zip([{ ...storedEntry(`b/${GAAD}`, Buffer.from(gaad())), localOffset: 0x7fffffff }]));
      return f;
    },
  },
  {
    name: 'zip entry climbing out with ../../',
    code: 'bundle.archive-invalid',
    snapshot: false,
    make: (d) => {
      const f = path.join(d, 'climb.zip');
      writeFileSync(
        f,
        zip([
          storedEntry(GAAD, Buffer.from(gaad())),
          storedEntry('../../etc/password-policy.json', Buffer.from('{}')),
        ]),
      );
      return f;
    },
  },
  {
    name: 'zip entry with an absolute path',
    code: 'bundle.archive-invalid',
    snapshot: false,
    make: (d) => {
      const f = path.join(d, 'absolute.zip');
      writeFileSync(f, zip([storedEntry(`/tmp/${GAAD}`, Buffer.from(gaad()))]));
      return f;
    },
  },
  {
    name: 'zip entry with a wrong CRC-32',
    code: 'bundle.archive-invalid',
    snapshot: false,
    make: (d) => {
      const f = path.join(d, 'crc.zip');
      const body = Buffer.from(gaad());
      writeFileSync(f, zip([{ ...storedEntry(GAAD, body), crc: crc32(body) ^ 1 }]));
      return f;
    },
  },
  // Strict reading.
  {
    name: 'a second, empty UserDetailList',
    code: 'gaad.duplicate-key',
    jsonPath: 'UserDetailList',
    snapshot: false,
    make: (d) => bundle(d, { [GAAD]: gaad().replace(/}$/, ',"UserDetailList":[]}') }),
  },
  {
    name: 'a second Effect in a policy document object',
    code: 'gaad.duplicate-key',
    jsonPath: 'UserDetailList[0].UserPolicyList[0].PolicyDocument.Statement[0].Effect',
    snapshot: false,
    make: (d) =>
      bundle(d, {
        [GAAD]: gaad([user('alice', { UserPolicyList: [{ PolicyName: 'p', PolicyDocument: {} }] })]).replace(
          '"PolicyDocument":{}',
          `"PolicyDocument":${policy(allow.replace('}', ',"Effect":"Deny"}'))}`,
        ),
      }),
  },
  {
    name: 'a second Effect in a URL-encoded policy document',
    code: 'gaad.duplicate-key',
    snapshot: false,
    make: (d) =>
      bundle(d, {
        [GAAD]: gaad([
          user('alice', {
            UserPolicyList: [
              {
                PolicyName: 'p',
                PolicyDocument: encodeURIComponent(policy(allow.replace('}', ',"Effect":"Deny"}'))),
              },
            ],
          }),
        ]),
      }),
  },
  {
    name: 'a Latin-1 GAAD',
    code: 'bundle.invalid-encoding',
    snapshot: false,
    make: (d) =>
      bundle(d, {
        [GAAD]: Buffer.from(gaad([user('alice', { Tags: [{ Key: 'owner', Value: 'José' }] })]), 'latin1'),
      }),
  },
  {
    name: 'invalid UTF-8 bytes in the credential report',
    code: 'bundle.invalid-encoding',
    snapshot: false,
    make: (d) =>
      bundle(d, {
        [GAAD]: gaad(),
        'credential-report.csv': Buffer.concat([
          Buffer.from(`${CREDENTIAL_HEADER}\n`),
          Buffer.from([0xc3, 0x28]),
        ]),
      }),
  },
  {
    name: 'a UTF-16LE GAAD with its byte-order mark: read',
    code: undefined,
    snapshot: true,
    make: (d) =>
      bundle(d, { [GAAD]: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(gaad(), 'utf16le')]) }),
  },
  {
    name: 'a 50 MB user name',
    code: 'gaad.string-too-long',
    jsonPath: 'UserDetailList[0].UserName',
    snapshot: false,
    make: (d) => bundle(d, { [GAAD]: gaad([user('alice', { UserName: 'a'.repeat(50_000_000) })]) }),
  },
  // AWS quotas.
  {
    name: 'one user in 100,000 groups',
    code: 'gaad.over-quota',
    jsonPath: 'UserDetailList[0].GroupList',
    snapshot: false,
    make: (d) =>
      bundle(d, {
        [GAAD]: gaad([user('alice', { GroupList: Array.from({ length: 100_000 }, (_, i) => `g${i}`) })]),
      }),
  },
  {
    name: '100,000 tags on one user',
    code: 'gaad.over-quota',
    jsonPath: 'UserDetailList[0].Tags',
    snapshot: false,
    make: (d) =>
      bundle(d, {
        [GAAD]: gaad([
          user('alice', { Tags: Array.from({ length: 100_000 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }),
        ]),
      }),
  },
  {
    name: 'one policy with 100,000 statements: reported, the account imports',
    code: 'policy.too-large',
    jsonPath: 'UserDetailList[0].UserPolicyList[0].PolicyDocument',
    snapshot: true,
    make: (d) =>
      bundle(d, {
        [GAAD]: gaad([
          user('alice', {
            UserPolicyList: [
              { PolicyName: 'p', PolicyDocument: JSON.parse(policy(Array(100_000).fill(allow).join(','))) },
            ],
          }),
        ]),
      }),
  },
  {
    name: 'a credential report with 100,000 rows for unknown users',
    code: 'credential-report.too-many-rows',
    snapshot: false,
    make: (d) => {
      const row = (i: number) =>
        `u${i},arn:aws:iam::${ACCOUNT}:user/u${i},2024-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
      return bundle(d, {
        [GAAD]: gaad(),
        'credential-report.csv': [
          CREDENTIAL_HEADER,
          ...Array.from({ length: 100_000 }, (_, i) => row(i)),
        ].join('\n'),
      });
    },
  },
  // Regular files only, inside the bundle.
  {
    name: 'a credential report linked to /etc/passwd',
    code: 'bundle.link-outside',
    snapshot: true,
    make: (d) => {
      const root = bundle(d, { [GAAD]: gaad() });
      symlinkSync('/etc/passwd', path.join(root, 'credential-report.csv'));
      return root;
    },
  },
  {
    name: 'resource-policies linked to /etc',
    code: 'bundle.link-outside',
    snapshot: true,
    make: (d) => {
      const root = bundle(d, { [GAAD]: gaad() });
      symlinkSync('/etc', path.join(root, 'resource-policies'));
      return root;
    },
  },
  {
    name: 'a FIFO as the password policy',
    code: 'bundle.not-regular-file',
    snapshot: true,
    make: (d) => {
      const root = bundle(d, { [GAAD]: gaad() });
      execFileSync('mkfifo', [path.join(root, 'password-policy.json')]);
      return root;
    },
  },
  // Facts AWS could not have stored: warnings at the place, the account still imports.
  {
    name: 'an ARN naming another user than UserName',
    code: 'gaad.arn-name-mismatch',
    jsonPath: 'UserDetailList[0].Arn',
    snapshot: true,
    make: (d) =>
      bundle(d, { [GAAD]: gaad([user('alice', { Arn: `arn:aws:iam::${ACCOUNT}:user/mallory` })]) }),
  },
  {
    // IAM names are unique case-insensitively:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names
    name: '`alice` and `Alice` in one account',
    code: 'gaad.name-collision',
    jsonPath: 'UserDetailList[1].UserName',
    snapshot: true,
    make: (d) => bundle(d, { [GAAD]: gaad([user('alice'), user('Alice')]) }),
  },
  {
    name: 'created on 30 February',
    code: 'gaad.impossible-date',
    jsonPath: 'UserDetailList[0].CreateDate',
    snapshot: true,
    make: (d) => bundle(d, { [GAAD]: gaad([user('alice', { CreateDate: '2024-02-30T10:00:00Z' })]) }),
  },
  {
    name: 'a bucket policy naming another bucket',
    code: 'resource-policy.other-resource',
    jsonPath: 'Policy.Statement[0].Resource',
    snapshot: true,
    make: (d) =>
      bundle(d, {
        [GAAD]: gaad(),
        'resource-policies/s3/mine.get-bucket-policy.json': JSON.stringify({
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                Action: 's3:GetObject',
                Resource: 'arn:aws:s3:::theirs/*',
              },
            ],
          }),
        }),
      }),
  },
];
