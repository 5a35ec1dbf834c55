/**
 * The shapes of the `aws organizations` outputs a bundle holds (Organizations API reference: DescribeOrganization,
 * ListRoots, ListOrganizationalUnitsForParent, ListAccountsForParent, ListPolicies, DescribePolicy,
 * ListTargetsForPolicy). Validation only; normalize.ts builds the tree. Fields we do not read are left open, so a
 * newer CLI adding fields still validates.
 */
import { z } from 'zod';

export const policyTypeShape = z.enum(['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY']);

export const describeOrganizationShape = z.object({
  Organization: z.object({
    Id: z.string(),
    Arn: z.string().nullish(),
    /** The management account (the API keeps its old name). */
    MasterAccountId: z.string(),
    FeatureSet: z.string().nullish(),
  }),
});

export const listRootsShape = z.object({
  Roots: z.array(
    z.object({
      Id: z.string(),
      Arn: z.string().nullish(),
      Name: z.string(),
      /** The policy types enabled on the root; a type not ENABLED here applies nowhere in the organization. */
      PolicyTypes: z.array(z.object({ Type: z.string(), Status: z.string() })).nullish(),
    }),
  ),
});

export const ousForParentShape = z.object({
  OrganizationalUnits: z.array(z.object({ Id: z.string(), Arn: z.string().nullish(), Name: z.string() })),
});

export const accountsForParentShape = z.object({
  Accounts: z.array(
    z.object({
      Id: z.string().regex(/^\d{12}$/, { message: 'expected a 12-digit account id' }),
      Arn: z.string().nullish(),
      Name: z.string().nullish(),
      Email: z.string().nullish(),
      Status: z.string().nullish(),
    }),
  ),
});

const policySummaryShape = z.object({
  Id: z.string(),
  Arn: z.string(),
  Name: z.string(),
  Type: policyTypeShape,
  AwsManaged: z.boolean().nullish(),
  Description: z.string().nullish(),
});

export const listPoliciesShape = z.object({ Policies: z.array(policySummaryShape) });

export const describePolicyShape = z.object({
  Policy: z.object({
    PolicySummary: policySummaryShape,
    /** The policy document as a JSON *string*. */
    Content: z.string(),
  }),
});

export const targetsForPolicyShape = z.object({
  Targets: z.array(
    z.object({
      TargetId: z.string(),
      Arn: z.string().nullish(),
      Name: z.string().nullish(),
      Type: z.enum(['ROOT', 'ORGANIZATIONAL_UNIT', 'ACCOUNT']),
    }),
  ),
});

export type DescribeOrganization = z.infer<typeof describeOrganizationShape>;
export type ListRoots = z.infer<typeof listRootsShape>;
export type OusForParent = z.infer<typeof ousForParentShape>;
export type AccountsForParent = z.infer<typeof accountsForParentShape>;
export type ListPolicies = z.infer<typeof listPoliciesShape>;
export type DescribePolicy = z.infer<typeof describePolicyShape>;
export type TargetsForPolicy = z.infer<typeof targetsForPolicyShape>;
