/**
 * The policies AWS evaluates for a request, gathered from an AccountSnapshot (reference_policies_evaluation-logic):
 * a principal's identity-based policies (its inline and attached managed policies and, for users, those of every
 * group, each with the attachment path for explanations), its permissions boundary as a separate layer, the SCPs
 * of its account's organization levels; the resource-based policy of the resource asked about and the RCPs of
 * the resource's account.
 *
 * Organization levels (orgs_manage_policies_scps, orgs_manage_policies_rcps): root → each OU down the tree →
 * the account, one layer each; every level must allow. The management account is exempt from both ("SCPs don't
 * affect users or roles in the management account"; "RCPs don't affect resources in the management account").
 * A policy type not enabled on the root applies nowhere. When the SCPs or RCPs are unknown (not collected, account
 * outside the tree) none are applied and importers/snapshot/completeness.ts says so with the answer.
 */
import type { AccountSnapshot, OrgNode, OrgPolicyType } from '../../schema/snapshot.ts';
import { defaultDocument, inlinePolicyId } from '../../schema/snapshot.ts';
import { policyOwnerArn } from '../../importers/snapshot/completeness.ts';
import { arnAccount, arnService, loadCatalog, type PolicyInput, type PolicySet } from '../engine/index.ts';
import { SnapshotAnalysis, type Lookups } from './snapshot-analysis.ts';

/** The snapshot's entities by ARN or id (its analysis's lookups). */
export function lookupsOf(s: AccountSnapshot): Lookups {
  return SnapshotAnalysis.of(s).lookups;
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
  const scps = orgLevels(snapshot, 'SERVICE_CONTROL_POLICY', arnAccount(principal.arn) ?? '');
  if (scps) set.scps = scps;
  return set;
}

/**
 * The SCP or RCP levels that apply to `accountId` (its principals for SCPs, its resources for RCPs): root first,
 * account last, each level the policies attached to that node. Undefined when none apply or they are unknown.
 */
export function orgLevels(
  snapshot: AccountSnapshot,
  type: OrgPolicyType,
  accountId: string,
): PolicyInput[][] | undefined {
  const org = snapshot.organization;
  if (!org || accountId === org.managementAccountId) return undefined;
  if (org.collectedPolicyTypes && !org.collectedPolicyTypes.includes(type)) return undefined;
  if (org.enabledPolicyTypes && !org.enabledPolicyTypes.includes(type)) return undefined;
  const l = lookupsOf(snapshot);
  const key = `${type}:${accountId}`;
  if (l.orgLevels.has(key)) return l.orgLevels.get(key);
  let levels: PolicyInput[][] | undefined;
  const account = l.orgNodes.get(accountId);
  if (account?.kind === 'account') {
    const chain: OrgNode[] = [];
    // The importer rejects cycles; the bound keeps a hand-made snapshot from looping.
    for (let n: OrgNode | undefined = account; n && chain.length <= l.orgNodes.size;) {
      chain.unshift(n);
      n = n.parentId !== undefined ? l.orgNodes.get(n.parentId) : undefined;
    }
    const policies = org.policies.filter((p) => p.type === type);
    levels = chain.map((node) =>
      policies
        .filter((p) => p.targets.includes(node.id))
        .map((p) => ({ id: p.arn, name: p.name, document: p.document, attachedVia: [node.id] })),
    );
  }
  l.orgLevels.set(key, levels);
  return levels;
}

/**
 * The organization condition keys AWS puts in the request context, when the organization data knows them
 * (reference_policies_condition-keys: aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:ResourceOrgID,
 * aws:ResourceOrgPaths). A path is the organization id, the root and each OU down to the account's parent, each
 * followed by `/` (`o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/`). RCPs guarding an identity perimeter test these keys;
 * without them every answer would stay CONDITIONAL. Accounts outside the tree get nothing (unknown, not absent).
 */
export function orgContextFor(
  snapshot: AccountSnapshot,
  principalAccount: string,
  resourceAccount?: string,
): Record<string, string> {
  const org = snapshot.organization;
  if (!org) return {};
  const l = lookupsOf(snapshot);
  const pathOf = (account: string): string | undefined => {
    const node = l.orgNodes.get(account);
    if (node?.kind !== 'account') return undefined;
    const ids: string[] = [];
    for (
      let n = node.parentId !== undefined ? l.orgNodes.get(node.parentId) : undefined;
      n && ids.length <= l.orgNodes.size;
    ) {
      ids.unshift(n.id);
      n = n.parentId !== undefined ? l.orgNodes.get(n.parentId) : undefined;
    }
    return `${[org.id, ...ids].join('/')}/`;
  };
  const out: Record<string, string> = {};
  const p = pathOf(principalAccount);
  if (p) Object.assign(out, { 'aws:PrincipalOrgID': org.id, 'aws:PrincipalOrgPaths': p });
  const r = resourceAccount !== undefined ? pathOf(resourceAccount) : undefined;
  if (r) Object.assign(out, { 'aws:ResourceOrgID': org.id, 'aws:ResourceOrgPaths': r });
  return out;
}

/** The resource's side of a request: its resource-based policy, its account, and the RCPs over it. */
export interface ResourceSide {
  resource?: PolicyInput;
  /** The account that owns the resource: from its ARN, or (S3) from the imported bucket. */
  resourceAccount?: string;
  rcps?: PolicyInput[][];
}

/**
 * Everything on the resource's side for `resourceArn`. RCPs apply only to services that support them
 * (`supportsRcp`, from the catalog: `rcpSupport()`); without it none are applied.
 */
export function resourceSideFor(
  snapshot: AccountSnapshot,
  resourceArn: string,
  supportsRcp?: (service: string) => boolean,
): ResourceSide {
  const side: ResourceSide = {};
  const policy = resourcePolicyFor(snapshot, resourceArn);
  if (policy) side.resource = policy;
  const known = lookupsOf(snapshot).resources.get(policyOwnerArn(resourceArn));
  const account = arnAccount(resourceArn) ?? known?.accountId;
  if (account) side.resourceAccount = account;
  const service = arnService(resourceArn);
  if (account && service && supportsRcp?.(service)) {
    const rcps = orgLevels(snapshot, 'RESOURCE_CONTROL_POLICY', account);
    if (rcps) side.rcps = rcps;
  }
  return side;
}

/** Whether a snapshot has any RCP; callers load the catalog's RCP services only then. */
export function hasRcps(snapshot: AccountSnapshot): boolean {
  return snapshot.organization?.policies.some((p) => p.type === 'RESOURCE_CONTROL_POLICY') === true;
}

/** The catalog's list of services that support RCPs (loads the catalog once). */
export async function rcpSupport(): Promise<(service: string) => boolean> {
  const catalog = await loadCatalog();
  return (service) => catalog.supportsRcp(service);
}

/** The resource-based policy for `resourceArn` (an S3 object's is its bucket's), if the snapshot has one. */
export function resourcePolicyFor(snapshot: AccountSnapshot, resourceArn: string): PolicyInput | undefined {
  const l = lookupsOf(snapshot);
  const arn = policyOwnerArn(resourceArn);
  const document = l.resources.get(arn)?.policy;
  return document ? { id: arn, document } : undefined;
}
