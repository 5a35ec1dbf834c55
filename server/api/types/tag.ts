/** IAM tags as a sorted list of key/value pairs (GraphQL has no map type). */
import { TagRef } from './refs.ts';

TagRef.implement({
  fields: (t) => ({
    key: t.exposeString('key'),
    value: t.exposeString('value'),
  }),
});
