/** Terraform plan JSON → what-if changes (see README.md). */
export { readTerraformPlan, decodeText } from './read-plan.ts';
export {
  translatePlan,
  planAccountMismatch,
  type PlanTranslation,
  type PlannedChange,
  type PlannedPolicy,
  type PlanSummary,
} from './translate.ts';
