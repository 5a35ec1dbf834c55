/**
 * The `accessgraph` command line. Every command has --help, human output and --json; exit codes are
 * 0 ok, 2 bad input, 1 other failure (output.ts).
 */
import { Command, CommanderError } from 'commander';
import { importCommand } from './commands/import.ts';
import { serveCommand } from './commands/serve.ts';
import { whoCanCommand } from './commands/who-can.ts';
import { accessCommand } from './commands/access.ts';
import { evalCommand } from './commands/eval.ts';
import { collectCommand } from './commands/collect.ts';
import { whatIfCommand } from './commands/what-if.ts';
import { diffCommand } from './commands/diff.ts';
import { findingsCommand } from './commands/findings.ts';
import { pathsCommand } from './commands/paths.ts';
import { blastRadiusCommand } from './commands/blast-radius.ts';
import { snapshotsCommand } from './commands/snapshots.ts';
import { EXIT_BAD_INPUT, reportFailure } from './output.ts';
import { packageVersion } from '../package-root.ts';

export function buildProgram(): Command {
  const program = new Command('accessgraph')
    .description('who can do what in an AWS account')
    .version(packageVersion())
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const cmd of [
    importCommand(),
    serveCommand(),
    whoCanCommand(),
    accessCommand(),
    evalCommand(),
    collectCommand(),
    whatIfCommand(),
    diffCommand(),
    findingsCommand(),
    pathsCommand(),
    blastRadiusCommand(),
    snapshotsCommand(),
  ]) {
    program.addCommand(cmd.exitOverride().showHelpAfterError('(add --help for usage)'));
  }
  return program;
}

export async function main(argv: string[]): Promise<number | undefined> {
  const json = argv.includes('--json');
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return undefined;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; argument mistakes are bad input. Commander has
      // already explained the mistake on stderr; --json callers also get it as a document.
      if (e.exitCode === 0) return 0;
      if (json)
        process.stdout.write(
          JSON.stringify(
            { ok: false, error: { name: 'UsageError', code: e.code, message: e.message } },
            null,
            2,
          ) + '\n',
        );
      return EXIT_BAD_INPUT;
    }
    return reportFailure(e, json);
  }
}

const code = await main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
