/**
 * A policy document without the actions `drop` names: Deny statements kept as written; in an Allow, an Action
 * pattern whose actions are all dropped goes, one partly dropped becomes the actions it keeps (`svc:*` for a service
 * it keeps whole), and a NotAction gains the dropped ones. Resources and conditions are kept. Only ever narrows.
 */
import type { ActionCatalog } from '../../engine/index.ts';

type Json = Record<string, unknown>;

function list(v: unknown): string[] {
  return typeof v === 'string'
    ? [v]
    : Array.isArray(v)
      ? v.filter((x): x is string => typeof x === 'string')
      : [];
}

const serviceOf = (a: string) => a.slice(0, a.indexOf(':')).toLowerCase();

/** The catalog's pattern expansion: the catalog itself, or a run's `ActionIndex` (granted-set.ts), which remembers. */
export type Expander = Pick<ActionCatalog, 'expandAction'>;

/** The patterns that grant exactly what `pattern` grants minus `drop`, or `[pattern]` when nothing is dropped. */
function keptPatterns(catalog: Expander, pattern: string, drop: (action: string) => boolean): string[] {
  const byService = new Map<string, { kept: string[]; dropped: number }>();
  let dropped = 0;
  for (const a of catalog.expandAction(pattern)) {
    const service = serviceOf(a);
    let s = byService.get(service);
    if (!s) byService.set(service, (s = { kept: [], dropped: 0 }));
    if (drop(a)) {
      s.dropped++;
      dropped++;
    } else s.kept.push(a);
  }
  if (dropped === 0) return [pattern];
  const wholeService = pattern === '*' || pattern.toLowerCase().endsWith(':*');
  return [...byService.entries()].flatMap(([service, s]) =>
    s.dropped === 0 && wholeService ? [`${service}:*`] : s.kept,
  );
}

/** The narrowed document as JSON text, or undefined when no Allow is left (the policy can go). */
export function narrowDocument(
  catalog: Expander,
  document: string,
  drop: (action: string) => boolean,
): { document?: string; changed: boolean } {
  const doc = JSON.parse(document) as Json;
  const statements = Array.isArray(doc.Statement) ? (doc.Statement as Json[]) : [doc.Statement as Json];
  let changed = false;
  const out: Json[] = [];
  for (const st of statements) {
    if (st.Effect !== 'Allow') {
      out.push(st);
      continue;
    }
    if (st.NotAction !== undefined) {
      const excluded = new Set(list(st.NotAction).flatMap((p) => catalog.expandAction(p)));
      const extra = catalog.expandAction('*').filter((a) => drop(a) && !excluded.has(a));
      if (extra.length > 0) changed = true;
      const added = new Set(extra);
      const compact = [...new Set(extra.map(serviceOf))].flatMap((service) => {
        const all = catalog.expandAction(`${service}:*`);
        return all.every((a) => added.has(a))
          ? [`${service}:*`]
          : extra.filter((a) => serviceOf(a) === service);
      });
      out.push(extra.length > 0 ? { ...st, NotAction: [...list(st.NotAction), ...compact] } : st);
      continue;
    }
    const before = list(st.Action);
    const after = [...new Set(before.flatMap((p) => keptPatterns(catalog, p, drop)))];
    if (after.length !== before.length || after.some((p, i) => p !== before[i])) changed = true;
    if (after.length > 0) out.push({ ...st, Action: after.length === 1 ? after[0] : after });
  }
  const hasAllow = out.some((s) => s.Effect === 'Allow');
  return hasAllow ? { document: JSON.stringify({ ...doc, Statement: out }), changed } : { changed: true };
}
