/**
 * The commands, each loaded only when run: `accessgraph --help` lists them from this table alone, and a command
 * loads its own module graph (the engine, the importers, GraphQL) and no other's. `summary` is the line in the
 * top-level list; each command's module holds its full description, options and help.
 */
import type { Command } from 'commander';

export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'import',
    summary: 'validate AWS bundles and keep them in the store',
    load: async () => (await import('./import.ts')).importCommand(),
  },
  {
    name: 'serve',
    summary: 'serve GraphQL and the web UI',
    load: async () => (await import('./serve.ts')).serveCommand(),
  },
  {
    name: 'who-can',
    summary: 'the users and roles that can perform an action on a resource, and why',
    load: async () => (await import('./who-can.ts')).whoCanCommand(),
  },
  {
    name: 'access',
    summary: 'what a user or role can do',
    load: async () => (await import('./access.ts')).accessCommand(),
  },
  {
    name: 'eval',
    summary: 'decide one request against the policies in a JSON file',
    load: async () => (await import('./eval.ts')).evalCommand(),
  },
  {
    name: 'collect',
    summary: 'read an AWS account (read-only) into a bundle',
    load: async () => (await import('./collect.ts')).collectCommand(),
  },
  {
    name: 'what-if',
    summary: 'what a change would grant and revoke, before it is made',
    load: async () => (await import('./what-if.ts')).whatIfCommand(),
  },
  {
    name: 'diff',
    summary: 'access granted and revoked between two snapshots of one account',
    load: async () => (await import('./diff.ts')).diffCommand(),
  },
  {
    name: 'findings',
    summary: 'account hygiene findings',
    load: async () => (await import('./findings.ts')).findingsCommand(),
  },
  {
    name: 'paths',
    summary: 'privilege-escalation paths from a principal',
    load: async () => (await import('./paths.ts')).pathsCommand(),
  },
  {
    name: 'blast-radius',
    summary: 'everything a principal or a leaked access key can reach',
    load: async () => (await import('./blast-radius.ts')).blastRadiusCommand(),
  },
  {
    name: 'rightsize',
    summary: 'unused access from last-accessed evidence, and smaller policies proven by what-if',
    load: async () => (await import('./rightsize.ts')).rightsizeCommand(),
  },
  {
    name: 'snapshots',
    summary: 'list (or `rm`) the snapshots the store holds',
    load: async () => (await import('./snapshots.ts')).snapshotsCommand(),
  },
];
