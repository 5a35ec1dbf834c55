/**
 * `Principal.access(service, context, strictContext)`: the effective permissions of a user or role — per service
 * and access level the actions allowed, with resource scopes, and per known resource what it can do there. Logic
 * in server/analysis/access.ts; this file only shapes it.
 */
import type {
  AccessAnswer,
  ActionAccess,
  ActionScope,
  LevelAccess,
  ResourceAccess,
  ResourceGrant,
  ScopeCut,
  ServiceAccess,
} from '../../analysis/access.ts';
import { access } from '../../analysis/access.ts';
import { SnapshotNotFoundError } from '../../graph/store.ts';
import { builder } from '../builder.ts';
import { ContextEntryInput, contextOf } from './context-input.ts';
import { PrincipalRef } from './refs.ts';

export const AccessLevelEnum = builder.enumType('AccessLevel', {
  description: 'The access level of an action in the Service Authorization Reference.',
  values: {
    READ: { value: 'Read' },
    WRITE: { value: 'Write' },
    LIST: { value: 'List' },
    TAGGING: { value: 'Tagging' },
    PERMISSIONS_MANAGEMENT: { value: 'Permissions management' },
  } as const,
});

export const AccessDecisionEnum = builder.enumType('AccessDecision', {
  values: { ALLOWED: { value: 'ALLOWED' }, CONDITIONAL: { value: 'CONDITIONAL' } } as const,
});

const ScopeCutRef = builder.objectRef<ScopeCut>('ScopeCut').implement({
  description:
    'What narrows a scope: a Deny cutting part of it out (`except`), or a limiting layer (`within`).',
  fields: (t) => ({
    how: t.exposeString('how', { description: '`except` or `within`.' }),
    pattern: t.exposeString('pattern'),
    layer: t.exposeString('layer'),
    level: t.exposeInt('level', { nullable: true }),
    conditional: t.exposeBoolean('conditional', {
      description: 'The cutting statement has conditions: the cut applies only when they hold.',
    }),
    path: t.exposeString('path'),
  }),
});

const ActionScopeRef = builder.objectRef<ActionScope>('ActionScope').implement({
  fields: (t) => ({
    pattern: t.exposeString('pattern', {
      description: 'The Resource pattern granted (or the narrower one allowed).',
    }),
    decision: t.field({ type: AccessDecisionEnum, resolve: (s) => s.decision }),
    conditions: t.string({ nullable: true, resolve: (s) => s.conditions ?? null }),
    residual: t.field({ type: 'JSON', nullable: true, resolve: (s) => s.residual ?? null }),
    partial: t.exposeBoolean('partial', { description: 'Only part of `pattern` is allowed: see `cuts`.' }),
    cuts: t.field({ type: [ScopeCutRef], resolve: (s) => s.cuts }),
    grantedBy: t.exposeStringList('grantedBy', {
      description: '`user alice → group Engineering → AmazonS3FullAccess → Statement[0]`.',
    }),
  }),
});

const ActionAccessRef = builder.objectRef<ActionAccess>('ActionAccess').implement({
  fields: (t) => ({
    action: t.exposeString('action'),
    decision: t.field({ type: AccessDecisionEnum, resolve: (a) => a.decision }),
    conditions: t.string({ nullable: true, resolve: (a) => a.conditions ?? null }),
    scopes: t.field({ type: [ActionScopeRef], resolve: (a) => a.scopes }),
  }),
});

const LevelAccessRef = builder.objectRef<LevelAccess>('LevelAccess').implement({
  fields: (t) => ({
    level: t.field({ type: AccessLevelEnum, resolve: (l) => l.level }),
    conditional: t.exposeInt('conditional', { description: 'How many of the actions are CONDITIONAL.' }),
    actions: t.field({ type: [ActionAccessRef], resolve: (l) => l.actions }),
  }),
});

const ServiceAccessRef = builder.objectRef<ServiceAccess>('ServiceAccess').implement({
  fields: (t) => ({
    service: t.exposeString('service'),
    actions: t.exposeInt('actions', { description: 'Actions allowed or conditional, all levels.' }),
    levels: t.field({ type: [LevelAccessRef], resolve: (s) => s.levels }),
  }),
});

const ResourceGrantRef = builder.objectRef<ResourceGrant>('ResourceGrant').implement({
  description: 'Actions of one level decided alike on a resource.',
  fields: (t) => ({
    actions: t.exposeStringList('actions'),
    decision: t.field({ type: AccessDecisionEnum, resolve: (g) => g.decision }),
    conditions: t.string({ nullable: true, resolve: (g) => g.conditions ?? null }),
    scope: t.exposeString('scope', {
      description:
        'The ARN evaluated: the resource, `bucket/*` for objects, or the narrower pattern allowed.',
    }),
    partial: t.exposeBoolean('partial'),
    viaResourcePolicy: t.exposeBoolean('viaResourcePolicy'),
  }),
});

const ResourceAccessLevelRef = builder
  .objectRef<ResourceAccess['levels'][number]>('ResourceAccessLevel')
  .implement({
    fields: (t) => ({
      level: t.field({ type: AccessLevelEnum, resolve: (l) => l.level }),
      grants: t.field({ type: [ResourceGrantRef], resolve: (l) => l.grants }),
    }),
  });

const ResourceAccessRef = builder.objectRef<ResourceAccess>('ResourceAccess').implement({
  fields: (t) => ({
    arn: t.exposeString('arn'),
    service: t.exposeString('service'),
    type: t.exposeString('type'),
    name: t.exposeString('name'),
    resourcePolicyId: t.exposeString('resourcePolicyId', { nullable: true }),
    levels: t.field({ type: [ResourceAccessLevelRef], resolve: (r) => r.levels }),
  }),
});

const PrincipalAccessRef = builder.objectRef<AccessAnswer>('PrincipalAccess').implement({
  description:
    'Effective permissions: `services` is what identity policies grant (limited by boundary, SCPs, …); grants that come only from a resource policy appear under `resources`.',
  fields: (t) => ({
    evaluatedAs: t.exposeString('evaluatedAs', {
      description: 'The request principal: a session for roles.',
    }),
    services: t.field({ type: [ServiceAccessRef], resolve: (a) => a.services }),
    resources: t.field({ type: [ResourceAccessRef], resolve: (a) => a.resources }),
    evaluations: t.exposeInt('evaluations'),
    notes: t.exposeStringList('notes', {
      description: 'What the answer could not account for (missing policies, no SCP data).',
    }),
  }),
});

builder.interfaceField(PrincipalRef, 'access', (t) =>
  t.field({
    type: PrincipalAccessRef,
    description: 'What this principal can do: per service and access level, and per known resource.',
    args: {
      service: t.arg.string({ required: false, description: 'Only this service prefix, e.g. `s3`.' }),
      context: t.arg({ type: [ContextEntryInput], required: false }),
      strictContext: t.arg.boolean({
        defaultValue: false,
        description: 'Keys not given are absent (AWS semantics): nothing is CONDITIONAL.',
      }),
    },
    resolve: async (p, args, ctx) => {
      const answer = await access(await ctx.analysis(p.snapshotId), p.arn, {
        ...(args.service ? { service: args.service } : {}),
        context: contextOf(args.context),
        strictContext: args.strictContext ?? false,
      });
      if (!answer) throw new SnapshotNotFoundError(p.snapshotId);
      return answer;
    },
  }),
);
