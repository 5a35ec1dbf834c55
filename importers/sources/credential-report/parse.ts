/**
 * Credential report text → validated rows. Two inputs: the decoded CSV (`credential-report.csv`) and the raw
 * `aws iam get-credential-report` JSON (`credential-report.json`, base64 `Content`). Every problem is a
 * Diagnostic with the file and the CSV line (for the JSON form: the line of `Content`, and the CSV line inside it
 * in the message); nothing here throws on bad input.
 */
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import { normalizeAwsDate } from '../../shared/dates.ts';
import { linesOfJsonPaths, parseJsonText } from '../../shared/json-text.ts';
import { DEFAULT_LIMITS, limitHint, type Limits } from '../../limits.ts';

import { typeName } from '../../shared/json-path.ts';
import {
  CREDENTIAL_REPORT_COLUMNS,
  credentialReportEnvelopeShape,
  NO_VALUE,
  type ColumnKind,
  type CredentialReportColumn,
  type CredentialReportRow,
} from './credential-report.shape.ts';

/** Beyond this many cell errors, the rest are summarized: a wrong file would flood the output. */
const MAX_CELL_ERRORS = 25;

export interface ParsedCredentialReport {
  rows?: CredentialReportRow[];
  /** `GeneratedTime` of the JSON form (ISO UTC); the bare CSV does not carry it. */
  generatedAt?: string;
  diagnostics: Diagnostic[];
}

const COLUMN_NAMES = Object.keys(CREDENTIAL_REPORT_COLUMNS) as CredentialReportColumn[];

/**
 * The decoded CSV. `where` places diagnostics: by default the CSV's own line; inside a JSON file the caller
 * passes the JSON line of `Content` and the CSV line goes into the message.
 */
export function parseCredentialReportCsv(
  text: string,
  file: string,
  where: (csvLine: number) => Pick<Diagnostic, 'line' | 'jsonPath'> & { prefix?: string } = (line) => ({
    line,
  }),
  limits: Limits = DEFAULT_LIMITS,
): ParsedCredentialReport {
  const error = (code: string, csvLine: number, message: string, hint?: string): Diagnostic => {
    const { prefix, ...at } = where(csvLine);
    return {
      severity: 'error',
      code: `credential-report.${code}`,
      message: `${prefix ?? ''}${message}`,
      file,
      ...at,
      ...(hint ? { hint } : {}),
    };
  };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '')
    return {
      diagnostics: [
        error(
          'empty-file',
          1,
          'file is empty',
          'run `aws iam generate-credential-report` first, wait until it is COMPLETE, then get it again',
        ),
      ],
    };

  let records: { record: string[]; info: { lines: number } }[];
  try {
    // Excel and PowerShell re-save CSVs with a BOM and CRLF line ends; csv-parse takes both.
    records = parseCsv(body, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: false,
    }) as unknown as typeof records;
  } catch (e) {
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines ?? 1;
      return {
        diagnostics: [error('invalid-csv', line, `invalid CSV: ${e.message.replace(/^[^:]*: /, '')}`)],
      };
    }
    throw e;
  }

  const header = records[0]!.record.map((h) => h.trim());
  if (!header.includes('user') || !header.includes('arn')) {
    return {
      diagnostics: [
        error(
          'not-credential-report',
          1,
          `not a credential report: the first line must be its header (\`user,arn,user_creation_time,…\`), got \`${truncate(records[0]!.record.join(','))}\``,
          'produce it with `aws iam get-credential-report --query Content --output text | base64 --decode`',
        ),
      ],
    };
  }
  const diagnostics: Diagnostic[] = [];
  const missing = COLUMN_NAMES.filter((c) => !header.includes(c));
  if (missing.length > 0)
    diagnostics.push(
      error(
        'missing-column',
        1,
        `the header lacks ${missing.map((c) => `\`${c}\``).join(', ')}`,
        'the file was edited or cut: download the report again',
      ),
    );
  const duplicated = header.filter((h, i) => header.indexOf(h) !== i);
  if (duplicated.length > 0)
    diagnostics.push(
      error(
        'duplicate-column',
        1,
        `the header names ${[...new Set(duplicated)].map((c) => `\`${c}\``).join(', ')} twice`,
      ),
    );
  if (diagnostics.length > 0) return { diagnostics };

  // AWS lists at most 5,000 users (its quota) plus the root: more rows are not an account's report.
  if (records.length - 1 > limits.credentialReportRows)
    return {
      diagnostics: [
        error(
          'too-many-rows',
          records[limits.credentialReportRows + 1]!.info.lines,
          `${records.length - 1} rows, over the limit of ${limits.credentialReportRows} (IAM allows 5,000 users per account)`,
          limitHint('credentialReportRows', limits.credentialReportRows),
        ),
      ],
    };
  const index = new Map(header.map((h, i) => [h, i]));
  const rows: CredentialReportRow[] = [];
  let cellErrors = 0;
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    if (record.length !== header.length) {
      diagnostics.push(
        error(
          'wrong-column-count',
          line,
          `the row has ${record.length} cells, the header ${header.length}`,
          'a cell with an unquoted comma, or a cut line',
        ),
      );
      continue;
    }
    const cells = {} as Record<CredentialReportColumn, string>;
    for (const column of COLUMN_NAMES) {
      const value = record[index.get(column)!]!.trim();
      const problem = checkCell(CREDENTIAL_REPORT_COLUMNS[column], value);
      if (problem) {
        cellErrors++;
        if (cellErrors <= MAX_CELL_ERRORS)
          diagnostics.push(error(problem.code, line, `\`${column}\`: ${problem.message}`, problem.hint));
      }
      cells[column] = value;
    }
    rows.push({ line, cells });
  }
  if (cellErrors > MAX_CELL_ERRORS)
    diagnostics.push(
      error('too-many-errors', 1, `${cellErrors - MAX_CELL_ERRORS} more cell errors not shown`),
    );
  return diagnostics.length > 0 ? { diagnostics } : { rows, diagnostics };
}

function checkCell(
  kind: ColumnKind,
  value: string,
): { code: string; message: string; hint?: string } | undefined {
  switch (kind) {
    case 'boolean':
    case 'booleanOrNotSupported':
      if (/^(true|false)$/i.test(value)) return undefined;
      if (kind === 'booleanOrNotSupported' && value === 'not_supported') return undefined;
      return { code: 'invalid-value', message: `expected \`true\` or \`false\`, got \`${truncate(value)}\`` };
    case 'date':
    case 'optionalDate':
      if (kind === 'optionalDate' && NO_VALUE.has(value)) return undefined;
      if (normalizeAwsDate(value) !== undefined) return undefined;
      return {
        code: 'invalid-date',
        message: `\`${truncate(value)}\` is not a date`,
        hint:
          kind === 'optionalDate'
            ? 'expected `2023-03-09T10:41:45+00:00`, `N/A`, `no_information` or `not_supported` (a spreadsheet may have reformatted it)'
            : 'expected `2023-03-09T10:41:45+00:00` (a spreadsheet may have reformatted it)',
      };
    case 'text':
      return value === ''
        ? { code: 'invalid-value', message: 'empty cell (AWS writes `N/A` for none)' }
        : undefined;
  }
}

/** The raw API / CLI JSON: `{Content (base64), ReportFormat, GeneratedTime}`. */
export function parseCredentialReportJson(
  text: string,
  file: string,
  limits: Limits = DEFAULT_LIMITS,
): ParsedCredentialReport {
  const json = parseJsonText(text, file, 'credential-report', limits);
  if (!json.ok) return { diagnostics: [json.diagnostic] };
  const raw = json.value;
  const lineOf = (path: string) => linesOfJsonPaths(text, new Set([path])).get(path) ?? 1;
  const error = (code: string, jsonPath: string, message: string, hint?: string): Diagnostic => ({
    severity: 'error',
    code: `credential-report.${code}`,
    message,
    file,
    jsonPath,
    line: lineOf(jsonPath),
    ...(hint ? { hint } : {}),
  });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('Content' in raw)) {
    return {
      diagnostics: [
        error(
          typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? 'missing-field' : 'not-object',
          '$',
          typeof raw === 'object' && raw !== null && !Array.isArray(raw)
            ? 'missing required field `Content`: not `aws iam get-credential-report` output'
            : `expected a JSON object, got \`${typeName(raw)}\``,
          'produce it with `aws iam get-credential-report --output json`',
        ),
      ],
    };
  }
  const shape = credentialReportEnvelopeShape.safeParse(raw);
  if (!shape.success) {
    const issue = shape.error.issues[0]!;
    const field = String(issue.path[0]);
    return {
      diagnostics: [
        error(
          'wrong-type',
          field,
          `\`${field}\` must be a string, got \`${typeName((raw as Record<string, unknown>)[field])}\``,
        ),
      ],
    };
  }
  const envelope = shape.data;
  if (envelope.ReportFormat !== undefined && envelope.ReportFormat !== 'text/csv')
    return {
      diagnostics: [
        error(
          'unsupported-format',
          'ReportFormat',
          `report format \`${envelope.ReportFormat}\`: only \`text/csv\` is known`,
        ),
      ],
    };
  let generatedAt: string | undefined;
  if (envelope.GeneratedTime !== undefined) {
    generatedAt = normalizeAwsDate(envelope.GeneratedTime);
    if (generatedAt === undefined)
      return {
        diagnostics: [
          error('invalid-date', 'GeneratedTime', `\`${truncate(envelope.GeneratedTime)}\` is not a date`),
        ],
      };
  }
  const csv = decodeContent(envelope.Content);
  if (csv === undefined)
    return {
      diagnostics: [
        error(
          'undecodable-content',
          'Content',
          '`Content` is neither base64 of the CSV report nor the CSV text',
          'save the command output unchanged (`aws iam get-credential-report --output json`)',
        ),
      ],
    };
  const contentLine = lineOf('Content');
  const parsed = parseCredentialReportCsv(
    csv,
    file,
    (csvLine) => ({
      jsonPath: 'Content',
      line: contentLine,
      prefix: `CSV line ${csvLine}: `,
    }),
    limits,
  );
  return { ...parsed, ...(generatedAt ? { generatedAt } : {}) };
}

/** Base64 as AWS sends it, or CSV text already decoded by the collector; undefined when it is neither. */
function decodeContent(content: string): string | undefined {
  const trimmed = content.trim();
  if (/^[A-Za-z0-9+/\s]+=*\s*$/.test(trimmed) && trimmed.length > 0) {
    const decoded = Buffer.from(trimmed, 'base64').toString('utf8');
    const body = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
    if (/^user\s*,/.test(body)) return decoded;
  }
  const body = trimmed.charCodeAt(0) === 0xfeff ? trimmed.slice(1) : trimmed;
  return /^user\s*,/.test(body) ? content : undefined;
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
