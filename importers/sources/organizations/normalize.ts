/**
 * Validated `aws organizations` outputs → the snapshot's Organization (roots → OUs → accounts, SCPs and RCPs with
 * their targets) and the accounts it lists. The tree is walked from the roots through the per-parent files, so
 * a parent whose listing is missing, an OU listed under two parents, or a cycle is found and named. Data that
 * cannot be trusted is an error: evaluating SCPs from half an organization would answer wrong in either direction.
 */
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import type { AccountInfo, Organization, OrgNode, OrgPolicy } from '../../../schema/snapshot.ts';
import { ORGANIZATION } from '../../bundle/layout.ts';
import { checkPolicyGrammar, decodePolicyDocument } from '../../shared/policy-document.ts';
import type { OrganizationFiles, OrgPolicyType } from './parse.ts';

export const ORG_POLICY_TYPES: readonly OrgPolicyType[] = [
  'SERVICE_CONTROL_POLICY',
  'RESOURCE_CONTROL_POLICY',
];

export function normalizeOrganization(files: OrganizationFiles): {
  organization?: Organization;
  accounts: AccountInfo[];
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  const missing = (file: string, command: string, why: string) =>
    diagnostics.push({
      severity: 'error',
      code: 'organization.missing-file',
      message: `\`${file}\` is missing: ${why}`,
      file,
      hint: `run \`${command} --output json > ${file}\`, or remove the organization/ directory to import without org data`,
    });
  const org = files.describeOrganization;
  const roots = files.listRoots;
  if (!org)
    missing(
      ORGANIZATION.describeOrganization,
      'aws organizations describe-organization',
      'it names the management account (exempt from SCPs)',
    );
  if (!roots) missing(ORGANIZATION.listRoots, 'aws organizations list-roots', 'the tree starts at the root');
  if (!org || !roots) return { accounts: [], diagnostics };

  const managementAccountId = org.value.Organization.MasterAccountId;
  const nodes: OrgNode[] = [];
  const byId = new Map<string, OrgNode>();
  const accounts: AccountInfo[] = [];
  const reached = new Set<string>();

  // Depth-first from each root, with the path of ancestors to tell a cycle from an OU listed twice.
  const walk = (parent: OrgNode, ancestors: string[]) => {
    reached.add(parent.id);
    const ous = files.ousForParent.get(parent.id);
    const accs = files.accountsForParent.get(parent.id);
    if (!ous)
      missing(
        ORGANIZATION.ousForParent(parent.id),
        `aws organizations list-organizational-units-for-parent --parent-id ${parent.id}`,
        `the OUs under \`${parent.name}\` are unknown`,
      );
    if (!accs)
      missing(
        ORGANIZATION.accountsForParent(parent.id),
        `aws organizations list-accounts-for-parent --parent-id ${parent.id}`,
        `the accounts under \`${parent.name}\` are unknown`,
      );
    const add = (node: OrgNode, file: string, jsonPath: string): boolean => {
      const seen = byId.get(node.id);
      if (seen || ancestors.includes(node.id) || node.id === parent.id) {
        const cycle = ancestors.includes(node.id) || node.id === parent.id;
        diagnostics.push({
          severity: 'error',
          code: cycle ? 'organization.cycle' : 'organization.duplicate-node',
          message: cycle
            ? `\`${node.id}\` is listed under its own descendant \`${parent.id}\`: the OU tree has a cycle`
            : `\`${node.id}\` is listed under \`${parent.id}\` and under \`${seen!.parentId}\`: a node has one parent`,
          file,
          jsonPath,
          hint: 'the per-parent files come from different times or were edited; collect them again',
        });
        return false;
      }
      nodes.push(node);
      byId.set(node.id, node);
      return true;
    };
    accs?.value.Accounts.forEach((a, i) => {
      const node: OrgNode = {
        id: a.Id,
        kind: 'account',
        name: a.Name ?? a.Id,
        ...(a.Arn ? { arn: a.Arn } : {}),
        parentId: parent.id,
      };
      if (!add(node, accs.file, `Accounts[${i}].Id`)) return;
      accounts.push({
        id: a.Id,
        ...(a.Name ? { name: a.Name } : {}),
        ...(a.Email ? { email: a.Email } : {}),
        ...(a.Status ? { status: a.Status } : {}),
        isManagementAccount: a.Id === managementAccountId,
      });
    });
    ous?.value.OrganizationalUnits.forEach((ou, i) => {
      const node: OrgNode = {
        id: ou.Id,
        kind: 'organizationalUnit',
        name: ou.Name,
        ...(ou.Arn ? { arn: ou.Arn } : {}),
        parentId: parent.id,
      };
      if (add(node, ous.file, `OrganizationalUnits[${i}].Id`)) walk(node, [...ancestors, parent.id]);
    });
  };
  const enabled = new Set<OrgPolicyType>();
  let typesKnown = false;
  for (const [i, r] of roots.value.Roots.entries()) {
    const root: OrgNode = { id: r.Id, kind: 'root', name: r.Name, ...(r.Arn ? { arn: r.Arn } : {}) };
    if (byId.has(r.Id)) {
      diagnostics.push({
        severity: 'error',
        code: 'organization.duplicate-node',
        message: `root \`${r.Id}\` is listed twice`,
        file: roots.file,
        jsonPath: `Roots[${i}].Id`,
      });
      continue;
    }
    nodes.push(root);
    byId.set(r.Id, root);
    if (r.PolicyTypes) {
      typesKnown = true;
      for (const t of r.PolicyTypes)
        if (t.Status === 'ENABLED' && (ORG_POLICY_TYPES as string[]).includes(t.Type))
          enabled.add(t.Type as OrgPolicyType);
    }
    walk(root, []);
  }
  for (const [parentId, f] of [...files.ousForParent, ...files.accountsForParent])
    if (!reached.has(parentId))
      diagnostics.push({
        severity: 'warning',
        code: 'organization.unreachable-file',
        message: `\`${parentId}\` is not a root or OU reached from list-roots: the file is ignored`,
        file: f.file,
      });

  const policies: OrgPolicy[] = [];
  for (const type of ORG_POLICY_TYPES) {
    const list = files.listPolicies.get(type);
    if (!list) continue;
    const ids = new Set<string>();
    list.value.Policies.forEach((summary, i) => {
      if (summary.Type !== type)
        diagnostics.push({
          severity: 'error',
          code: 'organization.wrong-policy-type',
          message: `\`${summary.Id}\` is a \`${summary.Type}\` in the list of \`${type}\``,
          file: list.file,
          jsonPath: `Policies[${i}].Type`,
          hint: `the file must be the output of \`aws organizations list-policies --filter ${type}\``,
        });
      if (ids.has(summary.Id)) {
        diagnostics.push({
          severity: 'error',
          code: 'organization.duplicate-policy',
          message: `policy \`${summary.Id}\` is listed twice`,
          file: list.file,
          jsonPath: `Policies[${i}].Id`,
        });
        return;
      }
      ids.add(summary.Id);
      const described = files.describePolicy.get(summary.Id);
      const targets = files.targetsForPolicy.get(summary.Id);
      if (!described)
        missing(
          ORGANIZATION.describePolicy(summary.Id),
          `aws organizations describe-policy --policy-id ${summary.Id}`,
          `the content of \`${summary.Name}\` is unknown`,
        );
      if (!targets)
        missing(
          ORGANIZATION.targetsForPolicy(summary.Id),
          `aws organizations list-targets-for-policy --policy-id ${summary.Id}`,
          `where \`${summary.Name}\` is attached is unknown`,
        );
      if (!described || !targets) return;
      const decoded = decodePolicyDocument(described.value.Policy.Content);
      if (!decoded.ok) {
        diagnostics.push({
          severity: 'error',
          code: `organization.${decoded.code}`,
          message: decoded.message,
          ...(decoded.hint ? { hint: decoded.hint } : {}),
          file: described.file,
          jsonPath: 'Policy.Content',
        });
        return;
      }
      const grammar = checkPolicyGrammar(
        decoded.value,
        type === 'SERVICE_CONTROL_POLICY' ? 'scp' : 'rcp',
        'Policy.Content',
      ).map((d) => ({ ...d, file: described.file }));
      diagnostics.push(...grammar);
      const attached: string[] = [];
      targets.value.Targets.forEach((t, j) => {
        if (!byId.has(t.TargetId)) {
          diagnostics.push({
            severity: 'error',
            code: 'organization.unknown-target',
            message: `\`${summary.Name}\` is attached to \`${t.TargetId}\`, which is not in the organization tree`,
            file: targets.file,
            jsonPath: `Targets[${j}].TargetId`,
            hint: 'collect list-roots and the per-parent listings again, at the same time as the policies',
          });
          return;
        }
        if (!attached.includes(t.TargetId)) attached.push(t.TargetId);
      });
      policies.push({
        id: summary.Id,
        arn: summary.Arn,
        name: summary.Name,
        type,
        awsManaged: summary.AwsManaged === true,
        document: decoded.json,
        targets: attached,
      });
    });
  }
  for (const [id, f] of files.describePolicy)
    if (
      !policies.some((p) => p.id === id) &&
      ![...files.listPolicies.values()].some((l) => l.value.Policies.some((p) => p.Id === id))
    )
      diagnostics.push({
        severity: 'warning',
        code: 'organization.unlisted-policy',
        message: `policy \`${id}\` is not in any list-policies output: ignored`,
        file: f.file,
        hint: 'add the list-policies output of its type',
      });

  const organization: Organization = {
    id: org.value.Organization.Id,
    managementAccountId,
    nodes,
    policies,
    collectedPolicyTypes: ORG_POLICY_TYPES.filter((t) => files.listPolicies.has(t)),
    ...(typesKnown ? { enabledPolicyTypes: ORG_POLICY_TYPES.filter((t) => enabled.has(t)) } : {}),
  };
  return { organization, accounts, diagnostics };
}
