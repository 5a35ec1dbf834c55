import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;
const script = new URL('../../bench/run.ts', import.meta.url).pathname;

// The harness end to end, on the tiny preset: what `--only` runs, the JSON shape, exit codes.
describe('npm run bench', () => {
  it('runs a section with what it needs, reports JSON on stdout and leaves the docs alone under --only', async () => {
    const { stdout, stderr } = await run(tsx, [
      script,
      '--preset',
      'tiny',
      '--only',
      'memory',
      '--json',
      '--runs',
      '1',
    ]);
    const out = JSON.parse(stdout) as {
      info: { preset: string; counts: string };
      outcomes: {
        section: string;
        status: string;
        measurements: { key: string; value: number; unit: string }[];
      }[];
    };
    expect(out.info.preset).toBe('tiny');
    expect(out.outcomes.map((o) => [o.section, o.status])).toEqual([
      ['generate', 'measured'],
      ['parse', 'measured'],
      ['memory', 'measured'],
    ]);
    const keys = out.outcomes.flatMap((o) => o.measurements.map((m) => m.key));
    expect(keys).toEqual(
      expect.arrayContaining(['generate.gaad-bytes', 'parse.time', 'memory.load', 'memory.import-total']),
    );
    const total = out.outcomes[2]!.measurements.find((m) => m.key === 'memory.import-total')!;
    const parse = out.outcomes[1]!.measurements[0]!;
    const load = out.outcomes[2]!.measurements.find((m) => m.key === 'memory.load')!;
    expect(total.value).toBeCloseTo(parse.value + load.value, 6);
    expect(stderr).not.toContain('wrote ');
  }, 60_000);

  it('rejects an unknown section or preset with exit code 2', async () => {
    const e = await run(tsx, [script, '--only', 'nope']).catch(
      (err: { code: number; stderr: string }) => err,
    );
    expect((e as { code: number }).code).toBe(2);
    expect((e as { stderr: string }).stderr).toContain('unknown section `nope`');
    const p = await run(tsx, [script, '--preset', 'huge']).catch((err: { code: number }) => err);
    expect((p as { code: number }).code).toBe(2);
  }, 60_000);
});
