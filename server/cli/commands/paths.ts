/**
 * `accessgraph paths <from> [--to <principal> | --admin] [-k N] [--max-depth N]`: the k cheapest escalation
 * paths (server/analysis/escalation/paths.ts), one per line with the evidence of each step, or with --json the
 * paths as the API returns them.
 */
import { Command, InvalidArgumentError } from 'commander';
import { ADMIN } from '../../analysis/escalation/graph.ts';
import { DEFAULT_K, DEFAULT_MAX_DEPTH, MAX_K } from '../../analysis/escalation/paths.ts';
import { pathsOf } from '../../analysis/escalation/analysis-graph.ts';
import { MAX_DEPTH_LIMIT } from '../../analysis/escalation/traversal.ts';
import { CliError, EXIT_BAD_INPUT, EXIT_OK, createOutput } from '../output.ts';
import { nodeLabel, renderPath } from './escalation-output.ts';
import { addSourceOptions, addStoreOptions, principalArn, withAnalysis, type DataFlags } from './shared.ts';

interface PathsFlags extends DataFlags {
  to?: string;
  admin?: boolean;
  k: number;
  maxDepth: number;
}

export function intIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected an integer ${min}…${max}`);
    return n;
  };
}

export function pathsCommand(): Command {
  const cmd = new Command('paths')
    .description('the k shortest privilege-escalation paths from a principal to another or to admin')
    .argument('<principal>', 'where the paths start: user or role name, ARN, or access key id')
    .option('--to <principal>', 'the target user or role (name or ARN)')
    .option('--admin', 'paths to admin-equivalence')
    .option('-k, --k <n>', `how many paths (1…${MAX_K})`, intIn(1, MAX_K), DEFAULT_K)
    .option(
      '--max-depth <n>',
      `at most this many steps per path (0…${MAX_DEPTH_LIMIT})`,
      intIn(0, MAX_DEPTH_LIMIT),
      DEFAULT_MAX_DEPTH,
    )
    .option('--json', 'print the paths as JSON (every step with technique, conditions and evidence)');
  addSourceOptions(cmd);
  addStoreOptions(cmd);
  cmd.addHelpText(
    'after',
    '\nExamples: accessgraph paths bob --admin --from examples/demo\n' +
      '          accessgraph paths alice --to arn:aws:iam::111122223333:role/deploy -k 3 --from examples/demo\n' +
      'Paths are ranked by steps, then by how many steps hold only under conditions.',
  );
  return cmd.action(async (given: string, flags: PathsFlags) => {
    const out = createOutput(flags.json === true);
    if (!flags.admin === !flags.to)
      throw new CliError('give exactly one of --to <principal> and --admin', EXIT_BAD_INPUT);
    await withAnalysis(flags, out, async ({ analysis, snapshotId }) => {
      const snapshot = analysis.snapshot;
      const from = principalArn(snapshot, given);
      const to = flags.admin ? ADMIN : principalArn(snapshot, flags.to!);
      const found = await pathsOf(analysis, { from, to, k: flags.k, maxDepth: flags.maxDepth });
      if (out.json) {
        out.result({ snapshotId, from, to, paths: found });
      } else {
        const target = nodeLabel(snapshot, to);
        if (found.length === 0)
          out.info(`no path from ${nodeLabel(snapshot, from)} to ${target} within ${flags.maxDepth} steps`);
        else {
          out.info(`${found.length} path(s) from ${nodeLabel(snapshot, from)} to ${target}:\n`);
          out.info(found.map((p, i) => renderPath(snapshot, p, i + 1)).join('\n\n'));
        }
      }
      process.exitCode = EXIT_OK;
    });
  });
}
