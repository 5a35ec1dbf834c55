/**
 * `accessgraph findings`: the account hygiene findings (server/analysis/findings) of a bundle or of Neo4j's
 * current snapshot, as a table (severity, kind, subject, message, fix) or, with --json, the FindingsAnswer.
 */
import Table from 'cli-table3';
import { Command, InvalidArgumentError, Option } from 'commander';
import { FINDING_KINDS, SEVERITIES, findingsAnswer, type Finding } from '../../analysis/findings/index.ts';
import { EXIT_OK, createOutput } from '../output.ts';
import { addSourceOptions, addStoreOptions, withAnalysis, type StoreOptions } from './shared.ts';

interface FindingsFlags extends StoreOptions {
  from?: string[];
  severity?: Finding['severity'];
  kind?: Finding['kind'];
  json?: boolean;
}

export function renderFindings(findings: Finding[], collectedAt: string | undefined): string {
  if (findings.length === 0) return 'no findings';
  // The message names the subject; the fix goes under it, so the table fits a 130-column terminal.
  const table = new Table({
    head: ['SEVERITY', 'KIND', 'FINDING → FIX'],
    style: { head: [], border: [] },
    colWidths: [10, 41, 72],
    wordWrap: true,
  });
  for (const f of findings) table.push([f.severity.toUpperCase(), f.kind, `${f.message}\n→ ${f.fix}`]);
  const counts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  return `${table.toString()}\n${findings.length} finding(s): ${counts}${collectedAt ? ` — ages as of ${collectedAt}` : ''}`;
}

const choice = (allowed: readonly string[], what: string) => (value: string) => {
  if (!allowed.includes(value))
    throw new InvalidArgumentError(`unknown ${what} \`${value}\`: one of ${allowed.join(', ')}`);
  return value;
};

export function findingsCommand(): Command {
  const cmd = new Command('findings')
    .description(
      'list account hygiene findings: MFA, old and unused keys, admins, risky trusts, password policy, …',
    )
    .addOption(
      new Option(
        '--severity <level>',
        `this severity and the more severe ones (${SEVERITIES.join(', ')})`,
      ).argParser(choice(SEVERITIES, 'severity')),
    )
    .addOption(
      new Option('--kind <kind>', 'only this kind (see below)').argParser(choice(FINDING_KINDS, 'kind')),
    )
    .option(
      '--json',
      'print {snapshotId, collectedAt, findings: [{kind, severity, entities, message, fix}]}',
    );
  addSourceOptions(cmd);
  addStoreOptions(cmd);
  cmd.addHelpText(
    'after',
    `\nKinds: ${FINDING_KINDS.join(', ')}.\n` +
      'Ages (90 days) are measured from the credential report, not from today.\n' +
      'Example: accessgraph findings --from examples/demo --severity high',
  );
  return cmd.action(async (flags: FindingsFlags) => {
    const out = createOutput(flags.json === true);
    await withAnalysis(flags, out, async ({ analysis, snapshotId }) => {
      const answer = findingsAnswer(analysis, snapshotId, {
        ...(flags.severity ? { severity: flags.severity } : {}),
        ...(flags.kind ? { kind: flags.kind } : {}),
      });
      if (out.json) process.stdout.write(JSON.stringify(answer, null, 2) + '\n');
      else out.info(renderFindings(answer.findings, answer.collectedAt));
      process.exitCode = EXIT_OK;
    });
  });
}
