/** What a bench section reports, and the targets the issues set (docs/benchmarks.md compares the two). */

export type SectionName =
  | 'generate'
  | 'parse'
  | 'memory'
  | 'engine'
  | 'whocan'
  | 'whatif'
  | 'rightsize'
  | 'escalation'
  | 'load'
  | 'scale'
  | 'startup'
  | 'web'
  | 'neo4j';
/** Run order: Neo4j last, so its JVM never shares the two cores with a CPU-bound measurement. */
export const SECTION_NAMES: readonly SectionName[] = [
  'generate',
  'parse',
  'memory',
  'engine',
  'whocan',
  'whatif',
  'rightsize',
  'escalation',
  'load',
  'scale',
  'startup',
  'web',
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
  /**
   * Set when what was measured did not finish (killed at the wall-clock cap, heap limit reached): `value` is what
   * it had used by then, a lower bound, and no target is met.
   */
  unfinished?: string;
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

const GB = 1e9;

/** The organization-scale targets, measured by the `scale` section on its own sizes whatever the preset. */
const SCALE_TARGETS: readonly IssueTarget[] = (
  [
    ['broad-8k.cpu', 'import, broad-IAM shape, 4,000 users + 4,000 roles, embedded: CPU time', 15000, 'ms'],
    [
      'broad-8k.rss',
      'import, broad-IAM shape, 4,000 users + 4,000 roles, embedded: max RSS',
      1 * GB,
      'bytes',
    ],
    [
      'self-service.time',
      'escalation build of the large preset plus the self-service credentials policy on an all-users group, over the build without it',
      1.5,
      '×',
    ],
    ['broad-growth-16k.time', 'growth 8k → 16k principals, broad-IAM shape: CPU time', 2.2, '×'],
    ['broad-growth-16k.memory', 'growth 8k → 16k principals, broad-IAM shape: max RSS', 2.2, '×'],
    [
      'org-10x2000.wall',
      'organization, 10 accounts × 2,000 principals, broad-IAM shape: wall time',
      60000,
      'ms',
    ],
    [
      'org-10x2000.rss',
      'organization, 10 accounts × 2,000 principals, broad-IAM shape: max RSS',
      3 * GB,
      'bytes',
    ],
    ['org-200x500.wall', 'organization, 200 accounts × 500 principals, embedded: wall time', 300000, 'ms'],
    ['org-200x500.rss', 'organization, 200 accounts × 500 principals, embedded: max RSS', 8 * GB, 'bytes'],
  ] as const
).map(([key, measure, value, unit]) => ({
  issue: 16,
  title: 'Analysis core for organizations',
  key: `scale.${key}`,
  measure,
  target: { op: '<=', value },
  unit,
  largeOnly: false,
}));

/** The performance targets `npm run bench` reports against, each keyed by the issue that sets it (`issue`, `title`). */
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
    issue: 15,
    title: 'Hardening',
    key: 'engine.glob-star-a',
    measure:
      'IAM glob, 10,000-character hostile pattern (`*a*a…b`, no match) against 20,000 characters, compile + match',
    target: { op: '<=', value: 1 },
    unit: 'ms',
    largeOnly: false,
  },
  {
    issue: 15,
    title: 'Hardening',
    key: 'engine.glob-star-a-match',
    measure:
      'IAM glob, 10,000-character hostile pattern (`*a*a…b`, a match) against 20,000 characters, compile + match',
    target: { op: '<=', value: 1 },
    unit: 'ms',
    largeOnly: false,
  },
  {
    issue: 15,
    title: 'Hardening',
    key: 'engine.glob-star-a-star-b',
    measure:
      'IAM glob, 10,000-character hostile pattern (`*a*a…*b*`) against 20,000 characters, compile + match',
    target: { op: '<=', value: 1 },
    unit: 'ms',
    largeOnly: false,
  },
  {
    issue: 15,
    title: 'Hardening',
    key: 'engine.glob-question',
    measure:
      'IAM glob, 10,000-character hostile pattern (`*a?a?…c*`) against 20,000 characters, compile + match',
    target: { op: '<=', value: 1 },
    unit: 'ms',
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
    issue: 16,
    title: 'Analysis core for organizations',
    measure: 'Neo4j: first blast radius after start (no read-back of every edge)',
    key: 'neo4j.blast-radius-first',
    target: { op: '<=', value: 1000 },
    unit: 'ms',
    largeOnly: true,
  },
  {
    issue: 16,
    title: 'Analysis core for organizations',
    measure:
      'Neo4j: server RSS while answering who-can / blast radius / paths (set for 200 × 500; measured on large)',
    key: 'neo4j.server-rss',
    target: { op: '<=', value: 2 * GB },
    unit: 'bytes',
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
    issue: 8,
    title: 'Web UI',
    key: 'web.render-total',
    measure: 'first interactive render of a 2,000-element graph in headless Chromium (whole account)',
    target: { op: '<=', value: 2000 },
    unit: 'ms',
    largeOnly: false,
  },
  {
    issue: 21,
    title: 'Least privilege from evidence',
    key: 'rightsize.all',
    measure:
      'right-size every principal and group with generated last-accessed evidence, what-if proofs included',
    target: { op: '<=', value: 30000 },
    unit: 'ms',
    largeOnly: true,
  },
  ...SCALE_TARGETS,
  ...(
    [
      [
        'c50.errors',
        'who-can, 50 concurrent clients for the duration on loopback: failed requests',
        0,
        'requests',
      ],
      ['c50.p99', 'who-can, 50 concurrent clients on loopback: p99 latency', 1000, 'ms'],
      ['probe-max', '`{ __typename }` probe answered while 50 clients ask who-can: worst latency', 100, 'ms'],
      ['rss-growth', 'server RSS over the load levels, end / start ("flat")', 1.2, '×'],
    ] as const
  ).map(([key, measure, value, unit]) => ({
    issue: 15,
    title: 'Hardening',
    key: `load.${key}`,
    measure,
    target: { op: '<=' as const, value },
    unit,
    largeOnly: true,
  })),
  {
    issue: 20,
    title: 'What-if from a Terraform plan',
    key: 'whatif.terraform-200',
    measure:
      'a 200-resource Terraform plan read, translated and answered, escalation included, embedded store',
    target: { op: '<=', value: 2000 },
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
    key: 'startup.who-can-persisted',
    measure: 'second `who-can --from` on the large preset (unchanged bundle, persisted)',
    target: { op: '<=', value: 1500 },
    unit: 'ms',
    largeOnly: true,
  },
  {
    issue: 17,
    title: 'Install and run',
    key: 'startup.who-can-persisted-speedup',
    measure: 'first `who-can --from` on the large preset over the second',
    target: { op: '>=', value: 10 },
    unit: '×',
    largeOnly: true,
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

/** Whether a measurement meets a target: never when it did not finish. */
export function measurementMeets(m: Measurement, target: Target): boolean {
  return !m.unfinished && meetsTarget(m.value, target);
}

/** Whether a run of `preset` is judged against `t` (account-size targets hold for the large preset only). */
export function judged(t: IssueTarget, preset: string): boolean {
  return !t.largeOnly || preset === 'large';
}

export function meetsTarget(value: number, target: Target): boolean {
  return target.op === '<=' ? value <= target.value : value >= target.value;
}
