/**
 * The `accessgraph` command line. Every command has --help, human output and --json; exit codes are
 * 0 ok, 2 bad input, 1 other failure (output.ts).
 */
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.ts';
import { EXIT_BAD_INPUT, reportFailure } from './output.ts';
import { packageVersion } from '../package-root.ts';

/**
 * The program for `argv`: the command it names (`accessgraph <command> …` or `accessgraph help <command>`) is
 * loaded whole; the others are listed by name and summary only.
 */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('accessgraph')
    .description('who can do what in an AWS account')
    .version(packageVersion())
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  const positionals = argv.filter((a) => !a.startsWith('-'));
  const wanted = positionals[0] === 'help' ? positionals[1] : positionals[0];
  for (const entry of COMMANDS) {
    const cmd = entry.name === wanted ? await entry.load() : new Command(entry.name);
    program.addCommand(
      cmd.summary(entry.summary).exitOverride().showHelpAfterError('(add --help for usage)'),
    );
  }
  return program;
}

export async function main(argv: string[]): Promise<number | undefined> {
  const json = argv.includes('--json');
  try {
    await (await buildProgram(argv)).parseAsync(argv, { from: 'user' });
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
