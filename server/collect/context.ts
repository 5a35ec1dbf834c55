/** What every collection step shares: the clients, the bundle being written and the notes for the manifest. */
import type { AwsClients } from './aws-clients.ts';
import type { BundleWriter } from './bundle-writer.ts';
import { describeAwsError, isPermissionDenied } from './aws-errors.ts';

/**
 * Something not collected, and why. `info`: AWS has nothing there (no password policy, no organization);
 * `warning`: the data exists but the caller could not read it, so answers built on the bundle are incomplete.
 */
export interface CollectNote {
  severity: 'info' | 'warning';
  /** `credential-report`, `organization`, `s3`, `kms`, … */
  section: string;
  region?: string;
  /** The AWS error code, e.g. `AccessDenied`, `NoSuchEntity`, `AWSOrganizationsNotInUseException`. */
  code?: string;
  message: string;
  /** Up to a few resource names the note is about (e.g. the keys whose policy was denied). */
  resources?: string[];
  /** How many resources the note covers, when more than the names listed. */
  count?: number;
}

export interface CollectContext {
  clients: AwsClients;
  writer: BundleWriter;
  regions: string[];
  notes: CollectNote[];
  /** Files written per section (for the manifest and the summary). */
  counts: Map<string, number>;
  /** Waits between credential report polls; tests pass one that does not wait. */
  sleep(ms: number): Promise<void>;
  /** Called once a step is done. */
  step(label: string): void;
}

/** A failure the collect cannot go on from, naming the call that failed. */
export class CollectError extends Error {
  constructor(
    readonly call: string,
    cause: unknown,
  ) {
    super(`${call}: ${describeAwsError(cause)}`, { cause });
    this.name = 'CollectError';
  }
}

export async function writeJson(
  ctx: CollectContext,
  section: string,
  relPath: string,
  doc: unknown,
): Promise<void> {
  await ctx.writer.writeJson(relPath, doc);
  ctx.counts.set(section, (ctx.counts.get(section) ?? 0) + 1);
}

/**
 * Runs one call: a permission problem becomes a warning note (and `undefined`), anything else stops the
 * collect with the call named.
 */
export async function orDenied<T>(
  ctx: CollectContext,
  where: { section: string; region?: string; call: string },
  run: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await run();
  } catch (e) {
    if (!isPermissionDenied(e)) throw new CollectError(where.call, e);
    ctx.notes.push({
      severity: 'warning',
      section: where.section,
      ...(where.region ? { region: where.region } : {}),
      code: (e as Error).name,
      message: `${where.call} was denied: ${(e as Error).message}`,
    });
    return undefined;
  }
}

/** `items` through `fn`, at most `limit` at a time, in order of completion. */
export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Collects every page of an SDK paginator into one list, as the CLI does when it auto-paginates. */
export async function allPages<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined) {
  const out: T[] = [];
  for await (const page of pages) out.push(...(items(page) ?? []));
  return out;
}
