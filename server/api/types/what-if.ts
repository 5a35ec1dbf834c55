/**
 * `whatIf(snapshotId, changes)`: what a change set would grant and revoke, before anyone touches AWS. The
 * `ChangeInput` fields are those of the change JSON (docs/what-if.md): `op` plus the fields that op takes;
 * documents are JSON text. Logic in server/analysis/what-if/.
 */
import { CHANGE_OPS } from '../../analysis/what-if/changes.ts';
import { whatIf, type WhatIfOutcome } from '../../analysis/what-if/what-if.ts';
import type { Diagnostic } from '../../engine/diagnostics.ts';
import { builder } from '../builder.ts';
import { resolveSnapshot } from '../resolve-snapshot.ts';
import { AccessDiffRef } from './access-diff.ts';
import { DiagnosticRef } from './refs.ts';
import { ErrorInterface, SNAPSHOT_ERRORS } from './errors.ts';

/** A change set that does not parse or does not apply (unknown group, invalid policy JSON), with every problem. */
export class InvalidChangesError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    const first = diagnostics.find((d) => d.severity === 'error');
    super(first ? `${first.message}${first.jsonPath ? ` (${first.jsonPath})` : ''}` : 'invalid change set');
    this.name = 'InvalidChangesError';
  }
}

builder.objectType(InvalidChangesError, {
  name: 'InvalidChanges',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    diagnostics: t.field({
      type: [DiagnosticRef],
      description: 'Every problem, each with `jsonPath` = `changes[i].field`.',
      resolve: (e) => e.diagnostics,
    }),
  }),
});

const ChangeOpEnum = builder.enumType('ChangeOp', {
  values: Object.fromEntries(CHANGE_OPS.map((op) => [op, { value: op }])) as Record<
    (typeof CHANGE_OPS)[number],
    { value: (typeof CHANGE_OPS)[number] }
  >,
});

const ChangeInputRef = builder.inputType('ChangeInput', {
  description:
    'One change: `op` and the fields it takes (docs/what-if.md). Names: `user/bob`, `group/QA`, `role/x` or ARNs.',
  fields: (t) => ({
    op: t.field({ type: ChangeOpEnum, required: true }),
    target: t.string({ description: 'The user, group or role changed.' }),
    policy: t.string({ description: 'AWS managed policy name, or managed policy ARN.' }),
    name: t.string({ description: 'Inline policy name, or the name of what is created.' }),
    document: t.string({
      description: 'Policy document (JSON text): inline policy, trust policy, new policy.',
    }),
    user: t.string(),
    group: t.string(),
    path: t.string({ description: 'Path of what is created, e.g. `/contractors/`.' }),
  }),
});

type Answered = Extract<WhatIfOutcome, { ok: true }> & { snapshotId: string };

const WhatIfResultRef = builder.objectRef<Answered>('WhatIfResult').implement({
  fields: (t) => ({
    snapshotId: t.exposeID('snapshotId', {
      description: 'The snapshot the changes were applied to (never modified).',
    }),
    diff: t.field({ type: AccessDiffRef, resolve: (r) => r.diff }),
    affected: t.exposeStringList('affected', {
      description: 'Principals whose permissions the changes can affect.',
    }),
    trustChanged: t.exposeStringList('trustChanged', { description: 'Roles whose trust policy changed.' }),
    warnings: t.field({
      type: [DiagnosticRef],
      description: 'No-op changes, policies detached before a delete.',
      resolve: (r) => r.diagnostics,
    }),
  }),
});

builder.queryFields((t) => ({
  whatIf: t.field({
    type: WhatIfResultRef,
    description: 'Apply `changes` to a copy of a snapshot and answer what access they grant and revoke.',
    args: {
      snapshotId: t.arg.id({ required: false, description: 'Defaults to the current snapshot.' }),
      changes: t.arg({ type: [ChangeInputRef], required: true }),
    },
    errors: { types: [...SNAPSHOT_ERRORS, InvalidChangesError], directResult: true },
    resolve: async (_root, args, ctx) => {
      const info = await resolveSnapshot(ctx, args.snapshotId);
      const analysis = await ctx.analysis(info.id);
      // GraphQL gives null for fields not given; the change schema wants them absent.
      const changes = args.changes.map((c) =>
        Object.fromEntries(Object.entries(c).filter(([, v]) => v !== null && v !== undefined)),
      );
      const outcome = await whatIf(analysis, changes);
      if (!outcome.ok) throw new InvalidChangesError(outcome.diagnostics);
      return { ...outcome, snapshotId: info.id };
    },
  }),
}));
