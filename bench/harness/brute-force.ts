/**
 * The brute-force who-can baseline, measured beside the indexed who-can: for every principal,
 * gather its policies from the snapshot, compile them, and evaluate one request. No index, no pruning: the
 * figure an index has to beat, and a smoke test that the engine accepts every generated policy.
 *
 * Policies are gathered by the product's own `principalPolicySet` (server/analysis/policy-set.ts), so the
 * baseline and who-can evaluate the same sets; the resource policy is the bucket's.
 */
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import { defaultDocument, inlinePolicyId } from '../../schema/snapshot.ts';
import { principalPolicySet } from '../../server/analysis/policy-set.ts';
import type {
  CompiledPolicySet,
  EvaluationRequest,
  PolicyInput,
  PolicySet,
} from '../../server/engine/index.ts';

export interface EngineApi {
  compilePolicySet(policies: PolicySet): CompiledPolicySet;
  evaluateCompiled(request: EvaluationRequest, compiled: CompiledPolicySet): { decision: string };
}

export interface CompiledPrincipals {
  compiled: { arn: string; set: CompiledPolicySet }[];
  /** Principals whose policies the engine rejected (should be none: the generator writes valid policies). */
  failures: { arn: string; message: string }[];
}

/** Compile every user's and role's policy set (with `resourcePolicy` as the resource layer, if given). */
export function compileAllPrincipals(
  engine: EngineApi,
  snapshot: AccountSnapshot,
  resourcePolicy?: PolicyInput,
): CompiledPrincipals {
  const compiled: CompiledPrincipals['compiled'] = [];
  const failures: CompiledPrincipals['failures'] = [];
  for (const p of [...snapshot.users, ...snapshot.roles]) {
    // INVARIANT: p is one of the snapshot's own principals, so its policy set exists.
    const set = principalPolicySet(snapshot, p.arn)!;
    if (resourcePolicy) set.resource = resourcePolicy;
    try {
      compiled.push({ arn: p.arn, set: engine.compilePolicySet(set) });
    } catch (e) {
      failures.push({ arn: p.arn, message: e instanceof Error ? e.message : String(e) });
    }
  }
  return { compiled, failures };
}

/** Brute-force who-can: evaluate `request` for every compiled principal; decisions counted by kind. */
export function bruteForceWhoCan(
  engine: EngineApi,
  principals: CompiledPrincipals,
  request: Omit<EvaluationRequest, 'principal'>,
): Record<string, number> {
  const decisions: Record<string, number> = {};
  for (const c of principals.compiled) {
    const d = engine.evaluateCompiled({ ...request, principal: c.arn }, c.set).decision;
    decisions[d] = (decisions[d] ?? 0) + 1;
  }
  return decisions;
}

/**
 * Compile each distinct identity policy once (managed default versions and inline policies): what an analysis
 * that shares compiled policies between principals pays, against `compileAllPrincipals` which compiles the
 * popular managed policies again for every principal they are attached to.
 */
export function compileDistinctPolicies(engine: EngineApi, snapshot: AccountSnapshot): number {
  const inputs: PolicyInput[] = snapshot.policies.map((p) => ({ id: p.arn, document: defaultDocument(p) }));
  for (const owner of [...snapshot.users, ...snapshot.groups, ...snapshot.roles])
    for (const ip of owner.inlinePolicies)
      inputs.push({ id: inlinePolicyId(owner.arn, ip.name), document: ip.document });
  for (const input of inputs) engine.compilePolicySet({ identity: [input] });
  return inputs.length;
}
