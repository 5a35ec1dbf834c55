/** The credential report (`credential-report.csv` or `.json` at the account's root) as an account source. */
import { CREDENTIAL_REPORT_CSV, CREDENTIAL_REPORT_JSON } from '../../bundle/layout.ts';
import type { AccountSource } from '../source.ts';
import { parseCredentialReportCsv, parseCredentialReportJson } from './parse.ts';
import { normalizeCredentialReport, type CredentialReportInput } from './normalize.ts';

export const credentialReportSource: AccountSource<CredentialReportInput> = {
  name: 'credential-report',
  select: (files) =>
    files.filter((f) => f.relative === CREDENTIAL_REPORT_JSON || f.relative === CREDENTIAL_REPORT_CSV),
  parse(files, limits) {
    const reports = [
      ...files.filter((f) => f.relative === CREDENTIAL_REPORT_JSON),
      ...files.filter((f) => f.relative === CREDENTIAL_REPORT_CSV),
    ];
    if (reports.length > 1)
      return {
        diagnostics: [
          {
            severity: 'error',
            code: 'credential-report.several',
            message: `several credential reports: ${reports.map((f) => `\`${f.path}\``).join(', ')}`,
            file: reports[1]!.path,
            hint: `keep one: \`${CREDENTIAL_REPORT_JSON}\` (it says when it was generated) or \`${CREDENTIAL_REPORT_CSV}\``,
          },
        ],
      };
    const f = reports[0]!;
    const parsed =
      f.relative === CREDENTIAL_REPORT_JSON
        ? parseCredentialReportJson(f.text, f.path, limits)
        : parseCredentialReportCsv(f.text, f.path, undefined, limits);
    if (!parsed.rows) return { diagnostics: parsed.diagnostics };
    return {
      parsed: {
        file: f.path,
        rows: parsed.rows,
        ...(parsed.generatedAt ? { generatedAt: parsed.generatedAt } : {}),
      },
      diagnostics: parsed.diagnostics,
    };
  },
  // A report covers one account: users whose ARN names another (a GAAD holding several accounts) keep theirs.
  normalize(input, account) {
    const other = (arn: string) => {
      const id = arn.split(':')[4] ?? '';
      return /^\d{12}$/.test(id) && id !== account.accountId;
    };
    const r = normalizeCredentialReport(
      input,
      account.iam.users.filter((u) => !other(u.arn)),
      account.accountId,
    );
    const reported = new Map(r.users.map((u) => [u.arn, u]));
    return {
      account: {
        ...account,
        iam: { ...account.iam, users: account.iam.users.map((u) => reported.get(u.arn) ?? u) },
        ...(r.root ? { root: r.root } : {}),
        ...(r.collectedAt ? { collectedAt: r.collectedAt } : {}),
        sourceFiles: [...account.sourceFiles, input.file],
      },
      diagnostics: r.diagnostics,
    };
  },
};
