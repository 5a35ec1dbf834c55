/**
 * `accessgraph rightsize`: per principal and group, the access granted but unused in N days (from the bundle's
 * last-accessed evidence), and a proposal as a what-if change set, each proven by what-if: no used access lost,
 * what it removes (by service, escalation paths closed, admin-equivalence, blast radius). `--out` writes every
 * proven proposal's changes as one change set for `accessgraph what-if --changes`.
 */
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import {
  DEFAULT_UNUSED_DAYS,
  groupsNamed,
  rightsize,
  type Proposal,
} from '../../analysis/unused-access/index.ts';
import type { PrincipalUsage } from '../../analysis/unused-access/index.ts';
import { CliError, EXIT_BAD_INPUT, createOutput } from '../output.ts';
import { openSnapshot } from './open-snapshot.ts';
import { addSourceOptions, addStoreOptions, type StoreOptions } from './shared.ts';

interface RightsizeFlags extends StoreOptions {
  from?: string[];
  snapshot?: string;
  principal?: string[];
  group?: string[];
  unusedDays: number;
  out?: string;
  json?: boolean;
}

function parseDays(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 400)
    throw new InvalidArgumentError(`\`${v}\`: a whole number of days from 1 to 400 (AWS tracks 400 days)`);
  return n;
}

function usageLines(p: PrincipalUsage): string[] {
  const unused = p.services.filter((s) => s.status === 'unused').map((s) => s.service);
  const used = p.services.filter((s) => s.status === 'used').map((s) => s.service);
  const unknown = p.services.filter((s) => s.status === 'unknown').length;
  const partly = p.services.filter((s) => s.unusedActions.length > 0);
  const lines = [`${p.kind} ${p.name}: ${p.activity.status} (${p.activity.detail})`];
  lines.push(`  used: ${used.join(', ') || '—'}`);
  if (unused.length)
    lines.push(
      `  unused: ${unused.length > 12 ? `${unused.slice(0, 12).join(', ')} … (${unused.length})` : unused.join(', ')}`,
    );
  for (const s of partly) lines.push(`  ${s.service}: unused tracked actions ${s.unusedActions.join(', ')}`);
  if (unknown) lines.push(`  unknown: ${unknown} service(s) without evidence`);
  for (const s of p.sources.filter((x) => x.status === 'unused'))
    lines.push(`  ${s.kind} ${s.name} grants nothing used`);
  for (const k of p.keys.filter((x) => x.status === 'unused')) lines.push(`  ${k.detail}`);
  for (const n of p.notes) lines.push(`  note: ${n}`);
  return lines;
}

function proposalLines(p: Proposal): string[] {
  const lines = [`proposal for ${p.target.kind} ${p.target.name}:`];
  for (const r of p.reasons) lines.push(`  - ${r}`);
  const proof = p.proof;
  if (!proof) return lines;
  if (!proof.ok) {
    lines.push(`  NOT PROVEN: ${proof.usedAccessLost.length} used or unknown access would be lost`);
    for (const l of proof.usedAccessLost.slice(0, 5))
      lines.push(`    ${l.principal}: ${l.action} on ${l.resource} (${l.evidence})`);
    for (const n of proof.notes) lines.push(`    ${n}`);
    return lines;
  }
  lines.push('  proven by what-if: no used access lost');
  for (const r of proof.removed) {
    const services = [...new Set(r.byService.filter((s) => s.revoked > 0).map((s) => s.service))];
    lines.push(
      `  removes ${r.revoked} grant(s) of ${r.principal}: ${services.slice(0, 8).join(', ')}${services.length > 8 ? ` … (${services.length} services)` : ''}`,
    );
  }
  if (proof.escalationEdgesRemoved) lines.push(`  escalation edges closed: ${proof.escalationEdgesRemoved}`);
  for (const k of proof.keysDeactivated)
    lines.push(`  access key ${k.accessKeyId ?? `in slot ${k.slot}`} inactive: it no longer signs requests`);
  for (const a of proof.pathsToAdminLost) lines.push(`  no longer reaches admin: ${a}`);
  for (const a of proof.adminsLost) lines.push(`  no longer admin-equivalent: ${a}`);
  for (const b of proof.blastRadius)
    lines.push(
      `  blast radius of ${b.arn}: ${b.reachableBefore} → ${b.reachableAfter} principals, admin ${b.adminBefore} → ${b.adminAfter}`,
    );
  return lines;
}

export function rightsizeCommand(): Command {
  const cmd = addSourceOptions(new Command('rightsize'))
    .description(
      'access granted but unused (last-accessed evidence), and smaller policies proven safe by what-if',
    )
    .option('--principal <name...>', 'only these users or roles (name or ARN), and their groups')
    .option('--group <name...>', 'only these groups (name or ARN) and their members: the group report')
    .option('--unused-days <n>', 'unused means not used in this many days', parseDays, DEFAULT_UNUSED_DAYS)
    .option('--out <file>', 'write the proven proposals as one change set (docs/what-if.md)')
    .option('--json', 'print usage and proposals as JSON');
  addStoreOptions(cmd);
  cmd.addHelpText(
    'after',
    '\nThe bundle needs last-accessed/ evidence (importers/README.md); a principal without it is unknown, never unused.\n' +
      'Examples:\n' +
      '  accessgraph rightsize --from examples/demo\n' +
      '  accessgraph rightsize --from examples/demo --principal dave --unused-days 30 --out changes.json\n' +
      '  accessgraph rightsize --from examples/demo --group QA\n' +
      '  accessgraph what-if --changes changes.json --from examples/demo\n' +
      'Exit codes: 0 done, 2 bad input.',
  );
  return cmd.action(async (flags: RightsizeFlags) => {
    const out = createOutput(flags.json === true);
    await openSnapshot(flags, out, async ({ analysis, id }) => {
      const snapshot = analysis.snapshot;
      const known = [...snapshot.users, ...snapshot.roles];
      const nameOf = (arn: string) => known.find((p) => p.arn === arn)?.name ?? arn;
      const missing = (flags.principal ?? []).filter(
        (n) => !known.some((p) => p.arn === n || p.name.toLowerCase() === n.toLowerCase()),
      );
      if (missing.length)
        throw new CliError(
          `no user or role named ${missing.map((m) => `\`${m}\``).join(', ')}`,
          EXIT_BAD_INPUT,
          'give a user or role name or ARN of the snapshot',
        );
      const groups = groupsNamed(snapshot, flags.group) ?? [];
      const unknownGroups = (flags.group ?? []).filter(
        (n) => !groups.some((g) => g.arn === n || g.name.toLowerCase() === n.toLowerCase()),
      );
      if (unknownGroups.length)
        throw new CliError(
          `no group named ${unknownGroups.map((m) => `\`${m}\``).join(', ')}`,
          EXIT_BAD_INPUT,
          `give a group name or ARN of the snapshot: ${snapshot.groups.map((g) => g.name).join(', ')}`,
        );
      const result = await rightsize(analysis, {
        unusedDays: flags.unusedDays,
        ...(flags.principal ? { principals: flags.principal } : {}),
        ...(flags.group ? { groups: flags.group } : {}),
      });
      const proven = result.proposals.filter((p) => p.proof?.ok);
      if (flags.out) {
        try {
          writeFileSync(
            flags.out,
            JSON.stringify(
              proven.flatMap((p) => p.changes),
              null,
              2,
            ) + '\n',
          );
        } catch (e) {
          throw new CliError(`cannot write \`${flags.out}\`: ${(e as Error).message}`, EXIT_BAD_INPUT);
        }
      }
      out.result({ snapshotId: id, ...result });
      out.info(
        `rightsize on ${snapshot.label} (${snapshot.accountId}): unused = not used in ${flags.unusedDays} days\n`,
      );
      for (const n of result.usage.notes) out.info(`note: ${n}`);
      for (const p of result.usage.principals) out.info(usageLines(p).join('\n'));
      for (const g of result.usage.groups) {
        const unused = g.services.filter((s) => s.status === 'unused').map((s) => s.service);
        out.info(
          `group ${g.name} (${g.members.length} member(s)): ${g.status}${unused.length ? `; unused by every member: ${unused.join(', ')}` : ''}${g.notes.length ? ` (${g.notes.join('; ')})` : ''}`,
        );
        if (g.unusedMemberships.length)
          out.info(`  grants nothing used to: ${g.unusedMemberships.map(nameOf).join(', ')}`);
      }
      out.info('');
      for (const p of result.proposals) out.info(proposalLines(p).join('\n'));
      if (!result.proposals.length) out.info('no proposals: nothing unused that the evidence can show');
      for (const n of result.notes) out.info(`note: ${n}`);
      if (flags.out) out.info(`\nwrote ${proven.length} proven proposal(s) to ${flags.out}`);
    });
  });
}
