/**
 * `ContextEntryInput`: one request context key with its values, for queries that evaluate requests
 * (`whoCan`, and the evaluation queries). Multi-valued keys (`aws:TagKeys`) take several values.
 */
import { builder } from '../builder.ts';

export interface ContextEntry {
  key: string;
  values: string[];
}

export const ContextEntryInput = builder.inputType('ContextEntryInput', {
  description: 'A condition key and its value(s), e.g. `{ key: "aws:SecureTransport", values: ["true"] }`.',
  fields: (t) => ({
    key: t.string({ required: true }),
    values: t.stringList({ required: true, description: 'One value, or several for a multi-valued key.' }),
  }),
});

/** The engine's context: a single value stays a string, several become a list; repeated keys add up. */
export { contextOf } from '../../analysis/evaluation.ts';
