/**
 * Bad input is data, not an exception (docs/style.md §D). Every parser in accessgraph — the policy parser,
 * the importers, the CLI's argument checks — reports problems as `Diagnostic`s, collects all of them, and
 * treats "no error-severity diagnostic" as success. Message style: lowercase, no trailing period, user input
 * in backticks, one line; advice goes in `hint`.
 */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Stable code (`gaad.invalid-json`, `policy.invalid-effect`) that tests, `--json` consumers and docs refer to. */
  code: string;
  message: string;
  /** The input file, relative to the bundle root when there is one. */
  file?: string;
  /** JSON path in the input, e.g. `UserDetailList[3].AttachedManagedPolicies[0].PolicyArn`. */
  jsonPath?: string;
  /** 1-based line, for CSV and for JSON syntax errors. */
  line?: number;
  hint?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** One line per diagnostic: `error gaad.invalid-json: file.json:12 (Users[0]): message — hint`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.file && (d.line ? `${d.file}:${d.line}` : d.file), d.jsonPath && `(${d.jsonPath})`]
    .filter(Boolean)
    .join(' ');
  return `${d.severity} ${d.code}: ${where ? where + ': ' : ''}${d.message}${d.hint ? ` — ${d.hint}` : ''}`;
}
