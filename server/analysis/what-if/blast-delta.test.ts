/**
 * Blast-radius deltas through the what-if entry point (the incremental escalation graph included), on the demo
 * with a Lambda role that is admin and a group that may pass it to a new function.
 */
import fc from 'fast-check';
import { propertyRuns } from '../../../test/support/property.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { demo, importDemo } from '../../../test/api/demo-fixture.ts';
import type { AccountSnapshot } from '../../../schema/snapshot.ts';
import { buildEscalationGraph } from '../escalation/build.ts';
import {
  ADMIN,
  stepConditions,
  type EscalationEdge,
  type EscalationGraph,
  type FanOutEdge,
} from '../escalation/graph.ts';
import {
  MAX_EVALUATED,
  MAX_LISTED,
  MAX_NAMED,
  blastRadiusDelta,
  type AdminReach,
  type BlastRadiusChange,
  type BlastRadiusDiff,
} from './blast-delta.ts';
import { parseChanges } from './changes.ts';
import { diffOverlay } from './diff.ts';
import { applyChanges } from './overlay.ts';
import { defaultDiffOptions, whatIf } from './what-if.ts';
import { SnapshotAnalysis } from '../snapshot-analysis.ts';

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const LAMBDA_ADMIN = 'arn:aws:iam::111122223333:role/lambda-admin';

let base: AccountSnapshot;
beforeAll(async () => {
  base = applyChanges(
    await importDemo(),
    parseChanges([
      {
        op: 'createRole',
        name: 'lambda-admin',
        document: policy({
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
        }),
      },
      { op: 'attachPolicy', policy: 'AdministratorAccess', target: 'role/lambda-admin' },
      { op: 'createGroup', name: 'LambdaDeployers' },
      {
        op: 'putInlinePolicy',
        target: 'group/LambdaDeployers',
        name: 'deploy',
        document: policy(
          { Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' },
          { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/lambda-*' },
        ),
      },
    ]).changes!,
  ).overlay!.after;
});

describe('blast-radius deltas', () => {
  it('adding carol to the deployers grows her blast radius: lambda-admin reachable, admin reachable', async () => {
    const r = await whatIf(SnapshotAnalysis.of(base), [
      { op: 'addUserToGroup', user: 'carol', group: 'LambdaDeployers' },
    ]);
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const carol = r.diff.blastRadius!.principals.find((p) => p.arn === demo.carol)!;
    expect(carol.before).toEqual({ admin: 'NONE', reachable: 0 });
    expect(carol.after.admin).toBe('ALLOWED');
    expect(carol.gained).toContain(LAMBDA_ADMIN);
    expect(carol.gainedCount).toBe(carol.after.reachable);
    expect(carol.lost).toEqual([]);
    // Nobody else's reach changed: nobody reaches carol.
    expect(r.diff.blastRadius!.principals.map((p) => p.arn)).toEqual([demo.carol]);
    expect(r.diff.summary.blastRadiusChanged).toBe(1);
  });

  it('a Deny on iam:PassRole added to the group shrinks it again', async () => {
    const withCarol = applyChanges(
      base,
      parseChanges([{ op: 'addUserToGroup', user: 'carol', group: 'LambdaDeployers' }]).changes!,
    ).overlay!.after;
    const r = await whatIf(SnapshotAnalysis.of(withCarol), [
      {
        op: 'putInlinePolicy',
        target: 'group/LambdaDeployers',
        name: 'no-pass',
        document: policy({ Effect: 'Deny', Action: 'iam:PassRole', Resource: '*' }),
      },
    ]);
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const carol = r.diff.blastRadius!.principals.find((p) => p.arn === demo.carol)!;
    expect(carol.before.admin).toBe('ALLOWED');
    expect(carol.after).toEqual({ admin: 'NONE', reachable: 0 });
    expect(carol.lost).toContain(LAMBDA_ADMIN);
    expect(carol.gained).toEqual([]);
  });

  it('the incremental after graph gives the same diff as building it from scratch', async () => {
    const overlay = applyChanges(
      base,
      parseChanges([
        { op: 'addUserToGroup', user: 'carol', group: 'LambdaDeployers' },
        { op: 'attachPolicy', policy: 'IAMFullAccess', target: 'user/dave' },
      ]).changes!,
    ).overlay!;
    const options = await defaultDiffOptions();
    const incremental = await diffOverlay(overlay, options);
    const { updateEscalation: _, ...rest } = options;
    const scratch = await diffOverlay(overlay, { ...rest, escalation: (s) => buildEscalationGraph(s) });
    expect(incremental.blastRadius).toEqual(scratch.blastRadius);
    expect(incremental.summary).toEqual(scratch.summary);
    // dave reached admin before already (an unconditional path): becoming admin does not change his reach.
    expect(incremental.admins.gained.map((a) => a.arn)).toEqual([demo.dave]);
    expect(incremental.blastRadius!.principals.map((p) => p.arn)).toEqual([demo.carol]);
  });
});

/**
 * The reference: blast-radius deltas the straightforward way, each candidate walked forward in each graph on its
 * own (what blast-delta.ts did before it shared walks between candidates), held against the product on random
 * graphs: conditional edges and fan-out entries, classes shared by several entries (and containing their source),
 * a class whose members change, admins ALLOWED or CONDITIONAL, principals only in one snapshot, graph nodes in
 * neither, unchanged edges shared between the graphs or copied.
 */
function referenceDelta(
  before: EscalationGraph,
  after: EscalationGraph,
  principals: { before: ReadonlySet<string>; after: ReadonlySet<string> },
  first: readonly string[],
): BlastRadiusDiff {
  const key = (e: Omit<EscalationEdge, 'to'> & { to: string }) =>
    JSON.stringify([e.from, e.to, e.kind, e.technique, e.conditional, [...e.conditions].sort()]);
  const fanKey = (f: FanOutEdge) =>
    key({ ...f, to: `${f.targetClass}:${JSON.stringify([...f.targets].sort())}` });
  const steps = (g: EscalationGraph, unconditionalOnly: boolean) => {
    const next = new Map<string, string[]>();
    const add = (from: string, to: string) => next.set(from, [...(next.get(from) ?? []), to]);
    for (const e of g.edges) if (!unconditionalOnly || !e.conditional) add(e.from, e.to);
    for (const f of g.fanOut ?? [])
      for (const t of f.targets) if (!unconditionalOnly || !stepConditions(f, t).conditional) add(f.from, t);
    return next;
  };
  const walk = (next: Map<string, string[]>, start: string) => {
    const seen = new Set([start]);
    const queue = [start];
    while (queue.length)
      for (const t of next.get(queue.pop()!) ?? [])
        if (!seen.has(t)) {
          seen.add(t);
          queue.push(t);
        }
    seen.delete(start);
    return seen;
  };
  const state = (g: EscalationGraph, all: ReadonlySet<string>, start: string) => {
    const reached = walk(steps(g, false), start);
    const sure = walk(steps(g, true), start);
    const isAdmin = (set: Set<string>, allowedOnly: boolean) =>
      set.has(ADMIN) ||
      [start, ...set].some(
        (p) => g.admins.has(p) && (!allowedOnly || g.admins.get(p)!.decision === 'ALLOWED'),
      );
    const admin: AdminReach = isAdmin(sure, true)
      ? 'ALLOWED'
      : isAdmin(reached, false)
        ? 'CONDITIONAL'
        : 'NONE';
    const out = admin === 'ALLOWED' ? new Set([...all].filter((p) => p !== start)) : reached;
    out.delete(ADMIN);
    return { admin, reached: out };
  };
  // Changed sources as blast-delta.ts compares them: per source, a list of another length or with a new key.
  const changed = new Set<string>();
  const compare = <T extends { from: string }>(x: readonly T[], y: readonly T[], k: (e: T) => string) => {
    for (const from of new Set([...x, ...y].map((e) => e.from))) {
      const [xs, ys] = [x.filter((e) => e.from === from), y.filter((e) => e.from === from)];
      const keys = new Set(xs.map(k));
      if (xs.length !== ys.length || ys.some((e) => !keys.has(k(e)))) changed.add(from);
    }
  };
  compare(before.edges, after.edges, key);
  compare(before.fanOut ?? [], after.fanOut ?? [], fanKey);
  for (const arn of new Set([...before.admins.keys(), ...after.admins.keys()]))
    if (before.admins.get(arn)?.decision !== after.admins.get(arn)?.decision) changed.add(arn);
  changed.delete(ADMIN);
  const all = new Set([...principals.before, ...principals.after]);
  const candidates = [...all].filter((p) =>
    [...changed].some(
      (c) => c === p || walk(steps(before, false), p).has(c) || walk(steps(after, false), p).has(c),
    ),
  );
  const priority = new Set([...changed, ...first]);
  const evaluated = candidates
    .sort()
    .sort((x, y) => Number(priority.has(y)) - Number(priority.has(x)))
    .slice(0, MAX_EVALUATED);
  const rank = { NONE: 0, CONDITIONAL: 1, ALLOWED: 2 };
  const changes = evaluated.flatMap((arn) => {
    const x = state(before, principals.before, arn);
    const y = state(after, principals.after, arn);
    const gained = [...y.reached].filter((p) => !x.reached.has(p)).sort();
    const lost = [...x.reached].filter((p) => !y.reached.has(p)).sort();
    if (x.admin === y.admin && !gained.length && !lost.length) return [];
    return [
      {
        arn,
        before: { admin: x.admin, reachable: x.reached.size },
        after: { admin: y.admin, reachable: y.reached.size },
        gained: gained.slice(0, MAX_NAMED),
        lost: lost.slice(0, MAX_NAMED),
        gainedCount: gained.length,
        lostCount: lost.length,
      },
    ];
  });
  const shift = (c: BlastRadiusChange) => Math.abs(rank[c.after.admin] - rank[c.before.admin]);
  changes.sort((x, y) => shift(y) - shift(x) || (x.arn < y.arn ? -1 : 1));
  return {
    principals: changes.slice(0, MAX_LISTED),
    more: Math.max(0, changes.length - MAX_LISTED),
    candidates: candidates.length,
    evaluated: evaluated.length,
  };
}

const node = (i: number) => (i < 0 ? ADMIN : `arn:aws:iam::111122223333:${i % 2 ? 'role' : 'user'}/p${i}`);

/** A random pair of graphs over nodes 0..n-1 (-1 = ADMIN): what both share, and what each has alone. */
function randomPair(n: number): fc.Arbitrary<Pair> {
  const at = fc.integer({ min: 0, max: n - 1 });
  const edge = fc.record({ from: at, to: fc.integer({ min: -1, max: n - 1 }), conditional: fc.boolean() });
  const entry = fc.record({ from: at, cls: fc.nat(3), conditional: fc.boolean() });
  const admin = fc.record({ at, allowed: fc.boolean() });
  const part = fc.record({
    edges: fc.array(edge, { maxLength: n }),
    fan: fc.array(entry, { maxLength: 4 }),
    admins: fc.array(admin, { maxLength: 2 }),
    missing: fc.array(at, { maxLength: 2 }),
  });
  return fc.record({
    common: part,
    before: part,
    after: part,
    classes: fc.array(fc.uniqueArray(at, { maxLength: 6 }), { minLength: 4, maxLength: 4 }),
    regrown: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    copied: fc.boolean(),
    first: fc.array(at, { maxLength: 3 }),
  });
}

type Part = {
  edges: { from: number; to: number; conditional: boolean }[];
  fan: { from: number; cls: number; conditional: boolean }[];
  admins: { at: number; allowed: boolean }[];
  missing: number[];
};

interface Pair {
  common: Part;
  before: Part;
  after: Part;
  classes: number[][];
  regrown: boolean[];
  copied: boolean;
  first: number[];
}

function graphsOf(n: number, p: Pair) {
  const edgeOf = (e: Part['edges'][number]): EscalationEdge => ({
    from: node(e.from),
    to: node(e.to),
    kind: e.to < 0 ? 'escalate' : 'assume',
    technique: e.to < 0 ? 'iam-001' : 'sts:AssumeRole',
    conditional: e.conditional,
    conditions: e.conditional ? ['aws:MultiFactorAuthPresent = true'] : [],
    evidence: [],
  });
  const classesBefore = p.classes.map((c) => c.map(node));
  // A class that gains a member is a new array in the after graph, as the builder makes it.
  const classesAfter = classesBefore.map((c, i) => (p.regrown[i] ? [...new Set([...c, node(i % n)])] : c));
  // Odd classes hold a residual of their first member's own (a cross-account role's ExternalId), one map per
  // class array as the builder shares it.
  const memberConditions = new Map<readonly string[], ReadonlyMap<string, readonly string[]>>();
  const conditionsOf = (cls: number, targets: string[]) => {
    if (cls % 2 === 0 || targets.length === 0) return {};
    let m = memberConditions.get(targets);
    if (!m) memberConditions.set(targets, (m = new Map([[targets[0]!, ['sts:ExternalId = x']]])));
    return { memberConditions: m };
  };
  const entryOf =
    (classes: string[][]) =>
    (f: Part['fan'][number]): FanOutEdge => ({
      from: node(f.from),
      targets: classes[f.cls]!,
      targetClass: `class ${f.cls}`,
      kind: 'escalate',
      technique: 'iam-003',
      conditional: f.conditional,
      conditions: [],
      evidence: [],
      ...conditionsOf(f.cls, classes[f.cls]!),
    });
  const commonEdges = p.common.edges.map(edgeOf);
  const graph = (own: Part, shared: EscalationEdge[], classes: string[][]): EscalationGraph => ({
    edges: [...shared, ...own.edges.map(edgeOf)],
    fanOut: [...p.common.fan, ...own.fan].map(entryOf(classes)),
    admins: new Map(
      [...p.common.admins, ...own.admins].map((a) => [
        node(a.at),
        { decision: a.allowed ? 'ALLOWED' : 'CONDITIONAL', conditions: [], evidence: [] },
      ]),
    ),
  });
  const before = graph(p.before, commonEdges, classesBefore);
  const after = graph(p.after, p.copied ? commonEdges.map((e) => ({ ...e })) : commonEdges, classesAfter);
  // The last node is in the graphs only, never a principal (nodes need not all be principals).
  const principalsOf = (own: Part) =>
    new Set(
      Array.from({ length: n - 1 }, (_, i) => i)
        .filter((i) => !own.missing.includes(i))
        .map(node),
    );
  return {
    before,
    after,
    principals: { before: principalsOf(p.before), after: principalsOf(p.after) },
    first: p.first.map(node),
  };
}

describe('blast-radius deltas against a walk per principal', () => {
  it('the same answer on random graphs with fan-out, conditional steps and admins', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }).chain((n) => randomPair(n).map((p) => graphsOf(n, p))),
        ({ before, after, principals, first }) => {
          expect(blastRadiusDelta(before, after, principals, first)).toEqual(
            referenceDelta(before, after, principals, first),
          );
        },
      ),
      propertyRuns(300, 20261207),
    );
  });

  it('the same answer past the caps: more candidates than are walked, more changes than are listed', () => {
    // 260 users each assume the next; the last gains a path to an admin role: every user reaches it.
    const users = Array.from({ length: 260 }, (_, i) => node(2 * i));
    const chain = users.slice(1).map((to, i) => ({ from: users[i]!, to, conditional: i % 7 === 0 }));
    const edge = (e: { from: string; to: string; conditional: boolean }): EscalationEdge => ({
      ...e,
      kind: 'assume',
      technique: 'sts:AssumeRole',
      conditions: e.conditional ? ['aws:MultiFactorAuthPresent = true'] : [],
      evidence: [],
    });
    const admin = node(1);
    const admins = new Map([[admin, { decision: 'ALLOWED' as const, conditions: [], evidence: [] }]]);
    const before: EscalationGraph = { edges: chain.map(edge), admins };
    const after: EscalationGraph = {
      edges: [...before.edges, edge({ from: users[259]!, to: admin, conditional: false })],
      admins,
    };
    const all = new Set([...users, admin]);
    const principals = { before: all, after: all };
    const diff = blastRadiusDelta(before, after, principals, [users[3]!]);
    expect(diff).toEqual(referenceDelta(before, after, principals, [users[3]!]));
    expect(diff.candidates).toBe(260);
    expect(diff.evaluated).toBe(MAX_EVALUATED);
    expect(diff.more).toBe(MAX_EVALUATED - MAX_LISTED);
  });
});
