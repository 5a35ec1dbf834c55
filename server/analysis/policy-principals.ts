/**
 * Who the Principal element of a resource-based or trust policy's Allow statement names
 * (reference_policies_elements_principal) — the one reading of it that who-can's candidates and effective
 * permissions' per-resource filter share. Whether a named principal is in fact allowed is the engine's to decide;
 * this only says whom to evaluate, erring towards more.
 */
import { arnAccount, hasWildcard, type Policy, type Statement } from '../engine/index.ts';

export interface NamedPrincipals {
  /** User and role ARNs named exactly. */
  arns: string[];
  /** Role sessions named (`arn:aws:sts::123456789012:assumed-role/Name/session`): the role's account and name. */
  sessions: { account: string; role: string }[];
  /**
   * Accounts named (`123456789012`, `arn:aws:iam::123456789012:root`): the statement delegates to that account's
   * identity policies, so any of its principals may be granted.
   */
  accounts: string[];
}

/**
 * `all` when the statement could grant anyone: `*`, NotPrincipal, a pattern, or a value that names no principal
 * this snapshot can pin (a unique id); otherwise what it names. Only Allow statements grant.
 */
export function principalsNamed(st: Statement): NamedPrincipals | 'all' {
  const out: NamedPrincipals = { arns: [], sessions: [], accounts: [] };
  if (st.effect !== 'Allow') return out;
  if (st.notPrincipal || st.principal?.any) return 'all';
  for (const value of st.principal?.aws ?? []) {
    if (value === '*') return 'all';
    if (/^\d{12}$/.test(value)) {
      out.accounts.push(value);
      continue;
    }
    const session = namedSession(value);
    if (session) out.sessions.push(session);
    else if (hasWildcard(value) || !value.startsWith('arn:')) return 'all';
    else if (value.endsWith(':root')) out.accounts.push(arnAccount(value) ?? '');
    else out.arns.push(value);
  }
  return out;
}

/** The role whose session a Principal value names (`arn:aws:sts::123456789012:assumed-role/Name/session`). */
export function namedSession(value: string): { account: string; role: string } | undefined {
  const session = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(value);
  return session ? { account: session[1]!, role: session[2]! } : undefined;
}

/** `principalsNamed` over every statement of a policy. */
export function policyNames(policy: Policy): NamedPrincipals | 'all' {
  const out: NamedPrincipals = { arns: [], sessions: [], accounts: [] };
  for (const st of policy.statements) {
    const n = principalsNamed(st);
    if (n === 'all') return 'all';
    out.arns.push(...n.arns);
    out.sessions.push(...n.sessions);
    out.accounts.push(...n.accounts);
  }
  return out;
}
