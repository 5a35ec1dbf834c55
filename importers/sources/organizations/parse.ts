/**
 * The bundle's `organization/` files → validated outputs, keyed the way normalize.ts walks them (by parent id, by
 * policy id). File names come from importers/bundle/layout.ts; a file under `organization/` that is none of
 * them is reported, not silently ignored (a typo would otherwise drop a whole OU).
 */
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import type { BundleFile } from '../../bundle/read-bundle.ts';
import { ORGANIZATION } from '../../bundle/layout.ts';
import { parseShaped } from '../../shared/parse-shaped.ts';
import type { JsonLimits } from '../../shared/json-text.ts';
import {
  accountsForParentShape,
  describeOrganizationShape,
  describePolicyShape,
  listPoliciesShape,
  listRootsShape,
  ousForParentShape,
  targetsForPolicyShape,
  type AccountsForParent,
  type DescribeOrganization,
  type DescribePolicy,
  type ListPolicies,
  type ListRoots,
  type OusForParent,
  type TargetsForPolicy,
} from './organizations.shape.ts';

import type { OrgPolicyType } from '../../../schema/snapshot.ts';
export type { OrgPolicyType };

interface Parsed<T> {
  file: string;
  value: T;
}

export interface OrganizationFiles {
  describeOrganization?: Parsed<DescribeOrganization>;
  listRoots?: Parsed<ListRoots>;
  ousForParent: Map<string, Parsed<OusForParent>>;
  accountsForParent: Map<string, Parsed<AccountsForParent>>;
  listPolicies: Map<OrgPolicyType, Parsed<ListPolicies>>;
  describePolicy: Map<string, Parsed<DescribePolicy>>;
  targetsForPolicy: Map<string, Parsed<TargetsForPolicy>>;
}

const dir = ORGANIZATION.dir;
const PATTERNS: { re: RegExp; kind: keyof OrganizationFiles }[] = [
  { re: new RegExp(`^${dir}/ous-for-parent/([^/]+)\\.json$`), kind: 'ousForParent' },
  { re: new RegExp(`^${dir}/accounts-for-parent/([^/]+)\\.json$`), kind: 'accountsForParent' },
  { re: new RegExp(`^${dir}/list-policies/([^/]+)\\.json$`), kind: 'listPolicies' },
  { re: new RegExp(`^${dir}/policies/([^/]+)\\.json$`), kind: 'describePolicy' },
  { re: new RegExp(`^${dir}/targets-for-policy/([^/]+)\\.json$`), kind: 'targetsForPolicy' },
];

/** `files` are the bundle's files under `organization/`, with paths relative to the bundle root. */
export function parseOrganizationFiles(
  files: readonly BundleFile[],
  limits?: JsonLimits,
): {
  files: OrganizationFiles;
  diagnostics: Diagnostic[];
} {
  const out: OrganizationFiles = {
    ousForParent: new Map(),
    accountsForParent: new Map(),
    listPolicies: new Map(),
    describePolicy: new Map(),
    targetsForPolicy: new Map(),
  };
  const diagnostics: Diagnostic[] = [];
  const parse = <T>(f: BundleFile, shape: Parameters<typeof parseShaped<T>>[2], command: string) => {
    const r = parseShaped(f.text, f.path, shape, 'organization', command, limits);
    diagnostics.push(...r.diagnostics);
    return r.value === undefined ? undefined : { file: f.path, value: r.value };
  };
  for (const f of files) {
    if (f.path === ORGANIZATION.describeOrganization) {
      out.describeOrganization = parse(
        f,
        describeOrganizationShape,
        'aws organizations describe-organization',
      );
      continue;
    }
    if (f.path === ORGANIZATION.listRoots) {
      out.listRoots = parse(f, listRootsShape, 'aws organizations list-roots');
      continue;
    }
    const match = PATTERNS.map((p) => ({ kind: p.kind, m: p.re.exec(f.path) })).find((x) => x.m);
    if (!match) {
      diagnostics.push({
        severity: 'warning',
        code: 'organization.unknown-file',
        message: `\`${f.path}\` is not one of the organization outputs accessgraph reads: ignored`,
        file: f.path,
        hint: 'see the bundle layout in the README (organization/…)',
      });
      continue;
    }
    const key = match.m![1]!;
    switch (match.kind) {
      case 'ousForParent': {
        const v = parse(f, ousForParentShape, 'aws organizations list-organizational-units-for-parent');
        if (v) out.ousForParent.set(key, v);
        break;
      }
      case 'accountsForParent': {
        const v = parse(f, accountsForParentShape, 'aws organizations list-accounts-for-parent');
        if (v) out.accountsForParent.set(key, v);
        break;
      }
      case 'listPolicies': {
        if (key !== 'SERVICE_CONTROL_POLICY' && key !== 'RESOURCE_CONTROL_POLICY') {
          diagnostics.push({
            severity: 'warning',
            code: 'organization.unknown-file',
            message: `policies of type \`${key}\` are not evaluated (only SCPs and RCPs): ignored`,
            file: f.path,
          });
          break;
        }
        const v = parse(f, listPoliciesShape, `aws organizations list-policies --filter ${key}`);
        if (v) out.listPolicies.set(key, v);
        break;
      }
      case 'describePolicy': {
        const v = parse(f, describePolicyShape, 'aws organizations describe-policy');
        if (v) out.describePolicy.set(key, v);
        break;
      }
      case 'targetsForPolicy': {
        const v = parse(f, targetsForPolicyShape, 'aws organizations list-targets-for-policy');
        if (v) out.targetsForPolicy.set(key, v);
        break;
      }
      default:
        break;
    }
  }
  return { files: out, diagnostics };
}
