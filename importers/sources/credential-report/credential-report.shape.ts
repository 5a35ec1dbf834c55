/**
 * The credential report as AWS writes it (IAM User Guide, "Getting credential reports for your AWS account",
 * id_credentials_getting-report): a CSV with one header row and one row per user, the first being
 * `<root_account>`. The raw `aws iam get-credential-report` output wraps it in JSON with the CSV base64-encoded in
 * `Content`. Validation only: the values are read in parse.ts, the meaning in normalize.ts.
 */
import { z } from 'zod';

/** How a column's cells are read. `N/A` (no such credential) and `not_supported` (root) are allowed where noted. */
export type ColumnKind =
  /** `true` / `false` */
  | 'boolean'
  /** `true` / `false`, or `not_supported` (root's `password_enabled`) */
  | 'booleanOrNotSupported'
  /** an ISO-8601 date, always present */
  | 'date'
  /** a date, or `N/A`, `no_information`, `not_supported` */
  | 'optionalDate'
  /** free text (region, service, name, ARN), `N/A` for none */
  | 'text';

/** The 22 columns AWS documents, in its order; a report may list them in another order or add new ones. */
export const CREDENTIAL_REPORT_COLUMNS = {
  user: 'text',
  arn: 'text',
  user_creation_time: 'date',
  password_enabled: 'booleanOrNotSupported',
  password_last_used: 'optionalDate',
  password_last_changed: 'optionalDate',
  password_next_rotation: 'optionalDate',
  mfa_active: 'boolean',
  access_key_1_active: 'boolean',
  access_key_1_last_rotated: 'optionalDate',
  access_key_1_last_used_date: 'optionalDate',
  access_key_1_last_used_region: 'text',
  access_key_1_last_used_service: 'text',
  access_key_2_active: 'boolean',
  access_key_2_last_rotated: 'optionalDate',
  access_key_2_last_used_date: 'optionalDate',
  access_key_2_last_used_region: 'text',
  access_key_2_last_used_service: 'text',
  cert_1_active: 'boolean',
  cert_1_last_rotated: 'optionalDate',
  cert_2_active: 'boolean',
  cert_2_last_rotated: 'optionalDate',
} as const satisfies Record<string, ColumnKind>;

export type CredentialReportColumn = keyof typeof CREDENTIAL_REPORT_COLUMNS;

/** The values AWS writes instead of a date or a name: no such credential, not tracked, not reported for root. */
export const NO_VALUE = new Set(['N/A', 'no_information', 'not_supported']);

/** The user name AWS gives the root row. */
export const ROOT_ROW = '<root_account>';

/** One data row: every known column's cell (as text), with the row's 1-based line in the CSV. */
export interface CredentialReportRow {
  line: number;
  cells: Record<CredentialReportColumn, string>;
}

/**
 * `aws iam get-credential-report` (API / CLI JSON). `Content` is base64 in real output; collectors that decode
 * it first (CloudMapper's account-data) keep the CSV text there, which is accepted too.
 */
export const credentialReportEnvelopeShape = z.object({
  Content: z.string(),
  ReportFormat: z.string().optional(),
  GeneratedTime: z.string().optional(),
});

export type CredentialReportEnvelope = z.infer<typeof credentialReportEnvelopeShape>;
