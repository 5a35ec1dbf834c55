/**
 * The shape of `aws iam get-account-authorization-details` output, as AWS writes it (IAM API reference:
 * API_GetAccountAuthorizationDetails, API_UserDetail, API_GroupDetail, API_RoleDetail, API_ManagedPolicyDetail,
 * API_PolicyVersion). Validation only, no transforms, so the same shape prints as JSON Schema
 * (`schema/snapshot-bundle.schema.json`); decoding and normalizing happen in normalize.ts.
 *
 * Required here = required in the API reference for the entity to be usable (ARN, name, id, path). Lists the
 * CLI omits when empty (seen in real files: cloudmapper's users without `UserPolicyList`) are optional, and
 * optional fields may be `null` (cloudsplaining's example: `PermissionsBoundaryUsageCount: null`), read as absent.
 */
import { z } from 'zod';
import { AWS_DATE_PATTERN } from '../../shared/dates.ts';

const awsDate = z.string().regex(AWS_DATE_PATTERN, {
  message: 'expected a date such as `2023-03-09T10:41:45Z`, `…+00:00` or `2023-03-09 10:41:45+00:00`',
});

/** A policy document: an object (CLI, boto3) or a URL-encoded / plain JSON string (raw API, JS SDK v3). */
export const policyDocumentShape = z.union([z.record(z.string(), z.unknown()), z.string()]);

const tagShape = z.object({ Key: z.string(), Value: z.string() });

const inlinePolicyShape = z.object({
  PolicyName: z.string(),
  PolicyDocument: policyDocumentShape,
});

const attachedPolicyShape = z.object({
  PolicyName: z.string().nullish(),
  PolicyArn: z.string(),
});

/**
 * An array per the API reference; AWS's own CLI documentation example writes a single object here
 * (awscli/examples/iam/get-account-authorization-details.rst). Accepted, with a warning, in normalize.ts.
 */
const attachedPoliciesShape = z.union([z.array(attachedPolicyShape), attachedPolicyShape]);

const boundaryShape = z.object({
  PermissionsBoundaryType: z.string().nullish(),
  PermissionsBoundaryArn: z.string(),
});

export const userDetailShape = z.object({
  Path: z.string(),
  UserName: z.string(),
  UserId: z.string(),
  Arn: z.string(),
  CreateDate: awsDate.nullish(),
  UserPolicyList: z.array(inlinePolicyShape).nullish(),
  /** Group *names*, not ARNs. */
  GroupList: z.array(z.string()).nullish(),
  AttachedManagedPolicies: attachedPoliciesShape.nullish(),
  PermissionsBoundary: boundaryShape.nullish(),
  Tags: z.array(tagShape).nullish(),
});

export const groupDetailShape = z.object({
  Path: z.string(),
  GroupName: z.string(),
  GroupId: z.string(),
  Arn: z.string(),
  CreateDate: awsDate.nullish(),
  GroupPolicyList: z.array(inlinePolicyShape).nullish(),
  AttachedManagedPolicies: attachedPoliciesShape.nullish(),
});

const instanceProfileShape = z.object({
  Path: z.string().nullish(),
  InstanceProfileName: z.string(),
  InstanceProfileId: z.string().nullish(),
  Arn: z.string(),
  CreateDate: awsDate.nullish(),
  // The nested roles repeat the role itself; we do not read them.
  Roles: z.array(z.unknown()).nullish(),
});

export const roleDetailShape = z.object({
  Path: z.string(),
  RoleName: z.string(),
  RoleId: z.string(),
  Arn: z.string(),
  CreateDate: awsDate.nullish(),
  AssumeRolePolicyDocument: policyDocumentShape,
  Description: z.string().nullish(),
  MaxSessionDuration: z.number().int().nullish(),
  InstanceProfileList: z.array(instanceProfileShape).nullish(),
  RolePolicyList: z.array(inlinePolicyShape).nullish(),
  AttachedManagedPolicies: attachedPoliciesShape.nullish(),
  PermissionsBoundary: boundaryShape.nullish(),
  Tags: z.array(tagShape).nullish(),
  /** `{}` when the role was never used (cloudsplaining's example). */
  RoleLastUsed: z.object({ LastUsedDate: awsDate.nullish(), Region: z.string().nullish() }).nullish(),
});

const policyVersionShape = z.object({
  Document: policyDocumentShape,
  VersionId: z.string(),
  IsDefaultVersion: z.boolean(),
  CreateDate: awsDate.nullish(),
});

export const managedPolicyDetailShape = z.object({
  PolicyName: z.string(),
  PolicyId: z.string().nullish(),
  Arn: z.string(),
  Path: z.string(),
  DefaultVersionId: z.string(),
  AttachmentCount: z.number().int().nullish(),
  PermissionsBoundaryUsageCount: z.number().int().nullish(),
  IsAttachable: z.boolean().nullish(),
  Description: z.string().nullish(),
  CreateDate: awsDate.nullish(),
  UpdateDate: awsDate.nullish(),
  PolicyVersionList: z.array(policyVersionShape),
});

/** One page (or the CLI's auto-paginated whole) of `get-account-authorization-details`. */
export const gaadShape = z.object({
  UserDetailList: z.array(userDetailShape).nullish(),
  GroupDetailList: z.array(groupDetailShape).nullish(),
  RoleDetailList: z.array(roleDetailShape).nullish(),
  Policies: z.array(managedPolicyDetailShape).nullish(),
  IsTruncated: z.boolean().nullish(),
  Marker: z.string().nullish(),
});

export type GaadPage = z.infer<typeof gaadShape>;
export type GaadUser = z.infer<typeof userDetailShape>;
export type GaadGroup = z.infer<typeof groupDetailShape>;
export type GaadRole = z.infer<typeof roleDetailShape>;
export type GaadManagedPolicy = z.infer<typeof managedPolicyDetailShape>;
export type GaadAttachedPolicies = z.infer<typeof attachedPoliciesShape>;
