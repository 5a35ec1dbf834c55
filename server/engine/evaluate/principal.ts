/**
 * What a request's principal string is. Shapes from reference_identifiers (IAM ARNs) and
 * reference_policies_elements_principal (service principals, anonymous `*`).
 */
export type PrincipalKind =
  | 'user'
  | 'role'
  | 'assumed-role'
  | 'root'
  | 'federated-user'
  | 'service'
  /** A SAML or OIDC identity provider (`arn:aws:iam::1:saml-provider/x`, `…:oidc-provider/x`), the caller of
   * AssumeRoleWithSAML / AssumeRoleWithWebIdentity: named in trust policies under `Federated`. */
  | 'identity-provider'
  | 'anonymous'
  | 'other';

export interface PrincipalInfo {
  kind: PrincipalKind;
  /** As given. */
  arn: string;
  partition?: string;
  account?: string;
  /** User name, role name, session's role name, federated user name, or the service principal. */
  name?: string;
  /** For an assumed-role session: the role's ARN without path (the session ARN does not carry the path). */
  roleArn?: string;
  sessionName?: string;
}

const ARN = /^arn:([^:]+):(iam|sts)::(\d{12}):(.+)$/;

const cache = new Map<string, PrincipalInfo>();

/** Parsed principals are immutable and requests repeat principals: memoized (bounded). */
export function parsePrincipal(principal: string): PrincipalInfo {
  let info = cache.get(principal);
  if (!info) {
    info = Object.freeze(parsePrincipalUncached(principal));
    if (cache.size >= 4096) cache.clear();
    cache.set(principal, info);
  }
  return info;
}

function parsePrincipalUncached(principal: string): PrincipalInfo {
  if (principal === '*') return { kind: 'anonymous', arn: principal };
  if (/^\d{12}$/.test(principal)) {
    return { kind: 'root', arn: `arn:aws:iam::${principal}:root`, partition: 'aws', account: principal };
  }
  const m = ARN.exec(principal);
  if (!m) {
    if (!principal.startsWith('arn:') && principal.includes('.'))
      return { kind: 'service', arn: principal, name: principal };
    return { kind: 'other', arn: principal };
  }
  const [, partition, service, account, rest] = m as unknown as [string, string, string, string, string];
  const base = { arn: principal, partition, account };
  if (service === 'iam' && rest === 'root') return { kind: 'root', ...base };
  if (service === 'iam' && rest.startsWith('user/'))
    return { kind: 'user', ...base, name: rest.slice(rest.lastIndexOf('/') + 1) };
  if (service === 'iam' && rest.startsWith('role/')) {
    const name = rest.slice(rest.lastIndexOf('/') + 1);
    return { kind: 'role', ...base, name, roleArn: principal };
  }
  if (service === 'sts' && rest.startsWith('assumed-role/')) {
    const [, roleName, ...session] = rest.split('/');
    return {
      kind: 'assumed-role',
      ...base,
      name: roleName,
      sessionName: session.join('/'),
      roleArn: `arn:${partition}:iam::${account}:role/${roleName}`,
    };
  }
  if (service === 'sts' && rest.startsWith('federated-user/'))
    return { kind: 'federated-user', ...base, name: rest.slice('federated-user/'.length) };
  if (service === 'iam' && (rest.startsWith('saml-provider/') || rest.startsWith('oidc-provider/'))) {
    return { kind: 'identity-provider', ...base, name: rest.slice(rest.indexOf('/') + 1) };
  }
  return { kind: 'other', ...base };
}

/** The account a resource ARN lives in (5th field), if it has one (S3 bucket ARNs do not). */
export function arnAccount(arn: string): string | undefined {
  // arn:partition:service:region:account:resource — the account is between the 4th and 5th colon.
  let at = -1;
  for (let i = 0; i < 4; i++) {
    at = arn.indexOf(':', at + 1);
    if (at < 0) return undefined;
  }
  const end = arn.indexOf(':', at + 1);
  if (end !== at + 13) return undefined;
  const account = arn.slice(at + 1, end);
  return /^\d{12}$/.test(account) ? account : undefined;
}

/** Role ARN minus its path: `arn:aws:iam::1:role/a/b/Name` → `arn:aws:iam::1:role/Name`. */
export function roleArnWithoutPath(arn: string): string {
  const m = /^(arn:[^:]+:iam::\d{12}:role\/)(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? m[1]! + m[2]! : arn;
}
