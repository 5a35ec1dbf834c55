/**
 * The bundle layout: where each AWS CLI output lives inside a bundle directory. One table shared by the
 * importers (which read these paths) and the live collector (which writes them), so the two cannot drift.
 * Every file is optional except the GAAD; each holds exactly what the named `aws` command prints with
 * `--output json` (the credential report: its decoded CSV).
 *
 * A multi-account bundle holds one single-account bundle per member under `accounts/<account-id>/`, and the
 * organization's files once, at the top.
 */

/** `aws iam get-account-authorization-details` (several pages: `authorization-details-2.json`, …). */
export const GAAD = 'authorization-details.json';

/**
 * `aws iam get-credential-report --query Content --output text | base64 --decode > credential-report.csv`.
 * The raw `aws iam get-credential-report` JSON (base64 `Content`) is accepted as `credential-report.json`.
 */
export const CREDENTIAL_REPORT_CSV = 'credential-report.csv';
export const CREDENTIAL_REPORT_JSON = 'credential-report.json';

/** `aws iam get-account-password-policy` (absent when the account has none: AWS answers NoSuchEntity). */
export const PASSWORD_POLICY = 'password-policy.json';

/**
 * Written by `accessgraph collect` only: what was collected, when, by whom (sts get-caller-identity), and what
 * was skipped and why. Importers may read it for completeness warnings; hand-collected bundles have none.
 */
export const COLLECTION_MANIFEST = 'collection.json';

/** AWS Organizations outputs, from the management account (or a delegated administrator). */
export const ORGANIZATION = {
  dir: 'organization',
  /** `aws organizations describe-organization` */
  describeOrganization: 'organization/describe-organization.json',
  /** `aws organizations list-roots` */
  listRoots: 'organization/list-roots.json',
  /** `aws organizations list-organizational-units-for-parent --parent-id <id>`, one file per parent. */
  ousForParent: (parentId: string) => `organization/ous-for-parent/${parentId}.json`,
  /** `aws organizations list-accounts-for-parent --parent-id <id>`, one file per parent. */
  accountsForParent: (parentId: string) => `organization/accounts-for-parent/${parentId}.json`,
  /** `aws organizations list-policies --filter SERVICE_CONTROL_POLICY|RESOURCE_CONTROL_POLICY` */
  listPolicies: (filter: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY') =>
    `organization/list-policies/${filter}.json`,
  /** `aws organizations describe-policy --policy-id <id>` */
  describePolicy: (policyId: string) => `organization/policies/${policyId}.json`,
  /** `aws organizations list-targets-for-policy --policy-id <id>` */
  targetsForPolicy: (policyId: string) => `organization/targets-for-policy/${policyId}.json`,
} as const;

/** Member accounts of a multi-account bundle: each directory is a single-account bundle. */
export const accountDir = (accountId: string) => `accounts/${accountId}`;

/**
 * Resource-based policies: `resource-policies/<service>/[<region>/]<name>.<command>.json`.
 * The region directory is there for services whose output names neither the region nor the ARN (KMS, Lambda,
 * ECR); S3 bucket ARNs carry no region, and SNS/SQS/Secrets Manager outputs carry their ARN.
 * `<name>` is the bucket, topic, queue, key id, secret, function or repository name, with any `/` as `%2F`.
 */
export const RESOURCE_POLICIES = {
  dir: 'resource-policies',
  /**
   * `aws s3api list-buckets`: every bucket of the account, so a bucket without a policy file is known to have
   * no policy (get-bucket-policy answered NoSuchBucketPolicy) rather than not collected.
   */
  s3ListBuckets: 'resource-policies/s3/list-buckets.json',
  /** `aws s3api get-bucket-policy --bucket <bucket>` */
  s3BucketPolicy: (bucket: string) => `resource-policies/s3/${bucket}.get-bucket-policy.json`,
  /** `aws s3api get-public-access-block --bucket <bucket>` */
  s3PublicAccessBlock: (bucket: string) => `resource-policies/s3/${bucket}.get-public-access-block.json`,
  /** `aws sns get-topic-attributes --topic-arn <arn>` (the output holds TopicArn and Policy). */
  snsTopicAttributes: (region: string, topic: string) =>
    `resource-policies/sns/${region}/${topic}.get-topic-attributes.json`,
  /** `aws sqs get-queue-attributes --queue-url <url> --attribute-names QueueArn Policy` */
  sqsQueueAttributes: (region: string, queue: string) =>
    `resource-policies/sqs/${region}/${queue}.get-queue-attributes.json`,
  /** `aws kms get-key-policy --key-id <id> --policy-name default` (the output names neither key ARN nor region). */
  kmsKeyPolicy: (region: string, keyId: string) =>
    `resource-policies/kms/${region}/${keyId}.get-key-policy.json`,
  /** `aws secretsmanager get-resource-policy --secret-id <arn>` (the output holds ARN and ResourcePolicy). */
  secretsManagerPolicy: (region: string, secret: string) =>
    `resource-policies/secretsmanager/${region}/${encodeURIComponent(secret)}.get-resource-policy.json`,
  /** `aws lambda get-policy --function-name <name>` */
  lambdaPolicy: (region: string, fn: string) => `resource-policies/lambda/${region}/${fn}.get-policy.json`,
  /** `aws ecr get-repository-policy --repository-name <name>` */
  ecrRepositoryPolicy: (region: string, repository: string) =>
    `resource-policies/ecr/${region}/${encodeURIComponent(repository)}.get-repository-policy.json`,
} as const;

/**
 * VPC endpoints with their endpoint policies, beside `resource-policies/`: `aws ec2 describe-vpc-endpoints
 * --region <region>`, one file per region (the output names no region; `PolicyDocument` is a JSON string).
 */
export const VPC_ENDPOINTS = {
  dir: 'vpc-endpoints',
  describe: (region: string) => `vpc-endpoints/${region}.describe-vpc-endpoints.json`,
} as const;
