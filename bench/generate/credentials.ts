/**
 * The credential report and password policy of a generated account, so every importer runs on generated data.
 * A separate random stream (`accessgraph-credentials:<seed>`): adding these files changes no byte of the GAAD.
 * Mixes what real accounts have: people with and without MFA, technical users with one or two keys, old keys,
 * credentials unused for months, and a root user with (rarely) an access key.
 */
import { Rng } from './prng.ts';

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const NO_KEY = 'false,N/A,N/A,N/A,N/A';
const REGIONS = ['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const SERVICES = ['s3', 'sqs', 'sns', 'dynamodb', 'ec2', 'lambda', 'sts'];
const DAY = 86_400_000;

/** `2019-12-18T19:10:08+00:00`, as the report writes it. */
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

export interface ReportUser {
  UserName: string;
  Arn: string;
  CreateDate: string;
}

/** `generatedAt` (ms) is the report's time: every date in it is earlier. */
export function credentialReportCsv(
  users: ReportUser[],
  accountId: string,
  seed: string | number,
  generatedAt: number,
): string {
  const rng = new Rng(`accessgraph-credentials:${seed}`);
  const between = (from: number, to: number) => from + Math.floor(rng.next() * Math.max(1, to - from));
  const key = (created: number) => {
    const rotated = between(created, generatedAt - DAY);
    const used = rng.chance(0.8) ? between(rotated, generatedAt) : undefined;
    return used === undefined
      ? `true,${iso(rotated)},N/A,N/A,N/A`
      : `true,${iso(rotated)},${iso(used)},${rng.pick(REGIONS)},${rng.pick(SERVICES)}`;
  };
  const rows = [HEADER];
  const rootCreated = Math.min(...users.map((u) => Date.parse(u.CreateDate)), generatedAt - 400 * DAY);
  rows.push(
    `<root_account>,arn:aws:iam::${accountId}:root,${iso(rootCreated)},not_supported,${iso(between(rootCreated, generatedAt))},not_supported,not_supported,${rng.chance(0.9)},${rng.chance(0.1) ? key(rootCreated) : NO_KEY},${NO_KEY},false,N/A,false,N/A`,
  );
  for (const u of users) {
    const created = Date.parse(u.CreateDate);
    // One in four users is technical: keys, no console.
    const technical = rng.chance(0.25);
    const password = technical
      ? 'false,N/A,N/A,N/A'
      : `true,${rng.chance(0.9) ? iso(between(created, generatedAt)) : 'N/A'},${iso(between(created, generatedAt))},N/A`;
    const mfa = !technical && rng.chance(0.7);
    const keys = technical ? (rng.chance(0.2) ? 2 : 1) : rng.chance(0.3) ? 1 : 0;
    rows.push(
      [
        u.UserName,
        u.Arn,
        iso(created),
        password,
        String(mfa),
        keys >= 1 ? key(created) : NO_KEY,
        keys >= 2 ? key(created) : NO_KEY,
        'false,N/A,false,N/A',
      ].join(','),
    );
  }
  return rows.join('\n') + '\n';
}

/** A password policy that is weaker than CIS in one or two ways, as most are. */
export function passwordPolicyJson(seed: string | number): string {
  const rng = new Rng(`accessgraph-password-policy:${seed}`);
  const policy = {
    MinimumPasswordLength: rng.chance(0.5) ? 14 : 8,
    RequireSymbols: true,
    RequireNumbers: true,
    RequireUppercaseCharacters: true,
    RequireLowercaseCharacters: rng.chance(0.7),
    AllowUsersToChangePassword: true,
    ExpirePasswords: false,
    ...(rng.chance(0.5) ? { PasswordReusePrevention: 24 } : {}),
    HardExpiry: false,
  };
  return `${JSON.stringify({ PasswordPolicy: policy }, null, 4)}\n`;
}
