import type { PrincipalInfo } from './principal.ts';
import { arnAccount } from './principal.ts';

/** A key's state: its values, `null` when known to be absent, `undefined` when unknown (gives a residual). */
export type Lookup = string[] | null | undefined;

export interface ContextInput {
  principal: PrincipalInfo;
  resource: string;
  resourceAccount?: string;
  context?: Record<string, string | string[]>;
  strictContext?: boolean;
}

/**
 * The request context: the caller's keys (case-insensitive, as AWS treats condition key names) plus the global
 * keys the request itself determines (reference_policies_condition-keys):
 * - `aws:PrincipalArn` — the user's ARN; for a role session the ROLE's ARN ("For IAM roles, the request context
 *   returns the ARN of the role, not the ARN of the user that assumed the role"); the root ARN; absent for
 *   service principals and anonymous callers.
 * - `aws:PrincipalAccount` — the principal's account; absent for service principals.
 * - `aws:username` — IAM users only ("This key is not included for root, role sessions, …").
 * - `aws:userid` — the account id for the root user; other unique ids are not in an ARN, so unknown unless given.
 * - `aws:PrincipalType` — `Account`, `User`, `FederatedUser`, `AssumedRole`, `Anonymous`.
 * - `aws:PrincipalIsAWSService` — `true` only for service principals; `aws:PrincipalServiceName` then names it.
 * - `aws:ResourceAccount` — from the request's resourceAccount or the resource ARN's account field.
 * Caller-given keys override derived ones. Everything else is unknown unless `strictContext`, then absent.
 */
export class RequestContext {
  readonly strict: boolean;
  private readonly values = new Map<string, string[]>();

  constructor(input: ContextInput) {
    this.strict = input.strictContext === true;
    const p = input.principal;
    const set = (k: string, v: string | undefined): void => {
      if (v !== undefined) this.values.set(k.toLowerCase(), [v]);
    };
    const isService = p.kind === 'service';
    const isAnonymous = p.kind === 'anonymous';
    // Web-identity and SAML callers are not IAM principals yet: no principal ARN or account to derive.
    if (!isService && !isAnonymous && p.kind !== 'identity-provider') {
      set('aws:PrincipalAccount', p.account);
      set('aws:PrincipalArn', p.kind === 'assumed-role' ? p.roleArn : p.arn);
    }
    if (p.kind === 'user') set('aws:username', p.name);
    if (p.kind === 'root') set('aws:userid', p.account);
    const type = {
      root: 'Account',
      user: 'User',
      'federated-user': 'FederatedUser',
      'assumed-role': 'AssumedRole',
      role: 'AssumedRole',
      anonymous: 'Anonymous',
    }[p.kind as string];
    set('aws:PrincipalType', type);
    if (p.kind !== 'other') set('aws:PrincipalIsAWSService', isService ? 'true' : 'false');
    if (isService) set('aws:PrincipalServiceName', p.name);
    set('aws:ResourceAccount', input.resourceAccount ?? arnAccount(input.resource));
    for (const [k, v] of Object.entries(input.context ?? {})) {
      this.values.set(k.toLowerCase(), Array.isArray(v) ? v : [v]);
    }
  }

  /** Key names are case-insensitive; pass it lower-cased when you already have it (hot path). */
  lookup(keyLower: string): Lookup {
    const v = this.values.get(keyLower);
    if (v !== undefined) return v;
    return this.strict ? null : undefined;
  }
}
