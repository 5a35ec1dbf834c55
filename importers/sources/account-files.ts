/**
 * The account-level files beside the GAAD: the credential report and the password policy, each at the
 * bundle root under its layout name. Picks them, parses and normalizes them onto the GAAD's users.
 */
import type { Diagnostic } from '../../server/engine/diagnostics.ts';
import type { BundleFile } from '../bundle/read-bundle.ts';
import { CREDENTIAL_REPORT_CSV, CREDENTIAL_REPORT_JSON, PASSWORD_POLICY } from '../bundle/layout.ts';
import { DEFAULT_LIMITS, type Limits } from '../limits.ts';
import type { IamUser, PasswordPolicy, RootCredentials } from '../snapshot/model.ts';
import { parseCredentialReportCsv, parseCredentialReportJson } from './credential-report/parse.ts';
import { normalizeCredentialReport } from './credential-report/normalize.ts';
import { parsePasswordPolicy } from './password-policy/parse.ts';
import { normalizePasswordPolicy } from './password-policy/normalize.ts';

/** A bundle file with its path relative to its bundle root (`relative`) and as diagnostics show it (`path`). */
export type PlacedFile = BundleFile & { relative: string };

export interface AccountFiles {
  users: IamUser[];
  root?: RootCredentials;
  passwordPolicy?: PasswordPolicy;
  collectedAt?: string;
  sourceFiles: string[];
  diagnostics: Diagnostic[];
}

export function importAccountFiles(
  files: PlacedFile[],
  users: IamUser[],
  accountId: string,
  limits: Limits = DEFAULT_LIMITS,
): AccountFiles {
  const diagnostics: Diagnostic[] = [];
  const out: AccountFiles = { users, sourceFiles: [], diagnostics };
  const named = (name: string) => files.filter((f) => f.relative === name);

  const json = named(CREDENTIAL_REPORT_JSON);
  const csv = named(CREDENTIAL_REPORT_CSV);
  const reports = [...json, ...csv];
  if (reports.length > 1)
    diagnostics.push({
      severity: 'error',
      code: 'credential-report.several',
      message: `several credential reports: ${reports.map((f) => `\`${f.path}\``).join(', ')}`,
      file: reports[1]!.path,
      hint: `keep one: \`${CREDENTIAL_REPORT_JSON}\` (it says when it was generated) or \`${CREDENTIAL_REPORT_CSV}\``,
    });
  else if (reports.length === 1) {
    const f = reports[0]!;
    const parsed =
      json.length === 1
        ? parseCredentialReportJson(f.text, f.path, limits)
        : parseCredentialReportCsv(f.text, f.path, undefined, limits);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.rows) {
      const r = normalizeCredentialReport(
        {
          file: f.path,
          rows: parsed.rows,
          ...(parsed.generatedAt ? { generatedAt: parsed.generatedAt } : {}),
        },
        users,
        accountId,
      );
      diagnostics.push(...r.diagnostics);
      out.users = r.users;
      if (r.root) out.root = r.root;
      if (r.collectedAt) out.collectedAt = r.collectedAt;
      out.sourceFiles.push(f.path);
    }
  }

  for (const f of named(PASSWORD_POLICY)) {
    const parsed = parsePasswordPolicy(f.text, f.path, limits);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.output) {
      out.passwordPolicy = normalizePasswordPolicy(parsed.output);
      out.sourceFiles.push(f.path);
    }
  }
  return out;
}
