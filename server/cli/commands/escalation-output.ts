/**
 * What `accessgraph paths` and `accessgraph blast-radius` share: rendering paths as one line each —
 * `user bob -[sts:AssumeRole]-> role Deploy -[iam:PassRole+lambda:CreateFunction]-> ADMIN`.
 */
import type { AccountSnapshot } from '../../../schema/snapshot.ts';
import { ADMIN } from '../../analysis/escalation/graph.ts';
import type { EscalationPath } from '../../analysis/escalation/paths.ts';

/** `user bob`, `role Deploy`, `ADMIN`. */
export function nodeLabel(snapshot: AccountSnapshot, arn: string): string {
  if (arn === ADMIN) return 'ADMIN';
  const p = snapshot.users.find((u) => u.arn === arn) ?? snapshot.roles.find((r) => r.arn === arn);
  return p ? `${p.kind} ${p.name}` : arn;
}

export function pathLine(snapshot: AccountSnapshot, path: EscalationPath): string {
  const first = path.steps[0];
  if (!first) return '';
  return [
    nodeLabel(snapshot, first.from),
    ...path.steps.map((s) => `-[${s.technique}]-> ${nodeLabel(snapshot, s.to)}`),
  ].join(' ');
}

/** A numbered path with its conditions and, indented, the evidence of each step. */
export function renderPath(snapshot: AccountSnapshot, path: EscalationPath, n: number): string {
  const lines = [`${n}. ${pathLine(snapshot, path)}`];
  if (path.conditional)
    lines.push(`   only if: ${path.conditions.join(' AND ') || '(conditions not rendered)'}`);
  for (const s of path.steps)
    for (const e of s.evidence.filter((x) => x.effect === 'Allow'))
      lines.push(`   ${s.technique}: ${e.path}`);
  return lines.join('\n');
}
