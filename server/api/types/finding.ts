/**
 * `findings(snapshotId, severity, kind)`: the account hygiene findings (server/analysis/findings), most severe
 * first. `kind` is a stable kebab-case id (`console-without-mfa`, …), listed in the field's description.
 */
import {
  FINDING_KINDS,
  findingsAnswer,
  isFindingKind,
  type Finding,
  type FindingsAnswer,
  type Severity,
} from '../../analysis/findings/index.ts';
import { builder } from '../builder.ts';
import { resolveSnapshot } from '../resolve-snapshot.ts';
import { InvalidArgumentError, SNAPSHOT_ERRORS } from './errors.ts';

const SeverityEnum = builder.enumType('FindingSeverity', {
  description:
    'CRITICAL … LOW: how bad the practice is. WARNING: a check that could not run (missing input).',
  values: {
    CRITICAL: { value: 'critical' },
    HIGH: { value: 'high' },
    MEDIUM: { value: 'medium' },
    LOW: { value: 'low' },
    WARNING: { value: 'warning' },
  } as const,
});

const FindingRef = builder.objectRef<Finding>('Finding').implement({
  fields: (t) => ({
    kind: t.exposeString('kind', {
      description: `One of ${FINDING_KINDS.map((k) => `\`${k}\``).join(', ')}.`,
    }),
    severity: t.field({ type: SeverityEnum, resolve: (f) => f.severity }),
    entities: t.exposeStringList('entities', {
      description: 'ARNs involved, the subject first (inline policies by their `owner#inline/name` id).',
    }),
    message: t.exposeString('message'),
    fix: t.exposeString('fix'),
  }),
});

const FindingsResultRef = builder.objectRef<FindingsAnswer>('FindingsResult').implement({
  fields: (t) => ({
    snapshotId: t.exposeID('snapshotId'),
    collectedAt: t.exposeString('collectedAt', {
      nullable: true,
      description: 'Ages (90 days) are measured from here.',
    }),
    findings: t.field({ type: [FindingRef], resolve: (a) => a.findings }),
  }),
});

builder.queryFields((t) => ({
  findings: t.field({
    type: FindingsResultRef,
    description: 'Account hygiene findings, most severe first.',
    args: {
      snapshotId: t.arg.id({ required: false, description: 'Defaults to the current snapshot.' }),
      severity: t.arg({
        type: SeverityEnum,
        required: false,
        description: 'Keep this severity and the more severe ones.',
      }),
      kind: t.arg.string({ required: false, description: 'Only this kind.' }),
    },
    errors: { types: [...SNAPSHOT_ERRORS, InvalidArgumentError], directResult: true },
    resolve: async (_root, args, ctx) => {
      if (args.kind && !isFindingKind(args.kind))
        throw new InvalidArgumentError(
          'kind',
          `unknown finding kind \`${args.kind}\`: one of ${FINDING_KINDS.join(', ')}`,
        );
      const info = await resolveSnapshot(ctx, args.snapshotId);
      return findingsAnswer(await ctx.analysis(info.id), info.id, {
        ...(args.severity ? { severity: args.severity as Severity } : {}),
        ...(args.kind && isFindingKind(args.kind) ? { kind: args.kind } : {}),
      });
    },
  }),
}));
