import type { PrincipalSpec } from '../policy/model.ts';
import type { PrincipalInfo } from '../evaluate/principal.ts';
import { roleArnWithoutPath } from '../evaluate/principal.ts';

/**
 * How a Principal element names the request's principal (reference_policies_elements_principal), strongest first:
 * - `direct`: the exact user, role-session, federated-user ARN, service, or canonical user — a resource policy
 *   naming these is not limited by an implicit deny in the principal's boundary or session policy
 *   (access_policies_boundaries, "Resource-based policies");
 * - `role`: the role ARN, matching every session of that role — limited by the boundary/session policy;
 * - `any`: `"*"` / `{"AWS": "*"}` — every principal, anonymous included; as unlimited as `direct`
 *   (layers/resource.ts);
 * - `account`: the account id or `arn:…:iam::ACCOUNT:root` — delegates to that account's identity policies;
 * - `none`.
 */
export type PrincipalMatch = 'direct' | 'role' | 'any' | 'account' | 'none';

const RANK: Record<PrincipalMatch, number> = { direct: 4, role: 3, any: 2, account: 1, none: 0 };

function accountOf(entry: string): string | undefined {
  if (/^\d{12}$/.test(entry)) return entry;
  const m = /^arn:[^:]+:iam::(\d{12}):root$/.exec(entry);
  return m ? m[1] : undefined;
}

const IDENTITY_KINDS = new Set(['user', 'role', 'assumed-role', 'root', 'federated-user']);

function matchAws(entry: string, p: PrincipalInfo): PrincipalMatch {
  if (entry === '*') return 'any';
  const acct = accountOf(entry);
  if (acct !== undefined) return p.account === acct && IDENTITY_KINDS.has(p.kind) ? 'account' : 'none';
  if (entry === p.arn) return p.kind === 'role' ? 'role' : 'direct';
  // A role ARN (with or without path) in Principal matches that role's sessions; the session ARN has no path.
  if (p.kind === 'assumed-role' && entry.includes(':role/') && roleArnWithoutPath(entry) === p.roleArn)
    return 'role';
  if (
    p.kind === 'role' &&
    entry.includes(':role/') &&
    roleArnWithoutPath(entry) === roleArnWithoutPath(p.arn)
  )
    return 'role';
  return 'none';
}

export function matchPrincipal(spec: PrincipalSpec, p: PrincipalInfo): PrincipalMatch {
  let best: PrincipalMatch = spec.any ? 'any' : 'none';
  const consider = (m: PrincipalMatch): void => {
    if (RANK[m] > RANK[best]) best = m;
  };
  for (const e of spec.aws) consider(matchAws(e, p));
  if (p.kind === 'service' && spec.service.includes(p.arn)) consider('direct');
  if (spec.federated.includes(p.arn)) consider('direct');
  if (spec.canonicalUser.includes(p.arn)) consider('direct');
  return best;
}

/**
 * NotPrincipal (reference_policies_elements_notprincipal): the statement applies to every principal NOT listed.
 * Entries exclude only what they name exactly: a role ARN does not exclude that role's sessions (AWS: "you must
 * include both the role ARN and the assumed-role session ARN"), an account entry excludes the account's root.
 */
export function matchNotPrincipal(spec: PrincipalSpec, p: PrincipalInfo): PrincipalMatch {
  if (spec.any) return 'none';
  const listed =
    spec.aws.some((e) => e === p.arn || (p.kind === 'root' && accountOf(e) === p.account)) ||
    spec.service.includes(p.arn) ||
    spec.federated.includes(p.arn) ||
    spec.canonicalUser.includes(p.arn);
  return listed ? 'none' : 'any';
}

const SESSION_ENTRY = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;

/**
 * The session names a Principal element lists for the caller's role (`arn:aws:sts::A:assumed-role/R/batch` →
 * `batch`), for a caller whose session name is not known: such an entry names it only if the session has that name
 * (id_roles_terms-and-concepts, "Role session principals"; reference_policies_elements_principal).
 */
export function sessionNamesFor(spec: PrincipalSpec, p: PrincipalInfo): string[] {
  const role = p.roleArn && roleArnWithoutPath(p.roleArn);
  if (!role) return [];
  const names: string[] = [];
  for (const e of spec.aws) {
    const m = SESSION_ENTRY.exec(e);
    if (m && `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` === role) names.push(m[4]!);
  }
  return names;
}
