/**
 * iam-collect's resource directories with a `policy.json` (S3 buckets also with `bpa.json`) → the output of the
 * `aws` command that reads that policy, at the bundle/layout.ts path: the policy as a JSON string, as the CLI
 * prints it. Services outside our model (DynamoDB, Glue, …) give nothing.
 */
import type { BundleFile } from '../../bundle/read-bundle.ts';
import { RESOURCE_POLICIES } from '../../bundle/layout.ts';
import type { Resource } from './resource-dir.ts';
import { documentShape, publicAccessBlockShape } from './iam-collect.shape.ts';

export interface Output {
  path: string;
  doc: unknown;
  from: BundleFile;
}

export function resourceOutputs(r: Resource): {
  bucket?: { Name: string; BucketRegion?: string };
  outputs: Output[];
} {
  const { service, region, resource, metadata, field, dir } = r;
  const outputs: Output[] = [];
  const policyFile = dir.fields.get('policy');
  const policyDoc = policyFile ? field('policy', documentShape) : undefined;
  const policy = policyDoc ? JSON.stringify(policyDoc) : undefined;
  const at = (path: string, doc: unknown) => outputs.push({ path, doc, from: policyFile! });

  // A general purpose bucket: `arn:aws:s3:::name` (access points and the like carry a region and a type).
  if (service === 's3' && !region && !resource.includes('/')) {
    if (policy) at(RESOURCE_POLICIES.s3BucketPolicy(resource), { Policy: policy });
    const bpa = field('bpa', publicAccessBlockShape);
    if (bpa)
      outputs.push({
        path: RESOURCE_POLICIES.s3PublicAccessBlock(resource),
        doc: { PublicAccessBlockConfiguration: bpa },
        from: dir.fields.get('bpa')!,
      });
    const bucketRegion = typeof metadata.region === 'string' ? { BucketRegion: metadata.region } : {};
    return { bucket: { Name: resource, ...bucketRegion }, outputs };
  }
  if (!policy || !region) return { outputs };
  if (service === 'sns')
    at(RESOURCE_POLICIES.snsTopicAttributes(region, resource), {
      Attributes: { TopicArn: metadata.arn, Policy: policy },
    });
  else if (service === 'sqs')
    at(RESOURCE_POLICIES.sqsQueueAttributes(region, resource), {
      Attributes: { QueueArn: metadata.arn, Policy: policy },
    });
  else if (service === 'kms' && resource.startsWith('key/'))
    at(RESOURCE_POLICIES.kmsKeyPolicy(region, resource.slice(4)), { Policy: policy, PolicyName: 'default' });
  else if (service === 'secretsmanager' && resource.startsWith('secret:')) {
    // The ARN ends in a random 6-character suffix; the name is in the metadata.
    const name =
      typeof metadata.name === 'string' ? metadata.name : resource.slice(7).replace(/-[A-Za-z0-9]{6}$/, '');
    at(RESOURCE_POLICIES.secretsManagerPolicy(region, name), {
      ARN: metadata.arn,
      Name: name,
      ResourcePolicy: policy,
    });
  } else if (service === 'lambda' && resource.startsWith('function:'))
    at(RESOURCE_POLICIES.lambdaPolicy(region, resource.slice(9).split(':')[0]!), { Policy: policy });
  else if (service === 'ecr' && resource.startsWith('repository/')) {
    const repositoryName = resource.slice(11);
    at(RESOURCE_POLICIES.ecrRepositoryPolicy(region, repositoryName), {
      registryId: metadata.arn.split(':')[4],
      repositoryName,
      policyText: policy,
    });
  }
  return { outputs };
}
