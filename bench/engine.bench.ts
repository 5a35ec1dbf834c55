import {
  compileGlob,
  compilePolicySet,
  evaluateCompiled,
  type EvaluationRequest,
  type PolicySet,
} from '../server/engine/index.ts';
import { median } from './harness/measure.ts';

/**
 * Engine throughput on a typical principal: 10 policies, 50 statements (5 each), a fifth of them with
 * conditions, a boundary; single requests evaluated one at a time on compiled policies. The explanation is built
 * on first access, so the decision path is measured alone, then again with every explanation read.
 * Deterministic: no randomness, fixed policies and request mix.
 */
const ACCOUNT = '111122223333';
const SERVICES = ['s3', 'ec2', 'iam', 'dynamodb', 'lambda', 'sqs', 'sns', 'kms', 'logs', 'cloudwatch'];
const VERBS = ['Get', 'List', 'Describe', 'Put', 'Delete'];

function typicalPolicySet(): PolicySet {
  const identity = SERVICES.map((svc, p) => ({
    id: `arn:aws:iam::${ACCOUNT}:policy/bench-${p}`,
    name: `bench-${p}`,
    attachedVia: [`arn:aws:iam::${ACCOUNT}:user/bench`],
    document: {
      Version: '2012-10-17',
      Statement: VERBS.map((verb, s) => ({
        Sid: `S${p}x${s}`,
        Effect: s === 4 ? 'Deny' : 'Allow',
        Action: [`${svc}:${verb}*`, `${SERVICES[(p + 1) % SERVICES.length]}:${verb}Item`],
        Resource:
          s === 1 ? `arn:aws:${svc}:*:${ACCOUNT}:*/\${aws:username}/*` : `arn:aws:${svc}:*:${ACCOUNT}:*`,
        ...(s === 2
          ? {
              Condition: {
                Bool: { 'aws:MultiFactorAuthPresent': 'true' },
                IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.168.0.0/16'] },
              },
            }
          : s === 4
            ? { Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } } }
            : {}),
      })),
    },
  }));
  return {
    identity,
    boundary: {
      id: 'boundary',
      document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    },
  };
}

function requests(): EvaluationRequest[] {
  const out: EvaluationRequest[] = [];
  for (let i = 0; i < 200; i++) {
    const svc = SERVICES[i % SERVICES.length]!;
    const verb = VERBS[(i * 7) % VERBS.length]!;
    out.push({
      principal: `arn:aws:iam::${ACCOUNT}:user/bench`,
      action: `${svc}:${verb}Thing${i % 3}`,
      resource: `arn:aws:${svc}:us-east-1:${ACCOUNT}:thing/bench/${i}`,
      context:
        i % 2
          ? {
              'aws:MultiFactorAuthPresent': 'true',
              'aws:SourceIp': '10.1.2.3',
              'aws:RequestedRegion': 'us-east-1',
            }
          : { 'aws:RequestedRegion': 'us-west-2' },
      ...(i % 4 === 0 ? { strictContext: true } : {}),
    });
  }
  return out;
}

export interface EngineRow {
  name: string;
  value: number;
  unit: string;
  /** A stable measurement key (the section numbers rows without one). */
  key?: string;
}

export async function benchEngine(): Promise<EngineRow[]> {
  const compiled = compilePolicySet(typicalPolicySet());
  const reqs = requests();
  let sink = 0;
  // Warm up the JIT and the per-service candidate caches.
  for (let i = 0; i < 20_000; i++) sink += evaluateCompiled(reqs[i % reqs.length]!, compiled).decision.length;
  const durationMs = 2000;
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < durationMs) {
    for (let i = 0; i < 1000; i++, n++)
      sink += evaluateCompiled(reqs[n % reqs.length]!, compiled).decision.length;
  }
  const elapsed = (performance.now() - start) / 1000;
  const explainStart = performance.now();
  let m = 0;
  while (performance.now() - explainStart < durationMs) {
    for (let i = 0; i < 1000; i++, m++)
      sink += evaluateCompiled(reqs[m % reqs.length]!, compiled).explanation.layers.length;
  }
  const explainElapsed = (performance.now() - explainStart) / 1000;
  const compileStart = performance.now();
  const compileRuns = 200;
  for (let i = 0; i < compileRuns; i++) sink += compilePolicySet(typicalPolicySet()).identity.length;
  const compileMs = (performance.now() - compileStart) / compileRuns;
  if (sink < 0) throw new Error('unreachable');
  return [
    {
      name: 'engine: single-request evaluations (10 policies, 50 statements, compiled)',
      value: Math.round(n / elapsed),
      unit: 'evaluations/s',
    },
    {
      name: 'engine: the same with the explanation read on every decision',
      value: Math.round(m / explainElapsed),
      unit: 'evaluations/s',
    },
    {
      name: 'engine: compile a typical principal policy set',
      value: Number(compileMs.toFixed(3)),
      unit: 'ms',
    },
    ...benchGlob(),
  ];
}

/**
 * Hostile IAM wildcards: 10,000-character patterns that make a backtracking regular expression run for ever
 * (`*a*a…b` against a run of `a`), each compiled and matched once against a 20,000-character string, as a
 * policy imported or sent to `evaluate` would be. The median of 101 runs, after 20 unmeasured.
 */
function benchGlob(): EngineRow[] {
  const a = 'a'.repeat(20_000);
  const cases: [key: string, name: string, pattern: string, text: string, expected: boolean][] = [
    ['glob-star-a', '`*a` × 5,000 then `b`, no match', '*a'.repeat(5000) + 'b', a, false],
    ['glob-star-a-match', '`*a` × 5,000 then `b`, a match', '*a'.repeat(5000) + 'b', `${a}b`, true],
    ['glob-star-a-star-b', '`*a` × 4,999 then `*b*`, no match', '*a'.repeat(4999) + '*b*', a, false],
    ['glob-question', '`*` then `a?` × 5,000 then `c*`, no match', `*${'a?'.repeat(5000)}c*`, a, false],
  ];
  return cases.map(([key, name, pattern, text, expected]) => {
    const runs: number[] = [];
    for (let i = 0; i < 121; i++) {
      const start = performance.now();
      const got = compileGlob(pattern)(text);
      if (i >= 20) runs.push(performance.now() - start);
      if (got !== expected) throw new Error(`glob bench: ${name} gave ${got}`);
    }
    return {
      key,
      name: `engine: hostile glob, ${pattern.length.toLocaleString('en-US')} characters: ${name} (compile + match)`,
      value: Number(median(runs).toFixed(3)),
      unit: 'ms',
    };
  });
}
