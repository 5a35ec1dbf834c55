import type { CompiledPolicy } from '../compile/policy.ts';
import type { PrincipalSpec, Statement } from '../policy/model.ts';
import { supportsVariables } from '../policy/model.ts';
import { IDENTITY_KEYS } from './context.ts';

/**
 * Whether a compiled policy can answer a request for `action` differently for two callers of one kind, account and
 * ARN path: when a statement that can match the action names callers other than by account or `*` (Principal,
 * NotPrincipal), tests a key whose value is the caller's own ARN or name (context.ts `IDENTITY_KEYS`) or one of its
 * tags, or uses a policy variable (2012-10-17). Otherwise the request reads the caller only through its kind,
 * account and path (scp.ts and rcp.ts read the path of service-linked roles; facts.ts and the other derived keys
 * the kind and account), so one evaluation decides for all such callers. Kept per parsed policy (compiled copies
 * share it) and action.
 */
export function readsCallerIdentity(policy: CompiledPolicy, action: string): boolean {
  let byAction = memo.get(policy.policy);
  if (!byAction) memo.set(policy.policy, (byAction = new Map()));
  const lower = action.toLowerCase();
  let reads = byAction.get(lower);
  if (reads === undefined) {
    const colon = lower.indexOf(':');
    const service = colon < 0 ? lower : lower.slice(0, colon);
    const name = colon < 0 ? '' : lower.slice(colon + 1);
    const variables = supportsVariables(policy.policy);
    reads = policy
      .candidates(service)
      .some(
        (st) => st.action.matches(service, name) !== st.notAction && statementReads(st.statement, variables),
      );
    byAction.set(lower, reads);
  }
  return reads;
}

const memo = new WeakMap<CompiledPolicy['policy'], Map<string, boolean>>();

function statementReads(st: Statement, variables: boolean): boolean {
  if (st.notPrincipal || (st.principal && namesCallers(st.principal))) return true;
  if (variables && [...(st.resource ?? []), ...(st.notResource ?? [])].some((r) => r.includes('${')))
    return true;
  return st.conditions.some((c) => {
    const key = c.key.toLowerCase();
    return (
      IDENTITY_KEYS.has(key) ||
      key.startsWith('aws:principaltag/') ||
      (variables && c.values.some((v) => v.includes('${')))
    );
  });
}

/** A Principal element that names anything but everyone or whole accounts. */
function namesCallers(p: PrincipalSpec): boolean {
  if (p.any) return false;
  if (p.service.length > 0 || p.federated.length > 0 || p.canonicalUser.length > 0) return true;
  return p.aws.some((e) => e !== '*' && !/^\d{12}$/.test(e) && !/^arn:[^:]+:iam::\d{12}:root$/.test(e));
}
