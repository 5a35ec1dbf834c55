/**
 * Who outside the account a trust or resource policy lets in: any AWS principal (`*`, public) or other accounts,
 * per Allow statement, and whether conditions narrow it (`aws:SourceAccount`, `aws:PrincipalOrgID`, an external
 * id…: the statement is then reported as conditional, not decided). Used to tell which policies of a change open
 * new public or cross-account access; the diff itself covers the account's own principals.
 */
import { parsePolicy, type Statement } from '../engine/index.ts';
import { foreignTrust } from './findings/cross-account-trust.ts';

export interface Exposure {
  /** `*` (any AWS principal, public) or an account id. */
  who: string;
  /** Every statement granting it has conditions. */
  conditional: boolean;
}

/** `sts:AssumeRole`, `…WithWebIdentity`, `…WithSAML`, or a wildcard covering them. */
const ASSUME = /^(\*|sts:\*|sts:assume.*)$/i;

const opensAssume = (st: Statement) =>
  st.action ? st.action.some((a) => ASSUME.test(a)) : st.notAction !== undefined;

/** The outside principals a policy document (JSON text) allows; an unparsable document allows nobody. */
export function exposureOf(document: string, kind: 'trust' | 'resource', ownAccount: string): Exposure[] {
  const { policy } = parsePolicy(document, { kind });
  if (!policy) return [];
  const out = new Map<string, boolean>();
  for (const st of policy.statements) {
    if (st.effect !== 'Allow' || (kind === 'trust' && !opensAssume(st))) continue;
    const conditional = st.conditions.length > 0;
    for (const who of foreignTrust(st, ownAccount)) out.set(who, (out.get(who) ?? true) && conditional);
  }
  return [...out]
    .map(([who, conditional]) => ({ who, conditional }))
    .sort((a, b) => a.who.localeCompare(b.who));
}

/**
 * What `after` lets in that `before` did not: a principal not allowed before, or allowed before only under
 * conditions and now without.
 */
export function newExposure(
  before: string | undefined,
  after: string | undefined,
  kind: 'trust' | 'resource',
  ownAccount: string,
): Exposure[] {
  if (after === undefined) return [];
  const was = new Map(
    (before === undefined ? [] : exposureOf(before, kind, ownAccount)).map((e) => [e.who, e]),
  );
  return exposureOf(after, kind, ownAccount).filter((e) => {
    const b = was.get(e.who);
    return !b || (b.conditional && !e.conditional);
  });
}
