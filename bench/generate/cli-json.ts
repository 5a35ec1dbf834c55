/** What every generated file is, and how the AWS CLI prints JSON (`--output json`: 4-space indent, final newline). */

export interface BundleFile {
  /** Relative to the bundle root, `/`-separated. */
  path: string;
  text: string;
}

export function cliJson(value: unknown): string {
  return `${JSON.stringify(value, null, 4)}\n`;
}
