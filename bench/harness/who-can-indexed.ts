/**
 * The indexed who-can (server/analysis/who-can.ts) beside the brute-force loop, in the same run: the
 * index build (every distinct policy compiled once, candidates by service), then the p50 over 50 queries that
 * cycle through services and buckets, half with a strict (complete) context and half leaving residuals.
 */
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import type { GeneratedAccount } from '../generate/generate-account.ts';
import { SnapshotAnalysis } from '../../server/analysis/snapshot-analysis.ts';
import { whoCan, type WhoCanQuery } from '../../server/analysis/who-can.ts';
import { median, timeRuns } from './measure.ts';
import { SkipSection, type BenchContext } from './context.ts';
import type { Measurement } from './results.ts';
import { candidateIndex } from '../../server/analysis/who-can.ts';

const ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  'sns:Publish',
  'sqs:SendMessage',
  'dynamodb:GetItem',
  'ec2:DescribeInstances',
  'iam:PassRole',
  'kms:Decrypt',
  'lambda:InvokeFunction',
  'logs:PutLogEvents',
];
const QUERIES = 50;

/** The generated bucket policies as Resources, for snapshots imported without resource policies. */
export function snapshotWithBuckets(snapshot: AccountSnapshot, account: GeneratedAccount): AccountSnapshot {
  if (snapshot.resources.length > 0) return snapshot;
  return {
    ...snapshot,
    resources: account.files
      .filter((f) => f.path.startsWith('resource-policies/s3/') && f.path.endsWith('.get-bucket-policy.json'))
      .map((f) => {
        const name = f.path.slice('resource-policies/s3/'.length).replace(/\.get-bucket-policy\.json$/, '');
        const policy = (JSON.parse(f.text) as { Policy: string }).Policy;
        return { arn: `arn:aws:s3:::${name}`, service: 's3', type: 'bucket', name, policy, tags: {} };
      }),
  };
}

/** The 50 bench queries: services and buckets in turn, half with a strict (complete) context. */
export function whoCanQueries(snapshot: AccountSnapshot): WhoCanQuery[] {
  const buckets = snapshot.resources.filter((r) => r.service === 's3').map((r) => r.name);
  const context = {
    'aws:SecureTransport': 'true',
    'aws:MultiFactorAuthPresent': 'true',
    'aws:SourceIp': '203.0.113.10',
    'aws:RequestedRegion': 'eu-west-1',
    'aws:CurrentTime': '2026-06-01T00:00:00Z',
  };
  const queries: WhoCanQuery[] = Array.from({ length: QUERIES }, (_, i) => {
    const action = ACTIONS[i % ACTIONS.length]!;
    const bucket = buckets[(i * 7) % Math.max(1, buckets.length)];
    return {
      action,
      resource: action.startsWith('s3:') && bucket ? `arn:aws:s3:::${bucket}/data/report.csv` : '*',
      context,
      strictContext: i % 2 === 0,
    };
  });
  return queries;
}

export async function whoCanIndexedSection(ctx: BenchContext): Promise<Measurement[]> {
  if (!ctx.snapshot || !ctx.account) throw new SkipSection('needs the `generate` and `parse` sections');
  const snapshot = snapshotWithBuckets(ctx.snapshot, ctx.account);
  const analysis = SnapshotAnalysis.of(snapshot);
  const buildStart = performance.now();
  const index = candidateIndex(analysis);
  const buildMs = performance.now() - buildStart;
  const queries = whoCanQueries(snapshot);
  const times: number[] = [];
  let entries = 0;
  let evaluated = 0;
  for (const q of queries) {
    const t = await timeRuns(1, () => whoCan(analysis, q));
    const answer = t.result;
    times.push(t.ms);
    entries += answer.entries.length;
    evaluated += answer.evaluated;
  }
  const sorted = [...times].sort((a, b) => a - b);
  const p50 = median(times);
  const p90 = sorted[Math.floor(sorted.length * 0.9)]!;
  return [
    {
      section: 'whocan',
      key: 'whocan.index-build',
      name: 'who-can index: compile each distinct policy once, candidates by service',
      value: buildMs,
      unit: 'ms',
      note: `${index.principals.length} principals, ${index.distinctPolicies} distinct policies`,
    },
    {
      section: 'whocan',
      key: 'whocan.indexed-p50',
      name: `indexed who-can p50 over ${QUERIES} queries (embedded, warm index)`,
      value: p50,
      unit: 'ms',
      runs: times,
      note: `p90 ${p90.toFixed(1)} ms; on average ${Math.round(evaluated / QUERIES)} of ${index.principals.length} principals evaluated and ${Math.round(entries / QUERIES)} listed per query`,
    },
  ];
}
