/**
 * A policy document as the panel prints it (JSON, 2-space indent) split around one statement, pure, so the
 * statement a who-can answer matched can be highlighted in place. Null when there is no such statement.
 */
export interface StatementSpans {
  before: string;
  statement: string;
  after: string;
}

export function splitAtStatement(document: unknown, index: number): StatementSpans | null {
  if (typeof document !== 'object' || document === null) return null;
  const raw = (document as { Statement?: unknown }).Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const target = list[index];
  if (target === undefined) return null;
  const text = JSON.stringify(document, null, 2);
  // Inside `"Statement": [ … ]` a statement sits two levels deep; a lone statement object, one.
  const indent = Array.isArray(raw) ? '    ' : '  ';
  const needle = JSON.stringify(target, null, 2).split('\n').join(`\n${indent}`);
  // Equal statements print alike: take the occurrence that is the index-th among equal ones.
  const equalBefore = list.slice(0, index).filter((s) => JSON.stringify(s) === JSON.stringify(target)).length;
  let at = -1;
  for (let i = 0; i <= equalBefore; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) return null;
  }
  return { before: text.slice(0, at), statement: needle, after: text.slice(at + needle.length) };
}
