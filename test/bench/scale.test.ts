import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { crossAccountCounts } from '../../bench/harness/scale-counts.ts';
import { formatMeasurement } from '../../bench/harness/report.ts';
import { ISSUE_TARGETS, measurementMeets, type Measurement } from '../../bench/harness/results.ts';
import { ADMIN, type EscalationGraph } from '../../server/analysis/escalation/graph.ts';

const run = promisify(execFile);
const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;
const script = new URL('../../bench/run.ts', import.meta.url).pathname;

const A = (name: string) => `arn:aws:iam::111111111111:role/${name}`;
const B = (name: string) => `arn:aws:iam::222222222222:role/${name}`;
const edge = (from: string, to: string, kind: 'assume' | 'escalate' = 'escalate') => ({
  from,
  to,
  kind,
  technique: 't',
  conditional: false,
  conditions: [],
  evidence: [],
});

describe('crossAccountCounts', () => {
  it('counts edges and fan-out targets whose account differs from the source’s, and the escalate ones', () => {
    const lambdaRoles = [A('fn-1'), A('fn-2'), B('fn-3')];
    const graph: EscalationGraph = {
      edges: [
        edge(A('dev'), B('ops')),
        edge(A('dev'), B('trusting-a'), 'assume'),
        edge(A('dev'), A('ops')),
        edge(B('x'), ADMIN),
      ],
      fanOut: [
        { ...edge(A('dev'), ''), targets: lambdaRoles, targetClass: 'every role trusting lambda' },
        { ...edge(B('deployer'), ''), targets: lambdaRoles, targetClass: 'every role trusting lambda' },
        {
          ...edge(B('admin'), '', 'assume'),
          targets: lambdaRoles,
          targetClass: 'every role trusting lambda',
        },
      ],
      admins: new Map(),
    };
    // dev (A) reaches fn-3 in B; deployer (B) and admin (B, assuming) reach fn-1 and fn-2 in A.
    expect(crossAccountCounts(graph)).toEqual({
      edges: 2,
      escalateEdges: 1,
      fanOutTargets: 5,
      escalateFanOutTargets: 3,
    });
  });
});

describe('unfinished measurements', () => {
  it('never meet a target and say why they stopped', () => {
    const target = ISSUE_TARGETS.find((t) => t.key === 'scale.org-10x2000.wall')!;
    const m: Measurement = {
      section: 'scale',
      key: 'scale.org-10x2000.wall',
      name: 'wall',
      value: 30000,
      unit: 'ms',
      unfinished: 'did not finish within the 30 s cap (in stage build)',
    };
    expect(measurementMeets(m, target.target)).toBe(false);
    expect(measurementMeets({ ...m, unfinished: undefined }, target.target)).toBe(true);
    expect(formatMeasurement(m)).toBe('≥ 30.00 s (did not finish within the 30 s cap (in stage build))');
  });
});

describe('npm run bench -- --only scale', () => {
  it('kills an import at the cap and reports what it had used, as not finished', async () => {
    const { stdout } = await run(
      tsx,
      [script, '--only', 'scale', '--scale', 'org-2x500', '--cap', '1', '--heap', '1024', '--json'],
      { maxBuffer: 10 * 2 ** 20 },
    );
    const out = JSON.parse(stdout) as { outcomes: { section: string; measurements: Measurement[] }[] };
    expect(out.outcomes.map((o) => o.section)).toEqual(['scale']);
    const ms = out.outcomes[0]!.measurements;
    expect(ms.map((m) => m.key)).toEqual([
      'scale.org-2x500.wall',
      'scale.org-2x500.cpu',
      'scale.org-2x500.rss',
    ]);
    for (const m of ms) expect(m.unfinished).toMatch(/^did not finish within the 1 s cap/);
    expect(ms[0]!.value).toBeGreaterThanOrEqual(1000);
  }, 120_000);

  it('reports an import that runs out of heap as not finished, not as a failure', async () => {
    const { stdout } = await run(
      tsx,
      [script, '--only', 'scale', '--scale', 'broad-500', '--cap', '120', '--heap', '40', '--json'],
      { maxBuffer: 10 * 2 ** 20 },
    );
    const out = JSON.parse(stdout) as { outcomes: { status: string; measurements: Measurement[] }[] };
    expect(out.outcomes[0]!.status).toBe('measured');
    for (const m of out.outcomes[0]!.measurements)
      expect(m.unfinished).toMatch(/^did not finish: heap limit of 40 MB reached/);
  }, 120_000);

  it('rejects an unknown case with exit code 2', async () => {
    const e = (await run(tsx, [script, '--only', 'scale', '--scale', 'nope']).catch((err) => err)) as {
      code: number;
      stderr: string;
    };
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('unknown scale case `nope`');
  }, 60_000);
});
