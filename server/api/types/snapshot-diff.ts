/**
 * `diff(fromSnapshotId, toSnapshotId)`: drift between two imported snapshots of one account — who gained or lost
 * access since the earlier one. Logic in server/analysis/what-if/.
 */
import { AccountMismatchError, diffAccount } from '../../analysis/what-if/what-if.ts';
import type { AccessDiff } from '../../analysis/what-if/diff.ts';
import { builder } from '../builder.ts';
import { resolveSnapshot } from '../resolve-snapshot.ts';
import { AccessDiffRef } from './access-diff.ts';
import { ErrorInterface, SNAPSHOT_ERRORS } from './errors.ts';

builder.objectType(AccountMismatchError, {
  name: 'AccountMismatch',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    fromAccount: t.exposeString('fromAccount'),
    toAccount: t.exposeString('toAccount'),
  }),
});

const SnapshotDiffRef = builder
  .objectRef<{ fromSnapshotId: string; toSnapshotId: string; diff: AccessDiff }>('SnapshotDiff')
  .implement({
    fields: (t) => ({
      fromSnapshotId: t.exposeID('fromSnapshotId'),
      toSnapshotId: t.exposeID('toSnapshotId'),
      diff: t.field({ type: AccessDiffRef, resolve: (r) => r.diff }),
    }),
  });

builder.queryFields((t) => ({
  diff: t.field({
    type: SnapshotDiffRef,
    description:
      'What changed between two snapshots of one account: access granted and revoked since `from`.',
    args: {
      fromSnapshotId: t.arg.id({ required: true }),
      toSnapshotId: t.arg.id({ required: true }),
    },
    errors: { types: [...SNAPSHOT_ERRORS, AccountMismatchError], directResult: true },
    resolve: async (_root, args, ctx) => {
      const [from, to] = await Promise.all(
        [args.fromSnapshotId, args.toSnapshotId].map(async (id) => {
          const info = await resolveSnapshot(ctx, String(id));
          return ctx.analysis(info.id);
        }),
      );
      return {
        fromSnapshotId: String(args.fromSnapshotId),
        toSnapshotId: String(args.toSnapshotId),
        diff: await diffAccount(from!, to!),
      };
    },
  }),
}));
