/** One version of a managed policy. AWS evaluates only the default one; the others matter for what-if. */
import { PolicyVersionRef } from './refs.ts';

PolicyVersionRef.implement({
  fields: (t) => ({
    versionId: t.exposeString('versionId'),
    isDefault: t.exposeBoolean('isDefault'),
    createDate: t.exposeString('createDate', { nullable: true }),
    document: t.field({ type: 'JSON', resolve: (v) => JSON.parse(v.document) as unknown }),
  }),
});
