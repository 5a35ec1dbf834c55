/**
 * The resource policies of a generated account beyond the bucket policies, each file exactly what its `aws`
 * command prints (bundle layout RESOURCE_POLICIES): `s3api list-buckets` (the buckets with a policy plus some
 * without), SNS topic and SQS queue attributes, KMS key policies, Secrets Manager resource policies, Lambda
 * function policies and ECR repository policies. Policy shapes follow what the services write by default or
 * document as examples: the SNS `__default_policy_ID` policy, the SQS policy an SNS subscription adds, the KMS
 * default key policy with key administrators and users (key-policy-default), the permission `lambda
 * add-permission` writes, ECR cross-account pull (repository-policy-examples). Secret and repository names
 * contain `/`, as real ones often do, so the layout's `%2F` escaping is exercised.
 *
 * A separate random stream (`accessgraph-resources:<seed>`): adding these files changes no byte of the others.
 */
import { RESOURCE_POLICIES } from '../../importers/bundle/layout.ts';
import { Rng } from './prng.ts';
import { cliJson, type BundleFile } from './cli-json.ts';
import type { Json, PolicyDocument, Statement } from './documents.ts';

export interface ResourcePoliciesInput {
  seed: string | number;
  accountId: string;
  partition: string;
  regions: readonly string[];
  teams: readonly string[];
  /** Buckets that have a bucket policy file already. */
  bucketsWithPolicy: readonly string[];
  /** How the account's bucket names start (`acme`; with the account id in an organization's members). */
  bucketPrefix: string;
  /** Topics, queues, keys, secrets, functions and repositories each. */
  perService: number;
  roleArns: readonly string[];
  partnerAccounts: readonly string[];
  orgId: string;
}

export interface ResourcesSummary {
  bucketsWithoutPolicy: number;
  topics: number;
  queues: number;
  /** Queues and secrets without a policy (their output has no Policy / ResourcePolicy). */
  queuesWithoutPolicy: number;
  keys: number;
  secrets: number;
  secretsWithoutPolicy: number;
  functions: number;
  repositories: number;
}

const VERSION = '2012-10-17';
const HEX = '0123456789abcdef';
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function resourcePolicyFiles(input: ResourcePoliciesInput): {
  files: BundleFile[];
  summary: ResourcesSummary;
} {
  const rng = new Rng(`accessgraph-resources:${input.seed}`);
  const { accountId, partition, perService: n } = input;
  const files: BundleFile[] = [];
  const add = (path: string, value: unknown) => files.push({ path, text: cliJson(value) });
  const uuid = () =>
    [8, 4, 4, 4, 12]
      .map((len, i) => (i === 2 ? '4' + rng.chars(HEX, len - 1) : rng.chars(HEX, len)))
      .join('-');
  const roles = (count: number) =>
    input.roleArns.length === 0
      ? [`arn:${partition}:iam::${accountId}:root`]
      : rng.sample(input.roleArns, count);
  const oneOrMany = (xs: string[]): Json => (xs.length === 1 ? xs[0]! : xs);
  const policyText = (doc: PolicyDocument, indent?: number) => JSON.stringify(doc, null, indent);
  const arnIn = (service: string, region: string, resource: string) =>
    `arn:${partition}:${service}:${region}:${accountId}:${resource}`;
  const date = () =>
    new Date(Date.UTC(2019, 0, 1) + rng.int(0, 2000) * 86_400_000 + rng.int(0, 86_399) * 1000)
      .toISOString()
      .replace(/\.\d{3}Z$/, '+00:00');

  // s3api list-buckets: every bucket, so those without a policy file are known to have none.
  const withoutPolicy = Math.max(2, Math.round(input.bucketsWithPolicy.length * 0.2));
  const bucketNames = [
    ...input.bucketsWithPolicy,
    ...Array.from(
      { length: withoutPolicy },
      (_, i) =>
        `${input.bucketPrefix}-${rng.pick(input.teams)}-${rng.pick(['static', 'scratch', 'archive', 'tmp'])}-${input.bucketsWithPolicy.length + i}`,
    ),
  ].sort();
  add(RESOURCE_POLICIES.s3ListBuckets, {
    Buckets: bucketNames.map((Name) => ({
      Name,
      CreationDate: date(),
      BucketRegion: rng.pick(input.regions),
    })),
    Owner: { ID: rng.chars(HEX, 64) },
    Prefix: null,
  });

  // SNS: every topic has a policy; the default one lets the owner account use it, some add a publisher service.
  const topicArns: string[] = [];
  for (let i = 0; i < n; i++) {
    const region = rng.pick(input.regions);
    const name = `${rng.pick(input.teams)}-events-${i}`;
    const arn = arnIn('sns', region, name);
    topicArns.push(arn);
    const statements: Statement[] = [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
      },
    ];
    if (rng.chance(0.5))
      statements.push({
        Sid: 'AllowEventBridgePublish',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: arn,
        Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
      });
    if (rng.chance(0.3))
      statements.push({
        Sid: 'PartnerSubscribe',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${rng.pick(input.partnerAccounts)}:root` },
        Action: 'sns:Subscribe',
        Resource: arn,
      });
    add(RESOURCE_POLICIES.snsTopicAttributes(region, name), {
      Attributes: {
        Policy: policyText({ Version: '2008-10-17', Id: '__default_policy_ID', Statement: statements }),
        Owner: accountId,
        SubscriptionsPending: '0',
        TopicArn: arn,
        EffectiveDeliveryPolicy:
          '{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}',
        SubscriptionsConfirmed: String(rng.int(0, 5)),
        DisplayName: '',
        SubscriptionsDeleted: '0',
      },
    });
  }

  // SQS: queues subscribed to a topic carry the policy the subscription writes; a third have no policy.
  let queuesWithoutPolicy = 0;
  for (let i = 0; i < n; i++) {
    const region = rng.pick(input.regions);
    const name = `${rng.pick(input.teams)}-jobs-${i}`;
    const arn = arnIn('sqs', region, name);
    const attributes: Record<string, string> = { QueueArn: arn };
    if (i % 3 === 2) queuesWithoutPolicy++;
    else {
      const statements: Statement[] = [];
      if (topicArns.length > 0) {
        const topic = rng.pick(topicArns);
        statements.push({
          Sid: `topic-subscription-${topic}`,
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'SQS:SendMessage',
          Resource: arn,
          Condition: { ArnLike: { 'aws:SourceArn': topic } },
        });
      }
      statements.push({
        Sid: 'ConsumerRole',
        Effect: 'Allow',
        Principal: { AWS: oneOrMany(roles(rng.int(1, 2))) },
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        Resource: arn,
      });
      attributes.Policy = policyText({
        Version: VERSION,
        Id: `${arn}/SQSDefaultPolicy`,
        Statement: statements,
      });
    }
    add(RESOURCE_POLICIES.sqsQueueAttributes(region, name), { Attributes: attributes });
  }

  // KMS: the default key policy (root), key administrators and key users, sometimes grants for AWS services.
  for (let i = 0; i < n; i++) {
    const region = rng.pick(input.regions);
    const keyId = uuid();
    const [admin, ...users] = roles(rng.int(2, 4));
    const statements: Statement[] = [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'Allow access for Key Administrators',
        Effect: 'Allow',
        Principal: { AWS: admin! },
        Action: [
          'kms:Create*',
          'kms:Describe*',
          'kms:Enable*',
          'kms:List*',
          'kms:Put*',
          'kms:Update*',
          'kms:Revoke*',
          'kms:Disable*',
          'kms:Get*',
          'kms:Delete*',
          'kms:TagResource',
          'kms:UntagResource',
          'kms:ScheduleKeyDeletion',
          'kms:CancelKeyDeletion',
        ],
        Resource: '*',
      },
    ];
    if (users.length > 0) {
      statements.push({
        Sid: 'Allow use of the key',
        Effect: 'Allow',
        Principal: { AWS: oneOrMany(users) },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: '*',
      });
      if (rng.chance(0.5))
        statements.push({
          Sid: 'Allow attachment of persistent resources',
          Effect: 'Allow',
          Principal: { AWS: oneOrMany(users) },
          Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
          Resource: '*',
          Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        });
    }
    add(RESOURCE_POLICIES.kmsKeyPolicy(region, keyId), {
      Policy: policyText({ Version: VERSION, Id: 'key-consolepolicy-3', Statement: statements }, 4),
      PolicyName: 'default',
    });
  }

  // Secrets Manager: names with a `/`; a third without a resource policy (no ResourcePolicy in the output).
  let secretsWithoutPolicy = 0;
  for (let i = 0; i < n; i++) {
    const region = rng.pick(input.regions);
    const name = `${rng.pick(input.teams)}/${rng.pick(['db-credentials', 'api-key', 'oauth-client'])}-${i}`;
    const output: Record<string, string> = {
      ARN: arnIn('secretsmanager', region, `secret:${name}-${rng.chars(ALNUM, 6)}`),
      Name: name,
    };
    if (i % 3 === 2) secretsWithoutPolicy++;
    else {
      const statements: Statement[] = [
        {
          Effect: 'Allow',
          Principal: { AWS: oneOrMany(roles(rng.int(1, 2))) },
          Action: 'secretsmanager:GetSecretValue',
          Resource: '*',
        },
      ];
      if (rng.chance(0.4))
        statements.push({
          Effect: 'Allow',
          Principal: { AWS: `arn:${partition}:iam::${rng.pick(input.partnerAccounts)}:root` },
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': input.orgId } },
        });
      output.ResourcePolicy = JSON.stringify({ Version: VERSION, Statement: statements });
    }
    add(RESOURCE_POLICIES.secretsManagerPolicy(region, name), output);
  }

  // Lambda: what `aws lambda add-permission` writes for a trigger, sometimes a cross-account invoker.
  for (let i = 0; i < n; i++) {
    const region = rng.pick(input.regions);
    const name = `${rng.pick(input.teams)}-handler-${i}`;
    const arn = arnIn('lambda', region, `function:${name}`);
    const trigger = rng.weighted<string>([
      ['s3', 3],
      ['events', 2],
      ['apigateway', 2],
      ['sns', 1],
    ]);
    const sourceArn =
      trigger === 's3'
        ? `arn:${partition}:s3:::${input.bucketsWithPolicy.length > 0 ? rng.pick(input.bucketsWithPolicy) : 'acme-uploads'}`
        : trigger === 'events'
          ? arnIn('events', region, `rule/${name}-schedule`)
          : trigger === 'apigateway'
            ? arnIn(
                'execute-api',
                region,
                `${rng.chars('abcdefghijklmnopqrstuvwxyz0123456789', 10)}/*/POST/*`,
              )
            : topicArns.length > 0
              ? rng.pick(topicArns)
              : arnIn('sns', region, 'events');
    const statements: Statement[] = [
      {
        Sid: `${trigger}-invoke-${rng.chars(HEX, 8)}`,
        Effect: 'Allow',
        Principal: { Service: `${trigger}.amazonaws.com` },
        Action: 'lambda:InvokeFunction',
        Resource: arn,
        Condition: {
          ...(trigger === 's3' ? { StringEquals: { 'AWS:SourceAccount': accountId } } : {}),
          ArnLike: { 'AWS:SourceArn': sourceArn },
        },
      },
    ];
    if (rng.chance(0.25))
      statements.push({
        Sid: 'partner-invoke',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${rng.pick(input.partnerAccounts)}:root` },
        Action: 'lambda:InvokeFunction',
        Resource: arn,
      });
    add(RESOURCE_POLICIES.lambdaPolicy(region, name), {
      Policy: policyText({ Version: VERSION, Id: 'default', Statement: statements }),
      RevisionId: uuid(),
    });
  }

  // ECR: cross-account pull for the org's other accounts and image retrieval for Lambda (no Resource element:
  // a repository policy applies to its repository).
  for (let i = 0; i < n; i++) {
    const region = rng.pick(input.regions);
    const name = `${rng.pick(input.teams)}/service-${i}`;
    const statements: Statement[] = [
      {
        Sid: 'CrossAccountPull',
        Effect: 'Allow',
        Principal: {
          AWS: oneOrMany(
            rng.sample(input.partnerAccounts, rng.int(1, 2)).map((a) => `arn:${partition}:iam::${a}:root`),
          ),
        },
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
      },
    ];
    if (rng.chance(0.5))
      statements.push({
        Sid: 'LambdaECRImageRetrievalPolicy',
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        Condition: { StringLike: { 'aws:sourceArn': arnIn('lambda', region, 'function:*') } },
      });
    if (rng.chance(0.3))
      statements.push({
        Sid: 'CiPush',
        Effect: 'Allow',
        Principal: { AWS: oneOrMany(roles(1)) },
        Action: ['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload'],
      });
    add(RESOURCE_POLICIES.ecrRepositoryPolicy(region, name), {
      registryId: accountId,
      repositoryName: name,
      policyText: policyText({ Version: VERSION, Statement: statements }, 2),
    });
  }

  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    files,
    summary: {
      bucketsWithoutPolicy: withoutPolicy,
      topics: n,
      queues: n,
      queuesWithoutPolicy,
      keys: n,
      secrets: n,
      secretsWithoutPolicy,
      functions: n,
      repositories: n,
    },
  };
}
