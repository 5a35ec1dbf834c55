/**
 * Residual condition expressions and three-valued logic. A `Tri` is `true`, `false`, or a `ConditionExpr`
 * saying under which (still unknown) context the value would be true. Residuals are JSON-serializable so the
 * API, CLI and UI can show them as they are.
 */
export type ConditionExpr =
  { and: ConditionExpr[] } | { or: ConditionExpr[] } | { not: ConditionExpr } | ConditionLeaf;

export interface ConditionLeaf {
  /** Base operator (`StringEquals`, `IpAddress`, `Null`, …), `ResourceMatches` for a Resource element that
   * contains a policy variable whose key is unknown, or `SessionNamed` (key `RoleSessionName`) for a Principal
   * naming one session of the caller's role when the caller's session name is unknown. */
  operator: string;
  key: string;
  values: string[];
  qualifier?: 'ForAnyValue' | 'ForAllValues';
  ifExists?: boolean;
  /** Context keys used as policy variables in `values` that were unknown too. */
  variables?: string[];
}

export type Tri = boolean | ConditionExpr;

export function isLeaf(e: ConditionExpr): e is ConditionLeaf {
  return 'operator' in e;
}

export function and(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  if (a === true) return b;
  if (b === true) return a;
  const items = [...('and' in a ? a.and : [a]), ...('and' in b ? b.and : [b])];
  return { and: dedupe(items) };
}

export function or(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  if (a === false) return b;
  if (b === false) return a;
  const items = [...('or' in a ? a.or : [a]), ...('or' in b ? b.or : [b])];
  return { or: dedupe(items) };
}

export function not(a: Tri): Tri {
  if (a === true) return false;
  if (a === false) return true;
  if ('not' in a) return a.not;
  return { not: a };
}

/**
 * Each expression's JSON, computed once per object: expressions are never mutated once built, and the same leaf
 * objects (from compiled statements) meet again in every evaluation that ORs or ANDs them.
 */
const jsonOf = new WeakMap<ConditionExpr, string>();
function keyOf(e: ConditionExpr): string {
  let k = jsonOf.get(e);
  if (k === undefined) jsonOf.set(e, (k = JSON.stringify(e)));
  return k;
}

function dedupe(items: ConditionExpr[]): ConditionExpr[] {
  if (items.length < 2) return items;
  const seen = new Set<string>();
  const out: ConditionExpr[] = [];
  for (const it of items) {
    const k = keyOf(it);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(it);
    }
  }
  return out;
}

/** Every context key a residual depends on (condition keys and policy-variable keys), lower-cased, sorted. */
export function residualKeys(e: Tri): string[] {
  const keys = new Set<string>();
  const walk = (x: ConditionExpr): void => {
    if ('and' in x) x.and.forEach(walk);
    else if ('or' in x) x.or.forEach(walk);
    else if ('not' in x) walk(x.not);
    else {
      if (x.operator !== 'ResourceMatches' && x.operator !== 'SessionNamed') keys.add(x.key.toLowerCase());
      x.variables?.forEach((v) => keys.add(v.toLowerCase()));
    }
  };
  if (typeof e !== 'boolean') walk(e);
  return [...keys].sort();
}

const SYMBOLS: Record<string, [string, string]> = {
  // operator: [symbol for one value, symbol for several values]
  StringEquals: ['=', 'in'],
  StringNotEquals: ['≠', 'not in'],
  StringEqualsIgnoreCase: ['= (ignoring case)', 'in (ignoring case)'],
  StringNotEqualsIgnoreCase: ['≠ (ignoring case)', 'not in (ignoring case)'],
  StringLike: ['like', 'like any of'],
  StringNotLike: ['not like', 'not like any of'],
  NumericEquals: ['=', 'in'],
  NumericNotEquals: ['≠', 'not in'],
  NumericLessThan: ['<', '< any of'],
  NumericLessThanEquals: ['≤', '≤ any of'],
  NumericGreaterThan: ['>', '> any of'],
  NumericGreaterThanEquals: ['≥', '≥ any of'],
  DateEquals: ['=', 'in'],
  DateNotEquals: ['≠', 'not in'],
  DateLessThan: ['before', 'before any of'],
  DateLessThanEquals: ['at or before', 'at or before any of'],
  DateGreaterThan: ['after', 'after any of'],
  DateGreaterThanEquals: ['at or after', 'at or after any of'],
  Bool: ['=', 'in'],
  BinaryEquals: ['=', 'in'],
  IpAddress: ['in', 'in any of'],
  NotIpAddress: ['not in', 'not in any of'],
  ArnEquals: ['=', 'in'],
  ArnLike: ['like', 'like any of'],
  ArnNotEquals: ['≠', 'not in'],
  ArnNotLike: ['not like', 'not like any of'],
};

function renderLeaf(l: ConditionLeaf): string {
  if (l.operator === 'Null') {
    const absent = l.values.map((v) => v.toLowerCase() === 'true');
    if (absent.every(Boolean)) return `${l.key} is absent`;
    if (absent.every((x) => !x)) return `${l.key} is present`;
    return `${l.key} is absent or present`;
  }
  if (l.operator === 'ResourceMatches') return `resource matches ${l.values.join(' or ')}`;
  if (l.operator === 'SessionNamed') return `the session is named ${l.values.join(' or ')}`;
  const [one, many] = SYMBOLS[l.operator] ?? [l.operator, l.operator];
  const vals = l.values.length === 1 ? `${l.values[0]}` : `(${l.values.join(', ')})`;
  const sym = l.values.length === 1 ? one : many;
  const key =
    l.qualifier === 'ForAnyValue'
      ? `any of ${l.key}`
      : l.qualifier === 'ForAllValues'
        ? `all of ${l.key}`
        : l.key;
  const text = `${key} ${sym} ${vals}`;
  return l.ifExists ? `${text} (if present)` : text;
}

/** One readable line: `aws:MultiFactorAuthPresent = true AND aws:SourceIp in 10.0.0.0/8`. */
export function renderCondition(e: Tri): string {
  if (e === true) return 'always';
  if (e === false) return 'never';
  const wrap = (x: ConditionExpr): string =>
    'and' in x || 'or' in x ? `(${renderCondition(x)})` : renderCondition(x);
  if ('and' in e) return e.and.map(wrap).join(' AND ');
  if ('or' in e) return e.or.map(wrap).join(' OR ');
  if ('not' in e) return `NOT ${wrap(e.not)}`;
  return renderLeaf(e);
}
