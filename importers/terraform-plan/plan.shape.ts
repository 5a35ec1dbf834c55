/**
 * The parts of Terraform's JSON plan representation (`terraform show -json <planfile>`, "JSON Output Format") the
 * what-if reads: `resource_changes[]` with `change.{actions, before, after, after_unknown}`, and the
 * `configuration` section's references for values known only after apply. Everything else is passed through.
 */
import { z } from 'zod';

export const ACTIONS = ['no-op', 'create', 'read', 'update', 'delete'] as const;

export const ResourceChangeShape = z.looseObject({
  address: z.string().optional(),
  module_address: z.string().optional(),
  mode: z.enum(['managed', 'data']),
  type: z.string(),
  name: z.string(),
  index: z.union([z.string(), z.number()]).optional(),
  change: z.looseObject({
    actions: z.array(z.enum(ACTIONS)).min(1),
    before: z.unknown().optional(),
    after: z.unknown().optional(),
    after_unknown: z.unknown().optional(),
  }),
});

const ExpressionsShape = z.record(z.string(), z.unknown());

export interface ConfigModule {
  resources?: { address?: string; mode?: string; type: string; name: string; expressions?: unknown }[];
  module_calls?: Record<string, { module?: ConfigModule }>;
}

const ConfigModuleShape: z.ZodType<ConfigModule> = z.lazy(() =>
  z.looseObject({
    resources: z
      .array(
        z.looseObject({
          address: z.string().optional(),
          mode: z.string().optional(),
          type: z.string(),
          name: z.string(),
          expressions: ExpressionsShape.optional(),
        }),
      )
      .optional(),
    module_calls: z.record(z.string(), z.looseObject({ module: ConfigModuleShape.optional() })).optional(),
  }),
);

export const PlanShape = z.looseObject({
  format_version: z.string(),
  terraform_version: z.string().optional(),
  resource_changes: z.array(ResourceChangeShape).optional(),
  configuration: z.looseObject({ root_module: ConfigModuleShape.optional() }).optional(),
});

export type TerraformPlan = z.infer<typeof PlanShape>;
export type ResourceChange = z.infer<typeof ResourceChangeShape>;
export type PlanAction = (typeof ACTIONS)[number];
