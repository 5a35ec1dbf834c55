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
const TYPES: Partial<Record<PrincipalInfo['kind'], string>> = {
  root: 'Account',
  user: 'User',
  'federated-user': 'FederatedUser',
  'assumed-role': 'AssumedRole',
  role: 'AssumedRole',
  anonymous: 'Anonymous',
};

/**
 * The derived keys whose value is the caller's own ARN or name, lower-cased: every other derived key is the same for
 * all callers of one kind and account (caller-dependence.ts relies on it).
 */
export const IDENTITY_KEYS: ReadonlySet<string> = new Set(['aws:principalarn', 'aws:username', 'aws:userid']);

// What the principal alone determines is the same for every request it makes: derive it once per principal.
const derivedByPrincipal = new WeakMap<PrincipalInfo, ReadonlyMap<string, string[]>>();

function derivedFor(p: PrincipalInfo): ReadonlyMap<string, string[]> {
  let m = derivedByPrincipal.get(p);
  if (m) return m;
  const values = new Map<string, string[]>();
  const set = (k: string, v: string | undefined): void => {
    if (v !== undefined) values.set(k.toLowerCase(), [v]);
  };
  const isService = p.kind === 'service';
  // Web-identity and SAML callers are not IAM principals yet: no principal ARN or account to derive.
  if (!isService && p.kind !== 'anonymous' && p.kind !== 'identity-provider') {
    set('aws:PrincipalAccount', p.account);
    set('aws:PrincipalArn', p.kind === 'assumed-role' ? p.roleArn : p.arn);
  }
  if (p.kind === 'user') set('aws:username', p.name);
  if (p.kind === 'root') set('aws:userid', p.account);
  set('aws:PrincipalType', TYPES[p.kind]);
  if (p.kind !== 'other') set('aws:PrincipalIsAWSService', isService ? 'true' : 'false');
  if (isService) set('aws:PrincipalServiceName', p.name);
  m = values;
  derivedByPrincipal.set(p, m);
  return m;
}

const RESOURCE_ACCOUNT = 'aws:resourceaccount';

export class RequestContext {
  readonly strict: boolean;
  private readonly given: Map<string, string[]> | undefined;
  private readonly derived: ReadonlyMap<string, string[]>;
  private readonly resourceAccount: string[] | undefined;

  constructor(input: ContextInput) {
    this.strict = input.strictContext === true;
    this.derived = derivedFor(input.principal);
    const ra = input.resourceAccount ?? arnAccount(input.resource);
    this.resourceAccount = ra !== undefined ? [ra] : undefined;
    const entries = input.context ? Object.entries(input.context) : [];
    if (entries.length) {
      this.given = new Map();
      for (const [k, v] of entries) this.given.set(k.toLowerCase(), Array.isArray(v) ? v : [v]);
    }
  }

  /** Key names are case-insensitive; pass it lower-cased when you already have it (hot path). */
  lookup(keyLower: string): Lookup {
    // Caller-given keys override derived ones.
    const g = this.given?.get(keyLower);
    if (g !== undefined) return g;
    if (keyLower === RESOURCE_ACCOUNT && this.resourceAccount) return this.resourceAccount;
    const d = this.derived.get(keyLower);
    if (d !== undefined) return d;
    return this.strict ? null : undefined;
  }
}
