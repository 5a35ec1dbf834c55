/**
 * `accessgraph what-if`: what a change set would grant and revoke, before anyone touches AWS — and, with
 * `--fail-on`, a policy gate for CI (exit 1 when the change grants what the flag forbids). Changes from flags
 * (`--attach P --to T`, `--add-user U --to-group G`) and/or a file (`--changes changes.json`, docs/what-if.md).
 * Data from bundles (--from, embedded store) or Neo4j (--neo4j-uri: its current snapshot, or --snapshot).
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { parseJsonText } from '../../../importers/shared/json-text.ts';
import { GATES, gateViolations, whatIf, type Gate } from '../../analysis/what-if/what-if.ts';
import { hasErrors, type Diagnostic } from '../../engine/diagnostics.ts';
import { CliError, EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, createOutput } from '../output.ts';
import { openSnapshot, parseGates } from './open-snapshot.ts';
import { renderDiff } from './render-diff.ts';
import { addStoreOptions, type StoreOptions } from './shared.ts';

interface WhatIfFlags extends StoreOptions {
  from?: string[];
  snapshot?: string;
  attach?: string;
  to?: string;
  addUser?: string;
  toGroup?: string;
  changes?: string;
  failOn?: Gate[];
  json?: boolean;
}

/** The change set from the flags and the file, or the diagnostics that say what is wrong with them. */
export function changesFromFlags(flags: WhatIfFlags): { changes: unknown[]; diagnostics: Diagnostic[] } {
  const changes: unknown[] = [];
  const diagnostics: Diagnostic[] = [];
  if (flags.changes) {
    let text: string;
    try {
      text = readFileSync(flags.changes, 'utf8');
    } catch (e) {
      throw new CliError(`cannot read \`${flags.changes}\`: ${(e as Error).message}`, EXIT_BAD_INPUT);
    }
    const parsed = parseJsonText(text, flags.changes, 'change');
    if (!parsed.ok) diagnostics.push(parsed.diagnostic);
    else if (Array.isArray(parsed.value)) changes.push(...(parsed.value as unknown[]));
    else if (
      parsed.value &&
      typeof parsed.value === 'object' &&
      Array.isArray((parsed.value as { changes?: unknown }).changes)
    )
      changes.push(...(parsed.value as { changes: unknown[] }).changes);
    else
      diagnostics.push({
        severity: 'error',
        code: 'change.not-a-list',
        message: 'a change file holds a JSON array of changes (or `{ "changes": [...] }`)',
        file: flags.changes,
        hint: 'see docs/what-if.md',
      });
  }
  if ((flags.attach === undefined) !== (flags.to === undefined))
    throw new CliError(
      '--attach and --to go together: --attach <policy> --to <user/…|group/…|role/…>',
      EXIT_BAD_INPUT,
    );
  if ((flags.addUser === undefined) !== (flags.toGroup === undefined))
    throw new CliError(
      '--add-user and --to-group go together: --add-user <user> --to-group <group>',
      EXIT_BAD_INPUT,
    );
  if (flags.attach) changes.push({ op: 'attachPolicy', policy: flags.attach, target: flags.to });
  if (flags.addUser) changes.push({ op: 'addUserToGroup', user: flags.addUser, group: flags.toGroup });
  if (!changes.length && !diagnostics.length)
    throw new CliError(
      'no changes: give --changes <file>, --attach … --to …, or --add-user … --to-group …',
      EXIT_BAD_INPUT,
    );
  return { changes, diagnostics };
}

export function whatIfCommand(): Command {
  const cmd = new Command('what-if')
    .description('what a change would grant and revoke, before it is made; --fail-on makes it a CI gate')
    .option('--from <bundle...>', 'bundles to load into the embedded store (default source)')
    .option('--snapshot <id>', 'with Neo4j: the snapshot to change (default: the current one)')
    .option('--attach <policy>', 'attach a managed policy (AWS managed name, or ARN) …')
    .option('--to <target>', '… to `user/NAME`, `group/NAME`, `role/NAME` or an ARN')
    .option('--add-user <user>', 'add a user (name or ARN) …')
    .option('--to-group <group>', '… to a group')
    .option('--changes <file>', 'a JSON array of changes (docs/what-if.md); combined with the flags above')
    .addOption(
      new Option(
        '--fail-on <gates>',
        `exit 1 when the change brings any of: ${GATES.join(', ')} (comma-separated)`,
      ).argParser(parseGates),
    )
    .option('--json', 'print the outcome (diff, affected principals, gate violations) as JSON');
  addStoreOptions(cmd);
  cmd.addHelpText(
    'after',
    '\nExamples:\n' +
      '  accessgraph what-if --attach AmazonS3FullAccess --to group/QA --from examples/demo\n' +
      '  accessgraph what-if --add-user bob --to-group Engineering --from examples/demo --fail-on new-access\n' +
      '  accessgraph what-if --changes examples/what-if/deny-deletes.json --from examples/demo --json\n' +
      'Exit codes: 0 the change passes, 1 it brings what --fail-on forbids, 2 bad input (invalid or unknown changes).',
  );
  return cmd.action(async (flags: WhatIfFlags) => {
    const out = createOutput(flags.json === true);
    const input = changesFromFlags(flags);
    if (hasErrors(input.diagnostics)) {
      out.diagnostics(input.diagnostics);
      out.result({ ok: false, diagnostics: input.diagnostics });
      process.exitCode = EXIT_BAD_INPUT;
      return;
    }
    await openSnapshot(flags, out, async ({ snapshot, id }) => {
      const outcome = await whatIf(snapshot, input.changes);
      const withFile = (ds: Diagnostic[]) =>
        flags.changes ? ds.map((d) => ({ file: flags.changes, ...d })) : ds;
      out.diagnostics(withFile(outcome.diagnostics));
      if (!outcome.ok) {
        out.result({ ok: false, diagnostics: withFile(outcome.diagnostics) });
        process.exitCode = EXIT_BAD_INPUT;
        return;
      }
      const violations = gateViolations(outcome.diff, flags.failOn ?? []);
      out.result({
        ok: violations.length === 0,
        snapshotId: id,
        affected: outcome.affected,
        trustChanged: outcome.trustChanged,
        gates: flags.failOn ?? [],
        violations,
        diagnostics: outcome.diagnostics,
        diff: outcome.diff,
      });
      if (!out.json) {
        out.info(
          `what-if on ${snapshot.label} (${snapshot.accountId}): ${input.changes.length} change(s), ` +
            `${outcome.affected.length} principal(s) affected\n`,
        );
        out.info(renderDiff(outcome.diff));
        if (flags.failOn?.length)
          out.info(
            violations.length
              ? `\ngate FAILED (--fail-on ${flags.failOn.join(',')}):\n${violations.map((v) => `  ${v}`).join('\n')}`
              : `\ngate passed (--fail-on ${flags.failOn.join(',')})`,
          );
      }
      process.exitCode = violations.length ? EXIT_FAILURE : EXIT_OK;
    });
  });
}
