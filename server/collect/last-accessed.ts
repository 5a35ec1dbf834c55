/**
 * Last-accessed evidence (IAM access advisor): for every user, group and role of the GAAD, a job
 * `generate-service-last-accessed-details --granularity ACTION_LEVEL`, polled with `get-service-last-accessed-details`
 * until it is no longer IN_PROGRESS (exponential backoff), every page joined, written as
 * `last-accessed/<users|groups|roles>/<name>.json` in the CLI's form. A job that fails or never completes, or a
 * denied call, skips that entity with a note naming it; throttling is retried by the SDK (aws-clients.ts).
 */
import {
  GenerateServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsCommand,
  type GetServiceLastAccessedDetailsCommandOutput,
} from '@aws-sdk/client-iam';
import { LAST_ACCESSED } from '../../importers/bundle/layout.ts';
import { toCliJson } from './cli-form.ts';
import { mapLimit, orDenied, writeJson, type CollectContext } from './context.ts';

export interface IamEntity {
  kind: 'user' | 'group' | 'role';
  arn: string;
  name: string;
}

/** Backoff between polls of one job: 1 s, 2 s, 4 s, … up to 30 s; at most 12 polls (about 4 minutes). */
export const LAST_ACCESSED_FIRST_POLL_MS = 1000;
export const LAST_ACCESSED_MAX_POLL_MS = 30_000;
export const LAST_ACCESSED_MAX_POLLS = 12;
/** Jobs in flight at once: IAM throttles its control plane per account. */
const CONCURRENCY = 4;
const MAX_NAMED = 10;
const SECTION = 'last-accessed';

type Output = Omit<GetServiceLastAccessedDetailsCommandOutput, '$metadata'>;

/** One entity's job, or the reason it was skipped. */
async function oneEntity(ctx: CollectContext, e: IamEntity): Promise<string | undefined> {
  const iam = ctx.clients.iam;
  const started = await orDenied(
    ctx,
    { section: SECTION, call: `iam generate-service-last-accessed-details --arn ${e.arn}` },
    () =>
      iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: e.arn, Granularity: 'ACTION_LEVEL' })),
  );
  if (!started?.JobId) return 'denied';
  const jobId = started.JobId;
  let first: Output | undefined;
  for (let poll = 0; ; poll++) {
    const out = await orDenied(ctx, { section: SECTION, call: 'iam get-service-last-accessed-details' }, () =>
      iam.send(new GetServiceLastAccessedDetailsCommand({ JobId: jobId })),
    );
    if (!out) return 'denied';
    if (out.JobStatus !== 'IN_PROGRESS') {
      first = out;
      break;
    }
    if (poll + 1 >= LAST_ACCESSED_MAX_POLLS)
      return `still IN_PROGRESS after ${LAST_ACCESSED_MAX_POLLS} polls`;
    await ctx.sleep(Math.min(LAST_ACCESSED_FIRST_POLL_MS * 2 ** poll, LAST_ACCESSED_MAX_POLL_MS));
  }
  if (first.JobStatus === 'FAILED') return `job FAILED: ${first.Error?.Message ?? 'no reason given'}`;
  // Join the pages as the CLI does when it paginates.
  const services = [...(first.ServicesLastAccessed ?? [])];
  let marker = first.IsTruncated ? first.Marker : undefined;
  while (marker) {
    const page = await orDenied(
      ctx,
      { section: SECTION, call: 'iam get-service-last-accessed-details' },
      () => iam.send(new GetServiceLastAccessedDetailsCommand({ JobId: jobId, Marker: marker })),
    );
    if (!page) return 'denied';
    services.push(...(page.ServicesLastAccessed ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  }
  const { Marker: _marker, ...rest } = first;
  const path = LAST_ACCESSED[e.kind](e.name);
  await writeJson(
    ctx,
    SECTION,
    path,
    toCliJson({ ...rest, IsTruncated: false, ServicesLastAccessed: services }),
  );
  return undefined;
}

export async function collectLastAccessed(
  ctx: CollectContext,
  entities: readonly IamEntity[],
): Promise<void> {
  const skipped = new Map<string, string[]>();
  ctx.counts.set(SECTION, 0);
  await mapLimit(entities, CONCURRENCY, async (e) => {
    const why = await oneEntity(ctx, e);
    if (why) skipped.set(why, [...(skipped.get(why) ?? []), `${e.kind}/${e.name}`]);
  });
  for (const [why, names] of skipped) {
    if (why === 'denied') continue; // orDenied noted each denial already
    ctx.notes.push({
      severity: 'warning',
      section: SECTION,
      message: `last-accessed evidence skipped (${why}): their usage stays unknown`,
      resources: names.sort().slice(0, MAX_NAMED),
      count: names.length,
    });
  }
}
