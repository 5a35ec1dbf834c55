/**
 * Escalation techniques as typed rules: which permissions, asked on which targets, and what edge results.
 *
 * The permissions and prose come from data (pathfinding.cloud's YAML, loaded by load.ts); what the YAML says in
 * prose — on which resource each permission must be granted, which service the passed role must trust, where the
 * edge goes — is written here once per technique (`PATHFINDING_MODELS`), and load.ts checks that every YAML path
 * has a model naming exactly its required permissions. `OUR_RULES` adds the techniques we require that
 * pathfinding.cloud does not have.
 */

/**
 * Where an edge goes:
 * - `admin`: source → ADMIN (it changes its own permissions; a boundary it cannot remove stops it);
 * - `principal`: source → a target user or role (its credentials, its trust policy), or → ADMIN when the source
 *   can also rewrite the target's permissions (`grantsTarget`) and the target has no boundary;
 * - `passrole`: source → every role that trusts `service` and that the source may pass to it
 *   (`iam:PassRole` on the role with `iam:PassedToService`);
 * - `existing`: source → every role that trusts `service`, through a resource that already runs as the role; the
 *   snapshot does not list those resources, so the edge is conditional on `assumption`;
 * - `assume`: the CAN_ASSUME pass (trust policy + caller's policies) builds these edges.
 */
export type Outcome = 'admin' | 'principal' | 'passrole' | 'existing' | 'assume';

/**
 * What a required permission is asked on:
 * - `self`: the source's own ARN; `target`: the target principal's ARN;
 * - `self-policy` / `target-policy`: a customer managed policy attached to the source (directly or through a
 *   group) / to the target;
 * - `self-group`: a group the source user is in; `group`: any group (the edge needs that group's policies to make
 *   the source admin);
 * - `passed-role`: the target role, with `iam:PassedToService` = the rule's service;
 * - `target-trust`: `sts:AssumeRole` on the target role, its trust policy evaluated too (the CAN_ASSUME answer);
 * - anything else: a resource ARN template (`${Partition}`, `${Account}`), `*` by default. A template with `*`
 *   in the name stands for a resource the source creates or picks: a grant on `…:function:*` or `*` matches it,
 *   a grant on one named resource does not (documented limitation: a grant on `…:function:app-*` is not seen).
 */
export type On =
  | 'self'
  | 'target'
  | 'self-policy'
  | 'target-policy'
  | 'self-group'
  | 'group'
  | 'passed-role'
  | 'target-trust'
  | (string & {});

export interface Requirement {
  action: string;
  on: On;
}

export interface Reference {
  title: string;
  url: string;
}

export interface TechniqueRule {
  /** `iam-001` (pathfinding.cloud) or `acg-…` (ours). */
  id: string;
  /** `iam:PassRole+lambda:CreateFunction`. */
  name: string;
  origin: 'pathfinding.cloud' | 'accessgraph';
  category: string;
  description: string;
  references: Reference[];
  requires: Requirement[];
  outcome: Outcome;
  /** Only sources of this kind (self-escalation on `iam:PutUserPolicy` needs a user). */
  sourceKind?: 'user' | 'role';
  /** `principal`: the kind of target. */
  targetKind?: 'user' | 'role';
  /** `principal`: the technique also rewrites the target's permissions (so the target becomes admin). */
  grantsTarget?: boolean;
  /** `principal` on users: the target must have (or not have) a console password (`CreateLoginProfile` fails on one). */
  loginProfile?: 'present' | 'absent';
  /**
   * `principal` on users: the technique creates an access key, which fails on a user that already has two
   * (IAM quotas: two access keys per user); iam-003 deletes one first.
   */
  needsKeySlot?: boolean;
  /** `passrole` / `existing`: the service principal the role must trust. */
  service?: string;
  /** The role reaches the resource through an instance profile (EC2): roles without one are not targets. */
  instanceProfile?: boolean;
  /** `existing` (and PassRole onto an existing instance): what must exist; `{role}` becomes `role NAME`, or
   * `the role` when one entry stands for every role of a class. */
  assumption?: string;
  /** `admin` with `self-policy`: the permission only sets another stored version of the policy as default. */
  otherVersion?: boolean;
}

/** The interpretation of one pathfinding.cloud path: everything but its permissions and prose. */
export type Model = Omit<
  TechniqueRule,
  'id' | 'name' | 'origin' | 'category' | 'description' | 'references' | 'requires'
> & {
  /** Where each required permission is asked (by action); the outcome's default otherwise. */
  on?: Record<string, On>;
};

const LAMBDA_FN = 'arn:${Partition}:lambda:*:${Account}:function:*';
const EC2_INSTANCE = 'arn:${Partition}:ec2:*:${Account}:instance/*';

/** The default target of an action, given the outcome (see `On`). */
export function defaultOn(outcome: Outcome, action: string): On {
  const lower = action.toLowerCase();
  if (lower === 'iam:passrole') return 'passed-role';
  if (lower === 'sts:assumerole') return 'target-trust';
  if (outcome === 'admin') return 'self';
  if (outcome === 'principal') return 'target';
  if (/^lambda:(createfunction|invokefunction|updatefunction|addpermission)/.test(lower)) return LAMBDA_FN;
  if (
    /^(ssm:(startsession|sendcommand)|ec2:(runinstances|modifyinstanceattribute|startinstances|stopinstances|associateiaminstanceprofile)|ec2-instance-connect:)/.test(
      lower,
    )
  )
    return EC2_INSTANCE;
  return '*';
}

const runsAs = (what: string) => `assumes: ${what} runs as {role}`;

/** Our reading of each pathfinding.cloud path (its YAML gives the permissions; load.ts checks they agree). */
export const PATHFINDING_MODELS: Record<string, Model> = {
  // Self-escalation: the source rewrites its own permissions.
  'iam-001': { outcome: 'admin', on: { 'iam:CreatePolicyVersion': 'self-policy' } },
  'iam-005': { outcome: 'admin', sourceKind: 'role' },
  'iam-007': { outcome: 'admin', sourceKind: 'user' },
  'iam-008': { outcome: 'admin', sourceKind: 'user' },
  'iam-009': { outcome: 'admin', sourceKind: 'role' },
  'iam-010': { outcome: 'admin', sourceKind: 'user', on: { 'iam:AttachGroupPolicy': 'self-group' } },
  'iam-011': { outcome: 'admin', sourceKind: 'user', on: { 'iam:PutGroupPolicy': 'self-group' } },
  'iam-013': { outcome: 'admin', sourceKind: 'user', on: { 'iam:AddUserToGroup': 'group' } },
  // Principal access: the source gets another principal's credentials or trust.
  'iam-002': { outcome: 'principal', targetKind: 'user', needsKeySlot: true },
  'iam-003': { outcome: 'principal', targetKind: 'user' },
  'iam-004': { outcome: 'principal', targetKind: 'user', loginProfile: 'absent' },
  'iam-006': { outcome: 'principal', targetKind: 'user', loginProfile: 'present' },
  'iam-012': { outcome: 'principal', targetKind: 'role' },
  'iam-014': { outcome: 'principal', targetKind: 'role', grantsTarget: true },
  'iam-015': { outcome: 'principal', targetKind: 'user', grantsTarget: true, needsKeySlot: true },
  'iam-016': {
    outcome: 'principal',
    targetKind: 'role',
    grantsTarget: true,
    on: { 'iam:CreatePolicyVersion': 'target-policy' },
  },
  'iam-017': { outcome: 'principal', targetKind: 'role', grantsTarget: true },
  'iam-018': { outcome: 'principal', targetKind: 'user', grantsTarget: true, needsKeySlot: true },
  'iam-019': { outcome: 'principal', targetKind: 'role', grantsTarget: true },
  'iam-020': {
    outcome: 'principal',
    targetKind: 'role',
    grantsTarget: true,
    on: { 'iam:CreatePolicyVersion': 'target-policy' },
  },
  'iam-021': { outcome: 'principal', targetKind: 'role', grantsTarget: true },
  'sts-001': { outcome: 'assume', targetKind: 'role' },
  // New PassRole: the source creates a resource that runs as a role it passes.
  'apprunner-001': { outcome: 'passrole', service: 'tasks.apprunner.amazonaws.com' },
  'bedrock-001': { outcome: 'passrole', service: 'bedrock-agentcore.amazonaws.com' },
  'cloudformation-001': { outcome: 'passrole', service: 'cloudformation.amazonaws.com' },
  'cloudformation-003': { outcome: 'passrole', service: 'cloudformation.amazonaws.com' },
  'cloudformation-004': { outcome: 'passrole', service: 'cloudformation.amazonaws.com' },
  'codebuild-001': { outcome: 'passrole', service: 'codebuild.amazonaws.com' },
  'codebuild-004': { outcome: 'passrole', service: 'codebuild.amazonaws.com' },
  'datapipeline-001': { outcome: 'passrole', service: 'datapipeline.amazonaws.com' },
  'ec2-001': { outcome: 'passrole', service: 'ec2.amazonaws.com', instanceProfile: true },
  'ec2-003': { outcome: 'passrole', service: 'ec2.amazonaws.com', instanceProfile: true },
  'ecs-001': { outcome: 'passrole', service: 'ecs-tasks.amazonaws.com' },
  'ecs-002': { outcome: 'passrole', service: 'ecs-tasks.amazonaws.com' },
  'ecs-003': { outcome: 'passrole', service: 'ecs-tasks.amazonaws.com' },
  'ecs-004': { outcome: 'passrole', service: 'ecs-tasks.amazonaws.com' },
  'ecs-005': { outcome: 'passrole', service: 'ecs-tasks.amazonaws.com' },
  'glue-001': { outcome: 'passrole', service: 'glue.amazonaws.com' },
  'glue-003': { outcome: 'passrole', service: 'glue.amazonaws.com' },
  'glue-004': { outcome: 'passrole', service: 'glue.amazonaws.com' },
  'glue-005': { outcome: 'passrole', service: 'glue.amazonaws.com' },
  'glue-006': { outcome: 'passrole', service: 'glue.amazonaws.com' },
  'lambda-001': { outcome: 'passrole', service: 'lambda.amazonaws.com' },
  'lambda-002': { outcome: 'passrole', service: 'lambda.amazonaws.com' },
  'lambda-006': { outcome: 'passrole', service: 'lambda.amazonaws.com' },
  'sagemaker-001': { outcome: 'passrole', service: 'sagemaker.amazonaws.com' },
  'sagemaker-002': { outcome: 'passrole', service: 'sagemaker.amazonaws.com' },
  'sagemaker-003': { outcome: 'passrole', service: 'sagemaker.amazonaws.com' },
  // Existing PassRole: the source takes over a resource that already runs as a role.
  'apprunner-002': {
    outcome: 'existing',
    service: 'tasks.apprunner.amazonaws.com',
    assumption: runsAs('an App Runner service'),
  },
  'bedrock-002': {
    outcome: 'existing',
    service: 'bedrock-agentcore.amazonaws.com',
    assumption: runsAs('a Bedrock AgentCore code interpreter'),
  },
  'cloudformation-002': {
    outcome: 'existing',
    service: 'cloudformation.amazonaws.com',
    assumption: runsAs('a CloudFormation stack (service role)'),
  },
  'cloudformation-005': {
    outcome: 'existing',
    service: 'cloudformation.amazonaws.com',
    assumption: runsAs('a CloudFormation stack (service role)'),
  },
  'codebuild-002': {
    outcome: 'existing',
    service: 'codebuild.amazonaws.com',
    assumption: runsAs('a CodeBuild project'),
  },
  'codebuild-003': {
    outcome: 'existing',
    service: 'codebuild.amazonaws.com',
    assumption: runsAs('a CodeBuild project'),
  },
  'ec2-002': {
    outcome: 'existing',
    service: 'ec2.amazonaws.com',
    instanceProfile: true,
    assumption: runsAs('an EC2 instance'),
  },
  'ec2-004': {
    outcome: 'existing',
    service: 'ec2.amazonaws.com',
    instanceProfile: true,
    assumption: 'assumes: a launch template in use names an instance profile of {role}',
  },
  'ec2instanceconnect-003': {
    outcome: 'existing',
    service: 'ec2.amazonaws.com',
    instanceProfile: true,
    assumption: runsAs('an EC2 instance reachable over SSH'),
    on: { 'ec2:DescribeInstances': '*' },
  },
  'glue-002': {
    outcome: 'existing',
    service: 'glue.amazonaws.com',
    assumption: runsAs('a Glue development endpoint'),
  },
  'lambda-003': {
    outcome: 'existing',
    service: 'lambda.amazonaws.com',
    assumption: runsAs('a Lambda function'),
  },
  'lambda-004': {
    outcome: 'existing',
    service: 'lambda.amazonaws.com',
    assumption: runsAs('a Lambda function'),
  },
  'lambda-005': {
    outcome: 'existing',
    service: 'lambda.amazonaws.com',
    assumption: runsAs('a Lambda function'),
  },
  'sagemaker-004': {
    outcome: 'existing',
    service: 'sagemaker.amazonaws.com',
    assumption: runsAs('a SageMaker notebook instance'),
  },
  'sagemaker-005': {
    outcome: 'existing',
    service: 'sagemaker.amazonaws.com',
    assumption: runsAs('a SageMaker notebook instance'),
  },
  'ssm-001': {
    outcome: 'existing',
    service: 'ec2.amazonaws.com',
    instanceProfile: true,
    assumption: runsAs('an EC2 instance with the SSM agent'),
  },
  'ssm-002': {
    outcome: 'existing',
    service: 'ec2.amazonaws.com',
    instanceProfile: true,
    assumption: runsAs('an EC2 instance with the SSM agent'),
  },
};

const RHINO: Reference = {
  title: 'AWS Privilege Escalation Methods and Mitigation (Rhino Security Labs)',
  url: 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/',
};
const CODESTAR: Reference = {
  title: 'Escalating AWS IAM Privileges with an Undocumented CodeStar API (Rhino Security Labs)',
  url: 'https://rhinosecuritylabs.com/aws/escalating-aws-iam-privileges-undocumented-codestar-api/',
};

function ours(
  id: string,
  category: string,
  description: string,
  requires: string[],
  model: Model,
  references: Reference[],
): TechniqueRule {
  const { on, ...rest } = model;
  return {
    id,
    name: requires.join('+'),
    origin: 'accessgraph',
    category,
    description,
    references,
    requires: requires.map((action) => ({ action, on: on?.[action] ?? defaultOn(model.outcome, action) })),
    ...rest,
  };
}

/** The techniques we require that pathfinding.cloud does not have (checked by techniques.test.ts). */
export const OUR_RULES: TechniqueRule[] = [
  ours(
    'acg-iam-001',
    'self-escalation',
    'Set another stored version of a customer managed policy attached to the source as the default; the edge ' +
      'exists when that version makes the source admin-equivalent.',
    ['iam:SetDefaultPolicyVersion'],
    { outcome: 'admin', otherVersion: true, on: { 'iam:SetDefaultPolicyVersion': 'self-policy' } },
    [RHINO],
  ),
  ours(
    'acg-lambda-001',
    'new-passrole',
    'Create a Lambda function with a passed role, a new DynamoDB table with a stream, and an event source ' +
      'mapping from the stream: putting an item runs the function as the role (no existing event source needed).',
    [
      'iam:PassRole',
      'lambda:CreateFunction',
      'lambda:CreateEventSourceMapping',
      'dynamodb:CreateTable',
      'dynamodb:PutItem',
    ],
    {
      outcome: 'passrole',
      service: 'lambda.amazonaws.com',
      on: {
        'dynamodb:CreateTable': 'arn:${Partition}:dynamodb:*:${Account}:table/*',
        'dynamodb:PutItem': 'arn:${Partition}:dynamodb:*:${Account}:table/*',
      },
    },
    [RHINO],
  ),
  ours(
    'acg-lambda-002',
    'existing-passrole',
    "Add a layer the source controls to an existing function's configuration: the layer's code runs with the " +
      "function's role on the next invocation.",
    ['lambda:UpdateFunctionConfiguration'],
    { outcome: 'existing', service: 'lambda.amazonaws.com', assumption: runsAs('a Lambda function') },
    [
      RHINO,
      {
        title: 'Lambda layers (AWS Lambda Developer Guide)',
        url: 'https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html',
      },
    ],
  ),
  ours(
    'acg-codestar-001',
    'new-passrole',
    'Create a CodeStar project with a passed role: CodeStar creates the project resources as that role. ' +
      '(CodeStar was discontinued in July 2024; existing setups may still allow it.)',
    ['iam:PassRole', 'codestar:CreateProject'],
    { outcome: 'passrole', service: 'codestar.amazonaws.com' },
    [CODESTAR],
  ),
  ours(
    'acg-codestar-002',
    'existing-passrole',
    "The undocumented codestar:CreateProjectFromTemplate makes CodeStar create a project with the account's " +
      'CodeStar service role, whose template resources the source controls.',
    ['codestar:CreateProjectFromTemplate'],
    {
      outcome: 'existing',
      service: 'codestar.amazonaws.com',
      assumption: 'assumes: {role} is the CodeStar service role of the account',
    },
    [CODESTAR],
  ),
  ours(
    'acg-codestar-003',
    'existing-passrole',
    'Create a CodeStar project and associate the source as its owner: CodeStar, acting as its service role, ' +
      "attaches the project's owner policy to the source.",
    ['codestar:CreateProject', 'codestar:AssociateTeamMember'],
    {
      outcome: 'existing',
      service: 'codestar.amazonaws.com',
      assumption: 'assumes: {role} is the CodeStar service role of the account',
    },
    [CODESTAR],
  ),
  ours(
    'acg-autoscaling-001',
    'new-passrole',
    'Create a launch configuration with an instance profile of a passed role and an Auto Scaling group that ' +
      'launches it: the instances run as the role.',
    ['iam:PassRole', 'autoscaling:CreateLaunchConfiguration', 'autoscaling:CreateAutoScalingGroup'],
    { outcome: 'passrole', service: 'ec2.amazonaws.com', instanceProfile: true },
    [RHINO],
  ),
  ours(
    'acg-autoscaling-002',
    'new-passrole',
    'Create a launch configuration with an instance profile of a passed role and point an existing Auto ' +
      'Scaling group at it.',
    ['iam:PassRole', 'autoscaling:CreateLaunchConfiguration', 'autoscaling:UpdateAutoScalingGroup'],
    { outcome: 'passrole', service: 'ec2.amazonaws.com', instanceProfile: true },
    [RHINO],
  ),
  ours(
    'acg-ecs-001',
    'existing-passrole',
    'Open a shell in a running ECS task (ECS Exec) and use its task role credentials.',
    ['ecs:ExecuteCommand'],
    {
      outcome: 'existing',
      service: 'ecs-tasks.amazonaws.com',
      assumption: runsAs('an ECS task with ECS Exec enabled'),
    },
    [
      {
        title: 'Using Amazon ECS Exec (Amazon ECS Developer Guide)',
        url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html',
      },
    ],
  ),
  ours(
    'acg-ecs-002',
    'existing-passrole',
    'Register a host the source controls as a container instance and drain the others: the scheduler moves ' +
      "tasks (and their task roles' credentials) onto it.",
    ['ecs:RegisterContainerInstance', 'ecs:UpdateContainerInstancesState', 'ecs:Poll'],
    {
      outcome: 'existing',
      service: 'ecs-tasks.amazonaws.com',
      assumption: runsAs('an ECS task on EC2 in a cluster the source can drain'),
    },
    [
      {
        title: 'Amazon EC2 container instance security considerations (Amazon ECS Developer Guide)',
        url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ec2-security-considerations.html',
      },
    ],
  ),
  ours(
    'acg-ec2-001',
    'new-passrole',
    'Associate an instance profile of a passed role with an instance the source already controls.',
    ['iam:PassRole', 'ec2:AssociateIamInstanceProfile'],
    {
      outcome: 'passrole',
      service: 'ec2.amazonaws.com',
      instanceProfile: true,
      assumption: 'assumes: the source runs code on an EC2 instance without a profile',
    },
    [RHINO],
  ),
];
