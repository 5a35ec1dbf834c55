/**
 * `accessgraph collect` as users run it, for everything that must not reach AWS: help, bad arguments, a taken
 * --out (refused before any call). What it collects is tested on recorded responses in server/collect/.
 */
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';
import { renderSummary } from '../../server/cli/commands/collect.ts';

/** No profile, no region, no credentials from this machine's config: the SDK finds nothing on its own. */
const ISOLATED = {
  AWS_CONFIG_FILE: '/nonexistent/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
  AWS_REGION: '',
  AWS_DEFAULT_REGION: '',
  AWS_PROFILE: '',
};
const tmp = mkdtempSync(join(tmpdir(), 'collect-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Each case spawns the CLI through tsx: seconds on a loaded two-core machine. */
const SLOW = 120_000;

describe('accessgraph collect', () => {
  it('--help names the options, the permissions file and the exit codes', { timeout: SLOW }, async () => {
    const r = await runCli(['collect', '--help'], ISOLATED);
    expect(r.code).toBe(0);
    for (const s of ['--profile', '--region', '--out', '--json', 'docs/collector-policy.json', 'Exit codes'])
      expect(r.stdout).toContain(s);
  });

  it('a region that is not one: exit 2 with the reason, as JSON with --json', { timeout: SLOW }, async () => {
    const r = await runCli(['collect', '--region', 'Frankfurt', '--json'], ISOLATED);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: false,
      error: { message: '`Frankfurt` is not a region name' },
    });
  });

  it('no region anywhere: exit 2 saying how to give one', { timeout: SLOW }, async () => {
    const r = await runCli(['collect'], ISOLATED);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no region: pass --region or set one for the profile');
  });

  it('an --out that holds files: exit 2, nothing touched, no call made', { timeout: SLOW }, async () => {
    const out = join(tmp, 'taken');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'mine');
    const r = await runCli(['collect', '--region', 'eu-west-1', '--out', out], {
      ...ISOLATED,
      // Were a call made, it would fail on these credentials rather than reach anything.
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'not-a-secret',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already exists and is not empty');
    expect(readdirSync(out)).toEqual(['keep.txt']);
    expect(readdirSync(tmp)).toEqual(['taken']);
  });

  it(
    'no network: exit 1 naming the network error, not credentials; nothing written',
    { timeout: 120_000 },
    async () => {
      const out = join(tmp, 'offline');
      const r = await runCli(['collect', '--region', 'eu-west-1', '--out', out], {
        ...ISOLATED,
        AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'not-a-secret',
        AWS_EC2_METADATA_DISABLED: 'true',
        // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('sts get-caller-identity: AWS could not be reached (ECONNREFUSED)');
      expect(r.stderr).not.toContain('credentials');
      expect(readdirSync(tmp)).not.toContain('offline');
    },
  );

  it('the summary lists each section with its file count and notes', () => {
    const text = renderSummary({
      bundle: '/tmp/bundle-123456789012',
      manifest: {
        collector: { name: 'accessgraph collect', version: '0.1.0' },
        startedAt: '2024-05-04T00:00:00.000Z',
        finishedAt: '2024-05-04T00:01:00.000Z',
        caller: { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/auditor', userId: 'AIDA' },
        partition: 'aws',
        regions: ['eu-west-1'],
        collected: { 'authorization-details': 2, s3: 3 },
        skipped: [
          {
            severity: 'warning',
            section: 'kms',
            region: 'eu-west-1',
            code: 'AccessDeniedException',
            message: 'kms list-keys was denied',
          },
        ],
      },
    });
    expect(text).toContain('collected account 123456789012 as arn:aws:iam::123456789012:user/auditor');
    expect(text).toMatch(/authorization-details\s*│\s*2/);
    expect(text).toMatch(/kms\s*│\s*—\s*│\s*warning \(eu-west-1\): kms list-keys was denied/);
    expect(text).toContain('next: accessgraph import /tmp/bundle-123456789012');
  });
});
