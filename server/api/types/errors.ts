/**
 * Expected failures, returned as members of a field's result union. All implement `Error { message }`.
 * `SnapshotNotFound` reuses the store's `SnapshotNotFoundError` class, so a store that throws it for an
 * unknown id is answered the same way as our own lookups.
 */
import { SnapshotNotFoundError } from '../../graph/store.ts';
import { builder } from '../builder.ts';

/** An ARN (or inline policy id) that is not in the snapshot asked. */
export class NotFoundError extends Error {
  constructor(
    readonly what: 'principal' | 'group' | 'policy' | 'resource' | 'accessKey',
    readonly arn: string,
    readonly snapshotId: string,
  ) {
    super(`${what} \`${arn}\` not found in snapshot \`${snapshotId}\``);
    this.name = 'NotFoundError';
  }
}

/** An argument outside what the API accepts (page size, depth, a cursor it did not issue). */
export class InvalidArgumentError extends Error {
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidArgumentError';
  }
}

/** Nothing has been imported yet, and the query did not name a snapshot. */
export class NoSnapshotError extends Error {
  constructor() {
    super('no snapshot has been imported');
    this.name = 'NoSnapshotError';
  }
}

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'An expected failure; query `... on Error { message }` to show any of them.',
  fields: (t) => ({ message: t.exposeString('message') }),
});

builder.objectType(SnapshotNotFoundError, {
  name: 'SnapshotNotFound',
  interfaces: [ErrorInterface],
  fields: (t) => ({ snapshotId: t.exposeID('snapshotId') }),
});

builder.objectType(NoSnapshotError, {
  name: 'NoSnapshot',
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(NotFoundError, {
  name: 'NotFound',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    arn: t.exposeString('arn'),
    snapshotId: t.exposeID('snapshotId'),
  }),
});

builder.objectType(InvalidArgumentError, {
  name: 'InvalidArgument',
  interfaces: [ErrorInterface],
  fields: (t) => ({ argument: t.exposeString('argument') }),
});

/** The errors every snapshot-scoped query can answer with. */
export const SNAPSHOT_ERRORS = [SnapshotNotFoundError, NoSnapshotError];
