import type { PrincipalInfo } from './principal.ts';
import { parseAwsDate } from '../conditions/date.ts';

/**
 * What who asks and when settle about a global key the context did not give (reference_policies_condition-keys,
 * "Availability" of each key): the states the key can be in. A condition true in every state is true, false in
 * every state is false; otherwise it stays a residual. `because` is the fact, for the explanation.
 */
export interface KeyDomain {
  key: string;
  because: string;
  /** The key can be absent from the request. */
  mayBeAbsent: boolean;
  /** The key can be present: with one of `values`, a value in `range`, or (neither given) any value. */
  mayBePresent: boolean;
  values?: string[];
  /** Milliseconds since the epoch, both ends included. */
  range?: { min: number; max: number };
}

/** One state of a key: its values, `null` when absent, `'any'` when present with a value nobody knows. */
export type KeyState = string[] | null | 'any';

const HOUR = 3600_000;
// AssumeRole and the web-identity / SAML variants issue sessions of at most 12 hours (role chaining: 1 hour);
// GetSessionToken and GetFederationToken at most 36 hours (id_credentials_temp_request, "Comparing the AWS STS
// API operations").
const ROLE_SESSION_MAX = 12 * HOUR;
const TEMPORARY_MAX = 36 * HOUR;

const IAM_KINDS = new Set(['user', 'role', 'assumed-role', 'root', 'federated-user']);

/**
 * The domains of the time and session keys for requests `p` makes at `at` (ms; the snapshot's time), lower-cased
 * key → domain:
 * - `aws:CurrentTime`, `aws:EpochTime`: the time of the request.
 * - `aws:TokenIssueTime`: present for temporary credentials only. A role session always has it, issued within the
 *   longest role session before `at`; a federated user likewise within 36 hours; a user or the root user may sign
 *   with long-term access keys (no key) or with temporary credentials issued within 36 hours.
 * - `aws:ViaAWSService`: present in every signed request, `true` or `false`.
 * `aws:MultiFactorAuthPresent` / `aws:MultiFactorAuthAge` are left unknown: long-term keys carry neither, temporary
 * credentials carry `true` or `false`, and role chaining drops them, so the principal alone settles nothing.
 * `aws:PrincipalType` is derived in context.ts.
 */
export function domainsFor(p: PrincipalInfo, at: number | undefined): ReadonlyMap<string, KeyDomain> {
  // Parsed principals are shared (principal.ts): the domains are built once per principal and time.
  let byTime = cache.get(p);
  if (!byTime) cache.set(p, (byTime = new Map()));
  let domains = byTime.get(at);
  if (!domains) {
    if (byTime.size >= 4) byTime.clear();
    byTime.set(at, (domains = build(p, at)));
  }
  return domains;
}

const cache = new WeakMap<PrincipalInfo, Map<number | undefined, ReadonlyMap<string, KeyDomain>>>();

function build(p: PrincipalInfo, at: number | undefined): ReadonlyMap<string, KeyDomain> {
  const out = new Map<string, KeyDomain>();
  const put = (d: KeyDomain) => out.set(d.key.toLowerCase(), d);
  if (at !== undefined) {
    const iso = new Date(at).toISOString();
    const because = `the request is made at the snapshot's time, ${iso}`;
    put({ key: 'aws:CurrentTime', because, mayBeAbsent: false, mayBePresent: true, values: [iso] });
    const epoch = String(Math.floor(at / 1000));
    put({ key: 'aws:EpochTime', because, mayBeAbsent: false, mayBePresent: true, values: [epoch] });
  }
  if (!IAM_KINDS.has(p.kind)) return out;
  put({
    key: 'aws:ViaAWSService',
    because: 'every signed request carries aws:ViaAWSService',
    mayBeAbsent: false,
    mayBePresent: true,
    values: ['true', 'false'],
  });
  const session = p.kind === 'role' || p.kind === 'assumed-role';
  const longest = session ? ROLE_SESSION_MAX : TEMPORARY_MAX;
  const window = at !== undefined ? { range: { min: at - longest, max: at } } : {};
  const when =
    at !== undefined ? `, issued at most ${longest / HOUR} hours before ${new Date(at).toISOString()}` : '';
  put({
    key: 'aws:TokenIssueTime',
    because:
      session || p.kind === 'federated-user'
        ? `a ${session ? 'role' : 'federated user'} session always has temporary credentials${when}`
        : `a ${p.kind === 'root' ? 'root user' : 'user'} signs with long-term access keys (no aws:TokenIssueTime) or with temporary credentials${when}`,
    mayBeAbsent: !session && p.kind !== 'federated-user',
    mayBePresent: true,
    ...window,
  });
  return out;
}

/**
 * The states of `d` a condition with `policyValues` must be checked in: absence, each listed value, and for a
 * range its ends, each policy value inside it and one point between consecutive ones — the date operators change
 * their answer only at the policy values, so these cover every value of the range.
 */
export function statesOf(d: KeyDomain, policyValues: readonly string[]): KeyState[] {
  const states: KeyState[] = d.mayBeAbsent ? [null] : [];
  if (!d.mayBePresent) return states;
  if (d.values) return [...states, ...d.values.map((v) => [v])];
  if (!d.range) return [...states, 'any'];
  const { min, max } = d.range;
  const points = new Set([min, max]);
  for (const pv of policyValues) {
    const t = parseAwsDate(pv);
    if (!Number.isNaN(t) && t > min && t < max) points.add(t);
  }
  const sorted = [...points].sort((a, b) => a - b);
  const all: number[] = [];
  sorted.forEach((t, i) => {
    all.push(t);
    const next = sorted[i + 1];
    if (next !== undefined && next - t > 1) all.push(Math.floor((t + next) / 2));
  });
  return [...states, ...all.map((t) => [new Date(t).toISOString()])];
}
