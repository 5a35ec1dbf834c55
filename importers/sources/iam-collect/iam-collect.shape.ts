/**
 * The files iam-collect (github.com/cloud-copilot/iam-collect) writes per resource, as its syncs build them
 * (src/syncs/iam/authorizationDetails.ts, src/syncs/typedSync.ts; docs/Storage.md for the tree). Each
 * resource is a directory `aws/<partition>/accounts/<account>/<service>/[<region>/][aws/][<type>/]<id>/`
 * (all lower-cased) holding `metadata.json` (with the resource `arn`) and one file per field: `policy.json`,
 * `inline-policies.json`, `managed-policies.json`, … Empty fields are not written. Validation only.
 */
import { z } from 'zod';
import { AWS_DATE_PATTERN } from '../../shared/dates.ts';

/** JSON.stringify of the SDK's Date: `2021-03-04T05:06:07.000Z`. */
const date = z.string().regex(AWS_DATE_PATTERN, { message: 'expected an ISO-8601 date' });

/** Every resource's `metadata.json` carries its ARN (typedSync.ts sets `metadata.arn`). */
export const metadataShape = z.looseObject({ arn: z.string().startsWith('arn:') });

export const userMetadataShape = z.looseObject({
  arn: z.string(),
  name: z.string(),
  id: z.string(),
  path: z.string(),
  created: date.nullish(),
  permissionBoundary: z.string().nullish(),
});

export const groupMetadataShape = z.looseObject({
  arn: z.string(),
  name: z.string(),
  id: z.string(),
  path: z.string(),
  created: date.nullish(),
});

export const roleMetadataShape = userMetadataShape;

export const policyMetadataShape = z.looseObject({
  arn: z.string(),
  name: z.string(),
  id: z.string().nullish(),
  path: z.string(),
  defaultVersionId: z.string(),
  description: z.string().nullish(),
  isAttachable: z.boolean().nullish(),
  permissionsBoundaryUsageCount: z.number().int().nullish(),
  createDate: date.nullish(),
  updateDate: date.nullish(),
});

/** A policy document, already decoded by iam-collect (objects, not URL-encoded strings). */
export const documentShape = z.record(z.string(), z.unknown());

/** `inline-policies.json`: GAAD's `UserPolicyList` / `GroupPolicyList` / `RolePolicyList` as they came. */
export const inlinePoliciesShape = z.array(
  z.object({ PolicyName: z.string(), PolicyDocument: documentShape }),
);

/** `managed-policies.json`, `groups.json`, `instance-profiles.json`: ARNs. */
export const arnListShape = z.array(z.string().startsWith('arn:'));

/** `tags.json`: iam-collect turns the tag list into a record. */
export const tagsShape = z.record(z.string(), z.string());

/** `bpa.json`: S3's PublicAccessBlockConfiguration. */
export const publicAccessBlockShape = z.looseObject({
  BlockPublicAcls: z.boolean().nullish(),
  IgnorePublicAcls: z.boolean().nullish(),
  BlockPublicPolicy: z.boolean().nullish(),
  RestrictPublicBuckets: z.boolean().nullish(),
});
