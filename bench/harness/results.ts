/** What a bench section reports, and the targets the issues set (docs/benchmarks.md compares the two). */

export type SectionName =
  'generate' | 'parse' | 'memory' | 'engine' | 'whocan' | 'whatif' | 'escalation' | 'startup' | 'neo4j';
/** Run order: Neo4j last, so its JVM never shares the two cores with a CPU-bound measurement. */
export const SECTION_NAMES: readonly SectionName[] = [
  'generate',
  'parse',
  'memory',
  'engine',
  'whocan',
  'whatif',
  'escalation',
  'startup',
  'neo4j',
];

export interface Target {
  op: '<=' | '>=';
  value: number;
}

export interface Measurement {
  /** Stable key, also used to attach the issue target (`memory.import-total`). */
  key: string;
  section: SectionName;
  name: string;
  value: number;
  unit: string;
  /** Individual runs when the value is a median. */
  runs?: number[];
  note?: string;
}

export interface SectionOutcome {
  section: SectionName;
  status: 'measured' | 'skipped' | 'failed';
  /** Why a section was skipped or failed. */
  reason?: string;
  measurements: Measurement[];
}

export interface IssueTarget {
  issue: number;
  title: string;
  /** The measurement key that answers it, or undefined when no section measures it yet. */
  key?: string;
  measure: string;
  target: Target;
  unit: string;
  /** The target is set for the large generated account; other presets are measured but not judged. */
  largeOnly: boolean;
}

/** The figures issues 2, 3, 4, 6, 7 and 17 ask `npm run bench` to report (their Performance / Done-when sections). */
export const ISSUE_TARGETS: readonly IssueTarget[] = [
  {
    issue: 2,
    title: 'Walking skeleton',
    key: 'memory.import-total',
    measure:
      'import of the large account into the embedded store (parse + normalize + load, escalation rows included)',
    target: { op: '<=', value: 3000 },
    unit: 'ms',
    largeOnly: true,
  },
  {
    issue: 2,
    title: 'Walking skeleton',
    key: 'neo4j.import-total',
    measure: 'import of the large account into Neo4j (parse + normalize + load, escalation rows included)',
    target: { op: '<=', value: 30000 },
    unit: 'ms',
    largeOnly: true,
  },
  {
    issue: 3,
    title: 'Policy engine',
    key: 'engine.evaluations',
    measure:
      'single-request evaluations per second, typical principal (10 policies, 50 statements), one core',
    target: { op: '>=', value: 100000 },
    unit: 'evaluations/s',
    largeOnly: false,
  },
  {
    issue: 4,
    title: 'who-can and effective permissions',
    measure: 'who-can p50, embedded store (warm)',
    key: 'whocan.indexed-p50',
    target: { op: '<=', value: 50 },
    unit: 'ms',
    largeOnly: true,
  },
  {
    issue: 4,
    title: 'who-can and effective permissions',
    measure: 'who-can p50, Neo4j (warm)',
    key: 'neo4j.whocan-p50',
    target: { op: '<=', value: 300 },
    unit: 'ms',
    largeOnly: true,
  },
  {
    issue: 4,
    title: 'who-can and effective permissions',
    measure: 'access(principal)',
    key: 'whocan.access-p50',
    target: { op: '<=', value: 100 },
    unit: 'ms',
    largeOnly: true,
  },
  {
    issue: 6,
    title: 'Escalation graph and blast radius',
    measure: 'building all escalation/assume edges, embedded store',
    key: 'escalation.build',
    target: { op: '<=', value: 10000 },
    unit: 'ms',
    largeOnly: true,
  },
  {
    issue: 6,
    title: 'Escalation graph and blast radius',
    measure: 'blast radius',
    key: 'escalation.blast-radius-p50',
    target: { op: '<=', value: 200 },
    unit: 'ms',
    largeOnly: true,
  },
  {
    issue: 6,
    title: 'Escalation graph and blast radius',
    measure: 'paths',
    key: 'escalation.paths-p50',
    target: { op: '<=', value: 200 },
    unit: 'ms',
    largeOnly: true,
  },
  {
    issue: 7,
    title: 'What-if and drift',
    key: 'whatif.attach-500',
    measure:
      'attach a policy to a 500-member group, diff included (grants, escalation edges and paths, blast-radius deltas), embedded store',
    target: { op: '<=', value: 1000 },
    unit: 'ms',
    largeOnly: true,
  },
  {
    issue: 17,
    title: 'Install and run',
    key: 'startup.help-built',
    measure: '`accessgraph --help`, built',
    target: { op: '<=', value: 300 },
    unit: 'ms',
    largeOnly: false,
  },
  {
    issue: 17,
    title: 'Install and run',
    key: 'startup.who-can-built',
    measure: '`who-can` on the demo bundle, cold process',
    target: { op: '<=', value: 1000 },
    unit: 'ms',
    largeOnly: false,
  },
  {
    issue: 17,
    title: 'Install and run',
    key: 'startup.blast-loop-built',
    measure: '`blast-radius` loop over 100 principals of the demo from a shell',
    target: { op: '<=', value: 60000 },
    unit: 'ms',
    largeOnly: false,
  },
];

/** Whether a run of `preset` is judged against `t` (account-size targets hold for the large preset only). */
export function judged(t: IssueTarget, preset: string): boolean {
  return !t.largeOnly || preset === 'large';
}

export function meetsTarget(value: number, target: Target): boolean {
  return target.op === '<=' ? value <= target.value : value >= target.value;
}
