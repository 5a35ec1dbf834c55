/**
 * `whatIf(snapshotId, changes)`: what a change set would grant and revoke, before anyone touches AWS. The
 * `ChangeInput` fields are those of the change JSON (docs/what-if.md): `op` plus the fields that op takes;
 * documents are JSON text. `planChanges` turns a Terraform plan or CloudFormation change set into those changes.
 * Logic in server/analysis/what-if/.
 */
import { planAccountMismatch, type PlannedChange } from '../../../importers/terraform-plan/index.ts';
import { CHANGE_OPS, type ChangeInput } from '../../analysis/what-if/changes.ts';
import { detectPlanFormat, readPlanInput, type PlanFormat } from '../../../importers/plan-input.ts';
import { planExposures, type PlanExposure } from '../../analysis/what-if/plan-exposure.ts';
import { whatIf, type WhatIfOutcome } from '../../analysis/what-if/what-if.ts';
import { hasErrors, type Diagnostic } from '../../../schema/diagnostics.ts';
import { builder } from '../builder.ts';
import { resolveSnapshot } from '../resolve-snapshot.ts';
import { AccessDiffRef } from './access-diff.ts';
import { DiagnosticRef } from './refs.ts';
import { ErrorInterface, SNAPSHOT_ERRORS } from './errors.ts';

/** Input with problems: every one as a diagnostic, the message the first error's (with its JSON path). */
abstract class DiagnosticsError extends Error {
  constructor(
    readonly diagnostics: Diagnostic[],
    otherwise: string,
  ) {
    const first = diagnostics.find((d) => d.severity === 'error');
    super(first ? `${first.message}${first.jsonPath ? ` (${first.jsonPath})` : ''}` : otherwise);
    this.name = new.target.name;
  }
}

/** A change set that does not parse or does not apply (unknown group, invalid policy JSON), with every problem. */
export class InvalidChangesError extends DiagnosticsError {
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics, 'invalid change set');
  }
}

/** A plan or change set that cannot be read, or that names another account than the snapshot's. */
export class InvalidPlanError extends DiagnosticsError {
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics, 'invalid plan');
  }
}

for (const [error, name, description] of [
  [InvalidChangesError, 'InvalidChanges', 'Every problem, each with `jsonPath` = `changes[i].field`.'],
  [
    InvalidPlanError,
    'InvalidPlan',
    'Every problem, with the JSON path in the plan (or the line when it is not JSON).',
  ],
] as const)
  builder.objectType(error, {
    name,
    interfaces: [ErrorInterface],
    fields: (t) => ({
      diagnostics: t.field({ type: [DiagnosticRef], description, resolve: (e) => e.diagnostics }),
    }),
  });

const ChangeOpEnum = builder.enumType('ChangeOp', {
  values: Object.fromEntries(CHANGE_OPS.map((op) => [op, { value: op }])) as Record<
    (typeof CHANGE_OPS)[number],
    { value: (typeof CHANGE_OPS)[number] }
  >,
});

/** The fields of `addLambdaPermission` / `removeLambdaPermission` (AddPermission's parameters). */
const LAMBDA_FIELDS = {
  function:
    'The Lambda function whose policy a permission statement is added to or removed from: name or ARN.',
  statementId: 'The statement id of a Lambda permission.',
  action: 'The action a Lambda permission allows, e.g. `lambda:InvokeFunction`.',
  principal: 'Who a Lambda permission allows: an account id, a principal ARN, a service or `*`.',
  sourceArn: "A Lambda permission's `AWS:SourceArn` condition.",
  sourceAccount: "A Lambda permission's `AWS:SourceAccount` condition.",
  principalOrgId: "A Lambda permission's `aws:PrincipalOrgID` condition.",
  eventSourceToken: "A Lambda permission's `lambda:EventSourceToken` condition.",
  functionUrlAuthType: "A Lambda permission's function URL auth type (`NONE` or `AWS_IAM`).",
  invokedViaFunctionUrl: 'A Lambda permission that applies only through the function URL.',
} as const;

/** One field per string parameter of a Lambda permission (`string` builds it), plus `invokedViaFunctionUrl`. */
function lambdaPermissionFields<S, B>(
  string: (description: string, key: Exclude<keyof typeof LAMBDA_FIELDS, 'invokedViaFunctionUrl'>) => S,
  invokedViaFunctionUrl: B,
) {
  const { invokedViaFunctionUrl: _b, ...strings } = LAMBDA_FIELDS;
  return {
    ...(Object.fromEntries(
      Object.entries(strings).map(([k, d]) => [k, string(d, k as keyof typeof strings)]),
    ) as Record<keyof typeof strings, S>),
    invokedViaFunctionUrl,
  };
}

const ChangeInputRef = builder.inputType('ChangeInput', {
  description:
    'One change: `op` and the fields it takes (docs/what-if.md). Names: `user/bob`, `group/QA`, `role/x` or ARNs.',
  fields: (t) => ({
    op: t.field({ type: ChangeOpEnum, required: true }),
    target: t.string({ description: 'The user, group or role changed.' }),
    policy: t.string({ description: 'AWS managed policy name, or managed policy ARN.' }),
    name: t.string({ description: 'Inline policy name, or the name of what is created.' }),
    document: t.string({
      description: 'Policy document (JSON text): inline policy, trust policy, new policy, resource policy.',
    }),
    user: t.string(),
    group: t.string(),
    path: t.string({ description: 'Path of what is created, e.g. `/contractors/`.' }),
    resource: t.string({
      description: 'A known resource whose resource policy is put or deleted: its ARN or name.',
    }),
    accessKeyId: t.string({ description: 'The access key `deactivateAccessKey` makes inactive.' }),
    slot: t.int({
      description: '`deactivateAccessKey` by credential report slot (1 or 2) when the key id is unknown.',
    }),
    ...lambdaPermissionFields(
      (d) => t.string({ description: d }),
      t.boolean({ description: LAMBDA_FIELDS.invokedViaFunctionUrl }),
    ),
  }),
});

export const DeactivatedKeyRef = builder
  .objectRef<{ user: string; slot: number; accessKeyId?: string }>('DeactivatedAccessKey')
  .implement({
    fields: (t) => ({
      user: t.exposeString('user', { description: 'The user ARN.' }),
      slot: t.exposeInt('slot', { description: 'Its credential report slot (1 or 2).' }),
      accessKeyId: t.string({ nullable: true, resolve: (k) => k.accessKeyId ?? null }),
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
    keysDeactivated: t.field({
      type: [DeactivatedKeyRef],
      description: 'Access keys made inactive: whoever holds one can no longer sign requests with it.',
      resolve: (r) => r.keysDeactivated,
    }),
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

const PlanFormatEnum = builder.enumType('PlanFormat', {
  values: {
    TERRAFORM_PLAN: { value: 'terraform-plan', description: '`terraform show -json plan.tfplan`' },
    CLOUDFORMATION_CHANGE_SET: {
      value: 'cloudformation-change-set',
      description: '`aws cloudformation describe-change-set --include-property-values`',
    },
  } satisfies Record<string, { value: PlanFormat; description: string }>,
});

const ChangeRef = builder.objectRef<ChangeInput>('Change').implement({
  description: 'One change, as `ChangeInput` takes it: pass it back to `whatIf` as is.',
  fields: (t) => ({
    op: t.field({ type: ChangeOpEnum, resolve: (c) => c.op }),
    target: t.string({ nullable: true, resolve: (c) => ('target' in c ? c.target : null) }),
    policy: t.string({ nullable: true, resolve: (c) => ('policy' in c ? c.policy : null) }),
    name: t.string({ nullable: true, resolve: (c) => ('name' in c ? c.name : null) }),
    document: t.string({
      nullable: true,
      description: 'JSON text.',
      resolve: (c) =>
        !('document' in c) || c.document === undefined
          ? null
          : typeof c.document === 'string'
            ? c.document
            : JSON.stringify(c.document),
    }),
    user: t.string({ nullable: true, resolve: (c) => ('user' in c ? c.user : null) }),
    group: t.string({ nullable: true, resolve: (c) => ('group' in c ? c.group : null) }),
    path: t.string({ nullable: true, resolve: (c) => ('path' in c ? (c.path ?? null) : null) }),
    resource: t.string({ nullable: true, resolve: (c) => ('resource' in c ? c.resource : null) }),
    accessKeyId: t.string({
      nullable: true,
      resolve: (c) => ('accessKeyId' in c ? (c.accessKeyId ?? null) : null),
    }),
    slot: t.int({ nullable: true, resolve: (c) => ('slot' in c ? (c.slot ?? null) : null) }),
    ...lambdaPermissionFields(
      (description, key) =>
        t.string({
          nullable: true,
          description,
          resolve: (c) => (key in c ? ((c as Record<string, string | undefined>)[key] ?? null) : null),
        }),
      t.boolean({
        nullable: true,
        description: LAMBDA_FIELDS.invokedViaFunctionUrl,
        resolve: (c) => ('invokedViaFunctionUrl' in c ? (c.invokedViaFunctionUrl ?? null) : null),
      }),
    ),
  }),
});

const PlannedChangeRef = builder.objectRef<PlannedChange>('PlannedChange').implement({
  fields: (t) => ({
    address: t.exposeString('address', {
      description: 'The Terraform resource address or CloudFormation logical id it comes from.',
    }),
    jsonPath: t.exposeString('jsonPath', { description: 'Where in the plan that resource is.' }),
    change: t.field({ type: ChangeRef, resolve: (c) => c.change }),
  }),
});

const IgnoredResourcesRef = builder.objectRef<{ type: string; count: number }>('IgnoredResources').implement({
  fields: (t) => ({ type: t.exposeString('type'), count: t.exposeInt('count') }),
});

const PlanPolicyKindEnum = builder.enumType('PlanPolicyKind', {
  values: {
    RESOURCE: { value: 'resource', description: 'A resource policy (bucket, topic, queue, key, …).' },
    TRUST: { value: 'trust', description: "A role's trust policy." },
  } satisfies Record<string, { value: PlanExposure['kind']; description: string }>,
});

const PlanExposureRef = builder.objectRef<PlanExposure>('PlanExposure').implement({
  description: 'New public or cross-account access a resource or trust policy of the plan opens.',
  fields: (t) => ({
    address: t.exposeString('address'),
    resource: t.exposeString('resource', {
      description: 'ARN, name or URL; `role/NAME` for a trust policy.',
    }),
    kind: t.field({ type: PlanPolicyKindEnum, resolve: (e) => e.kind }),
    who: t.exposeString('who', { description: '`*` (any AWS principal: public) or an account id.' }),
    conditional: t.exposeBoolean('conditional', {
      description: 'Every statement granting it has conditions.',
    }),
  }),
});

interface PlanAnswer {
  format: PlanFormat;
  changes: PlannedChange[];
  resources: number;
  iam: number;
  unchanged: number;
  ignored: { type: string; count: number }[];
  exposures: PlanExposure[];
  warnings: Diagnostic[];
}

const PlanChangesRef = builder.objectRef<PlanAnswer>('PlanChanges').implement({
  fields: (t) => ({
    format: t.field({ type: PlanFormatEnum, resolve: (p) => p.format }),
    changes: t.field({
      type: [PlannedChangeRef],
      description: 'The changes in the order they apply; `whatIf` takes their `change` as given.',
      resolve: (p) => p.changes,
    }),
    resources: t.exposeInt('resources', { description: 'Resource changes in the plan.' }),
    iam: t.exposeInt('iam', { description: 'Of those, the IAM-relevant ones.' }),
    unchanged: t.exposeInt('unchanged', { description: 'No-op and read changes, data sources.' }),
    ignored: t.field({
      type: [IgnoredResourcesRef],
      description: 'Resource types that are not IAM-relevant, with how many changes of each.',
      resolve: (p) => p.ignored,
    }),
    exposures: t.field({ type: [PlanExposureRef], resolve: (p) => p.exposures }),
    warnings: t.field({
      type: [DiagnosticRef],
      description: 'Values unknown until apply, left out; a plan found among CI log lines.',
      resolve: (p) => p.warnings,
    }),
  }),
});

builder.queryFields((t) => ({
  planChanges: t.field({
    type: PlanChangesRef,
    description:
      "A Terraform plan or CloudFormation change set's IAM changes as `whatIf` changes, checked against the " +
      "snapshot's account. Pass the file's text as a variable: a plan can be megabytes.",
    args: {
      snapshotId: t.arg.id({ required: false, description: 'Defaults to the current snapshot.' }),
      text: t.arg.string({ required: true, description: 'The plan or change set JSON.' }),
      format: t.arg({
        type: PlanFormatEnum,
        required: false,
        description: 'Detected when not given: a change set has `Changes`; anything else is read as a plan.',
      }),
      file: t.arg.string({
        required: false,
        description: 'The file name diagnostics name (default `plan.json`).',
      }),
    },
    errors: { types: [...SNAPSHOT_ERRORS, InvalidPlanError], directResult: true },
    resolve: async (_root, args, ctx) => {
      const info = await resolveSnapshot(ctx, args.snapshotId);
      const file = args.file ?? 'plan.json';
      const format = args.format ?? detectPlanFormat(args.text);
      const { translation, diagnostics } = readPlanInput(Buffer.from(args.text, 'utf8'), format, file);
      if (!translation || hasErrors(diagnostics)) throw new InvalidPlanError(diagnostics);
      const mismatch = planAccountMismatch(translation, info.accountId, file);
      if (mismatch.length) throw new InvalidPlanError(mismatch);
      const { summary } = translation;
      return {
        format,
        changes: translation.changes,
        resources: summary.resources,
        iam: summary.iam,
        unchanged: summary.unchanged,
        ignored: Object.entries(summary.ignored)
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .map(([type, count]) => ({ type, count })),
        exposures: planExposures(translation, info.accountId),
        warnings: diagnostics,
      };
    },
  }),
}));
