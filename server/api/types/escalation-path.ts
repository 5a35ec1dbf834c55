/**
 * `paths(from, to | toAdmin, k, maxDepth)`: the k cheapest escalation paths between two principals, or from a
 * principal to admin, each step with its technique, residual conditions and evidence. `EscalationStep` and
 * `EscalationPath` are shared by blastRadius and whoCanReach. Logic in server/analysis/escalation/paths.ts.
 */
import { ADMIN } from '../../analysis/escalation/graph.ts';
import {
  DEFAULT_K,
  DEFAULT_MAX_DEPTH,
  checkBounds,
  type EscalationPath,
} from '../../analysis/escalation/paths.ts';
import type { Step } from '../../analysis/escalation/traversal.ts';
import { resolvePrincipal } from '../../analysis/principal-ref.ts';
import type { AccountSnapshot } from '../../../schema/snapshot.ts';
import { builder } from '../builder.ts';
import { resolveSnapshot } from '../resolve-snapshot.ts';
import { InvalidArgumentError, NotFoundError, SNAPSHOT_ERRORS } from './errors.ts';
import { MatchedStatementRef } from './who-can.ts';
import { pathsOf } from '../../analysis/escalation/analysis-graph.ts';

const StepKindEnum = builder.enumType('EscalationStepKind', {
  values: {
    ASSUME: { value: 'assume', description: 'sts:AssumeRole (CAN_ASSUME).' },
    ESCALATE: { value: 'escalate', description: 'A privilege-escalation technique (CAN_ESCALATE).' },
    ADMIN: {
      value: 'admin',
      description: 'The principal is admin-equivalent by its own policies (IS_ADMIN).',
    },
  } as const,
});

export const EscalationStepRef = builder.objectRef<Step>('EscalationStep').implement({
  description: 'One step of an escalation path.',
  fields: (t) => ({
    from: t.exposeString('from', { description: 'Principal ARN.' }),
    to: t.exposeString('to', { description: 'Principal ARN, or `accessgraph:admin` (see `toAdmin`).' }),
    toAdmin: t.boolean({ resolve: (s) => s.to === ADMIN }),
    kind: t.field({ type: StepKindEnum, resolve: (s) => s.kind }),
    technique: t.exposeString('technique', {
      description: 'Technique id, `sts:AssumeRole`, or `admin-equivalent`.',
    }),
    conditional: t.exposeBoolean('conditional', { description: 'Holds only when `conditions` hold.' }),
    conditions: t.exposeStringList('conditions'),
    evidence: t.field({
      type: [MatchedStatementRef],
      description: 'The statements that grant each permission the step needs.',
      resolve: (s) => s.evidence,
    }),
  }),
});

export const EscalationPathRef = builder.objectRef<EscalationPath>('EscalationPath').implement({
  fields: (t) => ({
    steps: t.field({ type: [EscalationStepRef], resolve: (p) => p.steps }),
    hops: t.exposeInt('hops', {
      description: 'Steps taken; the final admin-equivalence step is not counted.',
    }),
    conditional: t.exposeBoolean('conditional'),
    conditions: t.exposeStringList('conditions', { description: 'Every step’s conditions, in path order.' }),
  }),
});

const PathsResultRef = builder
  .objectRef<{ snapshotId: string; from: string; to: string; paths: EscalationPath[] }>('PathsResult')
  .implement({
    fields: (t) => ({
      snapshotId: t.exposeID('snapshotId'),
      from: t.exposeString('from', { description: 'The start, resolved to its ARN.' }),
      to: t.exposeString('to', { description: 'The target ARN, or `accessgraph:admin`.' }),
      paths: t.field({ type: [EscalationPathRef], resolve: (r) => r.paths }),
    }),
  });

/** An ARN, a user or role name, or an access key id, as a principal of the snapshot; else a union error. */
export function principalArnOf(
  snapshot: AccountSnapshot,
  ref: string,
  argument: string,
  snapshotId: string,
): string {
  const r = resolvePrincipal(snapshot, ref);
  if (r.kind === 'found') return r.principal.arn;
  if (r.kind === 'ambiguous')
    throw new InvalidArgumentError(argument, `${r.message}: ${r.candidates.join(', ')}`);
  throw new NotFoundError('principal', ref, snapshotId);
}

builder.queryFields((t) => ({
  paths: t.field({
    type: PathsResultRef,
    description:
      'The k cheapest escalation paths from a principal to another or to admin: fewest hops first, then fewest conditional steps.',
    args: {
      snapshotId: t.arg.id({ required: false, description: 'Defaults to the current snapshot.' }),
      from: t.arg.string({ required: true, description: 'ARN, user or role name, or access key id.' }),
      to: t.arg.string({ required: false, description: 'ARN or name of the target principal.' }),
      toAdmin: t.arg.boolean({
        defaultValue: false,
        description: 'Paths to admin-equivalence instead of `to`.',
      }),
      k: t.arg.int({ defaultValue: DEFAULT_K }),
      maxDepth: t.arg.int({ defaultValue: DEFAULT_MAX_DEPTH }),
    },
    errors: { types: [...SNAPSHOT_ERRORS, NotFoundError, InvalidArgumentError], directResult: true },
    resolve: async (_root, args, ctx) => {
      const k = args.k ?? DEFAULT_K;
      const maxDepth = args.maxDepth ?? DEFAULT_MAX_DEPTH;
      try {
        checkBounds(k, maxDepth);
      } catch (e) {
        throw new InvalidArgumentError(
          /^k /.test((e as Error).message) ? 'k' : 'maxDepth',
          (e as Error).message,
        );
      }
      if (!args.toAdmin === !args.to)
        throw new InvalidArgumentError('to', 'give exactly one of `to` and `toAdmin: true`');
      const info = await resolveSnapshot(ctx, args.snapshotId, args.from);
      const analysis = await ctx.analysis(info.id);
      const from = principalArnOf(analysis.snapshot, args.from, 'from', info.id);
      const to = args.toAdmin ? ADMIN : principalArnOf(analysis.snapshot, args.to!, 'to', info.id);
      return { snapshotId: info.id, from, to, paths: await pathsOf(analysis, { from, to, k, maxDepth }) };
    },
  }),
}));
