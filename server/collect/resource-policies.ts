/**
 * Resource-based policies, one `aws` CLI output per resource at the paths of layout.ts. A resource without a
 * policy gets no file; S3 also gets `list-buckets.json` so the importer can tell "no policy" from "not
 * collected". A denied listing or get is a warning note for that service and region, never a failure.
 */
import { GetBucketPolicyCommand, GetPublicAccessBlockCommand, paginateListBuckets } from '@aws-sdk/client-s3';
import { GetTopicAttributesCommand, paginateListTopics } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, paginateListQueues } from '@aws-sdk/client-sqs';
import { GetKeyPolicyCommand, paginateListKeys } from '@aws-sdk/client-kms';
import { GetResourcePolicyCommand, paginateListSecrets } from '@aws-sdk/client-secrets-manager';
import { GetPolicyCommand, paginateListFunctions } from '@aws-sdk/client-lambda';
import { GetRepositoryPolicyCommand, paginateDescribeRepositories } from '@aws-sdk/client-ecr';
import { RESOURCE_POLICIES } from '../../importers/bundle/layout.ts';
import { toCliJson } from './cli-form.ts';
import { hasCode, isPermissionDenied } from './aws-errors.ts';
import { allPages, CollectError, mapLimit, orDenied, writeJson, type CollectContext } from './context.ts';

/** Per-resource calls in flight per service; the SDK's adaptive retry slows down further when throttled. */
const CONCURRENCY = 8;

interface ServiceSpec<T> {
  service: string;
  region?: string;
  listCall: string;
  list: () => Promise<T[]>;
  name: (item: T) => string;
  getCall: string;
  /** The file to write for one resource, or undefined when it has no policy. */
  get: (item: T) => Promise<{ path: string; doc: unknown } | undefined>;
  /** Error codes meaning "this resource has no policy". */
  absent: string[];
}

async function collectService<T>(ctx: CollectContext, spec: ServiceSpec<T>): Promise<void> {
  const where = { section: spec.service, ...(spec.region ? { region: spec.region } : {}) };
  const items = await orDenied(ctx, { ...where, call: `${spec.service} ${spec.listCall}` }, spec.list);
  if (!items) return;
  const denied: string[] = [];
  let deniedCode = '';
  await mapLimit(items, CONCURRENCY, async (item) => {
    let result;
    try {
      result = await spec.get(item);
    } catch (e) {
      if (hasCode(e, ...spec.absent)) return;
      if (isPermissionDenied(e)) {
        denied.push(spec.name(item));
        deniedCode = (e as Error).name;
        return;
      }
      throw new CollectError(`${spec.service} ${spec.getCall} ${spec.name(item)}`, e);
    }
    if (result) await writeJson(ctx, spec.service, result.path, result.doc);
  });
  if (!ctx.counts.has(spec.service)) ctx.counts.set(spec.service, 0);
  if (denied.length > 0) {
    denied.sort();
    ctx.notes.push({
      severity: 'warning',
      ...where,
      code: deniedCode,
      message: `${spec.service} ${spec.getCall} was denied for ${denied.length} of ${items.length}: their policies are unknown`,
      resources: denied.slice(0, 10),
      count: denied.length,
    });
  }
}

/** S3 is listed once for the account (bucket ARNs carry no region); each bucket is read where it lives. */
export async function collectS3(ctx: CollectContext): Promise<void> {
  const s3 = ctx.clients.s3;
  let owner: unknown;
  const bpaDenied: string[] = [];
  await collectService(ctx, {
    service: 's3',
    listCall: 'list-buckets',
    list: async () => {
      // Ask for pages (MaxBuckets, 1–1000 in the S3 API reference): the unpaginated form returns no
      // ContinuationToken, so buckets past its one response would be lost on accounts with raised quotas.
      const buckets = await allPages(paginateListBuckets({ client: s3, pageSize: 1000 }, {}), (p) => {
        owner ??= p.Owner;
        return p.Buckets;
      });
      await writeJson(
        ctx,
        's3',
        RESOURCE_POLICIES.s3ListBuckets,
        toCliJson({ Buckets: buckets, Owner: owner }),
      );
      return buckets;
    },
    name: (b) => b.Name!,
    getCall: 'get-bucket-policy',
    absent: ['NoSuchBucketPolicy', 'NoSuchBucket'],
    get: async (b) => {
      const Bucket = b.Name!;
      const bpa = await s3.send(new GetPublicAccessBlockCommand({ Bucket })).catch((e: unknown) => {
        if (hasCode(e, 'NoSuchPublicAccessBlockConfiguration')) return undefined;
        // Denied here, the bucket policy may still be readable: note it apart and go on.
        if (isPermissionDenied(e)) return void bpaDenied.push(Bucket);
        throw e;
      });
      if (bpa) await writeJson(ctx, 's3', RESOURCE_POLICIES.s3PublicAccessBlock(Bucket), toCliJson(bpa));
      const out = await s3.send(new GetBucketPolicyCommand({ Bucket }));
      return out.Policy ? { path: RESOURCE_POLICIES.s3BucketPolicy(Bucket), doc: toCliJson(out) } : undefined;
    },
  });
  if (bpaDenied.length > 0) {
    ctx.notes.push({
      severity: 'warning',
      section: 's3',
      code: 'AccessDenied',
      message: `s3api get-public-access-block was denied for ${bpaDenied.length} buckets: their public access blocks are unknown`,
      resources: bpaDenied.sort().slice(0, 10),
      count: bpaDenied.length,
    });
  }
}

/** SNS, SQS, KMS, Secrets Manager, Lambda and ECR in one region. */
export async function collectRegion(ctx: CollectContext, region: string): Promise<void> {
  const c = ctx.clients.regional(region);
  await collectService(ctx, {
    service: 'sns',
    region,
    listCall: 'list-topics',
    list: () => allPages(paginateListTopics({ client: c.sns }, {}), (p) => p.Topics),
    name: (t) => t.TopicArn!.split(':').pop()!,
    getCall: 'get-topic-attributes',
    absent: ['NotFound'],
    get: async (t) => {
      const out = await c.sns.send(new GetTopicAttributesCommand({ TopicArn: t.TopicArn! }));
      if (!out.Attributes?.Policy) return undefined;
      const name = t.TopicArn!.split(':').pop()!;
      return { path: RESOURCE_POLICIES.snsTopicAttributes(region, name), doc: toCliJson(out) };
    },
  });
  ctx.step(`sns ${region}`);
  await collectService(ctx, {
    service: 'sqs',
    region,
    listCall: 'list-queues',
    // Without MaxResults SQS returns at most 1000 queues and no NextToken (API_ListQueues).
    list: () => allPages(paginateListQueues({ client: c.sqs, pageSize: 1000 }, {}), (p) => p.QueueUrls),
    name: (url) => url.split('/').pop()!,
    getCall: 'get-queue-attributes',
    absent: ['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue'],
    get: async (QueueUrl) => {
      const out = await c.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn', 'Policy'] }),
      );
      if (!out.Attributes?.Policy) return undefined;
      const name = QueueUrl.split('/').pop()!;
      return { path: RESOURCE_POLICIES.sqsQueueAttributes(region, name), doc: toCliJson(out) };
    },
  });
  ctx.step(`sqs ${region}`);
  await collectService(ctx, {
    service: 'kms',
    region,
    listCall: 'list-keys',
    list: () => allPages(paginateListKeys({ client: c.kms }, {}), (p) => p.Keys),
    name: (k) => k.KeyId!,
    getCall: 'get-key-policy',
    absent: ['NotFound'],
    get: async (k) => {
      const out = await c.kms.send(new GetKeyPolicyCommand({ KeyId: k.KeyId!, PolicyName: 'default' }));
      return out.Policy
        ? { path: RESOURCE_POLICIES.kmsKeyPolicy(region, k.KeyId!), doc: toCliJson(out) }
        : undefined;
    },
  });
  ctx.step(`kms ${region}`);
  await collectService(ctx, {
    service: 'secretsmanager',
    region,
    listCall: 'list-secrets',
    list: () => allPages(paginateListSecrets({ client: c.secretsManager }, {}), (p) => p.SecretList),
    name: (s) => s.Name!,
    getCall: 'get-resource-policy',
    absent: ['ResourceNotFound'],
    get: async (s) => {
      const out = await c.secretsManager.send(new GetResourcePolicyCommand({ SecretId: s.ARN! }));
      return out.ResourcePolicy
        ? { path: RESOURCE_POLICIES.secretsManagerPolicy(region, s.Name!), doc: toCliJson(out) }
        : undefined;
    },
  });
  ctx.step(`secretsmanager ${region}`);
  await collectService(ctx, {
    service: 'lambda',
    region,
    listCall: 'list-functions',
    list: () => allPages(paginateListFunctions({ client: c.lambda }, {}), (p) => p.Functions),
    name: (f) => f.FunctionName!,
    getCall: 'get-policy',
    // A function without a resource policy answers ResourceNotFoundException.
    absent: ['ResourceNotFound'],
    get: async (f) => {
      const out = await c.lambda.send(new GetPolicyCommand({ FunctionName: f.FunctionName! }));
      return out.Policy
        ? { path: RESOURCE_POLICIES.lambdaPolicy(region, f.FunctionName!), doc: toCliJson(out) }
        : undefined;
    },
  });
  ctx.step(`lambda ${region}`);
  await collectService(ctx, {
    service: 'ecr',
    region,
    listCall: 'describe-repositories',
    list: () => allPages(paginateDescribeRepositories({ client: c.ecr }, {}), (p) => p.repositories),
    name: (r) => r.repositoryName!,
    getCall: 'get-repository-policy',
    absent: ['RepositoryPolicyNotFound', 'RepositoryNotFound'],
    get: async (r) => {
      const out = await c.ecr.send(new GetRepositoryPolicyCommand({ repositoryName: r.repositoryName! }));
      return out.policyText
        ? {
            path: RESOURCE_POLICIES.ecrRepositoryPolicy(region, r.repositoryName!),
            doc: toCliJson(out),
          }
        : undefined;
    },
  });
  ctx.step(`ecr ${region}`);
}
