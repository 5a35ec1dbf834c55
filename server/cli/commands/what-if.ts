/**
 * `accessgraph what-if`: what a change set would grant and revoke, before anyone touches AWS — and, with
 * `--fail-on`, a policy gate for CI (exit 1 when the change grants what the flag forbids). Changes from flags
 * (`--attach P --to T`, `--add-user U --to-group G`), a file (`--changes changes.json`, docs/what-if.md) and/or a
 * Terraform plan (`--terraform-plan plan.json`, importers/terraform-plan/). Data from bundles (--from, embedded
 * store) or Neo4j (--neo4j-uri: its current snapshot, or --snapshot). Output: a human table, `--json`, or for CI
 * `--format sarif|markdown` (what-if-report.ts).
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { lineAt, parseJsonText } from '../../../importers/shared/json-text.ts';
import { planAccountMismatch, type PlanTranslation } from '../../../importers/terraform-plan/index.ts';
import { readPlanInput, type PlanInput } from '../../../importers/plan-input.ts';
import { planExposures } from '../../analysis/what-if/plan-exposure.ts';
import type { ChangeInput } from '../../analysis/what-if/changes.ts';
import { GATES, gateViolations, whatIf, type Gate } from '../../analysis/what-if/what-if.ts';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../../../schema/diagnostics.ts';
import { CliError, EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, createOutput, type Output } from '../output.ts';
import { openSnapshot, parseGates } from './open-snapshot.ts';
import { renderDiff } from './render-diff.ts';
import { addSourceOptions, addStoreOptions, type StoreOptions } from './shared.ts';
import {
  describeChange,
  renderMarkdown,
  renderSarif,
  type ChangeOrigin,
  type ExposureFinding,
} from './what-if-report.ts';

const FORMATS = ['human', 'json', 'sarif', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

interface WhatIfFlags extends StoreOptions {
  from?: string[];
  snapshot?: string;
  attach?: string;
  to?: string;
  addUser?: string;
  toGroup?: string;
  changes?: string;
  terraformPlan?: string;
  cloudformationChangeSet?: string;
  failOn?: Gate[];
  json?: boolean;
  format?: Format;
}

/** The change set from the flags and the file, where each came from, or the diagnostics that say what is wrong. */
export function changesFromFlags(
  flags: WhatIfFlags,
  plan?: PlanTranslation,
  planText?: string,
): { changes: unknown[]; origins: ChangeOrigin[]; diagnostics: Diagnostic[] } {
  const changes: unknown[] = [];
  const origins: ChangeOrigin[] = [];
  const diagnostics: Diagnostic[] = [];
  if (flags.changes) {
    let text: string;
    try {
      text = readFileSync(flags.changes, 'utf8');
    } catch (e) {
      throw new CliError(`cannot read \`${flags.changes}\`: ${(e as Error).message}`, EXIT_BAD_INPUT);
    }
    const parsed = parseJsonText(text, flags.changes, 'change');
    const before = changes.length;
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
    for (let i = before; i < changes.length; i++)
      origins.push({ label: `changes[${i - before}]`, file: flags.changes });
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
  for (const c of plan?.changes ?? []) {
    changes.push(c.change);
    origins.push({ label: c.address, file: planFileOf(flags), ...lineOf(planText, c.address) });
  }
  if (flags.attach) {
    changes.push({ op: 'attachPolicy', policy: flags.attach, target: flags.to });
    origins.push({ label: '--attach' });
  }
  if (flags.addUser) {
    changes.push({ op: 'addUserToGroup', user: flags.addUser, group: flags.toGroup });
    origins.push({ label: '--add-user' });
  }
  if (!changes.length && !diagnostics.length && !planFileOf(flags))
    throw new CliError(
      'no changes: give --changes <file>, --terraform-plan <plan.json>, --attach … --to …, or --add-user … --to-group …',
      EXIT_BAD_INPUT,
    );
  return { changes, origins, diagnostics };
}

/** The line of a plan file where a resource's `"address"` is (line 1 for a one-line plan). */
function lineOf(text: string | undefined, address: string): { line?: number } {
  if (!text) return {};
  const value = JSON.stringify(address);
  for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
    const before = text.slice(Math.max(0, at - 64), at).trimEnd();
    if (before.endsWith(':') && before.slice(0, -1).trimEnd().endsWith('"address"'))
      return { line: lineAt(text, at) };
  }
  return {};
}

/** The Terraform plan or CloudFormation change set file given, if any. */
function planFileOf(flags: WhatIfFlags): string | undefined {
  return flags.terraformPlan ?? flags.cloudformationChangeSet;
}

/**
 * The plan (--terraform-plan) or change set (--cloudformation-change-set) read and translated; a file that is not
 * one is bad input.
 */
function readPlan(flags: WhatIfFlags): PlanInput | undefined {
  const file = planFileOf(flags);
  if (!file) return undefined;
  if (flags.terraformPlan && flags.cloudformationChangeSet)
    throw new CliError('give --terraform-plan or --cloudformation-change-set, not both', EXIT_BAD_INPUT);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new CliError(`cannot read \`${file}\`: ${(e as Error).message}`, EXIT_BAD_INPUT);
  }
  return readPlanInput(
    bytes,
    flags.cloudformationChangeSet ? 'cloudformation-change-set' : 'terraform-plan',
    file,
  );
}

/** `--format`, and `--json` as its shorthand; both, disagreeing, is a usage error. */
function formatOf(flags: WhatIfFlags): Format {
  if (flags.json && flags.format && flags.format !== 'json')
    throw new CliError(`--json and --format ${flags.format} disagree: give one`, EXIT_BAD_INPUT);
  return flags.json ? 'json' : (flags.format ?? 'human');
}

/** For SARIF and Markdown the document alone goes to stdout; progress, diagnostics and the summary to stderr. */
function outputFor(format: Format): Output {
  return format === 'sarif' || format === 'markdown'
    ? createOutput(false, { out: process.stderr as unknown as typeof process.stdout, err: process.stderr })
    : createOutput(format === 'json');
}

/** A diagnostic about `changes[i]` of a plan-made change, told as the plan resource it came from. */
function placed(d: Diagnostic, origins: readonly ChangeOrigin[], plan?: PlanTranslation): Diagnostic {
  const m = /^changes\[(\d+)\](.*)$/.exec(d.jsonPath ?? '');
  const o = m ? origins[Number(m[1])] : undefined;
  if (!m || !o) return d;
  const planned = plan?.changes.find((c) => c.address === o.label);
  if (planned && o.file)
    return { ...d, file: o.file, jsonPath: planned.jsonPath, message: `\`${o.label}\`: ${d.message}` };
  return o.file ? { file: o.file, ...d } : d;
}

export function whatIfCommand(): Command {
  const cmd = new Command('what-if')
    .description('what a change would grant and revoke, before it is made; --fail-on makes it a CI gate')
    .option('--attach <policy>', 'attach a managed policy (AWS managed name, or ARN) …')
    .option('--to <target>', '… to `user/NAME`, `group/NAME`, `role/NAME` or an ARN')
    .option('--add-user <user>', 'add a user (name or ARN) …')
    .option('--to-group <group>', '… to a group')
    .option('--changes <file>', 'a JSON array of changes (docs/what-if.md); combined with the flags above')
    .option(
      '--terraform-plan <file>',
      'a Terraform plan as JSON (`terraform show -json plan.tfplan`): its IAM changes, combined with the above',
    )
    .option(
      '--cloudformation-change-set <file>',
      'a CloudFormation change set (`aws cloudformation describe-change-set --include-property-values`): its IAM changes',
    )
    .addOption(
      new Option(
        '--fail-on <gates>',
        `exit 1 when the change brings any of: ${GATES.join(', ')} (comma-separated)`,
      ).argParser(parseGates),
    )
    .addOption(
      new Option('--format <format>', `output: ${FORMATS.join(', ')} (sarif and markdown for CI)`).argParser(
        (v) => {
          if (!(FORMATS as readonly string[]).includes(v))
            throw new InvalidArgumentError(`unknown format \`${v}\`: one of ${FORMATS.join(', ')}`);
          return v;
        },
      ),
    )
    .option(
      '--json',
      'print the outcome (diff, affected principals, gate violations) as JSON (= --format json)',
    );
  addSourceOptions(cmd);
  addStoreOptions(cmd);
  cmd.addHelpText(
    'after',
    '\nExamples:\n' +
      '  accessgraph what-if --attach AmazonS3FullAccess --to group/QA --from examples/demo\n' +
      '  accessgraph what-if --add-user bob --to-group Engineering --from examples/demo --fail-on new-access\n' +
      '  accessgraph what-if --changes examples/what-if/deny-deletes.json --from examples/demo --json\n' +
      '  accessgraph what-if --terraform-plan plan.json --from bundle/ --fail-on new-admin,new-path --format sarif > what-if.sarif\n' +
      '  accessgraph what-if --terraform-plan plan.json --from bundle/ --format markdown > comment.md\n' +
      'Exit codes: 0 the change passes, 1 it brings what --fail-on forbids, 2 bad input (invalid or unknown changes).',
  );
  return cmd.action(async (flags: WhatIfFlags) => {
    const format = formatOf(flags);
    const out = outputFor(format);
    const plan = readPlan(flags);
    const planFile = planFileOf(flags);
    const input = changesFromFlags(flags, plan?.translation, plan?.text);
    const early = [...(plan?.diagnostics ?? []), ...input.diagnostics];
    if (hasErrors(early)) {
      out.diagnostics(early);
      out.result({ ok: false, diagnostics: early });
      process.exitCode = EXIT_BAD_INPUT;
      return;
    }
    await openSnapshot(flags, out, async ({ analysis, id }) => {
      const { snapshot } = analysis;
      const mismatch =
        plan?.translation && planFile
          ? planAccountMismatch(plan.translation, snapshot.accountId, planFile)
          : [];
      if (mismatch.length) {
        out.diagnostics(mismatch);
        out.result({ ok: false, diagnostics: mismatch });
        process.exitCode = EXIT_BAD_INPUT;
        return;
      }
      const outcome = await whatIf(analysis, input.changes);
      const diagnostics = [
        ...early,
        ...outcome.diagnostics.map((d) => placed(d, input.origins, plan?.translation)),
      ];
      out.diagnostics(diagnostics);
      if (!outcome.ok) {
        out.result({ ok: false, diagnostics });
        process.exitCode = EXIT_BAD_INPUT;
        return;
      }
      const exposures: ExposureFinding[] = plan?.translation
        ? planExposures(plan.translation, snapshot.accountId).map(({ address, ...e }) => ({
            ...e,
            origin: input.origins.find((o) => o.label === address) ?? {
              label: address,
              file: planFile,
              ...lineOf(plan?.text, address),
            },
          }))
        : [];
      const violations = gateViolations(outcome.diff, flags.failOn ?? []);
      const planSection = plan?.translation && {
        file: planFile,
        summary: plan.translation.summary,
        changes: plan.translation.changes.map((c) => ({ address: c.address, change: c.change })),
        exposures,
      };
      out.result({
        ok: violations.length === 0,
        snapshotId: id,
        affected: outcome.affected,
        trustChanged: outcome.trustChanged,
        keysDeactivated: outcome.keysDeactivated,
        gates: flags.failOn ?? [],
        violations,
        diagnostics,
        ...(planSection ? { plan: planSection } : {}),
        diff: outcome.diff,
      });
      const report = {
        snapshot,
        diff: outcome.diff,
        changes: input.changes as ChangeInput[],
        origins: input.origins,
        exposures,
        gates: flags.failOn ?? [],
        violations,
        warnings: diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic),
        title: planFile ?? flags.changes ?? 'change set',
      };
      if (format === 'sarif')
        process.stdout.write(
          JSON.stringify(renderSarif(report, cmd.parent?.version() ?? 'unknown'), null, 2) + '\n',
        );
      if (format === 'markdown') process.stdout.write(renderMarkdown(report));
      if (format === 'human') {
        if (plan?.translation && planFile) out.info(planSummary(planFile, plan.translation));
        out.info(
          `what-if on ${snapshot.label} (${snapshot.accountId}): ${input.changes.length} change(s), ` +
            `${outcome.affected.length} principal(s) affected\n`,
        );
        if (plan?.translation && input.changes.length)
          out.info(
            input.changes
              .map(
                (c, i) => `  ${input.origins[i]!.label}: ${describeChange(input.changes[i] as ChangeInput)}`,
              )
              .join('\n') + '\n',
          );
        out.info(renderDiff(outcome.diff));
        for (const k of outcome.keysDeactivated)
          out.info(
            `access key ${k.accessKeyId ?? `in slot ${k.slot}`} of ${k.user} made inactive: it no longer signs requests`,
          );
        for (const e of exposures)
          out.info(
            `new ${e.who === '*' ? 'public' : 'cross-account'} access: ${e.kind === 'trust' ? 'trust policy of ' : ''}${e.resource} lets in ${e.who === '*' ? 'any AWS principal' : `account ${e.who}`}${e.conditional ? ' (under conditions)' : ''} (${e.origin.label})`,
          );
      }
      if (format !== 'json' && flags.failOn?.length)
        out.info(
          violations.length
            ? `\ngate FAILED (--fail-on ${flags.failOn.join(',')}):\n${violations.map((v) => `  ${v}`).join('\n')}`
            : `\ngate passed (--fail-on ${flags.failOn.join(',')})`,
        );
      process.exitCode = violations.length ? EXIT_FAILURE : EXIT_OK;
    });
  });
}

/** `plan.json: 31 resource change(s), 6 IAM-relevant → 4 change(s); ignored: aws_instance ×2, …`. */
function planSummary(file: string, t: PlanTranslation): string {
  const ignored = Object.entries(t.summary.ignored)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([type, n]) => `${type} ×${n}`);
  return (
    `${file}: ${t.summary.resources} resource change(s): ${t.summary.iam} IAM-relevant → ${t.changes.length} change(s), ` +
    `${t.policies.length} trust/resource polic(ies) checked, ${t.summary.unchanged} unchanged or read` +
    (ignored.length ? `; ignored: ${ignored.join(', ')}` : '')
  );
}
