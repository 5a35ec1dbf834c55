/**
 * A what-if change set: the IAM edits someone is about to make, as data. One flat JSON object per change, keyed by
 * `op` (the same shape in a `--changes` file, the CLI flags and GraphQL's `ChangeInput`; docs/what-if.md):
 *
 *     { "op": "attachPolicy", "policy": "AmazonS3FullAccess", "target": "group/QA" }
 *
 * `parseChanges` checks the shape and parses every policy document with the engine (errors carry
 * `changes[i].document.Statement[0].Effect`-style JSON paths). Whether the names exist is checked when the
 * changes are applied to a snapshot (overlay.ts), because a change may name what an earlier one creates.
 */
import { z } from 'zod';
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import { parsePolicy, type PolicyKind } from '../../engine/index.ts';

/** `user/bob`, `group/QA`, `role/x` (a path may precede the name: `user/ops/bob`), or a full ARN. */
const target = z.string().min(1);
/** AWS managed policy by name (`AmazonS3FullAccess`) or any managed policy by ARN. */
const policyRef = z.string().min(1);
/** A policy document: JSON text or the JSON object itself. */
const document = z.union([z.string(), z.record(z.string(), z.unknown())]);
const name = z.string().regex(/^[\w+=,.@-]{1,128}$/, 'IAM names are 1–128 of `A-Za-z0-9+=,.@_-`');
/** A known resource of the snapshot: its ARN, or its name as the service gives it (bucket, queue URL, key id). */
const resource = z.string().min(1);
/** AddPermission's `StatementId`: 1–100 of `A-Za-z0-9-_`. */
const statementId = z.string().regex(/^[\w-]{1,100}$/, 'a statement id is 1–100 of `A-Za-z0-9-_`');
const path = z
  .string()
  .regex(/^\/([\x21-\x7e]*\/)?$/, 'a path starts and ends with `/`')
  .optional();

export const ChangeSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('attachPolicy'), policy: policyRef, target }),
  z.strictObject({ op: z.literal('detachPolicy'), policy: policyRef, target }),
  z.strictObject({ op: z.literal('putInlinePolicy'), target, name, document }),
  z.strictObject({ op: z.literal('deleteInlinePolicy'), target, name }),
  z.strictObject({ op: z.literal('addUserToGroup'), user: target, group: target }),
  z.strictObject({ op: z.literal('removeUserFromGroup'), user: target, group: target }),
  z.strictObject({ op: z.literal('setPermissionsBoundary'), target, policy: policyRef }),
  z.strictObject({ op: z.literal('removePermissionsBoundary'), target }),
  z.strictObject({ op: z.literal('updateTrustPolicy'), target, document }),
  z.strictObject({ op: z.literal('createUser'), name, path }),
  z.strictObject({ op: z.literal('createGroup'), name, path }),
  z.strictObject({ op: z.literal('createRole'), name, path, document }),
  z.strictObject({ op: z.literal('createPolicy'), name, path, document }),
  z.strictObject({ op: z.literal('updatePolicy'), policy: policyRef, document }),
  z.strictObject({ op: z.literal('deletePrincipal'), target }),
  z.strictObject({ op: z.literal('deletePolicy'), policy: policyRef }),
  z.strictObject({ op: z.literal('putResourcePolicy'), resource, document }),
  z.strictObject({ op: z.literal('deleteResourcePolicy'), resource }),
  // One statement of a Lambda function's policy, as AddPermission / RemovePermission write it
  // (importers/shared/lambda-permission.ts); the function by name or ARN.
  z.strictObject({
    op: z.literal('addLambdaPermission'),
    function: resource,
    statementId: statementId.optional(),
    action: z
      .string()
      .regex(/^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/, 'a Lambda action: `lambda:InvokeFunction`'),
    principal: z.string().min(1),
    sourceArn: z.string().min(1).optional(),
    sourceAccount: z
      .string()
      .regex(/^\d{12}$/, 'an account id: 12 digits')
      .optional(),
    principalOrgId: z.string().min(1).optional(),
    eventSourceToken: z.string().min(1).optional(),
    functionUrlAuthType: z.enum(['NONE', 'AWS_IAM']).optional(),
    invokedViaFunctionUrl: z.boolean().optional(),
  }),
  z.strictObject({ op: z.literal('removeLambdaPermission'), function: resource, statementId }),
  // The key by id, or by its credential report slot (`access_key_1`/`_2`) when the snapshot has no key ids.
  z
    .strictObject({
      op: z.literal('deactivateAccessKey'),
      user: target,
      accessKeyId: z
        .string()
        .regex(/^A[KS]IA[A-Z0-9]{16}$/, 'an access key id: `AKIA` and 16 letters or digits')
        .optional(),
      slot: z
        .number()
        .int()
        .refine((n) => n === 1 || n === 2, 'a slot is 1 or 2 (`access_key_1`, `access_key_2`)')
        .optional(),
    })
    .refine((c) => (c.accessKeyId === undefined) !== (c.slot === undefined), {
      message: 'give exactly one of `accessKeyId` and `slot` (1 or 2, the credential report column)',
      path: ['accessKeyId'],
    }),
]);

/** One change as written; documents may still be objects. */
export type ChangeInput = z.input<typeof ChangeSchema>;
/** One change, checked; every `document` is JSON text the engine parsed without errors. */
export type Change = DocumentAsText<z.output<typeof ChangeSchema>>;
type DocumentAsText<T> = T extends { document: unknown } ? Omit<T, 'document'> & { document: string } : T;

export type ChangeOp = Change['op'];
export const CHANGE_OPS = ChangeSchema.options.map((o) => o.shape.op.value) as readonly ChangeOp[];

/** Which kind of policy a change's document is, for the engine's kind-specific checks. */
function documentKind(op: ChangeOp): PolicyKind {
  if (op === 'putResourcePolicy') return 'resource';
  return op === 'updateTrustPolicy' || op === 'createRole' ? 'trust' : 'identity';
}

export interface ParsedChanges {
  /** Present when no error-severity diagnostic was found. */
  changes?: Change[];
  diagnostics: Diagnostic[];
}

/** `changes[3].document.Statement[0]` from zod's path. */
function jsonPath(index: number, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (p, k) => (typeof k === 'number' ? `${p}[${k}]` : `${p}.${String(k)}`),
    `changes[${index}]`,
  );
}

function changeError(index: number, code: string, message: string, path: string, hint?: string): Diagnostic {
  return {
    severity: 'error',
    code,
    message: `change ${index}: ${message}`,
    jsonPath: path,
    ...(hint ? { hint } : {}),
  };
}

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

/** Check a change set's shape and its policy documents; every problem is reported, not only the first. */
export function parseChanges(input: unknown): ParsedChanges {
  if (!Array.isArray(input))
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'change.not-a-list',
          message: 'a change set is a JSON array of changes',
          hint: 'e.g. [{ "op": "attachPolicy", "policy": "AmazonS3FullAccess", "target": "group/QA" }]',
        },
      ],
    };
  const diagnostics: Diagnostic[] = [];
  const changes: Change[] = [];
  input.forEach((raw, i) => {
    const r = ChangeSchema.safeParse(raw);
    if (!r.success) {
      for (const issue of r.error.issues) {
        const op = (raw as { op?: unknown } | null)?.op;
        const unknownOp = issue.path.length === 1 && issue.path[0] === 'op';
        diagnostics.push(
          changeError(
            i,
            unknownOp ? 'change.unknown-op' : 'change.invalid',
            unknownOp
              ? `unknown op \`${String(op)}\``
              : issue.code === 'unrecognized_keys'
                ? `unknown field ${issue.keys.map((k) => `\`${k}\``).join(', ')}`
                : lowerFirst(issue.message),
            jsonPath(i, unknownOp ? ['op'] : issue.path),
            unknownOp ? `one of ${CHANGE_OPS.join(', ')}` : undefined,
          ),
        );
      }
      return;
    }
    const change = r.data;
    if (!('document' in change)) {
      changes.push(change);
      return;
    }
    const parsed = parsePolicy(change.document, { kind: documentKind(change.op) });
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
    for (const d of errors)
      diagnostics.push(
        changeError(
          i,
          d.code,
          d.jsonPath && !d.message.includes(d.jsonPath)
            ? `invalid policy document at \`${d.jsonPath}\`: ${d.message}`
            : `invalid policy document: ${d.message}`,
          `${jsonPath(i, ['document'])}${d.jsonPath ? `.${d.jsonPath}` : ''}`,
          d.hint,
        ),
      );
    if (errors.length === 0)
      changes.push({
        ...change,
        document: typeof change.document === 'string' ? change.document : JSON.stringify(change.document),
      } as Change);
  });
  return diagnostics.some((d) => d.severity === 'error') ? { diagnostics } : { changes, diagnostics };
}
