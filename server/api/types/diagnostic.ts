/** A `Diagnostic` (schema/diagnostics.ts) as GraphQL: completeness warnings recorded at import. */
import { builder } from '../builder.ts';
import { DiagnosticRef } from './refs.ts';

export const SeverityEnum = builder.enumType('Severity', {
  values: { ERROR: { value: 'error' }, WARNING: { value: 'warning' } } as const,
});

DiagnosticRef.implement({
  description: 'A problem or completeness warning found in the input, with where it was found.',
  fields: (t) => ({
    severity: t.field({ type: SeverityEnum, resolve: (d) => d.severity }),
    code: t.exposeString('code', { description: 'Stable code, e.g. `gaad.missing-boundary-policy`.' }),
    message: t.exposeString('message'),
    file: t.exposeString('file', { nullable: true }),
    jsonPath: t.exposeString('jsonPath', { nullable: true }),
    line: t.exposeInt('line', { nullable: true }),
    hint: t.exposeString('hint', { nullable: true }),
  }),
});
