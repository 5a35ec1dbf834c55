import type { Lookup } from './context.ts';
import { RequestContext } from './context.ts';
import { arnAccount, parsePrincipal, type PrincipalInfo } from './principal.ts';

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
}

export interface RequestInput {
  principal: string;
  action: string;
  resource: string;
  resourceAccount?: string;
  context?: Record<string, string | string[]>;
  strictContext?: boolean;
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
  return {
    principal,
    action: r.action,
    serviceLower: colon < 0 ? action : action.slice(0, colon),
    nameLower: colon < 0 ? '' : action.slice(colon + 1),
    resource: r.resource,
    ...(resourceAccount ? { resourceAccount } : {}),
    context,
    lookup: (k) => context.lookup(k),
  };
}
