/** Human rendering of an `AccessDiff` (what-if and diff share it): a table per principal, then the summary. */
import Table from 'cli-table3';
import {
  mostTelling,
  type AccessDiff,
  type FanOutChange,
  type GrantChange,
  type PrincipalDiff,
} from '../../analysis/what-if/diff.ts';

const SERVICE_ROWS = 8;

/** The services and levels with the most changes (a new admin changes hundreds: the rest is summed up). */
function services(p: PrincipalDiff): string {
  const rows = [...p.byService].sort(
    (a, b) => b.granted + b.revoked + b.conditional - (a.granted + a.revoked + a.conditional),
  );
  const lines = rows.slice(0, SERVICE_ROWS).map((r) => {
    const parts = [
      r.granted && `+${r.granted}`,
      r.revoked && `-${r.revoked}`,
      r.conditional && `~${r.conditional}`,
    ];
    return `${r.service} ${r.level} ${parts.filter(Boolean).join(' ')}`;
  });
  const rest = rows.slice(SERVICE_ROWS);
  if (rest.length)
    lines.push(`… ${new Set(rest.map((r) => r.service)).size} more service(s) (--json lists all)`);
  return lines.join('\n');
}

function example(list: GrantChange[]): string {
  const first = mostTelling(list);
  return first
    ? `${first.action} on ${first.resource}${list.length > 1 ? ` (+${list.length - 1})` : ''}`
    : '';
}

/** `user/ops/bob` for an IAM ARN (the account is the diff's own). */
function shortName(arn: string): string {
  return arn.replace(/^arn:[^:]+:iam::\d{12}:/, '');
}

export function renderDiff(diff: AccessDiff): string {
  const lines: string[] = [];
  if (diff.principals.length) {
    const table = new Table({
      head: [
        'PRINCIPAL',
        'CHANGE',
        'GRANTED',
        'REVOKED',
        'BY SERVICE AND LEVEL (+ granted, - revoked, ~ conditions)',
      ],
      style: { head: [], border: [] },
    });
    for (const p of diff.principals)
      table.push([
        `${p.kind} ${p.name}`,
        p.change,
        example(p.granted) || '—',
        example(p.revoked) || '—',
        services(p),
      ]);
    lines.push(table.toString());
  } else lines.push('no access changes');
  for (const a of diff.admins.gained)
    lines.push(`becomes admin-equivalent: ${a.arn}${a.after === 'CONDITIONAL' ? ' (conditionally)' : ''}`);
  for (const a of diff.admins.lost) lines.push(`stops being admin-equivalent: ${a.arn}`);
  if (diff.escalation) {
    for (const e of diff.escalation.added)
      lines.push(`new escalation edge: ${e.from} → ${e.to} (${e.technique})`);
    for (const e of diff.escalation.removed)
      lines.push(`removed escalation edge: ${e.from} → ${e.to} (${e.technique})`);
    // One line per entry, its class by description and size: the members are in --json, once per class.
    const fanOut = (f: FanOutChange) =>
      `${f.from} → ${f.targetClass} [${f.targetCount} principal(s)] (${f.technique}${f.conditional ? ', conditional' : ''})`;
    for (const f of diff.escalation.fanOutAdded) lines.push(`new escalation fan-out: ${fanOut(f)}`);
    for (const f of diff.escalation.fanOutRemoved) lines.push(`removed escalation fan-out: ${fanOut(f)}`);
    for (const arn of diff.escalation.pathsToAdminGained) lines.push(`new path to admin from ${arn}`);
    for (const arn of diff.escalation.pathsToAdminLost) lines.push(`no more path to admin from ${arn}`);
  }
  if (diff.blastRadius?.principals.length) {
    const table = new Table({
      head: ['BLAST RADIUS OF', 'ADMIN (before → after)', 'REACHABLE', 'GAINED', 'LOST'],
      style: { head: [], border: [] },
    });
    const names = (list: string[], count: number) =>
      count ? `${list.slice(0, 3).map(shortName).join(', ')}${count > 3 ? ` (+${count - 3})` : ''}` : '—';
    for (const b of diff.blastRadius.principals)
      table.push([
        shortName(b.arn),
        `${b.before.admin} → ${b.after.admin}`,
        `${b.before.reachable} → ${b.after.reachable}`,
        names(b.gained, b.gainedCount),
        names(b.lost, b.lostCount),
      ]);
    lines.push(table.toString());
    if (diff.blastRadius.more)
      lines.push(`(${diff.blastRadius.more} more principal(s) whose blast radius changed)`);
  }
  const s = diff.summary;
  lines.push(
    `\n${s.principalsChanged} of ${s.principalsCompared} principal(s) compared changed: ${s.granted} grant(s), ` +
      `${s.revoked} revocation(s), ${s.conditional} condition change(s); admins +${s.adminsGained} -${s.adminsLost}` +
      (diff.escalation
        ? `; escalation edges +${s.edgesAdded} -${s.edgesRemoved}, fan-out +${s.fanOutAdded} -${s.fanOutRemoved}; ` +
          `${s.blastRadiusChanged} blast radius(es) changed`
        : ''),
  );
  for (const n of diff.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}
