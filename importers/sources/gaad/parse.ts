/**
 * GAAD text → a validated page. Every problem becomes a Diagnostic naming the file and the JSON path (or the
 * line, for JSON syntax errors); nothing here throws on bad input.
 */
import type { z } from 'zod';
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import { parseJsonText, type JsonLimits } from '../../shared/json-text.ts';
import { formatJsonPath, lookupPath, typeName } from '../../shared/json-path.ts';
import { gaadShape, type GaadPage } from './gaad.shape.ts';

/** Beyond this many shape errors in one file, the rest are summarized: a wrong file would flood the output. */
const MAX_SHAPE_ERRORS = 25;

const GAAD_LISTS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;

export interface ParsedGaad {
  page?: GaadPage;
  diagnostics: Diagnostic[];
}

export function parseGaad(text: string, file: string, limits?: JsonLimits): ParsedGaad {
  const json = parseJsonText(text, file, 'gaad', limits);
  if (!json.ok) return { diagnostics: [json.diagnostic] };
  const raw = json.value;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'gaad.not-object',
          message: `expected a JSON object, got \`${typeName(raw)}\``,
          file,
          jsonPath: '$',
        },
      ],
    };
  }
  if (!GAAD_LISTS.some((k) => k in raw)) {
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'gaad.not-gaad',
          message:
            'not `get-account-authorization-details` output: none of `UserDetailList`, `GroupDetailList`, `RoleDetailList`, `Policies`',
          file,
          jsonPath: '$',
          hint: 'produce it with `aws iam get-account-authorization-details --output json`',
        },
      ],
    };
  }
  const result = gaadShape.safeParse(raw, { reportInput: true });
  if (result.success) return { page: result.data, diagnostics: [] };
  const diagnostics = result.error.issues
    .slice(0, MAX_SHAPE_ERRORS)
    .map((issue) => issueToDiagnostic(issue, raw, file));
  if (result.error.issues.length > MAX_SHAPE_ERRORS) {
    diagnostics.push({
      severity: 'error',
      code: 'gaad.too-many-errors',
      message: `${result.error.issues.length - MAX_SHAPE_ERRORS} more shape errors not shown`,
      file,
    });
  }
  return { diagnostics };
}

function issueToDiagnostic(issue: z.core.$ZodIssue, raw: unknown, file: string): Diagnostic {
  if (issue.code === 'invalid_union') {
    // A union whose branch matched the value's type but failed inside (an `AttachedManagedPolicies` array
    // element without `PolicyArn`): report that inner issue, with its full path, rather than "invalid input".
    const inner = issue.errors.find((branch) => branch.length > 0 && branch[0]!.path.length > 0)?.[0];
    if (inner)
      return issueToDiagnostic(
        { ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue,
        raw,
        file,
      );
  }
  const jsonPath = formatJsonPath(issue.path);
  const found = lookupPath(raw, issue.path);
  const field = issue.path.at(-1);
  if (!found.present) {
    return {
      severity: 'error',
      code: 'gaad.missing-field',
      message: `missing required field \`${String(field)}\``,
      file,
      jsonPath,
    };
  }
  if (issue.code === 'invalid_format') {
    return {
      severity: 'error',
      code: 'gaad.invalid-date',
      message: `\`${String(found.value)}\` is not a date`,
      file,
      jsonPath,
      hint: 'expected `2023-03-09T10:41:45Z`, `2023-03-09T10:41:45+00:00` or `2023-03-09 10:41:45+00:00`',
    };
  }
  const expected = issue.code === 'invalid_type' ? describeExpected(issue.expected) : expectedForUnion(field);
  return {
    severity: 'error',
    code: 'gaad.wrong-type',
    message: `\`${String(field)}\` must be ${expected}, got \`${typeName(found.value)}\``,
    file,
    jsonPath,
  };
}

function describeExpected(expected: string): string {
  if (expected === 'record' || expected === 'object') return 'an object';
  if (expected === 'array') return 'an array';
  if (expected === 'int') return 'an integer';
  return `a ${expected}`;
}

function expectedForUnion(field: PropertyKey | undefined): string {
  if (field === 'AttachedManagedPolicies') return 'an array of `{PolicyName, PolicyArn}`';
  return 'a JSON object or a (URL-encoded) JSON string';
}
