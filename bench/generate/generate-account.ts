/**
 * A deterministic synthetic AWS account, written in the AWS CLI's own formats so the whole import path is
 * exercised: `aws iam get-account-authorization-details --output json` (the GAAD, CLI form with policy
 * documents as JSON objects, 4-space indented like the CLI prints), one `aws s3api get-bucket-policy` output
 * per bucket, the credential report and password policy (credentials.ts), the other resource policies
 * (resource-policies.ts) and the organization around the account (organization.ts), each at its path in
 * importers/bundle/layout.ts. Every source the importers read is there.
 *
 * Same options (seed included) and same versions of the two data packages → byte-identical files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { CREDENTIAL_REPORT_JSON, PASSWORD_POLICY, RESOURCE_POLICIES } from '../../importers/bundle/layout.ts';
import { credentialReportCsv, passwordPolicyJson, type ReportUser } from './credentials.ts';
import { dirname, join } from 'node:path';
import { Rng } from './prng.ts';
import type { BundleFile } from './cli-json.ts';
import { organizationFiles, type OrganizationSummary } from './organization.ts';
import { resourcePolicyFiles, type ResourcesSummary } from './resource-policies.ts';
import { loadCatalog, type AwsManagedPolicyData, type Catalog } from './catalog.ts';
import {
  ALL_USERS_GROUP,
  BROAD_IAM,
  SELF_SERVICE_CREDENTIALS_POLICY,
  SELF_SERVICE_POLICY_NAME,
  broadIamPolicies,
  type BroadPolicyName,
} from './broad-iam.ts';
import {
  ESCALATION_KINDS,
  boundaryPolicy,
  bucketPolicy,
  escalationPolicy,
  identityPolicy,
  trustPolicy,
  type DocContext,
  type Json,
  type PolicyDocument,
  type TrustKind,
} from './documents.ts';

export interface GenerateOptions {
  users: number;
  groups: number;
  roles: number;
  /** Customer managed policies (the attached AWS managed ones come on top, as in a real GAAD). */
  managedPolicies: number;
  buckets: number;
  seed: string | number;
  /** 12 digits; default 111122223333. */
  accountId?: string;
  /** `broad-iam`: the development/sandbox shape of broad-iam.ts on top of the standard one. Default `standard`. */
  shape?: 'standard' | 'broad-iam';
  /** An all-users group carrying AWS's self-service credentials policy (always there in the broad-iam shape). */
  selfServiceGroup?: boolean;
  /** The account is one member of a generated organization (generate-organization.ts). */
  member?: MemberOf;
}

export interface MemberOf {
  orgId: string;
  /** The organization's other accounts: the partners its policies name. At least one. */
  otherAccounts: readonly string[];
  /** Roles of accounts generated before this one, which some cross-account trust policies name. */
  peerRoles: readonly string[];
}

export type PresetName =
  | 'tiny'
  | 'small'
  | 'large'
  | 'large-self-service'
  | 'broad-iam-1k'
  | 'broad-iam-2k'
  | 'broad-iam-4k'
  | 'broad-iam-8k'
  | 'broad-iam-16k';

/** An account of the broad-IAM shape with `principals` users and roles, half each, and the rest in proportion. */
export function broadIamSize(principals: number): Omit<GenerateOptions, 'seed'> {
  return {
    users: Math.ceil(principals / 2),
    roles: Math.floor(principals / 2),
    groups: Math.max(6, Math.round(principals / 40)),
    managedPolicies: Math.max(25, Math.round(principals / 5)),
    buckets: Math.max(5, Math.round(principals / 40)),
    shape: 'broad-iam',
  };
}

const LARGE = { users: 5000, groups: 300, roles: 5000, managedPolicies: 2000, buckets: 500 };

export const PRESETS: Record<PresetName, Omit<GenerateOptions, 'seed'>> = {
  tiny: { users: 40, groups: 6, roles: 30, managedPolicies: 25, buckets: 5 },
  small: { users: 500, groups: 30, roles: 500, managedPolicies: 200, buckets: 50 },
  // The account size the import targets are set for (≈12 MB GAAD).
  large: LARGE,
  // The same account, plus only the self-service credentials policy on an all-users group.
  'large-self-service': { ...LARGE, selfServiceGroup: true },
  'broad-iam-1k': broadIamSize(1000),
  'broad-iam-2k': broadIamSize(2000),
  'broad-iam-4k': broadIamSize(4000),
  'broad-iam-8k': broadIamSize(8000),
  'broad-iam-16k': broadIamSize(16000),
};

export type { BundleFile };

export interface GeneratedAccount {
  accountId: string;
  options: GenerateOptions;
  /**
   * The GAAD first, then bucket policies sorted by bucket name, the credential report, the password policy, the
   * other resource-policy files and the organization files (each group sorted by path).
   */
  files: BundleFile[];
  gaadPath: string;
  /** Byte size of the GAAD file (UTF-8). */
  gaadBytes: number;
  /** What was generated, for tests and reports. */
  summary: {
    users: number;
    groups: number;
    roles: number;
    customerManagedPolicies: number;
    awsManagedPolicies: number;
    /** Buckets with a bucket policy (list-buckets also names `resources.bucketsWithoutPolicy` more). */
    buckets: number;
    resources: ResourcesSummary;
    /** Absent for a member of a generated organization (the organization's files are written once, above it). */
    organization?: OrganizationSummary;
    groupMemberships: number;
    largestGroup: number;
    /** The ten biggest groups, biggest first: later benches pick e.g. a 500-member group for what-if. */
    biggestGroups: { arn: string; members: number }[];
    admins: string[];
    /** Every role's ARN, in GAAD order. */
    roleArns: string[];
    escalationProne: string[];
    /** AWS managed policy ARNs used only as permissions boundaries, hence absent from the GAAD. */
    boundaryOnlyPolicies: string[];
  };
}

export const GAAD_PATH = 'authorization-details.json';

const REGIONS = ['us-east-1', 'eu-west-1', 'eu-central-1', 'us-west-2', 'ap-southeast-2'] as const;
const TEAMS = [
  'payments',
  'search',
  'platform',
  'data',
  'identity',
  'mobile',
  'web',
  'ml',
  'billing',
  'growth',
  'security',
  'infra',
  'analytics',
  'support',
  'checkout',
  'catalog',
  'ads',
  'risk',
  'media',
  'notifications',
];
const FIRST = [
  'alice',
  'bob',
  'carol',
  'dave',
  'elena',
  'farid',
  'grace',
  'hiro',
  'ines',
  'jamal',
  'kofi',
  'lena',
  'mateo',
  'nadia',
  'oskar',
  'priya',
  'quinn',
  'rosa',
  'sven',
  'tariq',
  'uma',
  'viktor',
  'wen',
  'ximena',
  'yusuf',
  'zoe',
];
const LAST = [
  'smith',
  'garcia',
  'nguyen',
  'mueller',
  'kowalski',
  'okafor',
  'tanaka',
  'rossi',
  'dubois',
  'silva',
  'kim',
  'novak',
  'haddad',
  'jensen',
  'ivanova',
  'mendes',
  'osei',
  'larsen',
  'patel',
  'cohen',
];
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE_TIME = Date.UTC(2018, 0, 1);

/** Generate the account in memory (no files written). Loads the catalog once per process. */
export async function generateAccount(options: GenerateOptions): Promise<GeneratedAccount> {
  return generateAccountWith(await loadCatalog(), options);
}

/** Write the generated files under `dir` (created if needed). */
export async function writeAccount(account: Pick<GeneratedAccount, 'files'>, dir: string): Promise<void> {
  for (const f of account.files) {
    const target = join(dir, ...f.path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, f.text);
  }
}

interface AttachedRef {
  PolicyName: string;
  PolicyArn: string;
}

interface CustomerPolicy {
  name: string;
  arn: string;
  path: string;
  id: string;
  versions: { versionId: string; document: PolicyDocument; createDate: string }[];
  defaultVersionId: string;
  createDate: string;
  attachments: number;
  boundaryUses: number;
}

function iso(ms: number): string {
  // The AWS CLI v2 prints timestamps as `2019-12-18T19:10:08+00:00`.
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export function generateAccountWith(catalog: Catalog, options: GenerateOptions): GeneratedAccount {
  for (const k of ['users', 'groups', 'roles', 'managedPolicies', 'buckets'] as const) {
    // INVARIANT: counts are non-negative integers; the CLI validates user input before calling us.
    if (!Number.isInteger(options[k]) || options[k] < 0)
      throw new Error(`${k} must be a non-negative integer, got ${options[k]}`);
  }
  const rng = new Rng(`accessgraph-synthetic:${options.seed}`);
  // The broad-IAM shape and the self-service group draw from their own stream: the standard draws stay as they are.
  const broadRng = new Rng(`accessgraph-broad:${options.seed}`);
  const broad = options.shape === 'broad-iam';
  const selfService = broad || options.selfServiceGroup === true;
  const member = options.member;
  // INVARIANT: an organization member has somebody to trust (generateOrganization passes the other accounts).
  if (member && member.otherAccounts.length === 0) throw new Error('a member needs other accounts');
  const accountId = options.accountId ?? '111122223333';
  const partition = 'aws';
  const iamArn = (kind: string, pathAndName: string) =>
    `arn:${partition}:iam::${accountId}:${kind}${pathAndName}`;
  const usedIds = new Set<string>();
  const newId = (prefix: string, from: Rng = rng) => {
    for (;;) {
      const id = prefix + from.chars(ID_ALPHABET, 17);
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };
  const date = (fromDays = 0, toDays = 2500) =>
    iso(BASE_TIME + rng.int(fromDays, toDays) * 86_400_000 + rng.int(0, 86_399) * 1000);

  // S3 bucket names are global: an organization's members name theirs after their account.
  const bucketPrefix = member ? `acme-${accountId}` : 'acme';
  const buckets: string[] = [];
  for (let i = 0; i < options.buckets; i++)
    buckets.push(
      `${bucketPrefix}-${rng.pick(TEAMS)}-${rng.pick(['logs', 'data', 'assets', 'backups', 'exports', 'raw', 'curated'])}-${i}`,
    );
  const drawnPartners = Array.from({ length: 12 }, () => String(rng.int(100000000000, 999999999999)));
  const partnerAccounts = member ? member.otherAccounts : drawnPartners;
  const drawnOrgId = `o-${rng.chars('abcdefghijklmnopqrstuvwxyz0123456789', 10)}`;
  const ctx: DocContext = {
    rng,
    catalog,
    accountId,
    partition,
    regions: REGIONS,
    buckets,
    teams: TEAMS,
    partnerAccounts,
    orgId: member?.orgId ?? drawnOrgId,
  };

  // Customer managed policies. The first few are permissions boundaries; 15 % have several versions and a few
  // of those have an older default (a rollback, what SetDefaultPolicyVersion escalation and what-if look at).
  const boundaryCount =
    options.managedPolicies === 0 ? 0 : Math.max(1, Math.round(options.managedPolicies * 0.005));
  const customer: CustomerPolicy[] = [];
  for (let i = 0; i < options.managedPolicies; i++) {
    const isBoundary = i < boundaryCount;
    const team = rng.pick(TEAMS);
    const name = isBoundary
      ? `Boundary-${team}-${i}`
      : `${team}-${rng.pick(['read', 'write', 'deploy', 'ops', 'app', 'ci', 'etl', 'admin'])}-policy-${i}`;
    const path = rng.chance(0.2) ? `/${team}/` : '/';
    const nVersions = isBoundary ? 1 : rng.chance(0.15) ? rng.int(2, 4) : 1;
    const created = BASE_TIME + rng.int(0, 1500) * 86_400_000;
    const versions = [];
    for (let v = 1; v <= nVersions; v++) {
      versions.push({
        versionId: `v${v}`,
        document: isBoundary ? boundaryPolicy(ctx, name) : identityPolicy(ctx, 1, rng.chance(0.7) ? 2 : 4),
        createDate: iso(created + v * rng.int(1, 90) * 86_400_000),
      });
    }
    const defaultVersion = nVersions > 1 && rng.chance(0.15) ? rng.int(1, nVersions - 1) : nVersions;
    customer.push({
      name,
      path,
      arn: iamArn('policy', `${path}${name}`),
      id: newId('ANPA'),
      versions,
      defaultVersionId: `v${defaultVersion}`,
      createDate: iso(created),
      attachments: 0,
      boundaryUses: 0,
    });
  }
  const boundaries = customer.slice(0, boundaryCount);
  const attachable = customer.slice(boundaryCount);
  // The shape's own policies come after, never picked at random (attached by the rules below only).
  const extraPolicy = (name: string, document: PolicyDocument): CustomerPolicy => {
    const created = iso(BASE_TIME + 400 * 86_400_000);
    const p: CustomerPolicy = {
      name,
      path: '/',
      arn: iamArn('policy', `/${name}`),
      id: newId('ANPA', broadRng),
      versions: [{ versionId: 'v1', document, createDate: created }],
      defaultVersionId: 'v1',
      createDate: created,
      attachments: 0,
      boundaryUses: 0,
    };
    customer.push(p);
    return p;
  };
  const broadPolicies = new Map<BroadPolicyName, CustomerPolicy>();
  if (broad)
    for (const [name, doc] of Object.entries(broadIamPolicies(partition, accountId)))
      broadPolicies.set(name as BroadPolicyName, extraPolicy(name, doc));
  const selfServicePolicy = selfService
    ? extraPolicy(SELF_SERVICE_POLICY_NAME, SELF_SERVICE_CREDENTIALS_POLICY)
    : undefined;

  const awsUsed = new Map<string, AwsManagedPolicyData & { attachments: number }>();
  const attachAws = (name: string): AttachedRef => {
    const p = catalog.awsManaged.get(name);
    // INVARIANT: names come from ATTACHED_AWS_MANAGED, which the catalog loaded.
    if (!p) throw new Error(`AWS managed policy ${name} not in catalog`);
    const used = awsUsed.get(name) ?? { ...p, attachments: 0 };
    used.attachments++;
    awsUsed.set(name, used);
    return { PolicyName: name, PolicyArn: p.arn };
  };
  const attachCustomer = (p: CustomerPolicy): AttachedRef => {
    p.attachments++;
    return { PolicyName: p.name, PolicyArn: p.arn };
  };
  // Popular policies are attached often (Zipf over policies), the long tail once or never.
  const pickPolicies = (n: number, awsShare: number): AttachedRef[] => {
    const refs = new Map<string, AttachedRef>();
    for (let i = 0; i < n; i++) {
      const ref =
        attachable.length === 0 || rng.chance(awsShare)
          ? attachAws(rng.weighted(AWS_ATTACH_WEIGHTS))
          : attachCustomer(attachable[rng.zipf(attachable.length, 0.8)]!);
      if (refs.has(ref.PolicyArn)) {
        // Undo the double count: an ARN is attached once per principal.
        const aws = awsUsed.get(ref.PolicyName);
        if (ref.PolicyArn.includes(':aws:policy/') && aws) aws.attachments--;
        else {
          const c = customer.find((p) => p.arn === ref.PolicyArn);
          if (c) c.attachments--;
        }
        continue;
      }
      refs.set(ref.PolicyArn, ref);
    }
    return [...refs.values()];
  };
  const boundaryRef = (): Json => {
    if (boundaries.length > 0 && rng.chance(0.6)) {
      const b = rng.pick(boundaries);
      b.boundaryUses++;
      return { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: b.arn };
    }
    return { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: catalog.boundaryOnly.arn };
  };
  let boundaryOnlyUsed = false;
  const withBoundary = (entry: Record<string, Json>) => {
    const b = boundaryRef() as Record<string, string>;
    if (b.PermissionsBoundaryArn === catalog.boundaryOnly.arn) boundaryOnlyUsed = true;
    entry.PermissionsBoundary = b;
  };
  const tags = (extra: Record<string, string> = {}): Json => {
    const t: { Key: string; Value: string }[] = [];
    if (rng.chance(0.45)) t.push({ Key: 'team', Value: rng.pick(TEAMS) });
    if (rng.chance(0.2)) t.push({ Key: 'cost-center', Value: `cc-${rng.int(100, 999)}` });
    for (const [Key, Value] of Object.entries(extra)) t.push({ Key, Value });
    return t;
  };

  /**
   * The broad-IAM shape's grants to one user or role (broad-iam.ts BROAD_IAM): AdministratorAccess, else maybe a
   * broad IAM write policy; broad sts:AssumeRole; PassRole to Lambda. Returns whether it made an admin.
   */
  const broadGrants = (attached: AttachedRef[], alreadyAdmin: boolean): boolean => {
    const has = (arn: string) => attached.some((a) => a.PolicyArn === arn);
    const add = (name: BroadPolicyName) => {
      const p = broadPolicies.get(name)!;
      if (!has(p.arn)) attached.push(attachCustomer(p));
    };
    let admin = false;
    if (broadRng.chance(BROAD_IAM.admin)) {
      if (!alreadyAdmin) attached.push(attachAws('AdministratorAccess'));
      admin = true;
    } else if (broadRng.chance(BROAD_IAM.iamWrite)) add(broadRng.weighted(BROAD_IAM.iamWriteWeights));
    if (broadRng.chance(BROAD_IAM.assume)) add(broadRng.chance(0.5) ? 'AssumeAnyRole' : 'AssumeAccountRoles');
    if (broadRng.chance(BROAD_IAM.passRole)) add('LambdaDeployer');
    return admin;
  };

  // Groups: group 0 is a small Administrators group; the rest receive members by a power law.
  const groupNames: string[] = [];
  const groupDetails: Record<string, Json>[] = [];
  for (let g = 0; g < options.groups; g++) {
    const name =
      g === 0
        ? 'Administrators'
        : `${rng.pick(TEAMS)}-${rng.pick(['engineers', 'readers', 'oncall', 'deployers', 'analysts', 'contractors'])}-${g}`;
    groupNames.push(name);
    const path = g === 0 ? '/' : rng.chance(0.15) ? '/teams/' : '/';
    const inline =
      g > 0 && rng.chance(0.3)
        ? [{ PolicyName: `${name}-inline`, PolicyDocument: identityPolicy(ctx, 1, 3) as Json }]
        : [];
    const attached = g === 0 ? [attachAws('AdministratorAccess')] : pickPolicies(rng.int(1, 3), 0.2);
    groupDetails.push({
      Path: path,
      GroupName: name,
      GroupId: newId('AGPA'),
      Arn: iamArn('group', `${path}${name}`),
      CreateDate: date(0, 1200),
      GroupPolicyList: inline,
      AttachedManagedPolicies: attached as unknown as Json,
    });
  }

  // Users.
  const admins: string[] = [];
  const escalationProne: string[] = [];
  const userArns: string[] = [];
  const userDetails: Record<string, Json>[] = [];
  const groupSizes = new Array<number>(options.groups).fill(0);
  let memberships = 0;
  for (let u = 0; u < options.users; u++) {
    const technical = rng.chance(0.08);
    const name = technical
      ? `svc-${rng.pick(TEAMS)}-${rng.pick(['ci', 'etl', 'backup', 'monitoring', 'deploy'])}-${u}`
      : `${rng.pick(FIRST)}.${rng.pick(LAST)}.${u}`;
    const path = technical ? '/system/' : '/';
    const arn = iamArn('user', `${path}${name}`);
    userArns.push(arn);
    const groups = new Set<number>();
    if (options.groups > 0) {
      if (u < 3) groups.add(0); // A few administrators through the Administrators group.
      if (!technical && options.groups > 1) {
        const n = rng.weighted([
          [0, 1],
          [1, 4],
          [2, 3],
          [3, 2],
          [4, 1],
        ] as const);
        for (let i = 0; i < n; i++) groups.add(1 + rng.zipf(options.groups - 1, 1.1));
      }
    }
    for (const g of groups) groupSizes[g]!++;
    memberships += groups.size;
    const attached: AttachedRef[] = [];
    if (u === 3 || u === 4) {
      attached.push(attachAws('AdministratorAccess')); // Direct admins, the kind findings flag.
      admins.push(arn);
    }
    if (u < 3 && options.groups > 0) admins.push(arn);
    if (rng.chance(technical ? 0.5 : 0.15))
      for (const r of pickPolicies(rng.int(1, 2), 0.25))
        if (!attached.some((a) => a.PolicyArn === r.PolicyArn)) attached.push(r);
    const wasAdmin = admins.includes(arn);
    const broadAdmin = broad && broadGrants(attached, u === 3 || u === 4);
    if (broadAdmin && !wasAdmin) admins.push(arn);
    const inline: Json[] = [];
    if (technical || rng.chance(0.05))
      inline.push({ PolicyName: `${name}-inline`, PolicyDocument: identityPolicy(ctx, 1, 3) as Json });
    const escalation = u >= 5 && u < 5 + ESCALATION_KINDS.length ? ESCALATION_KINDS[u - 5] : undefined;
    if (escalation) {
      inline.push({
        PolicyName: `escalation-${escalation}`,
        PolicyDocument: escalationPolicy(ctx, escalation) as Json,
      });
      escalationProne.push(arn);
    }
    const entry: Record<string, Json> = {
      Path: path,
      UserName: name,
      UserId: newId('AIDA'),
      Arn: arn,
      CreateDate: date(),
    };
    if (inline.length > 0) entry.UserPolicyList = inline;
    entry.GroupList = [...groups].sort((a, b) => a - b).map((g) => groupNames[g]!);
    entry.AttachedManagedPolicies = attached as unknown as Json;
    // A boundary would keep a broad-IAM admin from being one.
    if (!escalation && u >= 5 && !broadAdmin && rng.chance(0.1)) withBoundary(entry);
    entry.Tags = tags(technical ? { purpose: 'automation' } : {});
    userDetails.push(entry);
  }

  // Every user in one more group, which carries the self-service credentials policy.
  if (selfServicePolicy) {
    groupDetails.push({
      Path: '/',
      GroupName: ALL_USERS_GROUP,
      GroupId: newId('AGPA', broadRng),
      Arn: iamArn('group', `/${ALL_USERS_GROUP}`),
      CreateDate: iso(BASE_TIME),
      GroupPolicyList: [],
      AttachedManagedPolicies: [attachCustomer(selfServicePolicy)] as unknown as Json,
    });
    for (const u of userDetails) (u.GroupList as Json[]).push(ALL_USERS_GROUP);
    groupSizes.push(userDetails.length);
    memberships += userDetails.length;
  }

  // Roles.
  let breakGlassRole = 'break-glass';
  const roleArns: string[] = [];
  const roleDetails: Record<string, Json>[] = [];
  // Broad-IAM: a third of the roles (exactly) trust the account root; the other same-account ones name principals.
  const rootTrusting = new Set(
    broad
      ? broadRng.sample(
          Array.from({ length: options.roles }, (_, r) => r),
          Math.round(options.roles * BROAD_IAM.rootTrust),
        )
      : [],
  );
  for (let r = 0; r < options.roles; r++) {
    const trustsRoot = rootTrusting.has(r);
    const kind: TrustKind = trustsRoot
      ? 'sameAccount'
      : rng.weighted<TrustKind>([
          ['service', 50],
          ['sameAccount', 22],
          ['crossAccount', 15],
          ['saml', 8],
          ['oidc', 5],
        ]);
    const team = rng.pick(TEAMS);
    const name =
      broad && kind === 'service'
        ? `service-${team}-${r}`
        : `${team}-${kind === 'service' ? 'svc' : kind === 'saml' ? 'sso' : kind === 'oidc' ? 'gha' : kind === 'crossAccount' ? 'xacct' : 'ops'}-role-${r}`;
    const path = kind === 'service' && rng.chance(0.3) ? '/service-role/' : '/';
    const arn = iamArn('role', `${path}${name}`);
    const trusted =
      kind === 'sameAccount' && !trustsRoot ? rng.sample([...userArns, ...roleArns], rng.int(1, 3)) : [];
    const trust = trustPolicy(ctx, kind, trusted, broad ? trustsRoot : undefined);
    const { service } = trust;
    let doc = trust.doc;
    // In an organization, some cross-account roles trust a role of another member rather than its root.
    if (
      kind === 'crossAccount' &&
      member &&
      member.peerRoles.length > 0 &&
      broadRng.chance(BROAD_IAM.peerRoleTrust)
    )
      doc = {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: broadRng.pick(member.peerRoles) }, Action: 'sts:AssumeRole' },
        ],
      };
    const escalation = r < ESCALATION_KINDS.length ? ESCALATION_KINDS[r] : undefined;
    const inline: Json[] = [];
    if (rng.chance(0.08))
      inline.push({ PolicyName: `${name}-inline`, PolicyDocument: identityPolicy(ctx, 1, 3) as Json });
    if (escalation) {
      inline.push({
        PolicyName: `escalation-${escalation}`,
        PolicyDocument: escalationPolicy(ctx, escalation) as Json,
      });
      escalationProne.push(arn);
    }
    const attached: AttachedRef[] = [];
    if (r === ESCALATION_KINDS.length) {
      attached.push(attachAws('AdministratorAccess')); // An admin role, e.g. the break-glass role.
      admins.push(arn);
      breakGlassRole = name;
    }
    if (service === 'lambda.amazonaws.com') attached.push(attachAws('AWSLambdaBasicExecutionRole'));
    if (service === 'ec2.amazonaws.com' && rng.chance(0.7))
      attached.push(attachAws('AmazonSSMManagedInstanceCore'));
    for (const p of pickPolicies(kind === 'service' ? rng.int(0, 1) : rng.int(1, 2), 0.2))
      if (!attached.some((a) => a.PolicyArn === p.PolicyArn)) attached.push(p);
    const wasAdmin = r === ESCALATION_KINDS.length;
    const broadAdmin = broad && broadGrants(attached, wasAdmin);
    if (broadAdmin && !wasAdmin) admins.push(arn);
    const entry: Record<string, Json> = {
      Path: path,
      RoleName: name,
      RoleId: newId('AROA'),
      Arn: arn,
      CreateDate: date(),
      AssumeRolePolicyDocument: doc,
      InstanceProfileList:
        service === 'ec2.amazonaws.com'
          ? [
              {
                Path: '/',
                InstanceProfileName: name,
                InstanceProfileId: newId('AIPA'),
                Arn: iamArn('instance-profile', `/${name}`),
                CreateDate: date(),
                Roles: [],
              },
            ]
          : [],
      RolePolicyList: inline,
      AttachedManagedPolicies: attached as unknown as Json,
    };
    if (!escalation && !broadAdmin && rng.chance(0.1)) withBoundary(entry);
    entry.Tags = tags();
    entry.RoleLastUsed = rng.chance(0.6) ? { LastUsedDate: date(2400, 2500), Region: rng.pick(REGIONS) } : {};
    roleDetails.push(entry);
    roleArns.push(arn);
  }
  // The CLI prints the role's own data inside its instance profiles; fill it now the role is complete.
  for (const role of roleDetails) {
    for (const ip of role.InstanceProfileList as Record<string, Json>[]) {
      const {
        InstanceProfileList: _ip,
        RolePolicyList: _rp,
        AttachedManagedPolicies: _am,
        Tags: _t,
        RoleLastUsed: _lu,
        PermissionsBoundary: _pb,
        ...roleCore
      } = role;
      ip.Roles = [roleCore];
    }
  }

  // Policies: customer managed ones (all, attached or not), then the AWS managed ones that are attached —
  // GAAD lists AWS managed policies only when attached to something.
  const policies: Json[] = [];
  for (const p of customer) {
    policies.push({
      PolicyName: p.name,
      PolicyId: p.id,
      Arn: p.arn,
      Path: p.path,
      DefaultVersionId: p.defaultVersionId,
      AttachmentCount: p.attachments,
      PermissionsBoundaryUsageCount: p.boundaryUses,
      IsAttachable: true,
      CreateDate: p.createDate,
      UpdateDate: p.versions[p.versions.length - 1]!.createDate,
      PolicyVersionList: [...p.versions].reverse().map((v) => ({
        Document: v.document,
        VersionId: v.versionId,
        IsDefaultVersion: v.versionId === p.defaultVersionId,
        CreateDate: v.createDate,
      })),
    });
  }
  const awsSorted = [...awsUsed.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  for (const p of awsSorted) {
    policies.push({
      PolicyName: p.name,
      PolicyId: newId('ANPA'),
      Arn: p.arn,
      Path: p.path,
      DefaultVersionId: p.versions[0]!.versionId,
      AttachmentCount: p.attachments,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      CreateDate: iso(Date.parse(p.createDate)),
      UpdateDate: iso(Date.parse(p.updateDate)),
      PolicyVersionList: p.versions.map((v, i) => ({
        Document: v.document as Json,
        VersionId: v.versionId,
        IsDefaultVersion: i === 0,
        CreateDate: iso(Date.parse(v.createDate)),
      })),
    });
  }

  const gaad = {
    UserDetailList: userDetails,
    GroupDetailList: groupDetails,
    RoleDetailList: roleDetails,
    Policies: policies,
    IsTruncated: false,
  };
  // The AWS CLI prints JSON with a 4-space indent.
  const gaadText = `${JSON.stringify(gaad, null, 4)}\n`;
  const files: BundleFile[] = [{ path: GAAD_PATH, text: gaadText }];
  const bucketFiles: BundleFile[] = buckets.map((b) => ({
    path: RESOURCE_POLICIES.s3BucketPolicy(b),
    // get-bucket-policy returns the policy as a JSON string in `Policy`.
    text: `${JSON.stringify({ Policy: JSON.stringify(bucketPolicy(ctx, b, roleArns)) }, null, 4)}\n`,
  }));
  bucketFiles.sort((a, b) => (a.path < b.path ? -1 : 1));
  files.push(...bucketFiles);
  // The report is generated after the newest user: a fixed day, so the same seed gives the same ages.
  const reportTime = Math.max(
    Date.UTC(2025, 0, 1),
    ...userDetails.map((u) => Date.parse(u.CreateDate as string) + 86_400_000),
  );
  files.push(
    {
      // The raw `aws iam get-credential-report` form: base64 CSV plus its GeneratedTime.
      path: CREDENTIAL_REPORT_JSON,
      text: `${JSON.stringify(
        {
          Content: Buffer.from(
            credentialReportCsv(userDetails as unknown as ReportUser[], accountId, options.seed, reportTime),
          ).toString('base64'),
          ReportFormat: 'text/csv',
          GeneratedTime: new Date(reportTime).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        },
        null,
        4,
      )}\n`,
    },
    { path: PASSWORD_POLICY, text: passwordPolicyJson(options.seed) },
  );
  // Each from its own random stream, after everything above: the files above keep their bytes.
  const resources = resourcePolicyFiles({
    seed: options.seed,
    accountId,
    partition,
    regions: REGIONS,
    teams: TEAMS,
    bucketsWithPolicy: buckets,
    bucketPrefix,
    // A few per service, growing slowly with the account (3 for tiny, 50 for large).
    perService: Math.max(3, Math.round(options.buckets / 10)),
    roleArns,
    partnerAccounts,
    orgId: ctx.orgId,
  });
  const organization = member
    ? undefined
    : organizationFiles({
        seed: options.seed,
        accountId,
        orgId: ctx.orgId,
        // The partner accounts of the generated policies are the organization's other accounts.
        otherAccounts: [...new Set(partnerAccounts)].filter((a) => a !== accountId).slice(0, 5),
        breakGlassRole,
      });
  files.push(...resources.files, ...(organization?.files ?? []));

  return {
    accountId,
    options,
    files,
    gaadPath: GAAD_PATH,
    gaadBytes: Buffer.byteLength(gaadText),
    summary: {
      users: userDetails.length,
      groups: groupDetails.length,
      roles: roleDetails.length,
      customerManagedPolicies: customer.length,
      awsManagedPolicies: awsSorted.length,
      buckets: buckets.length,
      resources: resources.summary,
      ...(organization ? { organization: organization.summary } : {}),
      groupMemberships: memberships,
      largestGroup: Math.max(0, ...groupSizes),
      biggestGroups: groupDetails
        .map((g, i) => ({ arn: g.Arn as string, members: groupSizes[i]! }))
        .sort((a, b) => b.members - a.members || (a.arn < b.arn ? -1 : 1))
        .slice(0, 10),
      admins,
      roleArns,
      escalationProne,
      boundaryOnlyPolicies: boundaryOnlyUsed ? [catalog.boundaryOnly.arn] : [],
    },
  };
}

/** How often each AWS managed policy is attached relative to the others. */
const AWS_ATTACH_WEIGHTS: readonly (readonly [string, number])[] = [
  ['ReadOnlyAccess', 3],
  ['AmazonS3ReadOnlyAccess', 6],
  ['AmazonS3FullAccess', 3],
  ['AmazonEC2ReadOnlyAccess', 4],
  ['IAMReadOnlyAccess', 2],
  ['AmazonDynamoDBFullAccess', 2],
  ['CloudWatchLogsFullAccess', 2],
  ['SecurityAudit', 1],
  ['ViewOnlyAccess', 2],
  ['AWSLambda_FullAccess', 2],
  ['AmazonSQSFullAccess', 1],
];
