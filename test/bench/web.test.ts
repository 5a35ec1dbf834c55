import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;
const script = new URL('../../bench/run.ts', import.meta.url).pathname;

// The web section end to end: the built UI in Chromium, the 2,000-element graph's first render per view.
describe('npm run bench -- --only web', () => {
  it('reports the first render, its setElements and layout phases per view, and leaves the docs alone', async () => {
    const { stdout, stderr } = await run(tsx, [
      script,
      '--preset',
      'tiny',
      '--only',
      'web',
      '--json',
      '--runs',
      '1',
    ]);
    const out = JSON.parse(stdout) as {
      outcomes: {
        section: string;
        status: string;
        reason?: string;
        measurements: { key: string; value: number; unit: string; runs: number[]; note?: string }[];
      }[];
    };
    expect(out.outcomes.map((o) => [o.section, o.status, o.reason])).toEqual([
      ['web', 'measured', undefined],
    ]);
    const ms = new Map(out.outcomes[0]!.measurements.map((m) => [m.key, m]));
    for (const view of ['render', 'render-focus']) {
      const [total, setElements, layout] = ['total', 'set-elements', 'layout'].map((p) =>
        ms.get(`web.${view}-${p}`)!,
      );
      for (const m of [total!, setElements!, layout!]) {
        expect(m.unit).toBe('ms');
        expect(m.runs).toHaveLength(1);
        expect(m.value).toBeGreaterThan(0);
      }
      // The phases are parts of the first render, measured from navigation start.
      expect(setElements!.value).toBeLessThanOrEqual(layout!.value);
      expect(layout!.value).toBeLessThan(total!.value);
      expect(total!.note).toMatch(/^CPU time of the renderer's main thread \d+ ms$/);
    }
    expect(ms.size).toBe(6);
    expect(stderr).not.toContain('wrote ');
  }, 300_000);
});
