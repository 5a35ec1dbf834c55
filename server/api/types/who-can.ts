/**
 * `whoCan(action, resource, context, includeIndirect, includeDenied)`: the users and roles whose request would be
 * ALLOWED or CONDITIONAL, with the statements that decided it; with `includeIndirect`, also those reaching it by
 * assuming roles (flagged `indirect`, with the `path`). Logic in server/analysis/who-can.ts.
 */
import type { MatchedStatement, WhoCanAnswer, WhoCanEntry } from '../../analysis/who-can.ts';
import { whoCanFromStore } from '../../analysis/who-can-store.ts';
import { DEFAULT_INDIRECT_DEPTH, whoCan } from '../../analysis/who-can.ts';
import { builder } from '../builder.ts';
import { resolveSnapshot } from '../resolve-snapshot.ts';
import { ContextEntryInput, contextOf } from './context-input.ts';
import { actionProblem } from '../../analysis/arguments.ts';
import { InvalidArgumentError, SNAPSHOT_ERRORS } from './errors.ts';

const DecisionEnum = builder.enumType('WhoCanDecision', {
  values: {
    ALLOWED: { value: 'ALLOWED' },
    CONDITIONAL: { value: 'CONDITIONAL' },
    DENIED: { value: 'DENIED' },
  } as const,
});

/** Exported: escalation edges carry the same statements as evidence. */
export const MatchedStatementRef = builder.objectRef<MatchedStatement>('WhoCanMatch').implement({
  description: 'A statement that matched the request, and how its policy reaches the principal.',
  fields: (t) => ({
    layer: t.exposeString('layer', {
      description: '`identity`, `boundary`, `scp`, `rcp`, `resource`, `session`.',
    }),
    level: t.exposeInt('level', { nullable: true, description: 'SCP/RCP org level (0 = root).' }),
    effect: t.exposeString('effect'),
    policyId: t.exposeString('policyId'),
    policyName: t.exposeString('policyName', { nullable: true }),
    statementIndex: t.exposeInt('statementIndex'),
    sid: t.exposeString('sid', { nullable: true }),
    attachedVia: t.exposeStringList('attachedVia', {
      description: 'ARNs from the principal to the policy: `[user, group]`; empty for a resource policy.',
    }),
    conditional: t.exposeBoolean('conditional'),
    path: t.exposeString('path', {
      description: '`user alice → group Engineering → AmazonS3FullAccess → Statement[0]`.',
    }),
  }),
});

const DeniedByRef = builder.objectRef<NonNullable<WhoCanEntry['deniedBy']>>('WhoCanDeniedBy').implement({
  fields: (t) => ({
    kind: t.exposeString('kind', { description: '`explicit`, `implicit` or `service` (a service rule).' }),
    layer: t.exposeString('layer'),
    level: t.exposeInt('level', { nullable: true }),
  }),
});

const WhoCanPrincipalRef = builder.objectRef<WhoCanEntry['principal']>('WhoCanPrincipal').implement({
  fields: (t) => ({
    arn: t.exposeString('arn'),
    name: t.exposeString('name'),
    kind: t.exposeString('kind', { description: '`user` or `role`.' }),
  }),
});

const WhoCanEntryRef = builder.objectRef<WhoCanEntry>('WhoCanEntry').implement({
  fields: (t) => ({
    principal: t.field({ type: WhoCanPrincipalRef, resolve: (e) => e.principal }),
    evaluatedAs: t.exposeString('evaluatedAs', {
      description: 'The request principal: a role session for roles.',
    }),
    action: t.exposeString('action'),
    decision: t.field({ type: DecisionEnum, resolve: (e) => e.decision }),
    conditions: t.exposeString('conditions', {
      nullable: true,
      description: 'When CONDITIONAL: the condition under which the request is allowed.',
    }),
    residual: t.field({ type: 'JSON', nullable: true, resolve: (e) => e.residual ?? null }),
    deniedBy: t.field({ type: DeniedByRef, nullable: true, resolve: (e) => e.deniedBy ?? null }),
    summary: t.exposeString('summary'),
    matched: t.field({ type: [MatchedStatementRef], resolve: (e) => e.matched }),
    indirect: t.boolean({
      description: 'Reached by assuming roles (then `matched` is the first hop, `path` the chain).',
      resolve: (e) => e.indirect === true,
    }),
    path: t.stringList({
      nullable: true,
      description:
        'For an indirect entry: ARNs from the principal through each role assumed to the role holding it.',
      resolve: (e) => e.path ?? null,
    }),
  }),
});

const WhoCanResultRef = builder.objectRef<WhoCanAnswer & { snapshotId: string }>('WhoCanResult').implement({
  fields: (t) => ({
    snapshotId: t.exposeID('snapshotId'),
    actions: t.exposeStringList('actions', {
      description: 'The concrete actions asked (a pattern expanded).',
    }),
    entries: t.field({ type: [WhoCanEntryRef], resolve: (a) => a.entries }),
    resourcePolicyId: t.exposeString('resourcePolicyId', { nullable: true }),
    evaluated: t.exposeInt('evaluated', {
      description: 'Principals evaluated (the candidate index skips the rest).',
    }),
    principals: t.exposeInt('principals'),
    notes: t.exposeStringList('notes', {
      description:
        'What the answer could not account for; `incomplete: …` lines say which data it depends on was not collected (SCPs, RCPs, the resource policy).',
    }),
  }),
});

builder.queryFields((t) => ({
  whoCan: t.field({
    type: WhoCanResultRef,
    description: 'Users and roles whose request `action` on `resource` is ALLOWED or CONDITIONAL.',
    args: {
      snapshotId: t.arg.id({ required: false, description: 'Defaults to the current snapshot.' }),
      action: t.arg.string({ required: true, description: '`s3:GetObject`, or a pattern like `s3:Put*`.' }),
      resource: t.arg.string({ required: true }),
      context: t.arg({ type: [ContextEntryInput], required: false }),
      includeIndirect: t.arg.boolean({
        defaultValue: false,
        description:
          'Also principals reaching the permission by assuming a role that has it (trust policies evaluated), flagged `indirect`.',
      }),
      maxDepth: t.arg.int({
        defaultValue: DEFAULT_INDIRECT_DEPTH,
        description: 'Role hops followed for includeIndirect, 1 to 5.',
      }),
      includeDenied: t.arg.boolean({
        defaultValue: false,
        description: 'Also list DENIED principals, with why.',
      }),
    },
    errors: { types: [...SNAPSHOT_ERRORS, InvalidArgumentError], directResult: true },
    resolve: async (_root, args, ctx) => {
      const maxDepth = args.maxDepth ?? DEFAULT_INDIRECT_DEPTH;
      if (maxDepth < 1 || maxDepth > 5)
        throw new InvalidArgumentError('maxDepth', `\`maxDepth\` must be between 1 and 5, got ${maxDepth}`);
      const badAction = actionProblem(args.action);
      if (badAction) throw new InvalidArgumentError('action', badAction.message);
      const info = await resolveSnapshot(ctx, args.snapshotId, args.resource);
      const query = {
        action: args.action,
        resource: args.resource,
        context: contextOf(args.context),
        includeDenied: args.includeDenied ?? false,
        includeIndirect: args.includeIndirect ?? false,
        maxDepth,
      };
      // Neo4j reads the question's candidates only; other stores, and questions about every principal, the
      // snapshot whole.
      const answer =
        (await whoCanFromStore(ctx.store, info.id, query)) ??
        (await whoCan(await ctx.analysis(info.id), query));
      return { ...answer, snapshotId: info.id };
    },
  }),
}));
