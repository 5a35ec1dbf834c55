/** One iam-collect file → its validated value; problems become diagnostics with file, JSON path and line. */
import type { z } from 'zod';
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import type { BundleFile } from '../../bundle/read-bundle.ts';
import { linesOfJsonPaths, parseJsonText } from '../../shared/json-text.ts';
import { formatJsonPath, lookupPath, typeName } from '../../shared/json-path.ts';

const MAX_SHAPE_ERRORS = 10;

export function readIamCollectFile<T>(
  file: BundleFile | undefined,
  shape: z.ZodType<T>,
  diagnostics: Diagnostic[],
): T | undefined {
  if (!file) return undefined;
  const json = parseJsonText(file.text, file.path, 'iam-collect');
  if (!json.ok) {
    diagnostics.push(json.diagnostic);
    return undefined;
  }
  const result = shape.safeParse(json.value);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, MAX_SHAPE_ERRORS);
  const paths = issues.map((i) => formatJsonPath(i.path) || '$');
  const lines = linesOfJsonPaths(file.text, new Set(paths));
  issues.forEach((issue, n) => {
    const found = lookupPath(json.value, issue.path);
    const jsonPath = paths[n]!;
    diagnostics.push({
      severity: 'error',
      code: found.present ? 'iam-collect.wrong-type' : 'iam-collect.missing-field',
      message: found.present
        ? `\`${jsonPath}\`: ${issue.message}, got \`${typeName(found.value)}\``
        : `missing required field \`${String(issue.path.at(-1) ?? '$')}\``,
      file: file.path,
      jsonPath,
      ...(lines.has(jsonPath) ? { line: lines.get(jsonPath)! } : {}),
      hint: 'is this tree written by iam-collect? files are read as its syncs write them',
    });
  });
  return undefined;
}
