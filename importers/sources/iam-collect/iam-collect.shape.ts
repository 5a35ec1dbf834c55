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

/**
 * `organizations/<org-id>/metadata.json` (src/syncs/organizations/organizations.ts): the root and the
 * management account, and which policy types are enabled (`features`, by policy type).
 */
export const orgMetadataShape = z.looseObject({
  id: z.string(),
  arn: z.string().nullish(),
  rootOu: z.string(),
  rootAccountId: z.string().regex(/^\d{12}$/, { message: 'expected a 12-digit account id' }),
  features: z.record(z.string(), z.boolean()).nullish(),
});

/** `ous.json`: per root/OU id its parent and the ARNs of the SCPs and RCPs attached to it. */
export const orgOusShape = z.record(
  z.string(),
  z.looseObject({
    parent: z.string().nullish(),
    scps: z.array(z.string()).nullish(),
    rcps: z.array(z.string()).nullish(),
  }),
);

/** `accounts.json`: per account id its parent (`ou`) and attached SCP/RCP ARNs. */
export const orgAccountsShape = z.record(
  z.string().regex(/^\d{12}$/),
  z.looseObject({
    ou: z.string(),
    scps: z.array(z.string()).nullish(),
    rcps: z.array(z.string()).nullish(),
  }),
);

/** `ous/<id>/metadata.json` (the root too). */
export const orgUnitMetadataShape = z.looseObject({ arn: z.string().nullish(), name: z.string() });

/** `scps/<id>/metadata.json`, `rcps/<id>/metadata.json`; the document is `policy.json` beside it. */
export const orgPolicyMetadataShape = z.looseObject({
  arn: z.string().startsWith('arn:'),
  name: z.string(),
  description: z.string().nullish(),
  awsManaged: z.boolean().nullish(),
});
