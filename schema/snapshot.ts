/**
 * The AccountSnapshot: the contract between importers (which produce it from AWS files) and graph stores
 * (which persist it and hand it back). Pure data, JSON-serializable, no methods. Everything is keyed by ARN.
 *
 * Conventions:
 * - Optional facts we did not see are `undefined`, never `""` (fail rather than invent data).
 * - Policy documents are JSON text, already decoded from whatever the source used (URL-encoding, JSON strings,
 *   objects), exactly as `JSON.stringify` of the parsed document: the engine parses them.
 * - Dates are ISO-8601 strings in UTC (`2023-03-09T10:41:45Z`), normalized from the CLI's/boto3's variants.
 */
import type { Diagnostic } from './diagnostics.ts';

export const SNAPSHOT_SCHEMA_VERSION = 1;

export type Tags = Record<string, string>;

export interface AccountSnapshot {
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  /** The account the bundle was collected from (for a multi-account bundle: the first/primary one). */
  accountId: string;
  /** `aws`, `aws-cn`, `aws-us-gov` — taken from the ARNs. */
  partition: string;
  /** Every account that appears in this snapshot, with what we know about it. */
  accounts: AccountInfo[];
  /**
   * When the data was collected, if the input says so: the credential report's `GeneratedTime` (JSON form) or,
   * for the bare CSV, its newest timestamp (a lower bound; a warning says so). File mtimes are not used.
   * Findings measure ages (90 days) from here, never from the wall clock.
   */
  collectedAt?: string;
  /** A human label: the bundle directory name unless given. */
  label: string;
  /** Input files that contributed, relative to the bundle root. */
  sourceFiles: string[];
  users: IamUser[];
  groups: IamGroup[];
  roles: IamRole[];
  /** Managed policies (AWS managed and customer managed), each with all its versions. */
  policies: ManagedPolicy[];
  /** Resources known from resource-policy outputs (S3 buckets, SNS topics, KMS keys, …). */
  resources: Resource[];
  organization?: Organization;
  passwordPolicy?: PasswordPolicy;
  /** VPC endpoints and their endpoint policies, when the input lists them (`vpc-endpoints/`). */
  vpcEndpoints?: VpcEndpoint[];
  /**
   * Last-accessed evidence (IAM access advisor), one report per user, group or role that has one; absent when the
   * input held none. A principal without a report has unknown usage, never "unused".
   */
  lastAccess?: LastAccessReport[];
  /** Completeness warnings (and other non-fatal diagnostics) recorded at import; shown with answers. */
  warnings: Diagnostic[];
}

/**
 * A VPC endpoint (`aws ec2 describe-vpc-endpoints`). Its policy is an evaluation layer of the requests that go
 * through it (the engine's `endpoint`), not a resource policy of the endpoint.
 */
export interface VpcEndpoint {
  /** `vpce-…` */
  id: string;
  /** `arn:<partition>:ec2:<region>:<account>:vpc-endpoint/<id>` */
  arn: string;
  accountId: string;
  region: string;
  vpcId: string;
  /** The service it reaches: `com.amazonaws.us-east-1.s3`. */
  serviceName: string;
  /** `Gateway`, `Interface`, `GatewayLoadBalancer`, … */
  type?: string;
  state?: string;
  /** The endpoint policy as JSON text; absent when the endpoint type has none. */
  policy?: string;
}

export interface AccountInfo {
  id: string;
  name?: string;
  email?: string;
  status?: string;
  /** The organization's management account is exempt from SCPs. */
  isManagementAccount?: boolean;
  /** The root user's credentials: the credential report's `<root_account>` row, when one was imported. */
  root?: RootCredentials;
}

/**
 * The root user as the credential report shows it. Its password columns read `not_supported` (AWS does not
 * report them for root), so only the last use of the password is known; access keys on root are a finding.
 */
export interface RootCredentials {
  /** The account's creation time (`user_creation_time`). */
  createDate?: string;
  passwordLastUsed?: string;
  mfaActive: boolean;
  accessKeys: AccessKey[];
  certificates: { active: boolean; lastRotated?: string }[];
}

export interface InlinePolicy {
  name: string;
  document: string;
}

interface PrincipalBase {
  arn: string;
  name: string;
  /** The unique id (`AIDA…` for users, `AROA…` for roles). */
  id: string;
  path: string;
  createDate?: string;
  inlinePolicies: InlinePolicy[];
  /** ARNs of attached managed policies. */
  attachedPolicies: string[];
  /** ARN of the permissions boundary policy, if any. */
  permissionsBoundary?: string;
  tags: Tags;
}

export interface IamUser extends PrincipalBase {
  kind: 'user';
  /** ARNs of the groups the user is a member of. */
  groups: string[];
  /** From the credential report, when one was imported. */
  credentials?: UserCredentials;
}

/**
 * A user's row of the credential report. Dates the report gives as `N/A` (no such credential) or
 * `no_information` (not tracked: before October 2014 / April 2015) are undefined.
 */
export interface UserCredentials {
  passwordEnabled: boolean;
  passwordLastUsed?: string;
  passwordLastChanged?: string;
  passwordNextRotation?: string;
  mfaActive: boolean;
  accessKeys: AccessKey[];
  certificates: { active: boolean; lastRotated?: string }[];
}

/** An access key: never a secret, and the key id only when an input actually showed it. */
export interface AccessKey {
  /** 1 or 2, the credential report's slot. */
  slot: number;
  id?: string;
  active: boolean;
  lastRotated?: string;
  lastUsedDate?: string;
  lastUsedRegion?: string;
  lastUsedService?: string;
}

export interface IamGroup {
  kind: 'group';
  arn: string;
  name: string;
  id: string;
  path: string;
  createDate?: string;
  inlinePolicies: InlinePolicy[];
  attachedPolicies: string[];
}

export interface IamRole extends PrincipalBase {
  kind: 'role';
  /** The trust policy (AssumeRolePolicyDocument) as JSON text. */
  trustPolicy: string;
  description?: string;
  maxSessionDuration?: number;
  instanceProfiles: { arn: string; name: string }[];
  lastUsed?: { date?: string; region?: string };
}

export type Principal = IamUser | IamRole;

export interface PolicyVersion {
  versionId: string;
  isDefault: boolean;
  createDate?: string;
  document: string;
}

export interface ManagedPolicy {
  kind: 'awsManaged' | 'customerManaged';
  arn: string;
  name: string;
  id?: string;
  path: string;
  description?: string;
  defaultVersionId: string;
  /** All versions the input held; exactly one has `isDefault` (the one AWS evaluates). */
  versions: PolicyVersion[];
  attachmentCount?: number;
  permissionsBoundaryUsageCount?: number;
  isAttachable?: boolean;
  createDate?: string;
  updateDate?: string;
}

export interface Resource {
  arn: string;
  /** Service prefix as in actions: `s3`, `sns`, `kms`, … */
  service: string;
  /** Resource type as in the Service Authorization Reference: `bucket`, `topic`, `key`, … */
  type: string;
  name: string;
  accountId?: string;
  region?: string;
  /** The resource-based policy as JSON text, if one was collected and exists. */
  policy?: string;
  tags: Tags;
  /** Service-specific facts worth keeping (e.g. S3 public access block settings). */
  attributes?: Record<string, string | number | boolean>;
}

/** One completed `get-service-last-accessed-details` job for a user, group or role. */
export interface LastAccessReport {
  entityArn: string;
  /** `ACTION_LEVEL` jobs also list tracked actions for the services AWS tracks them for. */
  granularity: 'SERVICE_LEVEL' | 'ACTION_LEVEL';
  jobCreatedAt: string;
  /** When the job completed: the end of the tracking period, from which "unused for N days" is measured. */
  jobCompletedAt: string;
  /**
   * The start of the tracking period: AWS reports the last 400 days, or since the entity was created when that is
   * later. Usage before it is unknown.
   */
  trackedSince: string;
  /** The services the entity's permissions policies allow, as AWS listed them; a service not listed is unknown. */
  services: ServiceLastAccess[];
}

export interface ServiceLastAccess {
  /** The service prefix (`ServiceNamespace`), as in actions: `s3`. */
  service: string;
  name: string;
  /** Absent: not used within the tracking period. */
  lastAuthenticated?: string;
  lastAuthenticatedEntity?: string;
  lastAuthenticatedRegion?: string;
  totalAuthenticatedEntities?: number;
  /** Action-level jobs, services with tracked actions only; actions not listed are not tracked. */
  trackedActions?: ActionLastAccess[];
}

export interface ActionLastAccess {
  /** `s3:PutBucketPolicy` (the service prefix joined to `ActionName`). */
  action: string;
  /** Absent: not used within the tracking period. */
  lastAccessed?: string;
  lastAccessedEntity?: string;
  lastAccessedRegion?: string;
}

export type OrgPolicyType = 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';

export interface Organization {
  id: string;
  managementAccountId: string;
  nodes: OrgNode[];
  policies: OrgPolicy[];
  /**
   * Policy types whose `list-policies` output the input held: SCPs/RCPs of a type not listed are unknown, not
   * absent. Absent (older snapshots, hand-written ones): both are taken as collected.
   */
  collectedPolicyTypes?: OrgPolicyType[];
  /** Policy types enabled on the root (`list-roots` PolicyTypes); a type not enabled applies nowhere. Absent: unknown. */
  enabledPolicyTypes?: OrgPolicyType[];
}

export interface OrgNode {
  /** `r-…`, `ou-…`, or a 12-digit account id. */
  id: string;
  kind: 'root' | 'organizationalUnit' | 'account';
  name: string;
  arn?: string;
  parentId?: string;
}

export interface OrgPolicy {
  id: string;
  arn: string;
  name: string;
  type: OrgPolicyType;
  awsManaged: boolean;
  document: string;
  /** Ids of the roots, OUs and accounts the policy is attached to. */
  targets: string[];
}

export interface PasswordPolicy {
  minimumPasswordLength?: number;
  requireSymbols?: boolean;
  requireNumbers?: boolean;
  requireUppercaseCharacters?: boolean;
  requireLowercaseCharacters?: boolean;
  allowUsersToChangePassword?: boolean;
  expirePasswords?: boolean;
  maxPasswordAge?: number;
  passwordReusePrevention?: number;
  hardExpiry?: boolean;
}

/**
 * Inline policies have no ARN; this is their stable id in the graph (and in explanations):
 * `arn:aws:iam::123456789012:user/alice#inline/PolicyName`.
 */
export function inlinePolicyId(ownerArn: string, policyName: string): string {
  return `${ownerArn}#inline/${policyName}`;
}

/** The document AWS evaluates for a managed policy: its default version's. */
export function defaultDocument(policy: ManagedPolicy): string {
  const v = policy.versions.find((x) => x.isDefault);
  // INVARIANT: importers guarantee exactly one default version.
  if (!v) throw new Error(`managed policy ${policy.arn} has no default version`);
  return v.document;
}
