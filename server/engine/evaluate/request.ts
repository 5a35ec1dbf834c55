import type { Lookup } from './context.ts';
import { RequestContext } from './context.ts';
import { arnAccount, parsePrincipal, roleArnWithoutPath, type PrincipalInfo } from './principal.ts';
import type { KeyFacts } from '../conditions/clause.ts';
import { domainsFor, type KeyDomain } from './facts.ts';

/** A request pre-digested once: lower-cased action parts, parsed principal, the context with derived keys. */
export interface PreparedRequest {
  principal: PrincipalInfo;
  action: string;
  serviceLower: string;
  nameLower: string;
  resource: string;
  /** The resource's account: the request's resourceAccount, else the ARN's account, else the principal's. */
  resourceAccount?: string;
  context: RequestContext;
  lookup: (keyLower: string) => Lookup;
  /** What the principal and the request's time settle about keys `lookup` leaves unknown. */
  facts: KeyFacts;
  /** The caller is a session of a role whose name the question leaves open (a role ARN, or `anySessionName`). */
  sessionNameUnknown: boolean;
  /** The facts that decided a condition, in the order first used. */
  settled: KeyDomain[];
}

export interface RequestInput {
  principal: string;
  action: string;
  resource: string;
  resourceAccount?: string;
  context?: Record<string, string | string[]>;
  strictContext?: boolean;
  /** When the request is made (ISO 8601): the snapshot's time. Settles aws:CurrentTime, aws:EpochTime and bounds
   * aws:TokenIssueTime. */
  at?: string;
  /** The principal is a role session whose name the question leaves open (the session name in its ARN is a
   * placeholder): a Principal naming one session of the role matches only "if the session is named …". */
  anySessionName?: boolean;
}

export function prepareRequest(r: RequestInput): PreparedRequest {
  const principal = parsePrincipal(r.principal);
  const action = r.action.toLowerCase();
  const colon = action.indexOf(':');
  const resourceAccount = r.resourceAccount ?? arnAccount(r.resource) ?? principal.account;
  const context = new RequestContext({
    principal,
    resource: r.resource,
    ...(resourceAccount ? { resourceAccount } : {}),
    ...(r.context ? { context: r.context } : {}),
    ...(r.strictContext ? { strictContext: true } : {}),
  });
  const settled: KeyDomain[] = [];
  let domains: ReadonlyMap<string, KeyDomain> | undefined;
  const at = r.at !== undefined ? Date.parse(r.at) : undefined;
  const facts: KeyFacts = {
    domain: (k) =>
      (domains ??= domainsFor(principal, at !== undefined && !Number.isNaN(at) ? at : undefined)).get(k),
    settled: (d) => {
      if (!settled.includes(d)) settled.push(d);
    },
  };
  return {
    principal,
    action: r.action,
    serviceLower: colon < 0 ? action : action.slice(0, colon),
    nameLower: colon < 0 ? '' : action.slice(colon + 1),
    resource: r.resource,
    ...(resourceAccount ? { resourceAccount } : {}),
    context,
    lookup: (k) => context.lookup(k),
    facts,
    sessionNameUnknown:
      !r.strictContext &&
      (principal.kind === 'role' || (principal.kind === 'assumed-role' && r.anySessionName === true)),
    settled,
  };
}

/**
 * The caller is a service-linked role (`role/aws-service-role/…`) or a session of one. A session's ARN carries no
 * role path, so for a session the role's ARN with its path is read from the request's `aws:PrincipalArn` (what
 * the analyses give for a role), when that names the session's own role.
 */
export function callerIsServiceLinked(req: PreparedRequest): boolean {
  const p = req.principal;
  if (p.kind === 'role') return p.arn.includes(SERVICE_LINKED);
  if (p.kind !== 'assumed-role') return false;
  return (req.lookup('aws:principalarn') ?? []).some(
    (arn) => arn.includes(SERVICE_LINKED) && roleArnWithoutPath(arn) === p.roleArn,
  );
}
const SERVICE_LINKED = ':role/aws-service-role/';
