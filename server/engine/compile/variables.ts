import type { Lookup } from '../evaluate/context.ts';
import { compileGlobPieces, type StringPredicate } from './glob.ts';

/**
 * Policy variables (reference_policies_variables): `${aws:username}`, `${aws:PrincipalTag/team}`, with a default
 * `${aws:username, 'nobody'}`; `${*}`, `${?}`, `${$}` stand for the literal characters `*`, `?`, `$`. Only under
 * Version 2012-10-17: otherwise `${…}` is literal text. A template is parsed once and resolved per request.
 */
export type TemplatePart =
  | { kind: 'glob'; text: string }
  | { kind: 'literal'; text: string }
  | { kind: 'var'; key: string; keyLower: string; fallback?: string };

export interface Template {
  source: string;
  parts: TemplatePart[];
  hasVars: boolean;
}

const VAR = /\$\{([^}]*)\}/g;
const DEFAULT = /^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$/;

export function parseTemplate(source: string, variablesEnabled: boolean): Template {
  if (!variablesEnabled || !source.includes('${'))
    return { source, parts: [{ kind: 'glob', text: source }], hasVars: false };
  const parts: TemplatePart[] = [];
  let last = 0;
  let hasVars = false;
  for (const m of source.matchAll(VAR)) {
    if (m.index > last) parts.push({ kind: 'glob', text: source.slice(last, m.index) });
    last = m.index + m[0].length;
    const inner = m[1]!;
    if (inner === '*' || inner === '?' || inner === '$') {
      parts.push({ kind: 'literal', text: inner });
      continue;
    }
    const d = DEFAULT.exec(inner);
    const key = (d ? d[1]! : inner).trim();
    parts.push({ kind: 'var', key, keyLower: key.toLowerCase(), ...(d ? { fallback: d[2]! } : {}) });
    hasVars = true;
  }
  if (last < source.length) parts.push({ kind: 'glob', text: source.slice(last) });
  return { source, parts, hasVars };
}

export type Resolution =
  | { state: 'ok'; parts: TemplatePart[] }
  /** A variable's key is not in the context: if absent the value matches nothing; if unknown it is a residual. */
  | { state: 'absent' }
  | { state: 'unknown'; keys: string[] };

export function resolveTemplate(t: Template, lookup: (keyLower: string) => Lookup): Resolution {
  if (!t.hasVars) return { state: 'ok', parts: t.parts };
  const out: TemplatePart[] = [];
  const unknown: string[] = [];
  let absent = false;
  for (const p of t.parts) {
    if (p.kind !== 'var') {
      out.push(p);
      continue;
    }
    const v = lookup(p.keyLower);
    // Multivalued keys cannot be used as policy variables (reference_policies_variables): treat as absent.
    if (v && v.length === 1) out.push({ kind: 'literal', text: v[0]! });
    else if (p.fallback !== undefined && (v === null || (v && v.length !== 1)))
      out.push({ kind: 'literal', text: p.fallback });
    else if (v === undefined) unknown.push(p.key);
    else absent = true;
  }
  if (unknown.length) return { state: 'unknown', keys: unknown };
  if (absent) return { state: 'absent' };
  return { state: 'ok', parts: out };
}

/** Resolved parts → the string (escapes become their characters; glob text stays as written). */
export function partsToString(parts: TemplatePart[]): string {
  return parts.map((p) => (p.kind === 'var' ? '' : p.text)).join('');
}

/** Resolved parts → a glob predicate where substituted values and escapes are literal, never wildcards. */
export function partsToGlob(parts: TemplatePart[], ignoreCase = false): StringPredicate {
  return compileGlobPieces(
    parts.map((p) =>
      p.kind === 'glob' ? { text: p.text } : { text: p.kind === 'literal' ? p.text : '', literal: true },
    ),
    ignoreCase,
  );
}
