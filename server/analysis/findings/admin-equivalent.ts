/**
 * CIS AWS Foundations 1.16 asks for no `*:*` policies; we ask the engine instead of reading policy names or
 * statements: who may grant itself anything (escalation/admin.ts, through ../admin-equivalent.ts). Users carry long-lived credentials, so an
 * admin user is worse than an admin role.
 */
import { adminEquivalence } from '../admin-equivalent.ts';
import type { Check, Finding } from './finding.ts';

export const adminEquivalent: Check = ({ snapshot }) =>
  [...snapshot.users, ...snapshot.roles].flatMap((p): Finding[] => {
    const v = adminEquivalence(snapshot, p);
    if (!v) return [];
    const when = v.decision === 'CONDITIONAL' ? ` when ${v.conditions.join(' or ')}` : '';
    return [
      {
        kind: 'admin-equivalent',
        severity: v.decision === 'ALLOWED' && p.kind === 'user' ? 'high' : 'medium',
        entities: [p.arn, ...v.grantedBy],
        message: `${p.kind} \`${p.name}\` is admin-equivalent${when}: it may change any IAM policy (iam:Attach*/Put*Policy on \`*\`)`,
        fix:
          p.kind === 'user'
            ? `give \`${p.name}\` a role to assume for admin work (with MFA) instead of standing admin rights`
            : `check who can assume \`${p.name}\` and narrow its policies to what its job needs`,
      },
    ];
  });
