import { describe, expect, it } from 'vitest';
import { BEGIN, END, renderBlock, replaceGeneratedBlock, type RunInfo } from '../../bench/harness/report.ts';
import { median, timeRuns } from '../../bench/harness/measure.ts';
import { meetsTarget, type SectionOutcome } from '../../bench/harness/results.ts';

const info: RunInfo = {
  date: '2026-11-28T12:00:00Z',
  machine: { cpuModel: 'Test CPU', cpus: 2, memoryGb: 8, os: 'Linux 6 x64', node: 'v20.19.0' },
  preset: 'large',
  seed: '1',
  counts: '5000 users',
  command: 'npm run bench -- --preset large --seed 1',
};

describe('replaceGeneratedBlock', () => {
  it('keeps hand-written text around the markers and replaces only what is between them', () => {
    const doc = `# Title\n\nintro by hand\n\n${BEGIN}\nold figures\n${END}\n\n## Notes by hand\n`;
    const out = replaceGeneratedBlock(doc, 'new figures');
    expect(out.startsWith('# Title\n\nintro by hand\n\n<!-- bench:begin -->\n')).toBe(true);
    expect(out.endsWith(`${END}\n\n## Notes by hand\n`)).toBe(true);
    expect(out).toContain('new figures');
    expect(out).not.toContain('old figures');
    // Idempotent in shape: a second run replaces the block again instead of appending.
    const again = replaceGeneratedBlock(out, 'newer figures');
    expect(again.split(BEGIN)).toHaveLength(2);
    expect(again).not.toContain('new figures\n');
  });

  it('creates the document when there is none, and appends a block when the markers are missing', () => {
    const fresh = replaceGeneratedBlock(undefined, 'figures');
    expect(fresh.startsWith('# Benchmarks')).toBe(true);
    expect(fresh.indexOf(BEGIN)).toBeLessThan(fresh.indexOf('figures'));
    const appended = replaceGeneratedBlock('# Mine\n', 'figures');
    expect(appended.startsWith('# Mine\n\n')).toBe(true);
    expect(appended.trimEnd().endsWith(END)).toBe(true);
  });
});

describe('renderBlock', () => {
  it('compares measured figures with the issue targets and says why a section did not run', () => {
    const outcomes: SectionOutcome[] = [
      {
        section: 'memory',
        status: 'measured',
        measurements: [
          {
            section: 'memory',
            key: 'memory.import-total',
            name: 'import total',
            value: 3500,
            unit: 'ms',
            runs: [3400, 3500, 3600],
          },
        ],
      },
      {
        section: 'engine',
        status: 'measured',
        measurements: [
          {
            section: 'engine',
            key: 'engine.evaluations',
            name: 'evals',
            value: 150000,
            unit: 'evaluations/s',
          },
        ],
      },
      {
        section: 'neo4j',
        status: 'skipped',
        reason: '`scripts/neo4j/launcher.ts` has not landed yet',
        measurements: [],
      },
    ];
    const block = renderBlock(info, outcomes);
    const row = (needle: string) => block.split('\n').find((l) => l.startsWith('| #') && l.includes(needle));
    expect(row('embedded store')).toBe(
      '| #2 Walking skeleton | import of the large account into the embedded store (parse + normalize + load, escalation rows included) | ≤ 3.00 s | 3.50 s (median of 3) | **missed** |',
    );
    expect(row('evaluations per second')).toContain('| 150,000 evaluations/s | met |');
    expect(row('into Neo4j')).toContain('| — | skipped: `scripts/neo4j/launcher.ts` has not landed yet |');
    // Targets whose section exists but did not run in this outcome set.
    expect(row('who-can p50, embedded')).toContain('| — | not run |');
    // Blast radius is measured by the `escalation` section, which this outcome set did not run.
    expect(row('| blast radius |')).toContain('| — | not run |');
    // The Neo4j section's targets say why it did not run.
    expect(row('first blast radius after start')).toContain('| — | skipped: `scripts/neo4j/launcher.ts`');
    expect(block).toContain('Machine: Test CPU, 2 logical CPUs, 8 GB RAM, Linux 6 x64, Node v20.19.0.');
    expect(block).toContain('npm run bench -- --preset large --seed 1');
    const loaded = renderBlock(
      { ...info, machine: { ...info.machine, loadAverage: { start: 15.96, end: 3.2 } } },
      outcomes,
    );
    expect(loaded).toContain('Node v20.19.0; 1-minute load average 16.0 at start, 3.2 at end.');
    // The fastest of several runs is shown beside the median.
    expect(loaded).toContain('| memory | import total | 3.50 s | 3.40 s | 3.40 s, 3.50 s, 3.60 s |');
  });
});

describe('renderBlock on a smaller preset', () => {
  it('reports account-size figures without judging them, but still judges the engine target', () => {
    const outcomes: SectionOutcome[] = [
      {
        section: 'memory',
        status: 'measured',
        measurements: [
          { section: 'memory', key: 'memory.import-total', name: 'import total', value: 80, unit: 'ms' },
        ],
      },
      {
        section: 'engine',
        status: 'measured',
        measurements: [
          {
            section: 'engine',
            key: 'engine.evaluations',
            name: 'evals',
            value: 50000,
            unit: 'evaluations/s',
          },
        ],
      },
    ];
    const block = renderBlock({ ...info, preset: 'small' }, outcomes);
    const row = (needle: string) => block.split('\n').find((l) => l.startsWith('| #') && l.includes(needle));
    expect(row('embedded store')).toContain('| 80 ms | not judged: the target is for the large preset |');
    expect(row('evaluations per second')).toContain('| 50,000 evaluations/s | **missed** |');
  });
});

describe('measure', () => {
  it('takes the median, averaging the middle pair for an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it('runs setup untimed before each run and hands its state to the run', async () => {
    const seen: number[] = [];
    let n = 0;
    const t = await timeRuns(
      3,
      (s: number) => {
        seen.push(s);
        return s * 2;
      },
      () => ++n,
    );
    expect(seen).toEqual([1, 2, 3]);
    expect(t.runsMs).toHaveLength(3);
    expect(t.result).toBe(6);
  });

  it('checks targets in the right direction', () => {
    expect(meetsTarget(2999, { op: '<=', value: 3000 })).toBe(true);
    expect(meetsTarget(3001, { op: '<=', value: 3000 })).toBe(false);
    expect(meetsTarget(99_999, { op: '>=', value: 100_000 })).toBe(false);
  });
});
