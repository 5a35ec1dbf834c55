/**
 * The policies AWS evaluates for a request, gathered from an AccountSnapshot (reference_policies_evaluation-logic):
 * a principal's identity-based policies (its inline and attached managed policies and, for users, those of every
 * group, each with the attachment path for explanations), its permissions boundary as a separate layer, and the
 * resource-based policy of the resource asked about.
 */
import type { AccountSnapshot, IamGroup, ManagedPolicy, Principal } from '../../importers/snapshot/model.ts';
import { defaultDocument, inlinePolicyId } from '../../importers/snapshot/model.ts';
import type { PolicyInput, PolicySet } from '../engine/index.ts';

interface Lookups {
  principals: Map<string, Principal>;
  groups: Map<string, IamGroup>;
  policies: Map<string, ManagedPolicy>;
  resources: Map<string, string | undefined>;
}

const lookups = new WeakMap<AccountSnapshot, Lookups>();
function lookupsOf(s: AccountSnapshot): Lookups {
  let l = lookups.get(s);
  if (!l) {
    l = {
      principals: new Map([...s.users, ...s.roles].map((p) => [p.arn, p])),
      groups: new Map(s.groups.map((g) => [g.arn, g])),
      policies: new Map(s.policies.map((p) => [p.arn, p])),
      resources: new Map(s.resources.map((r) => [r.arn, r.policy])),
    };
    lookups.set(s, l);
  }
  return l;
}

/** The identity policies and boundary of a user or role, or undefined when the snapshot has no such principal. */
export function principalPolicySet(snapshot: AccountSnapshot, principalArn: string): PolicySet | undefined {
  const l = lookupsOf(snapshot);
  const principal = l.principals.get(principalArn);
  if (!principal) return undefined;
  const identity: PolicyInput[] = [];
  const managed = (arn: string, via: string[]) => {
    const p = l.policies.get(arn);
    // A policy missing from the snapshot is an importer completeness warning, not something to evaluate.
    if (p) identity.push({ id: arn, name: p.name, document: defaultDocument(p), attachedVia: via });
  };
  for (const ip of principal.inlinePolicies)
    identity.push({
      id: inlinePolicyId(principal.arn, ip.name),
      name: ip.name,
      document: ip.document,
      attachedVia: [principal.arn],
    });
  for (const arn of principal.attachedPolicies) managed(arn, [principal.arn]);
  if (principal.kind === 'user')
    for (const garn of principal.groups) {
      const g = l.groups.get(garn);
      if (!g) continue;
      for (const ip of g.inlinePolicies)
        identity.push({
          id: inlinePolicyId(g.arn, ip.name),
          name: ip.name,
          document: ip.document,
          attachedVia: [principal.arn, g.arn],
        });
      for (const arn of g.attachedPolicies) managed(arn, [principal.arn, g.arn]);
    }
  const set: PolicySet = { identity };
  const b = principal.permissionsBoundary ? l.policies.get(principal.permissionsBoundary) : undefined;
  if (b)
    set.boundary = { id: b.arn, name: b.name, document: defaultDocument(b), attachedVia: [principal.arn] };
  return set;
}

/** The resource-based policy for `resourceArn` (an S3 object's is its bucket's), if the snapshot has one. */
export function resourcePolicyFor(snapshot: AccountSnapshot, resourceArn: string): PolicyInput | undefined {
  const l = lookupsOf(snapshot);
  const s3 = /^(arn:[^:]+:s3:::[^/]+)\//.exec(resourceArn);
  const arn = s3 ? s3[1]! : resourceArn;
  const document = l.resources.get(arn);
  return document ? { id: arn, document } : undefined;
}
