/**
 * iam-collect's `organizations/<org-id>/` (src/syncs/organizations/organizations.ts) → the `aws organizations`
 * outputs of bundle/layout.ts: describe-organization, list-roots, the OUs and accounts per parent, the SCPs and
 * RCPs with their content and targets. iam-collect records attachments per target (`ous.json`,
 * `accounts.json`); list-targets-for-policy is that map inverted. Its paths are lower-cased, so ids come from
 * the files' contents and ARNs, never from directory names.
 */
import type { z } from 'zod';
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import type { BundleFile } from '../../bundle/read-bundle.ts';
import { ORGANIZATION } from '../../bundle/layout.ts';
import { readIamCollectFile } from './read-file.ts';
import {
  documentShape,
  orgAccountsShape,
  orgMetadataShape,
  orgOusShape,
  orgPolicyMetadataShape,
  orgUnitMetadataShape,
} from './iam-collect.shape.ts';

export interface BundleOutput {
  path: string;
  doc: unknown;
  from: BundleFile;
}

const ORG_DIR = /^((?:.*\/)?organizations\/o-[a-z0-9]+)\/(.+)\.json$/;
const TYPES = [
  ['scps', 'SERVICE_CONTROL_POLICY'],
  ['rcps', 'RESOURCE_CONTROL_POLICY'],
] as const;
const idOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** The organization directories of the tree, each with its files by path inside it. */
export function organizationDirs(files: readonly BundleFile[]): Map<string, Map<string, BundleFile>> {
  const dirs = new Map<string, Map<string, BundleFile>>();
  for (const f of files) {
    const m = ORG_DIR.exec(f.path);
    if (!m) continue;
    if (!dirs.has(m[1]!)) dirs.set(m[1]!, new Map());
    dirs.get(m[1]!)!.set(m[2]!, f);
  }
  return dirs;
}

export function convertOrganization(
  dir: string,
  files: Map<string, BundleFile>,
  diagnostics: Diagnostic[],
): BundleOutput[] {
  const read = <T>(name: string, shape: z.ZodType<T>) =>
    readIamCollectFile(files.get(name), shape, diagnostics);
  const metaFile = files.get('metadata');
  if (!metaFile) {
    diagnostics.push({
      severity: 'warning',
      code: 'iam-collect.organization-not-read',
      message: `\`${dir}\` has no \`metadata.json\`: the organization is not read, SCPs and RCPs are unknown`,
      file: files.values().next().value!.path,
      hint: 'run iam-collect again from the management account',
    });
    return [];
  }
  const meta = read('metadata', orgMetadataShape);
  const ous = read('ous', orgOusShape);
  const accounts = read('accounts', orgAccountsShape);
  if (!meta || !ous || !accounts) {
    for (const name of ['ous', 'accounts'])
      if (!files.has(name)) diagnostics.push(missing(dir, metaFile, `${name}.json`));
    return [];
  }

  const out: BundleOutput[] = [];
  const emit = (path: string, doc: unknown, from: BundleFile) => out.push({ path, doc, from });
  const unit = (id: string) => read(`ous/${id.toLowerCase()}/metadata`, orgUnitMetadataShape);
  const enabled = Object.entries(meta.features ?? {})
    .filter(([, on]) => on)
    .map(([Type]) => ({ Type, Status: 'ENABLED' }));

  emit(
    ORGANIZATION.describeOrganization,
    {
      Organization: {
        Id: meta.id,
        ...(meta.arn ? { Arn: meta.arn } : {}),
        FeatureSet: 'ALL',
        MasterAccountId: meta.rootAccountId,
      },
    },
    metaFile,
  );
  const root = unit(meta.rootOu);
  emit(
    ORGANIZATION.listRoots,
    {
      Roots: [
        {
          Id: meta.rootOu,
          ...(root?.arn ? { Arn: root.arn } : {}),
          Name: root?.name ?? 'Root',
          PolicyTypes: enabled,
        },
      ],
    },
    metaFile,
  );

  // The tree: every root/OU is a parent; its child OUs and accounts come from the parent links.
  const parents = [meta.rootOu, ...Object.keys(ous).filter((id) => id !== meta.rootOu)].sort();
  const names = new Map<string, { arn?: string; name?: string }>([
    [meta.rootOu, { arn: root?.arn ?? undefined, name: root?.name }],
  ]);
  for (const parent of parents) {
    const childOus = Object.entries(ous)
      .filter(([id, o]) => o.parent === parent && id !== parent)
      .map(([id]) => {
        const m = unit(id);
        names.set(id, { arn: m?.arn ?? undefined, name: m?.name });
        return { Id: id, ...(m?.arn ? { Arn: m.arn } : {}), Name: m?.name ?? id };
      })
      .sort((a, b) => (a.Id < b.Id ? -1 : 1));
    emit(ORGANIZATION.ousForParent(parent), { OrganizationalUnits: childOus }, files.get('ous')!);
    const childAccounts = Object.entries(accounts)
      .filter(([, a]) => a.ou === parent)
      .map(([Id]) => ({ Id }))
      .sort((a, b) => (a.Id < b.Id ? -1 : 1));
    emit(ORGANIZATION.accountsForParent(parent), { Accounts: childAccounts }, files.get('accounts')!);
  }

  // Attachments by policy ARN, from both maps.
  const targets = new Map<string, { TargetId: string; Arn?: string; Name?: string; Type: string }[]>();
  const attach = (
    arns: readonly string[] | null | undefined,
    target: { TargetId: string; Arn?: string; Name?: string; Type: string },
  ) => {
    for (const arn of arns ?? []) {
      if (!targets.has(arn)) targets.set(arn, []);
      targets.get(arn)!.push(target);
    }
  };
  for (const [id, o] of Object.entries(ous)) {
    const n = names.get(id) ?? {};
    const target = {
      TargetId: id,
      ...(n.arn ? { Arn: n.arn } : {}),
      ...(n.name ? { Name: n.name } : {}),
      Type: id.startsWith('r-') ? 'ROOT' : 'ORGANIZATIONAL_UNIT',
    };
    attach(o.scps, target);
    attach(o.rcps, target);
  }
  for (const [id, a] of Object.entries(accounts)) {
    attach(a.scps, { TargetId: id, Type: 'ACCOUNT' });
    attach(a.rcps, { TargetId: id, Type: 'ACCOUNT' });
  }

  for (const [folder, Type] of TYPES) {
    const policyDirs = [...files.keys()]
      .filter((k) => k.startsWith(`${folder}/`) && k.endsWith('/metadata'))
      .map((k) => k.slice(0, -'/metadata'.length))
      .sort();
    const summaries = [];
    for (const pdir of policyDirs) {
      const p = read(`${pdir}/metadata`, orgPolicyMetadataShape);
      if (!p) continue;
      const document = read(`${pdir}/policy`, documentShape);
      if (!document) {
        if (!files.has(`${pdir}/policy`))
          diagnostics.push(missing(`${dir}/${pdir}`, files.get(`${pdir}/metadata`)!, 'policy.json'));
        continue;
      }
      const summary = {
        Id: idOf(p.arn),
        Arn: p.arn,
        Name: p.name,
        ...(p.description ? { Description: p.description } : {}),
        Type,
        AwsManaged: p.awsManaged ?? false,
      };
      summaries.push(summary);
      const from = files.get(`${pdir}/policy`)!;
      emit(
        ORGANIZATION.describePolicy(summary.Id),
        { Policy: { PolicySummary: summary, Content: JSON.stringify(document) } },
        from,
      );
      emit(ORGANIZATION.targetsForPolicy(summary.Id), { Targets: targets.get(p.arn) ?? [] }, from);
    }
    emit(ORGANIZATION.listPolicies(Type), { Policies: summaries }, metaFile);
  }
  return out;
}

function missing(dir: string, file: BundleFile, name: string): Diagnostic {
  return {
    severity: 'error',
    code: 'iam-collect.missing-file',
    message: `\`${dir}\` has no \`${name}\``,
    file: file.path,
    hint: 'was the iam-collect run interrupted? run it again for the organization',
  };
}
