/**
 * The shapes of the AWS CLI outputs that carry resource-based policies. Every policy arrives as a JSON *string*
 * (S3 `Policy`, SNS/SQS attribute `Policy`, KMS `Policy`, Secrets Manager `ResourcePolicy`, Lambda `Policy`, ECR
 * `policyText`). Validation only; fields we do not read are left open.
 */
import { z } from 'zod';

/** `aws s3api get-bucket-policy --bucket <b>` */
export const s3BucketPolicyShape = z.object({ Policy: z.string() });

/** `aws s3api get-public-access-block --bucket <b>` */
export const s3PublicAccessBlockShape = z.object({
  PublicAccessBlockConfiguration: z.object({
    BlockPublicAcls: z.boolean().nullish(),
    IgnorePublicAcls: z.boolean().nullish(),
    BlockPublicPolicy: z.boolean().nullish(),
    RestrictPublicBuckets: z.boolean().nullish(),
  }),
});

/** `aws s3api list-buckets`: the buckets that exist, with or without a policy. */
export const s3ListBucketsShape = z.object({
  Buckets: z.array(z.object({ Name: z.string(), BucketRegion: z.string().nullish() })),
});

/** `aws sns get-topic-attributes --topic-arn <arn>` (every attribute is a string). */
export const snsTopicAttributesShape = z.object({
  Attributes: z.object({ TopicArn: z.string(), Policy: z.string().nullish() }),
});

/** `aws sqs get-queue-attributes --queue-url <url> --attribute-names QueueArn Policy` */
export const sqsQueueAttributesShape = z.object({
  Attributes: z.object({ QueueArn: z.string(), Policy: z.string().nullish() }),
});

/** `aws kms get-key-policy --key-id <id> --policy-name default` */
export const kmsKeyPolicyShape = z.object({ Policy: z.string(), PolicyName: z.string().nullish() });

/** `aws secretsmanager get-resource-policy --secret-id <arn>`: no `ResourcePolicy` when the secret has none. */
export const secretsManagerPolicyShape = z.object({
  ARN: z.string(),
  Name: z.string(),
  ResourcePolicy: z.string().nullish(),
});

/** `aws lambda get-policy --function-name <name>` */
export const lambdaPolicyShape = z.object({ Policy: z.string(), RevisionId: z.string().nullish() });

/** `aws ecr get-repository-policy --repository-name <name>` */
export const ecrRepositoryPolicyShape = z.object({
  registryId: z.string(),
  repositoryName: z.string(),
  policyText: z.string(),
});
