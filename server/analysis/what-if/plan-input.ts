/**
 * A Terraform plan or CloudFormation change set as what-if changes, the one entry for the CLI and the API: the
 * importer of the format reads and translates it (importers/terraform-plan, importers/cloudformation-change-set),
 * the snapshot's account is checked, and its resource and trust policies are checked for new outside access.
 */
import { readChangeSet, translateChangeSet } from '../../../importers/cloudformation-change-set/index.ts';
import {
  readTerraformPlan,
  translatePlan,
  type PlanTranslation,
} from '../../../importers/terraform-plan/index.ts';
import type { Diagnostic } from '../../engine/diagnostics.ts';
import { newExposure, type Exposure } from '../policy-exposure.ts';

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

/** New public or cross-account access that one of the plan's resource or trust policies opens. */
export interface PlanExposure extends Exposure {
  /** The plan resource address (Terraform) or logical id (CloudFormation). */
  address: string;
  /** The resource (ARN, name, URL) or `role/NAME` for a trust policy. */
  resource: string;
  kind: 'trust' | 'resource';
}

export function planExposures(translation: PlanTranslation, accountId: string): PlanExposure[] {
  return translation.policies.flatMap((p) =>
    newExposure(p.before, p.after, p.kind, accountId).map((e) => ({
      ...e,
      address: p.address,
      resource: p.resource,
      kind: p.kind,
    })),
  );
}
