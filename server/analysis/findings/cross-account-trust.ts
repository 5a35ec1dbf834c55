/**
 * Roles another account may assume with no `sts:ExternalId` and no MFA condition: the confused-deputy problem
 * (id_roles_common-scenarios_third-party: "use an external ID") — the other account's principals, or any service
 * acting for them, can assume the role. Trust policies are read with the engine's parser.
 */
import { globMatches, parsePolicy, type Statement } from '../../engine/index.ts';
import type { Check, Finding } from './finding.ts';

/** Condition keys that bind the assumption to a secret or to a second factor. */
const GUARD_KEYS = new Set(['sts:externalid', 'aws:multifactorauthpresent', 'aws:multifactorauthage']);

function allowsAssumeRole(st: Statement): boolean {
  if (st.effect !== 'Allow') return false;
  if (st.action) return st.action.some((a) => globMatches(a, 'sts:AssumeRole', true));
  return st.notAction !== undefined && !st.notAction.some((a) => globMatches(a, 'sts:AssumeRole', true));
}

/** Accounts other than `own` the statement trusts: account ids, or `*` for any AWS principal. */
export function foreignTrust(st: Statement, own: string): string[] {
  if (st.notPrincipal || st.principal?.any) return ['*'];
  const out = new Set<string>();
  for (const p of st.principal?.aws ?? []) {
    if (p === '*') out.add('*');
    const account = /^\d{12}$/.test(p) ? p : /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(p)?.[1];
    if (account !== undefined && account !== own) out.add(account);
  }
  return [...out].sort();
}

export const crossAccountTrust: Check = ({ snapshot }) =>
  snapshot.roles.flatMap((role): Finding[] => {
    const { policy } = parsePolicy(role.trustPolicy, { kind: 'trust' });
    if (!policy) return [];
    const accounts = new Set<string>();
    for (const st of policy.statements) {
      if (!allowsAssumeRole(st)) continue;
      if (st.conditions.some((c) => GUARD_KEYS.has(c.key.toLowerCase()))) continue;
      for (const a of foreignTrust(st, snapshot.accountId)) accounts.add(a);
    }
    if (accounts.size === 0) return [];
    const who = [...accounts].map((a) => (a === '*' ? 'any AWS account' : `account \`${a}\``)).join(', ');
    return [
      {
        kind: 'cross-account-trust-without-external-id',
        severity: accounts.has('*') ? 'critical' : 'high',
        entities: [
          role.arn,
          ...[...accounts].filter((a) => a !== '*').map((a) => `arn:${snapshot.partition}:iam::${a}:root`),
        ],
        message: `role \`${role.name}\` may be assumed from ${who} without \`sts:ExternalId\` or MFA`,
        fix: `add a \`StringEquals sts:ExternalId\` condition (third parties) or \`aws:MultiFactorAuthPresent\` (people) to \`${role.name}\`'s trust policy`,
      },
    ];
  });
