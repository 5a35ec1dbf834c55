/**
 * The SDK clients the collector uses, built once per collect from one credential provider (the default
 * chain: environment, shared config/credentials profiles, SSO, process, web identity, instance metadata), so
 * an SSO login or an MFA prompt happens once for all services and regions.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ECRClient } from '@aws-sdk/client-ecr';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { STSClientConfig } from '@aws-sdk/client-sts';

/**
 * Throttling is retried by the SDK's own strategy: `adaptive` adds client-side rate limiting on top of the
 * standard exponential backoff with jitter (AWS SDKs and Tools reference guide, "Retry behavior"). A whole
 * account's listing makes hundreds of calls in bursts, so allow more attempts than the default 3.
 */
export const RETRY_MODE = 'adaptive';
export const MAX_ATTEMPTS = 10;

export interface ClientOptions {
  /** A named profile of ~/.aws/config (SSO profiles included); default: the chain's usual order. */
  profile?: string;
  /** Replaces the default chain (tests pass static credentials so nothing is looked up). */
  credentials?: STSClientConfig['credentials'];
  /** Replaces the HTTP handler (tests answer with recorded HTTP responses). */
  requestHandler?: STSClientConfig['requestHandler'];
}

export interface RegionalClients {
  sns: SNSClient;
  sqs: SQSClient;
  kms: KMSClient;
  secretsManager: SecretsManagerClient;
  lambda: LambdaClient;
  ecr: ECRClient;
}

export interface AwsClients {
  /** The region the global services (IAM, STS, Organizations, S3 listing) are called in. */
  readonly homeRegion: string;
  readonly iam: IAMClient;
  readonly sts: STSClient;
  readonly organizations: OrganizationsClient;
  readonly s3: S3Client;
  regional(region: string): RegionalClients;
  destroy(): void;
}

export function createClients(homeRegion: string, options: ClientOptions = {}): AwsClients {
  const credentials =
    options.credentials ?? fromNodeProviderChain(options.profile ? { profile: options.profile } : {});
  const base = (region: string) => ({
    region,
    credentials,
    retryMode: RETRY_MODE,
    maxAttempts: MAX_ATTEMPTS,
    ...(options.requestHandler ? { requestHandler: options.requestHandler } : {}),
  });
  const regional = new Map<string, RegionalClients>();
  const all: { destroy(): void }[] = [];
  const track = <T extends { destroy(): void }>(c: T): T => (all.push(c), c);
  return {
    homeRegion,
    iam: track(new IAMClient(base(homeRegion))),
    sts: track(new STSClient(base(homeRegion))),
    organizations: track(new OrganizationsClient(base(homeRegion))),
    // Buckets live in many regions; the SDK follows S3's redirect to the bucket's region on 301/400.
    s3: track(new S3Client({ ...base(homeRegion), followRegionRedirects: true })),
    regional(region) {
      let clients = regional.get(region);
      if (!clients) {
        clients = {
          sns: track(new SNSClient(base(region))),
          sqs: track(new SQSClient(base(region))),
          kms: track(new KMSClient(base(region))),
          secretsManager: track(new SecretsManagerClient(base(region))),
          lambda: track(new LambdaClient(base(region))),
          ecr: track(new ECRClient(base(region))),
        };
        regional.set(region, clients);
      }
      return clients;
    },
    destroy() {
      for (const c of all) c.destroy();
    },
  };
}

/**
 * The region to use when none is given: the one the SDK resolves for the profile (AWS_REGION, then the
 * profile's `region` in ~/.aws/config), or undefined.
 */
export async function defaultRegion(profile?: string): Promise<string | undefined> {
  const probe = new STSClient(profile ? { profile } : {});
  try {
    return await probe.config.region();
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
}
