/**
 * `collectBundle`: reads one AWS account through the SDK and writes the bundle the importers read (the
 * paths of bundle/layout.ts, each file the `aws` CLI's `--output json`), plus `collection.json`.
 * The only part of importers/ that talks to AWS; nothing in the import path depends on it.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import path from 'node:path';
import { COLLECTION_MANIFEST } from '../../importers/bundle/layout.ts';
import type { AwsClients } from './aws-clients.ts';
import { BundleWriter } from './bundle-writer.ts';
import { CollectError, type CollectContext, type CollectNote } from './context.ts';
import { collectCredentialReport, collectGaad, collectPasswordPolicy } from './iam.ts';
import { collectLastAccessed } from './last-accessed.ts';
import { collectOrganization } from './organizations.ts';
import { collectRegion, collectS3 } from './resource-policies.ts';

export type { CollectNote } from './context.ts';
export { CollectError } from './context.ts';

export interface CollectOptions {
  clients: AwsClients;
  /** Regions for the regional services (SNS, SQS, KMS, Secrets Manager, Lambda, ECR). */
  regions: string[];
  /** The bundle directory to create; default `./bundle-<account>-<UTC timestamp>`. Must not exist (or be empty). */
  out?: string;
  /** Recorded in the manifest. */
  profile?: string;
  version: string;
  /** Progress: after each step, with the number of steps. */
  onStep?: (label: string, done: number, total: number) => void;
  /** Where the bundle is being written, so a signal handler can remove it. */
  onTempDir?: (dir: string) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  /** Also gather last-accessed evidence: one access-advisor job per user, group and role (slow on large accounts). */
  lastAccessed?: boolean;
}

export interface CollectManifest {
  collector: { name: 'accessgraph collect'; version: string };
  startedAt: string;
  finishedAt: string;
  /** sts get-caller-identity */
  caller: { account: string; arn: string; userId: string };
  partition: string;
  profile?: string;
  regions: string[];
  /** Files written per section (0: listed, nothing to write). Sections absent here were not collected. */
  collected: Record<string, number>;
  /** What was not collected and why: `info` when AWS has nothing there, `warning` when it was denied. */
  skipped: CollectNote[];
}

export interface CollectResult {
  /** The bundle directory, absolute. */
  bundle: string;
  manifest: CollectManifest;
}

export function defaultBundleName(accountId: string, at: Date): string {
  return `bundle-${accountId}-${at.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

export async function collectBundle(options: CollectOptions): Promise<CollectResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const { clients, regions } = options;
  const total = 6 + regions.length * 6 + (options.lastAccessed ? 1 : 0);
  let done = 0;
  const step = (label: string) => options.onStep?.(label, ++done, total);

  // A taken --out is bad input: say so before any call to AWS.
  if (options.out) await BundleWriter.checkDestination(options.out);
  let identity;
  try {
    identity = await clients.sts.send(new GetCallerIdentityCommand({}));
  } catch (e) {
    throw new CollectError('sts get-caller-identity', e);
  }
  const caller = { account: identity.Account!, arn: identity.Arn!, userId: identity.UserId! };
  step('caller identity');

  const out = options.out ?? path.resolve(defaultBundleName(caller.account, startedAt));
  const writer = await BundleWriter.create(out);
  options.onTempDir?.(writer.tempDir);
  const ctx: CollectContext = {
    clients,
    writer,
    regions,
    notes: [],
    counts: new Map(),
    sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    step,
  };
  try {
    const entities = await collectGaad(ctx);
    step('authorization details');
    if (options.lastAccessed) {
      await collectLastAccessed(ctx, entities);
      step('last accessed');
    }
    await collectCredentialReport(ctx);
    step('credential report');
    await collectPasswordPolicy(ctx);
    step('password policy');
    await collectOrganization(ctx);
    step('organization');
    await collectS3(ctx);
    step('s3');
    for (const region of regions) await collectRegion(ctx, region);

    const manifest: CollectManifest = {
      collector: { name: 'accessgraph collect', version: options.version },
      startedAt: startedAt.toISOString(),
      finishedAt: now().toISOString(),
      caller,
      partition: caller.arn.split(':')[1] ?? 'aws',
      ...(options.profile ? { profile: options.profile } : {}),
      regions,
      collected: Object.fromEntries(ctx.counts),
      skipped: ctx.notes,
    };
    await writer.writeJson(COLLECTION_MANIFEST, manifest);
    return { bundle: await writer.commit(), manifest };
  } catch (e) {
    await writer.abort();
    throw e;
  }
}
