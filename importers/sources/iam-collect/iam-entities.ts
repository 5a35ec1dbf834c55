/**
 * iam-collect's IAM resource directories (src/syncs/iam/authorizationDetails.ts) → GAAD entries, as
 * `get-account-authorization-details` prints them, so the GAAD importer reads them like any other page.
 */
import type { z } from 'zod';
import { missingFile, type Resource } from './resource-dir.ts';
import { readIamCollectFile } from './read-file.ts';
import {
  arnListShape,
  documentShape,
  groupMetadataShape,
  inlinePoliciesShape,
  policyMetadataShape,
  roleMetadataShape,
  tagsShape,
  userMetadataShape,
} from './iam-collect.shape.ts';

export type GaadEntry =
  | {
      list: 'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies';
      entry: Record<string, unknown>;
    }
  | undefined;

const lastSegment = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
const dropUndefined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));

export function iamEntity(r: Resource): GaadEntry {
  const { field, dir } = r;
  const meta = <T>(shape: z.ZodType<T>) => readIamCollectFile(r.metadataFile, shape, r.diagnostics);
  const type = r.resource.slice(0, r.resource.indexOf('/'));
  const attached = () =>
    (field('managed-policies', arnListShape) ?? []).map((arn) => ({
      PolicyName: lastSegment(arn),
      PolicyArn: arn,
    }));
  const tags = () => {
    const t = field('tags', tagsShape);
    return t ? Object.entries(t).map(([Key, Value]) => ({ Key, Value })) : undefined;
  };
  const boundary = (arn: string | null | undefined) =>
    arn ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn } : undefined;

  if (type === 'user') {
    const u = meta(userMetadataShape);
    if (!u) return undefined;
    return {
      list: 'UserDetailList',
      entry: dropUndefined({
        Path: u.path,
        UserName: u.name,
        UserId: u.id,
        Arn: u.arn,
        CreateDate: u.created,
        UserPolicyList: field('inline-policies', inlinePoliciesShape) ?? [],
        // iam-collect keeps group ARNs; GAAD lists group names.
        GroupList: (field('groups', arnListShape) ?? []).map(lastSegment),
        AttachedManagedPolicies: attached(),
        PermissionsBoundary: boundary(u.permissionBoundary),
        Tags: tags(),
      }),
    };
  }
  if (type === 'group') {
    const g = meta(groupMetadataShape);
    if (!g) return undefined;
    return {
      list: 'GroupDetailList',
      entry: dropUndefined({
        Path: g.path,
        GroupName: g.name,
        GroupId: g.id,
        Arn: g.arn,
        CreateDate: g.created,
        GroupPolicyList: field('inline-policies', inlinePoliciesShape) ?? [],
        AttachedManagedPolicies: attached(),
      }),
    };
  }
  if (type === 'role') {
    const role = meta(roleMetadataShape);
    if (!role) return undefined;
    const trust = field('trust-policy', documentShape);
    if (!trust) {
      if (!dir.fields.has('trust-policy'))
        r.diagnostics.push(missingFile(dir, 'trust-policy.json', 'a role without its trust policy'));
      return undefined;
    }
    return {
      list: 'RoleDetailList',
      entry: dropUndefined({
        Path: role.path,
        RoleName: role.name,
        RoleId: role.id,
        Arn: role.arn,
        CreateDate: role.created,
        AssumeRolePolicyDocument: trust,
        InstanceProfileList: (field('instance-profiles', arnListShape) ?? []).map((arn) => ({
          InstanceProfileName: lastSegment(arn),
          Arn: arn,
        })),
        RolePolicyList: field('inline-policies', inlinePoliciesShape) ?? [],
        AttachedManagedPolicies: attached(),
        PermissionsBoundary: boundary(role.permissionBoundary),
        Tags: tags(),
      }),
    };
  }
  if (type === 'policy') {
    const p = meta(policyMetadataShape);
    if (!p) return undefined;
    const document = field('current-policy', documentShape);
    if (!document) {
      if (!dir.fields.has('current-policy'))
        r.diagnostics.push(missingFile(dir, 'current-policy.json', 'a managed policy without its document'));
      return undefined;
    }
    return {
      list: 'Policies',
      entry: dropUndefined({
        PolicyName: p.name,
        PolicyId: p.id,
        Arn: p.arn,
        Path: p.path,
        DefaultVersionId: p.defaultVersionId,
        PermissionsBoundaryUsageCount: p.permissionsBoundaryUsageCount,
        IsAttachable: p.isAttachable,
        Description: p.description,
        CreateDate: p.createDate,
        UpdateDate: p.updateDate,
        // Only the current version is in the tree (a warning says so).
        PolicyVersionList: [
          dropUndefined({
            Document: document,
            VersionId: p.defaultVersionId,
            IsDefaultVersion: true,
            CreateDate: p.updateDate ?? p.createDate,
          }),
        ],
      }),
    };
  }
  return undefined;
}
