/**
 * `accessgraph blast-radius <principal|access-key-id>`: what a principal, or whoever holds one of its access
 * keys, can reach (server/analysis/escalation/blast-radius.ts): whether admin is reachable and how, the
 * principals it can become, and the services and known resources by access level — or --json, the answer.
 */
import Table from 'cli-table3';
import { Command } from 'commander';
import type { LevelReach } from '../../analysis/escalation/blast-radius.ts';
import { blastRadiusOf } from '../../analysis/escalation/analysis-graph.ts';
import { accessReach } from '../../analysis/escalation/reach-provider.ts';
import { DEFAULT_MAX_DEPTH } from '../../analysis/escalation/paths.ts';
import { MAX_DEPTH_LIMIT } from '../../analysis/escalation/traversal.ts';
import { CliError, EXIT_BAD_INPUT, EXIT_OK, createOutput } from '../output.ts';
import { nodeLabel, pathLine, renderPath } from './escalation-output.ts';
import { intIn } from './paths.ts';
import { addSourceOptions, addStoreOptions, withAnalysis, type DataFlags } from './shared.ts';

interface BlastRadiusFlags extends DataFlags {
  maxDepth: number;
}

const MAX_VIA = 3;

function viaText(l: LevelReach, label: (arn: string) => string): string {
  const names = l.via.map(label);
  return names.length > MAX_VIA
    ? [...names.slice(0, MAX_VIA), `+${names.length - MAX_VIA} more`].join(', ')
    : names.join(', ');
}

export function blastRadiusCommand(): Command {
  const cmd = new Command('blast-radius')
    .description(
      'everything a principal or a leaked access key can reach, through any chain of roles and escalations',
    )
    .argument('<principal>', 'user or role name, ARN, or access key id (AKIA…)')
    .option(
      '--max-depth <n>',
      `at most this many steps per chain (0…${MAX_DEPTH_LIMIT})`,
      intIn(0, MAX_DEPTH_LIMIT),
      DEFAULT_MAX_DEPTH,
    )
    .option('--json', 'print the whole answer as JSON');
  addSourceOptions(cmd);
  addStoreOptions(cmd);
  cmd.addHelpText(
    'after',
    '\nExamples: accessgraph blast-radius bob --from examples/demo\n' +
      '          accessgraph blast-radius AKIAIOSFODNN7EXAMPLE --json --neo4j-uri bolt://127.0.0.1:7687',
  );
  return cmd.action(async (given: string, flags: BlastRadiusFlags) => {
    const out = createOutput(flags.json === true);
    await withAnalysis(flags, out, async ({ analysis, snapshotId }) => {
      const snapshot = analysis.snapshot;
      const result = await blastRadiusOf(analysis, given, {
        maxDepth: flags.maxDepth,
        reach: await accessReach(analysis),
      });
      if (result.kind === 'ambiguous')
        throw new CliError(result.message, EXIT_BAD_INPUT, result.candidates.join(', '));
      if (result.kind === 'not-found')
        throw new CliError(result.message, EXIT_BAD_INPUT, 'give a user or role name, ARN or access key id');
      const a = result.answer;
      if (out.json) {
        out.result({ snapshotId, ...a });
        process.exitCode = EXIT_OK;
        return;
      }
      const label = (arn: string): string => nodeLabel(snapshot, arn);
      for (const n of a.notes) process.stderr.write(`note: ${n}\n`);
      out.info(
        `blast radius of ${label(a.start.arn)}` +
          (a.start.accessKeyId ? ` (access key ${a.start.accessKeyId})` : ''),
      );
      if (a.start.accessKeyActive === false) {
        out.info(
          `\naccess key ${a.start.accessKeyId} is INACTIVE: it reaches nothing until reactivated\n` +
            `(what ${a.start.name} reaches with other credentials: accessgraph blast-radius ${a.start.arn})`,
        );
        process.exitCode = EXIT_OK;
        return;
      }
      out.info(
        a.admin.reachable
          ? `\nADMIN reachable${a.admin.conditional ? ' (only under conditions)' : ''}:\n` +
              a.admin.paths.map((p, i) => renderPath(snapshot, p, i + 1)).join('\n')
          : '\nADMIN not reachable',
      );
      if (a.principals.length) {
        const t = new Table({
          head: ['PRINCIPAL', 'HOPS', 'CONDITIONAL', 'PATH'],
          style: { head: [], border: [] },
        });
        for (const p of a.principals)
          t.push([label(p.arn), String(p.hops), String(p.conditional), pathLine(snapshot, p.path)]);
        out.info(`\nprincipals it can become (${a.principals.length}):\n${t.toString()}`);
      } else out.info('\nprincipals it can become: none');
      if (a.services.length) {
        const t = new Table({
          head: ['SERVICE', 'LEVEL', 'ACTIONS', 'CONDITIONAL', 'VIA'],
          style: { head: [], border: [] },
        });
        for (const s of a.services)
          for (const l of s.levels)
            t.push([s.service, l.level, String(l.actions), String(l.conditional), viaText(l, label)]);
        out.info(`\nservices (${a.services.length}):\n${t.toString()}`);
      }
      if (a.resources.length) {
        const t = new Table({
          head: ['RESOURCE', 'LEVEL', 'ACTIONS', 'CONDITIONAL', 'VIA'],
          style: { head: [], border: [] },
        });
        for (const r of a.resources)
          for (const l of r.levels)
            t.push([r.arn, l.level, String(l.actions), String(l.conditional), viaText(l, label)]);
        out.info(`\nknown resources (${a.resources.length}):\n${t.toString()}`);
      }
      out.info(
        `\n${a.counts.principals} principal(s) (${a.counts.users} user(s), ${a.counts.roles} role(s)); ` +
          (a.admin.reachable
            ? `admin reachable by ${a.counts.adminPaths} path(s) shown`
            : `${a.counts.services} service(s), ${a.counts.resources} known resource(s)`),
      );
      process.exitCode = EXIT_OK;
    });
  });
}
