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
import type { ListPolicies } from './organizations.shape.ts';
import type { OrganizationFiles, OrgPolicyType } from './parse.ts';

type PolicySummary = ListPolicies['Policies'][number];

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
  const org = files.describeOrganization;
  const roots = files.listRoots;
  if (!org)
    diagnostics.push(
      missingFile(
        ORGANIZATION.describeOrganization,
        'aws organizations describe-organization',
        'it names the management account (exempt from SCPs)',
      ),
    );
  if (!roots)
    diagnostics.push(
      missingFile(ORGANIZATION.listRoots, 'aws organizations list-roots', 'the tree starts at the root'),
    );
  if (!org || !roots) return { accounts: [], diagnostics };

  const managementAccountId = org.value.Organization.MasterAccountId;
  const tree = walkTree(files, roots, managementAccountId, diagnostics);
  diagnostics.push(...unreachableFiles(files, tree.reached));
  const policies = ORG_POLICY_TYPES.flatMap((type) => readPolicies(files, type, tree.byId, diagnostics));
  diagnostics.push(...unlistedPolicies(files, policies));

  const organization: Organization = {
    id: org.value.Organization.Id,
    managementAccountId,
    nodes: tree.nodes,
    policies,
    collectedPolicyTypes: ORG_POLICY_TYPES.filter((t) => files.listPolicies.has(t)),
    ...(tree.enabledPolicyTypes ? { enabledPolicyTypes: tree.enabledPolicyTypes } : {}),
  };
  return { organization, accounts: tree.accounts, diagnostics };
}

/** A per-parent or per-policy file the tree needs and the bundle lacks, with the command that writes it. */
function missingFile(file: string, command: string, why: string): Diagnostic {
  return {
    severity: 'error',
    code: 'organization.missing-file',
    message: `\`${file}\` is missing: ${why}`,
    file,
    hint: `run \`${command} --output json > ${file}\`, or remove the organization/ directory to import without org data`,
  };
}

interface Tree {
  nodes: OrgNode[];
  byId: Map<string, OrgNode>;
  accounts: AccountInfo[];
  /** Roots and OUs whose children were looked up. */
  reached: Set<string>;
  /** The policy types the roots say are enabled; absent when list-roots does not say. */
  enabledPolicyTypes?: OrgPolicyType[];
}

/**
 * The tree, depth-first from each root through the per-parent files, with the path of ancestors to tell a cycle
 * from an OU listed twice; the accounts as the tree lists them.
 */
function walkTree(
  files: OrganizationFiles,
  roots: NonNullable<OrganizationFiles['listRoots']>,
  managementAccountId: string,
  diagnostics: Diagnostic[],
): Tree {
  const tree: Tree = { nodes: [], byId: new Map(), accounts: [], reached: new Set() };
  const enabled = new Set<OrgPolicyType>();
  let typesKnown = false;

  /** Adds `node` under `parent`, or says why it cannot be (a cycle, a second parent). */
  const add = (
    node: OrgNode,
    parent: OrgNode,
    ancestors: string[],
    file: string,
    jsonPath: string,
  ): boolean => {
    const seen = tree.byId.get(node.id);
    const cycle = ancestors.includes(node.id) || node.id === parent.id;
    if (seen || cycle) {
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
    tree.nodes.push(node);
    tree.byId.set(node.id, node);
    return true;
  };

  const walk = (parent: OrgNode, ancestors: string[]): void => {
    tree.reached.add(parent.id);
    const ous = files.ousForParent.get(parent.id);
    const accs = files.accountsForParent.get(parent.id);
    if (!ous)
      diagnostics.push(
        missingFile(
          ORGANIZATION.ousForParent(parent.id),
          `aws organizations list-organizational-units-for-parent --parent-id ${parent.id}`,
          `the OUs under \`${parent.name}\` are unknown`,
        ),
      );
    if (!accs)
      diagnostics.push(
        missingFile(
          ORGANIZATION.accountsForParent(parent.id),
          `aws organizations list-accounts-for-parent --parent-id ${parent.id}`,
          `the accounts under \`${parent.name}\` are unknown`,
        ),
      );
    accs?.value.Accounts.forEach((a, i) => {
      const node: OrgNode = {
        id: a.Id,
        kind: 'account',
        name: a.Name ?? a.Id,
        ...(a.Arn ? { arn: a.Arn } : {}),
        parentId: parent.id,
      };
      if (!add(node, parent, ancestors, accs.file, `Accounts[${i}].Id`)) return;
      tree.accounts.push({
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
      if (add(node, parent, ancestors, ous.file, `OrganizationalUnits[${i}].Id`))
        walk(node, [...ancestors, parent.id]);
    });
  };

  for (const [i, r] of roots.value.Roots.entries()) {
    const root: OrgNode = { id: r.Id, kind: 'root', name: r.Name, ...(r.Arn ? { arn: r.Arn } : {}) };
    if (tree.byId.has(r.Id)) {
      diagnostics.push({
        severity: 'error',
        code: 'organization.duplicate-node',
        message: `root \`${r.Id}\` is listed twice`,
        file: roots.file,
        jsonPath: `Roots[${i}].Id`,
      });
      continue;
    }
    tree.nodes.push(root);
    tree.byId.set(r.Id, root);
    if (r.PolicyTypes) {
      typesKnown = true;
      for (const t of r.PolicyTypes)
        if (t.Status === 'ENABLED' && (ORG_POLICY_TYPES as string[]).includes(t.Type))
          enabled.add(t.Type as OrgPolicyType);
    }
    walk(root, []);
  }
  if (typesKnown) tree.enabledPolicyTypes = ORG_POLICY_TYPES.filter((t) => enabled.has(t));
  return tree;
}

/** Per-parent files for a parent the walk never reached: ignored, with a warning. */
function unreachableFiles(files: OrganizationFiles, reached: Set<string>): Diagnostic[] {
  return [...files.ousForParent, ...files.accountsForParent]
    .filter(([parentId]) => !reached.has(parentId))
    .map(([parentId, f]): Diagnostic => ({
      severity: 'warning',
      code: 'organization.unreachable-file',
      message: `\`${parentId}\` is not a root or OU reached from list-roots: the file is ignored`,
      file: f.file,
    }));
}

/** The policies of one type, from its list-policies output; each listed once, of that type. */
function readPolicies(
  files: OrganizationFiles,
  type: OrgPolicyType,
  byId: ReadonlyMap<string, OrgNode>,
  diagnostics: Diagnostic[],
): OrgPolicy[] {
  const list = files.listPolicies.get(type);
  if (!list) return [];
  const policies: OrgPolicy[] = [];
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
    const policy = readPolicy(files, type, summary, byId, diagnostics);
    if (policy) policies.push(policy);
  });
  return policies;
}

/** One listed policy: its described content, decoded and grammar-checked as an SCP or RCP, and its targets. */
function readPolicy(
  files: OrganizationFiles,
  type: OrgPolicyType,
  summary: PolicySummary,
  byId: ReadonlyMap<string, OrgNode>,
  diagnostics: Diagnostic[],
): OrgPolicy | undefined {
  const described = files.describePolicy.get(summary.Id);
  const targets = files.targetsForPolicy.get(summary.Id);
  if (!described)
    diagnostics.push(
      missingFile(
        ORGANIZATION.describePolicy(summary.Id),
        `aws organizations describe-policy --policy-id ${summary.Id}`,
        `the content of \`${summary.Name}\` is unknown`,
      ),
    );
  if (!targets)
    diagnostics.push(
      missingFile(
        ORGANIZATION.targetsForPolicy(summary.Id),
        `aws organizations list-targets-for-policy --policy-id ${summary.Id}`,
        `where \`${summary.Name}\` is attached is unknown`,
      ),
    );
  if (!described || !targets) return undefined;
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
    return undefined;
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
  return {
    id: summary.Id,
    arn: summary.Arn,
    name: summary.Name,
    type,
    awsManaged: summary.AwsManaged === true,
    document: decoded.json,
    targets: attached,
  };
}

/** Described policies that no list-policies output lists: ignored, with a warning. */
function unlistedPolicies(files: OrganizationFiles, policies: readonly OrgPolicy[]): Diagnostic[] {
  const listed = (id: string) =>
    [...files.listPolicies.values()].some((l) => l.value.Policies.some((p) => p.Id === id));
  return [...files.describePolicy]
    .filter(([id]) => !policies.some((p) => p.id === id) && !listed(id))
    .map(([id, f]): Diagnostic => ({
      severity: 'warning',
      code: 'organization.unlisted-policy',
      message: `policy \`${id}\` is not in any list-policies output: ignored`,
      file: f.file,
      hint: 'add the list-policies output of its type',
    }));
}
