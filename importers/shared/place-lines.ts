import type { Diagnostic } from '../../schema/diagnostics.ts';
import { linesOfJsonPaths } from './json-text.ts';

/**
 * Gives each diagnostic with a JSON path (and no line yet) the line it points at in its file. A path inside a
 * document stored as a JSON *string* (Organizations `Content`, S3 `Policy`) gets the string's line: its nearest
 * ancestor that exists in the file (`linesOfJsonPaths`).
 */
export function placeLines(
  diagnostics: Diagnostic[],
  files: readonly { path: string; text: string }[],
): void {
  const byPath = new Map(files.map((f) => [f.path, f.text]));
  const perFile = new Map<string, Diagnostic[]>();
  for (const d of diagnostics)
    if (d.file !== undefined && d.jsonPath !== undefined && d.line === undefined && byPath.has(d.file)) {
      const list = perFile.get(d.file);
      if (list) list.push(d);
      else perFile.set(d.file, [d]);
    }
  for (const [file, ds] of perFile) {
    const lines = linesOfJsonPaths(byPath.get(file)!, new Set(ds.map((d) => d.jsonPath!)));
    for (const d of ds) d.line = lines.get(d.jsonPath!) ?? 1;
  }
}
