/**
 * The engine case format (docs/style.md §E): one JSON file per rule under `test/cases/engine/<rule>/`, each an
 * array of cases or `{ cases: [...] }`. Every object is strict, like Cedar's `deny_unknown_fields`: a misspelt
 * key (`"stricContext"`, `"deniedby"`) fails the fixture instead of silently testing nothing.
 */
import { z } from 'zod';

const decision = z.enum(['ALLOWED', 'DENIED', 'CONDITIONAL']);
const layer = z.enum(['identity', 'boundary', 'scp', 'rcp', 'resource', 'session', 'endpoint']);

/** A policy document as AWS writes it; the engine (not this schema) judges its contents. */
const policyDocument = z.looseObject({ Statement: z.unknown() });

/** `{ id, document, attachedVia }`, for cases that assert on policy ids or attachment paths. */
const wrappedPolicy = z.strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  document: z.union([z.string(), policyDocument]),
  attachedVia: z.array(z.string()).optional(),
});

export const casePolicySchema = z.union([wrappedPolicy, policyDocument]);

const context = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

export const engineCaseSchema = z
  .strictObject({
    name: z.string().min(1),
    /** The AWS documentation page (slug) the case encodes, e.g. `reference_policies_evaluation-logic`. */
    doc: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'an AWS documentation page slug'),
    /** The page's address, where the slug alone does not find it (service guides, API references). */
    url: z.url({ protocol: /^https$/ }).optional(),
    request: z.strictObject({
      principal: z.string().min(1),
      action: z.string().min(1),
      resource: z.string().min(1),
      resourceAccount: z
        .string()
        .regex(/^\d{12}$/)
        .optional(),
      context: context.optional(),
      /** When the request is made (the snapshot's time), ISO 8601: the engine's time and session facts. */
      at: z.iso.datetime().optional(),
    }),
    policies: z.strictObject({
      identity: z.array(casePolicySchema).optional(),
      boundary: casePolicySchema.optional(),
      /** One list per organization level, root first, account last. */
      scps: z.array(z.array(casePolicySchema)).optional(),
      rcps: z.array(z.array(casePolicySchema)).optional(),
      resource: casePolicySchema.optional(),
      session: casePolicySchema.optional(),
      /** The VPC endpoint policy the request goes through. */
      endpoint: casePolicySchema.optional(),
    }),
    /** true: the context is complete (absent keys are absent); never CONDITIONAL. */
    strictContext: z.boolean().optional(),
    expect: z
      .strictObject({
        decision,
        deniedBy: z
          .strictObject({
            kind: z.enum(['explicit', 'implicit', 'service']),
            layer: layer.optional(),
            level: z.number().int().nonnegative().optional(),
          })
          .optional(),
        matched: z
          .array(z.strictObject({ policyId: z.string(), statementIndex: z.number().int().nonnegative() }))
          .optional(),
        residualKeys: z.array(z.string()).optional(),
        /** Keys whose time or session fact decided a condition: the explanation must name each. */
        settledBy: z.array(z.string()).optional(),
        /** The service rule that decides the request whatever the policies say (engine services/rules.ts). */
        serviceRule: z
          .enum([
            'no-permission-needed',
            'aws-managed-policy',
            'service-linked-role',
            'aws-reserved-role',
            'reserved-kms-alias',
          ])
          .optional(),
      })
      .refine((e) => e.decision === 'DENIED' || e.deniedBy === undefined, 'deniedBy only goes with DENIED')
      .refine(
        (e) => e.decision === 'CONDITIONAL' || e.residualKeys === undefined,
        'residualKeys only go with CONDITIONAL',
      ),
    /** Why the case is skipped, e.g. `engine bug: <what>`; the case stays in the corpus. */
    skip: z.string().min(1).optional(),
    only: z.boolean().optional(),
  })
  .refine(
    (c) => !(c.strictContext === true && c.expect.decision === 'CONDITIONAL'),
    'strictContext cases are never CONDITIONAL',
  );

export const caseFileSchema = z.union([
  z.array(engineCaseSchema),
  z.strictObject({ cases: z.array(engineCaseSchema) }),
]);

export type EngineCase = z.infer<typeof engineCaseSchema>;
export type CasePolicy = z.infer<typeof casePolicySchema>;
