/**
 * `accessgraph who-can <action> <resource>`: the users and roles whose request would be ALLOWED or CONDITIONAL,
 * as a table (principal, decision, via, conditions) or, with --json, an array of entries (`principal.arn`,
 * `decision`, `conditions`, `matched`, …). Data from bundles (--from, loaded into the embedded store) or from
 * Neo4j (--neo4j-uri / NEO4J_URI: its current snapshot).
 */
import { Command, InvalidArgumentError } from 'commander';
import { actionProblem } from '../../analysis/arguments.ts';
import { whoCan, type ContextValues, type WhoCanEntry } from '../../analysis/who-can.ts';
import { CliError, EXIT_BAD_INPUT, EXIT_OK, createOutput } from '../output.ts';
import {
  addSourceOptions,
  addStoreOptions,
  openAnalysis,
  withSnapshot,
  type StoreOptions,
} from './shared.ts';
import { whoCanFromStore } from '../../analysis/who-can-store.ts';

interface WhoCanFlags extends StoreOptions {
  from?: string[];
  context: ContextValues;
  includeDenied?: boolean;
  indirect?: boolean;
  maxDepth?: number;
  strict?: boolean;
  json?: boolean;
}

/** `key=value`, repeatable; a key given twice becomes multi-valued. */
export function parseContextEntry(value: string, previous: ContextValues = {}): ContextValues {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got \`${value}\``);
  const key = value.slice(0, eq);
  const v = value.slice(eq + 1);
  const old = previous[key];
  return { ...previous, [key]: old === undefined ? v : [...(Array.isArray(old) ? old : [old]), v] };
}

function via(e: WhoCanEntry): string {
  if (e.indirect && e.path)
    return `assumes ${e.path
      .slice(1)
      .map((a) => `role ${a.split('/').pop()}`)
      .join(' → ')} (indirect)`;
  // The Allow statements that granted it; the identity ones first (the resource policy is the other way in).
  const allows = e.matched.filter(
    (m) => m.effect === 'Allow' && (m.layer === 'identity' || m.layer === 'resource'),
  );
  return allows.map((m) => m.path).join('; ') || '—';
}

function parseDepth(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 5)
    throw new InvalidArgumentError('expected an integer from 1 to 5');
  return n;
}

export function renderTable(entries: WhoCanEntry[], multiAction: boolean): string {
  const header = ['PRINCIPAL', ...(multiAction ? ['ACTION'] : []), 'DECISION', 'VIA', 'CONDITIONS'];
  const rows = entries.map((e) => [
    `${e.principal.kind} ${e.principal.name}`,
    ...(multiAction ? [e.action] : []),
    e.decision,
    e.decision === 'DENIED' ? e.summary.replace(/^DENIED: /, '') : via(e),
    e.conditions ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function whoCanCommand(): Command {
  const cmd = new Command('who-can')
    .description('list the users and roles that can perform <action> on <resource>, and why')
    .argument('<action>', '`service:Action`, or a pattern like `s3:Put*` (answered per matching action)')
    .argument('<resource>', 'resource ARN, e.g. arn:aws:s3:::my-bucket/key')
    .option('--context <key=value>', 'a request context key (repeatable)', parseContextEntry, {})
    .option('--include-denied', 'also list the principals that are denied, with why')
    .option(
      '--indirect',
      'also list principals that reach it by assuming a role that has it (trust policies)',
    )
    .option('--max-depth <n>', 'role hops followed with --indirect (1-5, default 3)', parseDepth)
    .option('--strict', 'the context is complete: keys not given are absent, nothing is CONDITIONAL')
    .option('--json', 'print a JSON array of entries');
  addSourceOptions(cmd);
  addStoreOptions(cmd);
  cmd.addHelpText(
    'after',
    '\nExample: accessgraph who-can s3:GetObject arn:aws:s3:::example-corp-engineering/x --from examples/demo\n' +
      '         accessgraph who-can iam:CreateUser "*" --indirect --from examples/demo',
  );
  return cmd.action(async (action: string, resource: string, flags: WhoCanFlags) => {
    const out = createOutput(flags.json === true);
    const badAction = actionProblem(action);
    if (badAction) throw new CliError(badAction.message, EXIT_BAD_INPUT, badAction.hint);
    await withSnapshot(flags, out, async ({ store, snapshotId }) => {
      const query = {
        action,
        resource,
        context: flags.context,
        includeDenied: flags.includeDenied === true,
        includeIndirect: flags.indirect === true,
        ...(flags.maxDepth !== undefined ? { maxDepth: flags.maxDepth } : {}),
        strictContext: flags.strict === true,
      };
      // Neo4j reads the question's candidates only; other stores, and questions about every principal, the
      // snapshot whole.
      const answer =
        (await whoCanFromStore(store, snapshotId, query)) ??
        (await whoCan(await openAnalysis(store, snapshotId), query));
      // Notes (completeness warnings, limits) go to stderr in both modes: `--json` keeps stdout the bare array of
      // entries scripts expect, and a reader of the JSON still sees that the answer is incomplete.
      for (const n of answer.notes) process.stderr.write(`note: ${n}\n`);
      if (out.json) {
        process.stdout.write(JSON.stringify(answer.entries, null, 2) + '\n');
      } else {
        out.info(
          answer.entries.length
            ? renderTable(answer.entries, answer.actions.length > 1)
            : `nobody can ${action} on ${resource}`,
        );
        out.info(
          `\n${new Set(answer.entries.filter((e) => e.decision !== 'DENIED').map((e) => e.principal.arn)).size} ` +
            `principal(s) allowed or conditional; ${answer.evaluated} of ${answer.principals} evaluated` +
            (answer.resourcePolicyId ? `; resource policy ${answer.resourcePolicyId}` : ''),
        );
      }
      process.exitCode = EXIT_OK;
    });
  });
}
