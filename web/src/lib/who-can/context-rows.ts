/**
 * The who-can form's optional request context: `key = value` rows → the API's `ContextEntryInput` list, pure.
 * Blank rows are ignored; a repeated key adds a value (multi-valued keys such as `aws:TagKeys`, as the API's
 * `contextOf` reads them). Keys must look like condition keys (`aws:SecureTransport`, `s3:prefix`,
 * `aws:PrincipalTag/team`), so a typo is reported instead of silently matching nothing.
 */
import type { ContextEntryInput } from '../api/results.ts';

export interface ContextRow {
  key: string;
  value: string;
}

const CONDITION_KEY = /^[A-Za-z0-9-]+:[A-Za-z0-9_./:*-]+$/;

export function contextEntries(rows: readonly ContextRow[]): {
  entries: ContextEntryInput[];
  errors: string[];
} {
  const byKey = new Map<string, string[]>();
  const errors: string[] = [];
  rows.forEach((row, i) => {
    const key = row.key.trim();
    const value = row.value.trim();
    if (!key && !value) return;
    if (!key) errors.push(`Context row ${i + 1}: the key is missing (for example aws:SecureTransport)`);
    else if (!CONDITION_KEY.test(key))
      errors.push(`Context row ${i + 1}: \`${key}\` is not a condition key like aws:SecureTransport`);
    else byKey.set(key, [...(byKey.get(key) ?? []), value]);
  });
  return { entries: [...byKey].map(([key, values]) => ({ key, values })), errors };
}
