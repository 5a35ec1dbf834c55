/** `['UserDetailList', 3, 'UserName']` → `UserDetailList[3].UserName` (the form Diagnostic.jsonPath uses). */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** The value at a path, and whether its last key exists in its parent. */
export function lookupPath(
  root: unknown,
  path: readonly PropertyKey[],
): { present: boolean; value: unknown } {
  let cur: unknown = root;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null || !(key in (cur as object)))
      return { present: false, value: undefined };
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return { present: true, value: cur };
}

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
