/**
 * `accessgraph access <principal-arn|name>`: the effective permissions of a user or role (server/analysis/access.ts)
 * as two tables — per service and access level (actions allowed, how many conditional, resource scopes) and per
 * known resource — or, with --json, the whole answer. Data from bundles (--from) or Neo4j (--neo4j-uri).
 */
import Table from 'cli-table3';
import { Command } from 'commander';
import { access, type AccessAnswer } from '../../analysis/access.ts';
import type { ContextValues } from '../../analysis/who-can.ts';
import { CliError, EXIT_BAD_INPUT, EXIT_OK, createOutput } from '../output.ts';
import {
  addSourceOptions,
  addStoreOptions,
  principalArn,
  withAnalysis,
  type StoreOptions,
} from './shared.ts';
import { parseContextEntry } from './who-can.ts';

interface AccessFlags extends StoreOptions {
  from?: string[];
  service?: string;
  context: ContextValues;
  strict?: boolean;
  json?: boolean;
}

const MAX_SCOPES = 3;

function scopesText(patterns: Map<string, boolean>): string {
  const list = [...patterns].map(([p, partial]) => (partial ? `${p} (partial)` : p));
  return list.length > MAX_SCOPES
    ? [...list.slice(0, MAX_SCOPES), `+${list.length - MAX_SCOPES} more`].join('\n')
    : list.join('\n');
}

export function renderAccess(a: AccessAnswer): string {
  const services = new Table({
    head: ['SERVICE', 'LEVEL', 'ACTIONS', 'CONDITIONAL', 'SCOPES'],
    style: { head: [], border: [] },
  });
  for (const s of a.services)
    for (const l of s.levels) {
      const patterns = new Map<string, boolean>();
      for (const x of l.actions)
        for (const sc of x.scopes)
          patterns.set(sc.pattern, (patterns.get(sc.pattern) ?? false) || sc.partial);
      services.push([
        s.service,
        l.level,
        String(l.actions.length),
        String(l.conditional),
        scopesText(patterns),
      ]);
    }
  const parts = [a.services.length ? services.toString() : 'no actions allowed by identity policies'];
  if (a.resources.length) {
    const resources = new Table({
      head: ['RESOURCE', 'LEVEL', 'ACTIONS', 'CONDITIONAL', 'VIA'],
      style: { head: [], border: [] },
    });
    for (const r of a.resources)
      for (const l of r.levels) {
        const actions = l.grants.reduce((n, g) => n + g.actions.length, 0);
        const conditional = l.grants
          .filter((g) => g.decision === 'CONDITIONAL')
          .reduce((n, g) => n + g.actions.length, 0);
        const via = [
          ...new Set(
            l.grants.map(
              (g) =>
                `${g.viaResourcePolicy ? 'resource policy' : 'identity'}${g.partial ? ` (partial: ${g.scope})` : ''}`,
            ),
          ),
        ].join('\n');
        resources.push([r.arn, l.level, String(actions), String(conditional), via]);
      }
    parts.push(resources.toString());
  }
  return parts.join('\n\n');
}

export function accessCommand(): Command {
  const cmd = new Command('access')
    .description('what a user or role can do: per service and access level, and per known resource')
    .argument('<principal>', 'user or role ARN, or its name (e.g. alice)')
    .option('--service <prefix>', 'only this service, e.g. s3')
    .option('--context <key=value>', 'a request context key (repeatable)', parseContextEntry, {})
    .option('--strict', 'the context is complete: keys not given are absent, nothing is CONDITIONAL')
    .option('--json', 'print the whole answer as JSON (every action with its scopes)');
  addSourceOptions(cmd);
  addStoreOptions(cmd);
  cmd.addHelpText(
    'after',
    '\nExample: accessgraph access carol --from examples/demo\n' +
      '         accessgraph access arn:aws:iam::111122223333:role/ec2-build-agent --service s3 --json --from examples/demo',
  );
  return cmd.action(async (given: string, flags: AccessFlags) => {
    const out = createOutput(flags.json === true);
    if (flags.service !== undefined && !/^[a-z0-9-]+$/i.test(flags.service))
      throw new CliError(`\`${flags.service}\` is not a service prefix`, EXIT_BAD_INPUT, 'e.g. s3, iam, sns');
    await withAnalysis(flags, out, async ({ analysis }) => {
      const arn = principalArn(analysis.snapshot, given);
      const answer = await access(analysis, arn, {
        ...(flags.service ? { service: flags.service } : {}),
        context: flags.context,
        strictContext: flags.strict === true,
      });
      if (!answer) throw new CliError(`no user or role \`${arn}\` in the snapshot`, EXIT_BAD_INPUT);
      if (out.json) {
        process.stdout.write(JSON.stringify(answer, null, 2) + '\n');
      } else {
        for (const n of answer.notes) process.stderr.write(`note: ${n}\n`);
        out.info(`${answer.principal.kind} ${answer.principal.name} (${answer.principal.arn})\n`);
        out.info(renderAccess(answer));
        const total = answer.services.reduce((n, s) => n + s.actions, 0);
        out.info(
          `\n${total} action(s) in ${answer.services.length} service(s); ${answer.resources.length} known resource(s) reachable`,
        );
      }
      process.exitCode = EXIT_OK;
    });
  });
}
