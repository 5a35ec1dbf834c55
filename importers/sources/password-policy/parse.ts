/** password-policy.json text → the validated CLI output; Diagnostics with file, JSON path and line. */
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import { formatJsonPath, lookupPath, typeName } from '../../shared/json-path.ts';
import { linesOfJsonPaths, parseJsonText, type JsonLimits } from '../../shared/json-text.ts';
import { passwordPolicyShape, type PasswordPolicyOutput } from './password-policy.shape.ts';

export interface ParsedPasswordPolicy {
  output?: PasswordPolicyOutput;
  diagnostics: Diagnostic[];
}

export function parsePasswordPolicy(text: string, file: string, limits?: JsonLimits): ParsedPasswordPolicy {
  const json = parseJsonText(text, file, 'password-policy', limits);
  if (!json.ok) {
    if (json.diagnostic.code === 'password-policy.empty-file')
      json.diagnostic.hint =
        'an account without a password policy makes the `aws` command fail with NoSuchEntity: leave the file out';
    return { diagnostics: [json.diagnostic] };
  }
  const raw = json.value;
  const result = passwordPolicyShape.safeParse(raw);
  if (result.success) return { output: result.data, diagnostics: [] };
  const paths = result.error.issues.map((i) => formatJsonPath(i.path) || '$');
  const lines = linesOfJsonPaths(text, new Set(paths));
  return {
    diagnostics: result.error.issues.map((issue, k) => {
      const jsonPath = paths[k]!;
      const found = lookupPath(raw, issue.path);
      const field = String(issue.path.at(-1) ?? '$');
      const missing = !found.present;
      const d: Diagnostic = {
        severity: 'error',
        code: missing ? 'password-policy.missing-field' : 'password-policy.wrong-type',
        message: missing
          ? `missing required field \`${field}\`: not \`aws iam get-account-password-policy\` output`
          : `\`${field}\` must be ${issue.code === 'invalid_type' ? `a ${issue.expected}` : 'an integer'}, got \`${typeName(found.value)}\``,
        file,
        jsonPath,
        line: lines.get(jsonPath) ?? 1,
      };
      return d;
    }),
  };
}
