/**
 * `accessgraph collect`: reads an AWS account with the SDK (the default credential chain, or --profile) and
 * writes the bundle `accessgraph import` reads. Read-only calls only; the permissions are in
 * docs/collector-policy.json.
 */
import { rmSync } from 'node:fs';
import { Command } from 'commander';
import Table from 'cli-table3';
import { SingleBar } from 'cli-progress';
import type { CollectResult } from '../../collect/collect.ts';
import { CliError, EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, createOutput } from '../output.ts';
import { packageVersion } from '../../package-root.ts';

interface CollectFlags {
  profile?: string;
  region?: string[];
  out?: string;
  lastAccessed?: boolean;
  json?: boolean;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export function renderSummary(result: CollectResult): string {
  const m = result.manifest;
  const table = new Table({ head: ['SECTION', 'FILES', 'NOTES'], style: { head: [], border: [] } });
  const sections = new Set([...Object.keys(m.collected), ...m.skipped.map((n) => n.section)]);
  for (const s of sections) {
    const notes = m.skipped.filter((n) => n.section === s);
    table.push([
      s,
      String(m.collected[s] ?? '—'),
      notes
        .map((n) => {
          const names = n.resources?.length
            ? ` [${n.resources.join(', ')}${(n.count ?? 0) > n.resources.length ? ', …' : ''}]`
            : '';
          return `${n.severity}${n.region ? ` (${n.region})` : ''}: ${n.message}${names}`;
        })
        .join('\n'),
    ]);
  }
  return [
    `collected account ${m.caller.account} as ${m.caller.arn} (regions ${m.regions.join(', ')})`,
    table.toString(),
    `bundle: ${result.bundle}`,
    `next: accessgraph import ${result.bundle}`,
  ].join('\n');
}

export function collectCommand(): Command {
  const cmd = new Command('collect')
    .description('read an AWS account (read-only) and write a bundle for `accessgraph import`')
    .option('--profile <profile>', 'a profile of ~/.aws/config (SSO profiles too); default: the SDK chain')
    .option(
      '--region <region...>',
      'regions for SNS, SQS, KMS, Secrets Manager, Lambda, ECR (repeatable; default: the profile region)',
    )
    .option('--out <dir>', 'bundle directory to create (default: ./bundle-<account>-<UTC time>)')
    .option(
      '--last-accessed',
      'also gather last-accessed evidence for `rightsize` (one access-advisor job per user, group and role)',
    )
    .option('--json', 'print the collection manifest as JSON');
  cmd.addHelpText(
    'after',
    '\nCredentials: environment, --profile or AWS_PROFILE (SSO: run `aws sso login` first), instance roles.\n' +
      'Needs the read-only permissions in docs/collector-policy.json. Denied services are noted, not fatal.\n' +
      'Exit codes: 0 written, 2 bad arguments or existing --out, 1 AWS or credential failure.\n' +
      'Example: accessgraph collect --profile audit --region eu-west-1 --region us-east-1 --out ./bundle',
  );
  return cmd.action(async (flags: CollectFlags) => {
    const out = createOutput(flags.json === true);
    // Loaded here, not at the top: the SDK is large and only this command needs it.
    const { createClients, defaultRegion } = await import('../../collect/aws-clients.ts');
    const { collectBundle, CollectError } = await import('../../collect/collect.ts');
    const { DestinationExistsError } = await import('../../collect/bundle-writer.ts');
    const { networkErrorCode } = await import('../../collect/aws-errors.ts');
    const regions = [...new Set(flags.region ?? [])];
    for (const r of regions)
      if (!REGION.test(r))
        throw new CliError(`\`${r}\` is not a region name`, EXIT_BAD_INPUT, 'e.g. us-east-1, eu-west-1');
    if (regions.length === 0) {
      const r = await defaultRegion(flags.profile);
      if (!r)
        throw new CliError(
          'no region: pass --region or set one for the profile',
          EXIT_BAD_INPUT,
          '`aws configure set region us-east-1`, or export AWS_REGION',
        );
      regions.push(r);
    }
    const clients = createClients(regions[0]!, flags.profile ? { profile: flags.profile } : {});
    const bar =
      !out.json && process.stderr.isTTY === true
        ? new SingleBar({
            stream: process.stderr,
            format: 'collect {step} [{bar}] {value}/{total}',
            hideCursor: true,
            clearOnComplete: true,
          })
        : undefined;
    let tempDir: string | undefined;
    // Ctrl-C mid-collect: remove what was written so far, nothing half-written is left behind.
    const onSignal = () => {
      bar?.stop();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
      process.stderr.write('accessgraph: collect interrupted, nothing written\n');
      process.exit(130);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let started = false;
    try {
      const result = await collectBundle({
        clients,
        regions,
        version: packageVersion(),
        ...(flags.out ? { out: flags.out } : {}),
        ...(flags.profile ? { profile: flags.profile } : {}),
        ...(flags.lastAccessed ? { lastAccessed: true } : {}),
        onTempDir: (dir) => (tempDir = dir),
        onStep: (step, done, total) => {
          if (!bar) return;
          if (!started) bar.start(total, 0, { step });
          started = true;
          bar.update(done, { step });
        },
      });
      bar?.stop();
      if (out.json) out.result({ ok: true, bundle: result.bundle, manifest: result.manifest });
      else {
        out.info(renderSummary(result));
        const warnings = result.manifest.skipped.filter((n) => n.severity === 'warning').length;
        if (warnings > 0)
          process.stderr.write(
            `warning: ${warnings} part(s) could not be read; answers on this bundle will say what is missing\n`,
          );
      }
      process.exitCode = EXIT_OK;
    } catch (e) {
      bar?.stop();
      if (e instanceof DestinationExistsError)
        throw new CliError(e.message, EXIT_BAD_INPUT, 'choose another --out or remove it');
      if (e instanceof CollectError) {
        const network = networkErrorCode(e.cause);
        if (network)
          throw new CliError(
            `${e.call}: AWS could not be reached (${network})`,
            EXIT_FAILURE,
            'check the network, proxy (HTTPS_PROXY) and DNS; nothing was written',
          );
        throw new CliError(
          e.message,
          EXIT_FAILURE,
          e.call.startsWith('sts')
            ? 'no usable credentials: set AWS_PROFILE / --profile, or run `aws sso login`'
            : 'nothing was written; check the permissions in docs/collector-policy.json',
        );
      }
      throw e;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      clients.destroy();
    }
  });
}
