/**
 * The what-if form's changes, pure: rows as the form edits them ↔ the API's `ChangeInput` ↔ the URL, and what a
 * change adds to or removes from the drawn graph. The operations an auditor asks most ("attach this policy to that
 * group", "add this user to that group", their undo, "what if this JSON were an inline policy of X" or the new
 * document of policy P, "deactivate this access key"); the API takes more (docs/what-if.md), and a plan's changes come as the API gives them.
 */
import type { ChangeInput, GraphEdge, GraphNode, GraphView } from '../api/results.ts';

/** A change as the API takes it (generated from the schema); a plan's changes use every operation. */
export type { ChangeInput };

/** The operations the form edits, of the API's `ChangeOp`. */
export type ChangeOp = Extract<
  ChangeInput['op'],
  | 'attachPolicy'
  | 'detachPolicy'
  | 'addUserToGroup'
  | 'removeUserFromGroup'
  | 'putInlinePolicy'
  | 'deleteInlinePolicy'
  | 'createPolicy'
  | 'updatePolicy'
  | 'deactivateAccessKey'
>;

/** The form's operations; `second` is empty for one that takes no second name (`updatePolicy`). */
export const CHANGE_OPS: readonly { op: ChangeOp; label: string; first: string; second: string }[] = [
  { op: 'attachPolicy', label: 'Attach policy', first: 'policy', second: 'to user, group or role' },
  { op: 'detachPolicy', label: 'Detach policy', first: 'policy', second: 'from user, group or role' },
  { op: 'addUserToGroup', label: 'Add user to group', first: 'user', second: 'group' },
  { op: 'removeUserFromGroup', label: 'Remove user from group', first: 'user', second: 'group' },
  {
    op: 'putInlinePolicy',
    label: 'Put inline policy (JSON)',
    first: 'on user, group or role',
    second: 'policy name',
  },
  {
    op: 'deleteInlinePolicy',
    label: 'Delete inline policy',
    first: 'of user, group or role',
    second: 'policy name',
  },
  { op: 'createPolicy', label: 'Create managed policy (JSON)', first: 'policy name', second: 'path' },
  // An update names only the policy: no second field.
  { op: 'updatePolicy', label: 'Update managed policy (JSON)', first: 'policy', second: '' },
  {
    op: 'deactivateAccessKey',
    label: 'Deactivate access key',
    first: 'of user',
    second: 'access key id, or slot 1 or 2',
  },
];

/** The operations whose row carries a policy document. */
export const takesDocument = (op: ChangeOp): boolean =>
  op === 'putInlinePolicy' || op === 'createPolicy' || op === 'updatePolicy';

/** The inline policy's name when none is typed: the preview needs one, the auditor rarely cares. */
export const DEFAULT_INLINE_NAME = 'what-if';

/**
 * `subject`: the policy or user (for an inline policy: its target); `object`: the target or group (for an inline
 * policy: its name; for a key deactivation: the key id or slot); `document`: the pasted policy JSON, only for `putInlinePolicy`. Names as the API takes them
 * (docs/what-if.md).
 */
export interface ChangeRow {
  op: ChangeOp;
  subject: string;
  object: string;
  document?: string;
}

/**
 * A key's id (`AKIA…`) or, when the snapshot has no key ids, its credential report slot: `1` or `2` for the
 * columns `access_key_1` and `access_key_2`. The server checks the id's form.
 */
const keyFields = (key: string): Pick<ChangeInput, 'accessKeyId' | 'slot'> =>
  key === '1' || key === '2' ? { slot: Number(key) } : { accessKeyId: key };

/** A row the user left empty: not a change, not an error. */
export const isBlankRow = (row: ChangeRow): boolean =>
  !row.subject.trim() && !row.object.trim() && !row.document?.trim();

const isPolicyOp = (op: ChangeOp) => op === 'attachPolicy' || op === 'detachPolicy';

export function toChangeInputs(rows: readonly ChangeRow[]): { changes: ChangeInput[]; errors: string[] } {
  const changes: ChangeInput[] = [];
  const errors: string[] = [];
  rows.forEach((row, i) => {
    const subject = row.subject.trim();
    const object = row.object.trim();
    if (isBlankRow(row)) return;
    const spec = CHANGE_OPS.find((o) => o.op === row.op)!;
    if (takesDocument(row.op)) {
      // The document goes as typed: the server parses it and reports errors with their JSON path.
      const document = row.document?.trim() ?? '';
      if (!subject || !document)
        errors.push(
          `Change ${i + 1} (${spec.label.replace(' (JSON)', '').toLowerCase()}): the ${!subject ? spec.first.replace(/^on /, '') : 'policy JSON'} is missing`,
        );
      else if (row.op === 'putInlinePolicy')
        changes.push({ op: row.op, target: subject, name: object || DEFAULT_INLINE_NAME, document });
      else if (row.op === 'createPolicy')
        changes.push({ op: row.op, name: subject, ...(object ? { path: object } : {}), document });
      else changes.push({ op: row.op, policy: subject, document });
      return;
    }
    if (!subject || !object) {
      const second = row.op === 'deactivateAccessKey' ? 'access key' : spec.second.split(' ').pop();
      errors.push(
        `Change ${i + 1} (${spec.label.toLowerCase()}): the ${!subject ? spec.first.replace(/^of /, '') : second} is missing`,
      );
      return;
    }
    changes.push(
      isPolicyOp(row.op)
        ? { op: row.op, policy: subject, target: object }
        : row.op === 'deleteInlinePolicy'
          ? { op: row.op, target: subject, name: object }
          : row.op === 'deactivateAccessKey'
            ? { op: row.op, user: subject, ...keyFields(object) }
            : { op: row.op, user: subject, group: object },
    );
  });
  return { changes, errors };
}

/**
 * `attachPolicy|AmazonS3FullAccess|group/QA`: names and ARNs never hold `|`. A document comes last
 * (`putInlinePolicy|group/QA|name|{…}`, `updatePolicy|P||{…}`) and is everything after the third `|`, so JSON
 * holding `|` survives.
 */
export function encodeChange(row: ChangeRow): string {
  const base = `${row.op}|${row.subject}|${row.object}`;
  return takesDocument(row.op) ? `${base}|${row.document ?? ''}` : base;
}

export function decodeChange(text: string): ChangeRow | null {
  const [name, subject, object, ...rest] = text.split('|');
  if (subject === undefined || object === undefined) return null;
  const op = CHANGE_OPS.find((o) => o.op === name)?.op;
  if (!op) return null;
  if (takesDocument(op)) {
    if (!rest.length) return null;
    return { op, subject, object, document: rest.join('|') };
  }
  if (rest.length) return null;
  return { op, subject, object };
}

export interface ChangeDiagnostic {
  message: string;
  jsonPath: string | null;
}

/**
 * The server's diagnostics about change `index` (`changes[2].document.Statement[0].Effect` → change 2), so the form
 * shows each next to the field it is about.
 */
export function diagnosticsFor(diagnostics: readonly ChangeDiagnostic[], index: number): ChangeDiagnostic[] {
  const prefix = `changes[${index}]`;
  return diagnostics.filter(
    (d) =>
      d.jsonPath === prefix || d.jsonPath?.startsWith(`${prefix}.`) || d.jsonPath?.startsWith(`${prefix}[`),
  );
}

/**
 * The graph node a change names: a full ARN or id as is; `group/QA`, `user/ops/bob`, `role/x` by the end of the
 * ARN; a bare name by label among `kinds`; an AWS managed policy by name, as the API resolves it.
 */
export function resolveNode(
  nodes: readonly GraphNode[],
  name: string,
  kinds: readonly GraphNode['kind'][],
): GraphNode | null {
  const n = name.trim();
  const candidates = nodes.filter((x) => kinds.includes(x.kind));
  return (
    candidates.find((x) => x.id === n) ??
    (n.includes('/') ? candidates.find((x) => x.id.endsWith(`:${n}`)) : undefined) ??
    candidates.find((x) => x.label === n) ??
    null
  );
}

export interface ChangeDrawing {
  /** The graph with nodes and edges the changes add (an AWS managed policy the account does not use yet). */
  graph: GraphView;
  added: GraphEdge[];
  removed: GraphEdge[];
}

/** What the changes do to the drawn graph: edges added (attach, add to group) and removed (detach, remove). */
export function drawChanges(view: GraphView, rows: readonly ChangeRow[]): ChangeDrawing {
  const nodes = [...view.nodes];
  const edges = [...view.edges];
  const added: GraphEdge[] = [];
  const removed: GraphEdge[] = [];
  for (const row of rows) {
    // Policy documents, inline policies and access keys are not edges of the drawn graph: their effect shows as
    // who gains or loses access, and which keys stop signing.
    if (
      takesDocument(row.op) ||
      row.op === 'deleteInlinePolicy' ||
      row.op === 'deactivateAccessKey' ||
      !row.subject.trim() ||
      !row.object.trim()
    )
      continue;
    let source: GraphNode | null;
    let target: GraphNode | null;
    let kind: GraphEdge['kind'];
    if (isPolicyOp(row.op)) {
      source = resolveNode(nodes, row.object, ['USER', 'GROUP', 'ROLE']);
      target = resolveNode(nodes, row.subject, ['POLICY']);
      if (!target && row.op === 'attachPolicy' && !row.subject.includes(':')) {
        target = {
          id: `arn:aws:iam::aws:policy/${row.subject.trim()}`,
          kind: 'POLICY',
          label: row.subject.trim(),
        };
        nodes.push(target);
      }
      kind = 'HAS_POLICY';
    } else {
      source = resolveNode(nodes, row.subject, ['USER']);
      target = resolveNode(nodes, row.object, ['GROUP']);
      kind = 'MEMBER_OF';
    }
    if (!source || !target) continue;
    const edge = { source: source.id, target: target.id, kind };
    const existing = edges.some(
      (e) => e.source === edge.source && e.target === edge.target && e.kind === kind,
    );
    if (row.op === 'attachPolicy' || row.op === 'addUserToGroup') {
      if (!existing) {
        edges.push(edge);
        added.push(edge);
      }
    } else if (existing) removed.push(edge);
  }
  return { graph: { nodes, edges }, added, removed };
}

/**
 * The form's rows for API changes (a plan's, a rightsize proposal's): `toChangeInputs` undone. A change of an
 * operation the form does not edit (`createRole`, …) has no row.
 */
export function rowsOf(changes: readonly ChangeInput[]): ChangeRow[] {
  return changes.flatMap((c): ChangeRow[] => {
    const document = c.document ? { document: c.document } : {};
    switch (c.op) {
      case 'attachPolicy':
      case 'detachPolicy':
        return c.policy && c.target ? [{ op: c.op, subject: c.policy, object: c.target }] : [];
      case 'addUserToGroup':
      case 'removeUserFromGroup':
        return c.user && c.group ? [{ op: c.op, subject: c.user, object: c.group }] : [];
      case 'putInlinePolicy':
      case 'deleteInlinePolicy':
        return c.target ? [{ op: c.op, subject: c.target, object: c.name ?? '', ...document }] : [];
      case 'createPolicy':
        return c.name ? [{ op: c.op, subject: c.name, object: c.path ?? '', ...document }] : [];
      case 'updatePolicy':
        return c.policy ? [{ op: c.op, subject: c.policy, object: '', ...document }] : [];
      case 'deactivateAccessKey': {
        const key = c.accessKeyId ?? (c.slot ? String(c.slot) : '');
        return c.user && key ? [{ op: c.op, subject: c.user, object: key }] : [];
      }
      default:
        return [];
    }
  });
}

/** A change as the API returns it (`null` for the fields its op does not take) as `whatIf` takes it. */
export function fromApiChange(
  change: Pick<ChangeInput, 'op'> & { [K in Exclude<keyof ChangeInput, 'op'>]?: ChangeInput[K] | null },
): ChangeInput {
  const input: ChangeInput = { op: change.op };
  for (const key of [
    'policy',
    'target',
    'user',
    'group',
    'name',
    'document',
    'path',
    'resource',
    'accessKeyId',
    'function',
    'statementId',
    'action',
    'principal',
    'sourceArn',
    'sourceAccount',
    'principalOrgId',
    'eventSourceToken',
    'functionUrlAuthType',
  ] as const) {
    const value = change[key];
    if (value !== null && value !== undefined) input[key] = value;
  }
  if (change.slot !== null && change.slot !== undefined) input.slot = change.slot;
  if (change.invokedViaFunctionUrl !== null && change.invokedViaFunctionUrl !== undefined)
    input.invokedViaFunctionUrl = change.invokedViaFunctionUrl;
  return input;
}

/** One line for a change: `attachPolicy AmazonS3FullAccess → group/QA`, `createRole app, with a document`. */
export function describeChange(c: ChangeInput): string {
  const what = [c.policy ?? c.user ?? c.name ?? c.resource, c.target ?? c.group].filter(Boolean).join(' → ');
  return `${c.op} ${what}${c.document ? ', with a document' : ''}`;
}
