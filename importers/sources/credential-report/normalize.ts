/**
 * Credential report rows → each user's `credentials` and the root user's, matched to the GAAD's users by ARN.
 * Pure. Meanings from the IAM User Guide (id_credentials_getting-report): `N/A` = the credential does not exist,
 * `no_information` = not tracked (password use before October 2014), `not_supported` = not reported for root.
 */
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import { normalizeAwsDate } from '../../shared/dates.ts';
import type { AccessKey, IamUser, RootCredentials, UserCredentials } from '../../../schema/snapshot.ts';
import { NO_VALUE, ROOT_ROW, type CredentialReportRow } from './credential-report.shape.ts';

export interface CredentialReportInput {
  file: string;
  rows: CredentialReportRow[];
  generatedAt?: string;
}

export interface CredentialReportResult {
  /** Users with `credentials` filled (a new array; users absent from the report are unchanged). */
  users: IamUser[];
  root?: RootCredentials;
  /** `GeneratedTime`, else the newest timestamp in the report (a lower bound of when it was generated). */
  collectedAt?: string;
  diagnostics: Diagnostic[];
}

type Cells = CredentialReportRow['cells'];

const date = (v: string): string | undefined => (NO_VALUE.has(v) ? undefined : normalizeAwsDate(v));
const text = (v: string): string | undefined => (NO_VALUE.has(v) ? undefined : v);
const bool = (v: string): boolean => v.toLowerCase() === 'true';

function accessKeys(c: Cells): AccessKey[] {
  const keys: AccessKey[] = [];
  for (const slot of [1, 2] as const) {
    const active = bool(c[`access_key_${slot}_active`]);
    const lastRotated = date(c[`access_key_${slot}_last_rotated`]);
    // `false` with `N/A` everywhere is an empty slot; an inactive key still shows when it was created.
    if (!active && lastRotated === undefined) continue;
    const key: AccessKey = { slot, active };
    const lastUsedDate = date(c[`access_key_${slot}_last_used_date`]);
    const lastUsedRegion = text(c[`access_key_${slot}_last_used_region`]);
    const lastUsedService = text(c[`access_key_${slot}_last_used_service`]);
    if (lastRotated) key.lastRotated = lastRotated;
    if (lastUsedDate) key.lastUsedDate = lastUsedDate;
    if (lastUsedRegion) key.lastUsedRegion = lastUsedRegion;
    if (lastUsedService) key.lastUsedService = lastUsedService;
    keys.push(key);
  }
  return keys;
}

function certificates(c: Cells): { active: boolean; lastRotated?: string }[] {
  const certs: { active: boolean; lastRotated?: string }[] = [];
  for (const slot of [1, 2] as const) {
    const active = bool(c[`cert_${slot}_active`]);
    const lastRotated = date(c[`cert_${slot}_last_rotated`]);
    if (!active && lastRotated === undefined) continue;
    certs.push(lastRotated ? { active, lastRotated } : { active });
  }
  return certs;
}

function userCredentials(c: Cells): UserCredentials {
  const creds: UserCredentials = {
    passwordEnabled: bool(c.password_enabled),
    mfaActive: bool(c.mfa_active),
    accessKeys: accessKeys(c),
    certificates: certificates(c),
  };
  const lastUsed = date(c.password_last_used);
  const lastChanged = date(c.password_last_changed);
  const nextRotation = date(c.password_next_rotation);
  if (lastUsed) creds.passwordLastUsed = lastUsed;
  if (lastChanged) creds.passwordLastChanged = lastChanged;
  if (nextRotation) creds.passwordNextRotation = nextRotation;
  return creds;
}

function rootCredentials(c: Cells): RootCredentials {
  const root: RootCredentials = {
    mfaActive: bool(c.mfa_active),
    accessKeys: accessKeys(c),
    certificates: certificates(c),
  };
  const created = date(c.user_creation_time);
  const lastUsed = date(c.password_last_used);
  if (created) root.createDate = created;
  if (lastUsed) root.passwordLastUsed = lastUsed;
  return root;
}

/** Every timestamp in the report: the newest is when it was generated, at the earliest. */
function newestDate(rows: CredentialReportRow[]): string | undefined {
  let newest: string | undefined;
  for (const r of rows)
    for (const v of Object.values(r.cells)) {
      const d = date(v);
      if (d && (newest === undefined || Date.parse(d) > Date.parse(newest))) newest = d;
    }
  return newest;
}

export function normalizeCredentialReport(
  input: CredentialReportInput,
  users: IamUser[],
  accountId: string,
): CredentialReportResult {
  const { file, rows } = input;
  const diagnostics: Diagnostic[] = [];
  const at = (line: number) => ({ file, line });
  const byArn = new Map(users.map((u) => [u.arn, u]));
  const byName = new Map(users.map((u) => [u.name, u]));
  const seen = new Map<string, CredentialReportRow>();
  const credentials = new Map<string, UserCredentials>();
  let root: RootCredentials | undefined;

  for (const row of rows) {
    const c = row.cells;
    const account = /^arn:[^:]+:iam::(\d{12}):/.exec(c.arn)?.[1];
    if (account === undefined) {
      diagnostics.push({
        severity: 'error',
        code: 'credential-report.invalid-arn',
        message: `\`arn\`: \`${c.arn}\` is not an IAM ARN`,
        ...at(row.line),
      });
      continue;
    }
    if (account !== accountId) {
      diagnostics.push({
        severity: 'error',
        code: 'credential-report.account-mismatch',
        message: `\`${c.arn}\` is in account \`${account}\`, the authorization details in \`${accountId}\``,
        ...at(row.line),
        hint: 'the credential report and the authorization details must come from the same account',
      });
      continue;
    }
    const earlier = seen.get(c.arn);
    if (earlier) {
      const same = JSON.stringify(earlier.cells) === JSON.stringify(c);
      diagnostics.push({
        severity: same ? 'warning' : 'error',
        code: same ? 'credential-report.duplicate-row' : 'credential-report.duplicate-user',
        message: same
          ? `\`${c.user}\` is listed again (same as line ${earlier.line}): the copy is ignored`
          : `\`${c.user}\` is listed twice with different credentials (also line ${earlier.line})`,
        ...at(row.line),
        hint: same ? undefined : 'reports of different times were concatenated: keep only the newest',
      });
      continue;
    }
    seen.set(c.arn, row);
    if (c.user === ROOT_ROW) {
      root = rootCredentials(c);
      continue;
    }
    const user = byArn.get(c.arn) ?? byName.get(c.user);
    if (!user) {
      diagnostics.push({
        severity: 'warning',
        code: 'credential-report.user-not-in-gaad',
        message: `\`${c.arn}\` is in the credential report but not in the authorization details: its credentials are not shown`,
        ...at(row.line),
        hint: 'the user was deleted, or the two files were collected at different times',
      });
      continue;
    }
    credentials.set(user.arn, userCredentials(c));
  }
  for (const d of diagnostics) if (d.hint === undefined) delete d.hint;

  const absent = users.filter((u) => !credentials.has(u.arn));
  if (absent.length > 0)
    diagnostics.push({
      severity: 'warning',
      code: 'credential-report.user-missing',
      message: `not in the credential report: ${absent.map((u) => `\`${u.name}\``).join(', ')}: their passwords, MFA and keys are unknown`,
      file,
      hint: 'users created after the report was generated: run `aws iam generate-credential-report` and collect again',
    });

  let collectedAt = input.generatedAt;
  if (collectedAt === undefined) {
    collectedAt = newestDate(rows);
    diagnostics.push({
      severity: 'warning',
      code: 'credential-report.no-generated-time',
      message: `the CSV does not say when it was generated: ages are measured from its newest timestamp${collectedAt ? ` (\`${collectedAt}\`)` : ''}`,
      file,
      hint: 'save `aws iam get-credential-report --output json` as credential-report.json to keep GeneratedTime',
    });
  }

  return {
    users: users.map((u) => {
      const creds = credentials.get(u.arn);
      return creds ? { ...u, credentials: creds } : u;
    }),
    ...(root ? { root } : {}),
    ...(collectedAt ? { collectedAt } : {}),
    diagnostics,
  };
}
