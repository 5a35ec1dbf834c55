/** `Snapshot` and the queries that list and fetch snapshots. */
import { SnapshotNotFoundError, type SnapshotCounts } from '../../graph/store.ts';
import { builder } from '../builder.ts';
import { DiagnosticRef, SnapshotRef } from './refs.ts';

const SnapshotCountsRef = builder.objectRef<SnapshotCounts>('SnapshotCounts').implement({
  fields: (t) => ({
    users: t.exposeInt('users'),
    groups: t.exposeInt('groups'),
    roles: t.exposeInt('roles'),
    policies: t.exposeInt('policies'),
    resources: t.exposeInt('resources'),
  }),
});

SnapshotRef.implement({
  description: 'One import of one account. Several can coexist; the newest of an account is current.',
  fields: (t) => ({
    id: t.exposeID('id'),
    accountId: t.exposeString('accountId'),
    label: t.exposeString('label'),
    loadedAt: t.exposeString('loadedAt', { description: 'When the store finished loading it (ISO-8601).' }),
    collectedAt: t.exposeString('collectedAt', { nullable: true }),
    current: t.exposeBoolean('current'),
    counts: t.field({ type: SnapshotCountsRef, resolve: (s) => s.counts }),
    warnings: t.field({ type: [DiagnosticRef], resolve: (s) => s.warnings }),
  }),
});

builder.queryFields((t) => ({
  snapshots: t.field({
    type: [SnapshotRef],
    description: 'All snapshots, newest first.',
    resolve: (_root, _args, ctx) => ctx.store.listSnapshots(),
  }),
  snapshot: t.field({
    type: SnapshotRef,
    args: { id: t.arg.id({ required: true }) },
    errors: { types: [SnapshotNotFoundError], directResult: true },
    resolve: async (_root, { id }, ctx) => {
      const info = await ctx.loaders.snapshot.load(String(id));
      if (!info) throw new SnapshotNotFoundError(String(id));
      return info;
    },
  }),
}));
