/**
 * The one Pothos builder. Every file under `types/` registers its GraphQL type on it; `schema.ts` imports
 * them all and calls `toSchema()`. Expected failures (a snapshot id that does not exist, an ARN that is not in
 * the snapshot, an argument out of range) are union results through the errors plugin, so clients handle
 * them with `... on Error { message }`; anything else is an exception that Yoga masks (docs/style.md §D).
 */
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import type { ApiContext } from './context.ts';

export const builder = new SchemaBuilder<{
  Context: ApiContext;
  Scalars: {
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [ErrorsPlugin],
  defaultFieldNullability: false,
  errors: {
    defaultTypes: [],
  },
});

builder.queryType({
  description: 'Read-only questions about imported account snapshots.',
});
