/**
 * New public or cross-account access that a plan's (or change set's) resource and trust policies open, each told
 * by the plan resource it came from.
 */
import type { PlanTranslation } from '../../../importers/terraform-plan/index.ts';
import { newExposure, type Exposure } from '../policy-exposure.ts';

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
