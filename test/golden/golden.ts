/**
 * Golden answers: every public answer (GraphQL and the CLI's `--json`) on the demo and a generated account,
 * compared with the files under answers/ by golden.test.ts (embedded store) and golden.neo4j.test.ts (Neo4j).
 * GOLDEN_UPDATE=1 rewrites the files instead (README.md beside this file).
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripIgnoredCharacters } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createYoga } from '../../server/api/yoga.ts';
import type { GraphStore } from '../../server/graph/store.ts';
import { ROOT, runCli, type CliResult } from '../cli/run-cli.ts';
import { fullDocument } from './selection.ts';
import { demoCases, generatedCases, type Cases } from './cases.ts';

const UPDATE = process.env.GOLDEN_UPDATE === '1';
const ANSWERS = join(ROOT, 'test', 'golden', 'answers');

interface Fixture {
  /** Directory under answers/. */
  name: string;
  /** The bundle, relative to the repository (the CLI prints it as given). */
  bundle: string;
  cases: Cases;
  /** Next month's GAAD: what `diff` compares the bundle with. */
  later: (gaad: Gaad) => void;
}

type Gaad = Record<string, any[]>;

const FIXTURES: readonly Fixture[] = [
  {
    name: 'demo',
    bundle: 'examples/demo',
    cases: demoCases,
    // QA gets S3 write access; bob loses the inline policy that lets him pass Lambda roles.
    later(gaad) {
      gaad
        .GroupDetailList!.find((g) => g.GroupName === 'QA')
        .AttachedManagedPolicies.push({
          PolicyName: 'AmazonS3FullAccess',
          PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess',
        });
      gaad.UserDetailList!.find((u) => u.UserName === 'bob').UserPolicyList = [];
    },
  },
  {
    name: 'generated-tiny',
    bundle: 'test/golden/bundles/generated-tiny',
    cases: generatedCases,
    // A four-member group may now edit any policy version (a path to admin); jamal leaves his group.
    later(gaad) {
      gaad
        .GroupDetailList!.find((g) => g.GroupName === 'growth-oncall-5')
        .GroupPolicyList.push({
          PolicyName: 'edit-policies',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: '*' }],
          },
        });
      gaad.UserDetailList!.find((u) => u.UserName === 'jamal.kim.8').GroupList = [];
    },
  },
];

/** A copy of the fixture's bundle with `later` applied to its GAAD, in a new temporary directory. */
function laterBundle(fixture: Fixture): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'accessgraph-golden-')), `${fixture.name}-later`);
  cpSync(join(ROOT, fixture.bundle), dir, { recursive: true });
  const file = join(dir, 'authorization-details.json');
  const gaad = JSON.parse(readFileSync(file, 'utf8')) as Gaad;
  fixture.later(gaad);
  writeFileSync(file, JSON.stringify(gaad, null, 4));
  return dir;
}

/**
 * What a store's run knows that a golden file spells as a placeholder: the snapshot ids (`<snapshot>`,
 * `<snapshot:later>`), the later bundle's temporary directory (`<bundle:later>`), and how `diff` names the two
 * snapshots on this store (bundles on the embedded store, snapshot ids on Neo4j).
 */
interface Run {
  store: GraphStore;
  snapshot: string;
  later: string;
  laterBundle: string;
  diffArgs: [string, string];
  /** The CLI's store flags (`--data-dir …` or `--neo4j-uri …`). */
  storeFlags: string[];
}

function placeholders(run: Run): [string, string][] {
  return [
    ['<snapshot>', run.snapshot],
    ['<snapshot:later>', run.later],
    ['<bundle:later>', run.laterBundle],
    ['<diff:from>', run.diffArgs[0]],
    ['<diff:to>', run.diffArgs[1]],
  ];
}

/** Replaces, in every string of `value`, each pair's first string by its second. */
function substitute(value: unknown, pairs: [string, string][]): unknown {
  if (typeof value === 'string') {
    let s = value;
    for (const [from, to] of pairs) s = s.split(from).join(to);
    return s;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, pairs));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, pairs)]));
  return value;
}

const fill = (value: unknown, run: Run): unknown => substitute(value, placeholders(run));

/**
 * The answer with what legitimately differs between runs and stores spelt as placeholders: snapshot ids and the
 * later bundle's directory (above), the store's load time (`loadedAt`), and which store answered (the import's
 * `store` and `persisted`).
 */
function normalise(value: unknown, run: Run): unknown {
  const blanked = substitute(
    value,
    placeholders(run)
      .filter(([name]) => !name.startsWith('<diff:'))
      .map(([name, v]) => [v, name]),
  );
  return JSON.parse(JSON.stringify(blanked), (key, v: unknown) => {
    if (key === 'loadedAt' && typeof v === 'string') return '<time>';
    if ((key === 'store' || key === 'persisted') && typeof v !== 'object') return '<store>';
    return v;
  });
}

interface GraphqlGolden {
  query: string;
  variables: Record<string, unknown>;
  answer: unknown;
}

interface CliGolden {
  args: string[];
  exitCode: number | null;
  output: unknown;
}

const fileName = (name: string): string => `${name.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`;

function goldenPath(fixture: Fixture, kind: 'graphql' | 'cli', name: string): string {
  return join(ANSWERS, fixture.name, kind, fileName(name));
}

function readGolden<T>(file: string): T {
  if (!existsSync(file))
    throw new Error(`${file} is missing: record it with GOLDEN_UPDATE=1 (test/golden/README.md)`);
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function writeGolden(file: string, value: unknown): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** The golden files of a fixture that no case names (left by a removed or renamed case). */
function strayFiles(fixture: Fixture): string[] {
  const stray: string[] = [];
  for (const kind of ['graphql', 'cli'] as const) {
    const dir = join(ANSWERS, fixture.name, kind);
    if (!existsSync(dir)) continue;
    const names = new Set(
      (kind === 'graphql' ? fixture.cases.graphql : [...fixture.cases.cli, { name: 'import' }]).map((c) =>
        fileName(c.name),
      ),
    );
    for (const f of readdirSync(dir)) if (!names.has(f)) stray.push(join(dir, f));
  }
  if (UPDATE) for (const f of stray) rmSync(f);
  return UPDATE ? [] : stray;
}

/** One request through the real Yoga handler; analyses on a loaded machine may take longer than a user's budget. */
function goldenYoga(store: GraphStore): (query: string, variables: unknown) => Promise<unknown> {
  const yoga = createYoga({
    store,
    timeBudgetMs: 600_000,
    limits: { maxTokens: 100_000, maxDepth: 30, maxCost: 100_000_000, maxAliases: 30 },
  });
  return async (query, variables) => {
    const res = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: await res.json() };
  };
}

/** Runs one GraphQL case and compares its answer with the golden file (or records it). */
async function checkGraphql(
  fixture: Fixture,
  name: string,
  run: Run,
  ask: (query: string, variables: unknown) => Promise<unknown>,
): Promise<void> {
  const file = goldenPath(fixture, 'graphql', name);
  const c = fixture.cases.graphql.find((q) => q.name === name)!;
  const stored: Omit<GraphqlGolden, 'answer'> = UPDATE
    ? {
        query: stripIgnoredCharacters(fullDocument(c.field, c.variables, { include: c.include ?? {} })),
        variables: c.variables,
      }
    : readGolden<GraphqlGolden>(file);
  const answer = normalise(await ask(stored.query, fill(stored.variables, run)), run);
  if (UPDATE) writeGolden(file, { ...stored, answer });
  else expect(answer).toEqual(readGolden<GraphqlGolden>(file).answer);
}

/** The CLI's answer as a golden file records it. */
function cliAnswer(args: string[], r: CliResult, run: Run, keep?: (output: unknown) => unknown): CliGolden {
  let output: unknown;
  try {
    output = normalise(JSON.parse(r.stdout), run);
  } catch {
    throw new Error(`${args.join(' ')} printed no JSON (exit ${r.code}): ${r.stderr}\n${r.stdout}`);
  }
  return { args, exitCode: r.code, output: keep ? keep(output) : output };
}

function compareCli(file: string, actual: CliGolden): void {
  if (UPDATE) writeGolden(file, actual);
  else expect(actual).toEqual(readGolden<CliGolden>(file));
}

/** Runs one CLI case (`--json` and the store's flags added) and compares it with the golden file. */
async function checkCli(fixture: Fixture, name: string, run: Run): Promise<void> {
  const file = goldenPath(fixture, 'cli', name);
  const c = fixture.cases.cli.find((q) => q.name === name)!;
  const args = UPDATE ? c.args : readGolden<CliGolden>(file).args;
  const r = await runCli([
    ...(fill(args, run) as string[]),
    '--json',
    ...(c.storeless ? [] : run.storeFlags),
  ]);
  compareCli(file, cliAnswer(args, r, run, c.keep));
}

/** A store the golden answers are asked of. */
export interface StoreUnderTest {
  /** The CLI's flags naming the store. */
  flags: () => string[];
  open: () => Promise<GraphStore>;
  /** How `accessgraph diff` names the fixture's two snapshots on this store. */
  diffArgs: (bundles: [string, string], ids: [string, string]) => [string, string];
  /** Once a fixture is done (Neo4j: delete its snapshots, the database is shared). */
  close: (store: GraphStore, ids: string[]) => Promise<void>;
  /** Whether to run the CLI cases that read no store (`eval`): their answer is the same on every store. */
  storeless: boolean;
}

const LONG = 600_000;

/**
 * Per fixture: the CLI imports the bundle and its later copy into the store (the import's answer is a golden
 * file too), then every CLI case is run in a child process and every GraphQL case asked of the store in this
 * process.
 */
export function describeGoldenAnswers(target: StoreUnderTest): void {
  for (const fixture of FIXTURES) {
    describe(fixture.name, () => {
      let run: Run | undefined;
      let imported: CliGolden;
      let ask: (query: string, variables: unknown) => Promise<unknown>;
      const importArgs = ['import', fixture.bundle, '<bundle:later>'];

      beforeAll(async () => {
        const later = laterBundle(fixture);
        const r = await runCli(['import', fixture.bundle, later, '--json', ...target.flags()]);
        const ids = (JSON.parse(r.stdout) as { bundles?: { snapshot?: { id: string } }[] }).bundles?.map(
          (b) => b.snapshot?.id,
        );
        if (r.code !== 0 || !ids?.[0] || !ids[1])
          throw new Error(`import failed (exit ${r.code}): ${r.stderr}`);
        const store = await target.open();
        run = {
          store,
          snapshot: ids[0],
          later: ids[1],
          laterBundle: later,
          diffArgs: target.diffArgs([fixture.bundle, later], [ids[0], ids[1]]),
          storeFlags: target.flags(),
        };
        imported = cliAnswer(importArgs, r, run);
        ask = goldenYoga(store);
      }, LONG);
      afterAll(async () => {
        if (run) await target.close(run.store, [run.snapshot, run.later]);
      });

      it('CLI import', () => compareCli(goldenPath(fixture, 'cli', 'import'), imported));
      // Child processes, a few at a time; the GraphQL cases one at a time (the Neo4j driver's pool is small).
      describe.concurrent('CLI', () => {
        for (const c of fixture.cases.cli)
          if (target.storeless || !c.storeless)
            it(c.name, { timeout: LONG }, () => checkCli(fixture, c.name, run!));
      });
      describe('GraphQL', () => {
        for (const c of fixture.cases.graphql)
          it(c.name, { timeout: LONG }, () => checkGraphql(fixture, c.name, run!, ask));
      });
      it('has no golden file without a case', () => expect(strayFiles(fixture)).toEqual([]));
    });
  }
}
