/**
 * A Terraform plan or CloudFormation change set, either format, as the what-if changes: the format's reader and
 * translator (terraform-plan/, cloudformation-change-set/) with their diagnostics, and the format guessed from the
 * text when the caller does not say (the API's `planChanges` without `format`).
 */
import type { Diagnostic } from '../schema/diagnostics.ts';
import { readChangeSet, translateChangeSet } from './cloudformation-change-set/index.ts';
import { readTerraformPlan, translatePlan, type PlanTranslation } from './terraform-plan/index.ts';

export type PlanFormat = 'terraform-plan' | 'cloudformation-change-set';

export interface PlanInput {
  /** Absent when the input is not a plan (or change set) at all: `diagnostics` says why. */
  translation?: PlanTranslation;
  /** The decoded text of a Terraform plan (for placing a resource address on a line). */
  text?: string;
  /** The reader's and the translator's diagnostics. */
  diagnostics: Diagnostic[];
}

export function readPlanInput(bytes: Uint8Array, format: PlanFormat, file: string): PlanInput {
  if (format === 'cloudformation-change-set') {
    const read = readChangeSet(bytes, file);
    if (!read.changeSet) return { diagnostics: read.diagnostics };
    const translation = translateChangeSet(read.changeSet, file);
    return { translation, diagnostics: [...read.diagnostics, ...translation.diagnostics] };
  }
  const read = readTerraformPlan(bytes, file);
  if (!read.plan) return { diagnostics: read.diagnostics };
  const translation = translatePlan(read.plan, file);
  return { translation, text: read.text, diagnostics: [...read.diagnostics, ...translation.diagnostics] };
}

/**
 * The format of `text` when none is given: a JSON object with a change set's `Changes` or `ChangeSetId` is one;
 * anything else is read as a Terraform plan, whose reader names what is wrong with it.
 */
export function detectPlanFormat(text: string): PlanFormat {
  try {
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    if (value && typeof value === 'object' && ('Changes' in value || 'ChangeSetId' in value))
      return 'cloudformation-change-set';
  } catch {
    // Not JSON as a whole (CI log lines around a plan, say): the plan reader decides.
  }
  return 'terraform-plan';
}
