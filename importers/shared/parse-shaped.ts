/**
 * JSON text + a zod shape → the validated value, or diagnostics naming the file, the JSON path and the problem
 * (`<prefix>.invalid-json`, `<prefix>.missing-field`, `<prefix>.wrong-type`). The small AWS CLI outputs
 * (organizations, resource policies) share this; the GAAD keeps its own, with its union special cases.
 */
import type { z } from 'zod';
import type { Diagnostic } from '../../schema/diagnostics.ts';
import { parseJsonText, type JsonLimits } from './json-text.ts';
import { formatJsonPath, lookupPath, typeName } from './json-path.ts';

const MAX_SHAPE_ERRORS = 10;

export function parseShaped<T>(
  text: string,
  file: string,
  shape: z.ZodType<T>,
  codePrefix: string,
  command: string,
  limits?: JsonLimits,
): { value?: T; diagnostics: Diagnostic[] } {
  const json = parseJsonText(text, file, codePrefix, limits);
  if (!json.ok) return { diagnostics: [json.diagnostic] };
  const raw = json.value;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      diagnostics: [
        {
          severity: 'error',
          code: `${codePrefix}.not-object`,
          message: `expected the JSON object \`${command}\` prints, got \`${typeName(raw)}\``,
          file,
          jsonPath: '$',
        },
      ],
    };
  }
  const result = shape.safeParse(raw);
  if (result.success) return { value: result.data, diagnostics: [] };
  const diagnostics: Diagnostic[] = result.error.issues.slice(0, MAX_SHAPE_ERRORS).map((issue) => {
    const jsonPath = formatJsonPath(issue.path) || '$';
    const found = lookupPath(raw, issue.path);
    const field = String(issue.path.at(-1) ?? '$');
    if (!found.present)
      return {
        severity: 'error',
        code: `${codePrefix}.missing-field`,
        message: `missing required field \`${field}\``,
        file,
        jsonPath,
        hint: `is this the output of \`${command}\`?`,
      };
    return {
      severity: 'error',
      code: `${codePrefix}.wrong-type`,
      message:
        issue.code === 'invalid_type'
          ? `\`${field}\` must be ${article(issue.expected)}, got \`${typeName(found.value)}\``
          : `\`${field}\`: ${issue.message}`,
      file,
      jsonPath,
    };
  });
  if (result.error.issues.length > MAX_SHAPE_ERRORS)
    diagnostics.push({
      severity: 'error',
      code: `${codePrefix}.too-many-errors`,
      message: `${result.error.issues.length - MAX_SHAPE_ERRORS} more shape errors not shown`,
      file,
    });
  return { diagnostics };
}

function article(expected: string): string {
  if (expected === 'record' || expected === 'object') return 'an object';
  if (expected === 'array') return 'an array';
  return `a ${expected}`;
}
