/**
 * The policy simulator: `evaluate(input)` takes every policy inline (like AWS's simulate-custom-policy);
 * `simulate(...)` uses a principal's stored policies (like simulate-principal-policy). Logic in
 * server/analysis/evaluation.ts; the decision and its explanation come from server/engine.
 */
import type { EvaluationOutcome } from '../../analysis/evaluation.ts';
import { evaluateInput, simulatePrincipal } from '../../analysis/evaluation.ts';
import { actionProblem, dateTimeProblem } from '../../analysis/arguments.ts';
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import type { Explanation, LayerExplanation, ServiceRule, StatementMatch } from '../../engine/index.ts';
import { builder } from '../builder.ts';
import { resolveSnapshot } from '../resolve-snapshot.ts';
import { ContextEntryInput, contextOf } from './context-input.ts';
import { DiagnosticRef } from './refs.ts';
import { ErrorInterface, InvalidArgumentError, NotFoundError, SNAPSHOT_ERRORS } from './errors.ts';

/** A policy document that does not parse; `diagnostics` say where (`identityPolicies[1]`, JSON path). */
export class InvalidPolicyDocumentError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    const first = diagnostics.find((d) => d.severity === 'error') ?? diagnostics[0];
    super(
      first
        ? `invalid policy document \`${first.file ?? '?'}\`: ${first.jsonPath ? `${first.jsonPath}: ` : ''}${first.message}`
        : 'invalid policy document',
    );
    this.name = 'InvalidPolicyDocumentError';
  }
}

builder.objectType(InvalidPolicyDocumentError, {
  name: 'InvalidPolicyDocument',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    diagnostics: t.field({ type: [DiagnosticRef], resolve: (e) => e.diagnostics }),
  }),
});

const DecisionEnum = builder.enumType('Decision', {
  values: {
    ALLOWED: { value: 'ALLOWED' },
    DENIED: { value: 'DENIED' },
    CONDITIONAL: { value: 'CONDITIONAL' },
  } as const,
});

const DeniedByRef = builder.objectRef<{ kind: string; layer: string; level?: number }>('DeniedBy').implement({
  fields: (t) => ({
    kind: t.exposeString('kind', {
      description:
        '`explicit` (a Deny matched), `implicit` (no Allow) or `service` (a service rule refuses it: `serviceRule`).',
    }),
    layer: t.exposeString('layer', {
      description:
        '`identity`, `boundary`, `scp`, `rcp`, `resource`, `session`, `endpoint` (VPC endpoint policy).',
    }),
    level: t.exposeInt('level', { nullable: true, description: 'SCP/RCP org level (0 = root).' }),
  }),
});

const ServiceRuleRef = builder.objectRef<ServiceRule>('ServiceRule').implement({
  description: 'A rule of the service that decides the request whatever the policies say.',
  fields: (t) => ({
    id: t.exposeString('id', {
      description:
        '`no-permission-needed`, `aws-managed-policy`, `service-linked-role`, `aws-reserved-role`, `reserved-kms-alias`.',
    }),
    effect: t.exposeString('effect', {
      description: '`Allow` (needs no permission) or `Deny` (no policy can allow).',
    }),
    reason: t.exposeString('reason'),
    doc: t.exposeString('doc', { description: 'The AWS page that documents the rule.' }),
  }),
});

const StatementMatchRef = builder.objectRef<StatementMatch>('StatementMatch').implement({
  description: 'A statement that matched the request.',
  fields: (t) => ({
    policyId: t.exposeString('policyId'),
    policyName: t.exposeString('policyName', { nullable: true }),
    attachedVia: t.stringList({ resolve: (m) => m.attachedVia ?? [] }),
    statementIndex: t.exposeInt('statementIndex'),
    sid: t.exposeString('sid', { nullable: true }),
    effect: t.exposeString('effect'),
    conditional: t.exposeBoolean('conditional', {
      description: 'Applies only under its residual condition.',
    }),
    residual: t.field({ type: 'JSON', nullable: true, resolve: (m) => m.residual ?? null }),
  }),
});

const LayerExplanationRef = builder.objectRef<LayerExplanation>('LayerExplanation').implement({
  fields: (t) => ({
    layer: t.exposeString('layer'),
    level: t.exposeInt('level', { nullable: true }),
    allow: t.exposeString('allow', { description: 'A matching Allow: `yes`, `no` or `conditional`.' }),
    deny: t.exposeString('deny', { description: 'A matching Deny: `yes`, `no` or `conditional`.' }),
    statements: t.field({ type: [StatementMatchRef], resolve: (l) => l.statements }),
  }),
});

const ExplanationRef = builder.objectRef<Explanation>('Explanation').implement({
  fields: (t) => ({
    layers: t.field({ type: [LayerExplanationRef], resolve: (e) => e.layers }),
    crossAccount: t.exposeBoolean('crossAccount'),
    resourcePolicyRequired: t.exposeBoolean('resourcePolicyRequired', {
      description:
        'The resource policy had to allow even within one account (KMS key policy, role trust policy).',
    }),
    notes: t.exposeStringList('notes'),
  }),
});

type Answered = Extract<EvaluationOutcome, { ok: true }>;

const EvaluationResultRef = builder.objectRef<Answered>('EvaluationResult').implement({
  fields: (t) => ({
    decision: t.field({ type: DecisionEnum, resolve: (o) => o.result.decision }),
    conditions: t.field({
      type: 'JSON',
      nullable: true,
      description: 'When CONDITIONAL: the residual condition under which the request is ALLOWED.',
      resolve: (o) => o.result.conditions ?? null,
    }),
    conditionsText: t.exposeString('conditionsText', { nullable: true }),
    deniedBy: t.field({ type: DeniedByRef, nullable: true, resolve: (o) => o.result.deniedBy ?? null }),
    serviceRule: t.field({
      type: ServiceRuleRef,
      nullable: true,
      description:
        'Set when a service rule decided the request; `explanation` still shows what the policies say.',
      resolve: (o) => o.result.serviceRule ?? null,
    }),
    summary: t.exposeString('summary', { description: 'One line saying why.' }),
    explanation: t.field({ type: ExplanationRef, resolve: (o) => o.result.explanation }),
    warnings: t.exposeStringList('warnings', {
      description:
        'Unknown actions or services; for simulate also `incomplete: …`: SCPs, RCPs or the resource policy not collected.',
    }),
  }),
});

const EvaluationInputRef = builder.inputType('EvaluationInput', {
  fields: (t) => ({
    principal: t.string({ required: true, description: 'Caller ARN, account id, service principal or `*`.' }),
    action: t.string({ required: true }),
    resource: t.string({ required: true }),
    resourceAccount: t.string(),
    context: t.field({ type: [ContextEntryInput] }),
    identityPolicies: t.stringList({ required: true, description: 'Policy documents as JSON text.' }),
    permissionsBoundary: t.string(),
    serviceControlPolicies: t.field({
      type: t.listRef(t.listRef('String')),
      description: 'One list per org level, root first, account last.',
    }),
    resourceControlPolicies: t.field({ type: t.listRef(t.listRef('String')) }),
    resourcePolicy: t.string({ description: 'Resource policy, role trust policy or KMS key policy.' }),
    sessionPolicy: t.string(),
    vpcEndpointPolicy: t.string({
      description:
        'The policy of the VPC endpoint the request goes through: it must allow, and its Deny denies.',
    }),
    strictContext: t.boolean({
      description: 'true: the context is complete; absent keys are absent, exactly as AWS decides.',
    }),
    at: t.string({
      description:
        'When the request is made (ISO 8601): settles aws:CurrentTime and aws:EpochTime, bounds aws:TokenIssueTime.',
    }),
  }),
});

function answered(o: EvaluationOutcome): Answered {
  if (!o.ok) throw new InvalidPolicyDocumentError(o.diagnostics);
  return o;
}

builder.queryFields((t) => ({
  evaluate: t.field({
    type: EvaluationResultRef,
    description: 'Decide one request against policies given inline (like simulate-custom-policy).',
    args: { input: t.arg({ type: EvaluationInputRef, required: true }) },
    errors: { types: [InvalidPolicyDocumentError, InvalidArgumentError], directResult: true },
    resolve: async (_root, { input }) => {
      const badAction = actionProblem(input.action);
      if (badAction) throw new InvalidArgumentError('action', badAction.message);
      const badTime = input.at != null ? dateTimeProblem(input.at) : undefined;
      if (badTime) throw new InvalidArgumentError('at', `${badTime.message}: ${badTime.hint}`);
      return answered(
        await evaluateInput({
          principal: input.principal,
          action: input.action,
          resource: input.resource,
          ...(input.resourceAccount ? { resourceAccount: input.resourceAccount } : {}),
          context: input.context ?? [],
          identityPolicies: input.identityPolicies,
          ...(input.permissionsBoundary != null ? { permissionsBoundary: input.permissionsBoundary } : {}),
          ...(input.serviceControlPolicies ? { serviceControlPolicies: input.serviceControlPolicies } : {}),
          ...(input.resourceControlPolicies
            ? { resourceControlPolicies: input.resourceControlPolicies }
            : {}),
          ...(input.resourcePolicy != null ? { resourcePolicy: input.resourcePolicy } : {}),
          ...(input.sessionPolicy != null ? { sessionPolicy: input.sessionPolicy } : {}),
          ...(input.vpcEndpointPolicy != null ? { vpcEndpointPolicy: input.vpcEndpointPolicy } : {}),
          strictContext: input.strictContext === true,
          ...(input.at != null ? { at: input.at } : {}),
        }),
      );
    },
  }),
  simulate: t.field({
    type: EvaluationResultRef,
    description: "Decide one request with a principal's stored policies (like simulate-principal-policy).",
    args: {
      snapshotId: t.arg.id({
        required: false,
        description: "Defaults to the current snapshot of the ARN's account.",
      }),
      principalArn: t.arg.string({ required: true }),
      action: t.arg.string({ required: true }),
      resource: t.arg.string({ required: true }),
      context: t.arg({ type: [ContextEntryInput], required: false }),
      strictContext: t.arg.boolean({ defaultValue: false }),
      vpcEndpointId: t.arg.string({
        required: false,
        description:
          'The request goes through this VPC endpoint of the snapshot: its policy must allow too, and aws:SourceVpce / aws:SourceVpc are set from it unless `context` gives them.',
      }),
    },
    errors: {
      types: [...SNAPSHOT_ERRORS, NotFoundError, InvalidArgumentError, InvalidPolicyDocumentError],
      directResult: true,
    },
    resolve: async (_root, args, ctx) => {
      const badAction = actionProblem(args.action);
      if (badAction) throw new InvalidArgumentError('action', badAction.message);
      const info = await resolveSnapshot(ctx, args.snapshotId, args.principalArn);
      const analysis = await ctx.analysis(info.id);
      if (
        args.vpcEndpointId != null &&
        !analysis.snapshot.vpcEndpoints?.some((e) => e.id === args.vpcEndpointId)
      )
        throw new InvalidArgumentError(
          'vpcEndpointId',
          `\`${args.vpcEndpointId}\` is not a VPC endpoint of snapshot ${info.id} (bundles list them in vpc-endpoints/)`,
        );
      const outcome = simulatePrincipal(analysis, {
        principalArn: args.principalArn,
        action: args.action,
        resource: args.resource,
        context: contextOf(args.context),
        strictContext: args.strictContext === true,
        ...(args.vpcEndpointId != null ? { vpcEndpointId: args.vpcEndpointId } : {}),
      });
      if (!outcome) throw new NotFoundError('principal', args.principalArn, info.id);
      return answered(await outcome);
    },
  }),
}));
