/**
 * The policies of the `broad-iam` shape: development and sandbox accounts where many principals hold broad IAM
 * write permissions, some of them scoped the way good hygiene scopes them (`role/service-*`,
 * `user/${aws:username}`), many may assume any role, and every user is in a group carrying AWS's self-service
 * credentials policy. generate-account.ts attaches them (see `BROAD_IAM` for the shares).
 */
import type { PolicyDocument } from './documents.ts';

const VERSION = '2012-10-17';

/**
 * "AWS: Allows IAM users to manage their own credentials on the Security credentials page", the IAM User Guide's
 * example, as published:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage-no-mfa.html
 */
export const SELF_SERVICE_CREDENTIALS_POLICY: PolicyDocument = {
  Version: VERSION,
  Statement: [
    {
      Sid: 'AllowViewAccountInfo',
      Effect: 'Allow',
      Action: ['iam:GetAccountPasswordPolicy', 'iam:GetAccountSummary'],
      Resource: '*',
    },
    {
      Sid: 'AllowManageOwnPasswords',
      Effect: 'Allow',
      Action: ['iam:ChangePassword', 'iam:GetUser'],
      Resource: 'arn:aws:iam::*:user/${aws:username}',
    },
    {
      Sid: 'AllowManageOwnAccessKeys',
      Effect: 'Allow',
      Action: [
        'iam:CreateAccessKey',
        'iam:DeleteAccessKey',
        'iam:GetAccessKeyLastUsed',
        'iam:ListAccessKeys',
        'iam:UpdateAccessKey',
      ],
      Resource: 'arn:aws:iam::*:user/${aws:username}',
    },
    {
      Sid: 'AllowManageOwnSigningCertificates',
      Effect: 'Allow',
      Action: [
        'iam:DeleteSigningCertificate',
        'iam:ListSigningCertificates',
        'iam:UpdateSigningCertificate',
        'iam:UploadSigningCertificate',
      ],
      Resource: 'arn:aws:iam::*:user/${aws:username}',
    },
    {
      Sid: 'AllowManageOwnSSHPublicKeys',
      Effect: 'Allow',
      Action: [
        'iam:DeleteSSHPublicKey',
        'iam:GetSSHPublicKey',
        'iam:ListSSHPublicKeys',
        'iam:UpdateSSHPublicKey',
        'iam:UploadSSHPublicKey',
      ],
      Resource: 'arn:aws:iam::*:user/${aws:username}',
    },
    {
      Sid: 'AllowManageOwnGitCredentials',
      Effect: 'Allow',
      Action: [
        'iam:CreateServiceSpecificCredential',
        'iam:DeleteServiceSpecificCredential',
        'iam:ListServiceSpecificCredentials',
        'iam:ResetServiceSpecificCredential',
        'iam:UpdateServiceSpecificCredential',
      ],
      Resource: 'arn:aws:iam::*:user/${aws:username}',
    },
  ],
};

export const SELF_SERVICE_POLICY_NAME = 'SelfManageCredentials';
export const ALL_USERS_GROUP = 'AllUsers';

/** The broad-IAM customer managed policies an account of the shape holds, by name. */
export type BroadPolicyName =
  | 'DeveloperIamFullAccess'
  | 'IamUserAndRoleManagement'
  | 'ServiceRoleManagement'
  | 'AssumeAnyRole'
  | 'AssumeAccountRoles'
  | 'LambdaDeployer';

export function broadIamPolicies(
  partition: string,
  accountId: string,
): Record<BroadPolicyName, PolicyDocument> {
  const iam = (resource: string) => `arn:${partition}:iam::${accountId}:${resource}`;
  return {
    DeveloperIamFullAccess: {
      Version: VERSION,
      Statement: [{ Sid: 'IamEverything', Effect: 'Allow', Action: 'iam:*', Resource: '*' }],
    },
    IamUserAndRoleManagement: {
      Version: VERSION,
      Statement: [
        {
          Sid: 'ManageUsersAndRoles',
          Effect: 'Allow',
          Action: ['iam:Put*', 'iam:Attach*', 'iam:CreateAccessKey', 'iam:UpdateAssumeRolePolicy'],
          Resource: [iam('user/*'), iam('role/*')],
        },
        { Sid: 'ReadIam', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' },
      ],
    },
    // Scoped the way a platform team scopes it: only roles named service-*.
    ServiceRoleManagement: {
      Version: VERSION,
      Statement: [
        {
          Sid: 'ManageServiceRoles',
          Effect: 'Allow',
          Action: [
            'iam:CreateRole',
            'iam:PutRolePolicy',
            'iam:AttachRolePolicy',
            'iam:UpdateAssumeRolePolicy',
            'iam:PassRole',
          ],
          Resource: iam('role/service-*'),
        },
      ],
    },
    AssumeAnyRole: {
      Version: VERSION,
      Statement: [{ Sid: 'AssumeAnything', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
    },
    AssumeAccountRoles: {
      Version: VERSION,
      Statement: [
        { Sid: 'AssumeRolesHere', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: iam('role/*') },
      ],
    },
    // PassRole to a service on `*`, as deploy pipelines are often granted it.
    LambdaDeployer: {
      Version: VERSION,
      Statement: [
        { Sid: 'PassAnyRole', Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' },
        {
          Sid: 'DeployFunctions',
          Effect: 'Allow',
          Action: [
            'lambda:CreateFunction',
            'lambda:UpdateFunctionCode',
            'lambda:UpdateFunctionConfiguration',
            'lambda:InvokeFunction',
          ],
          Resource: '*',
        },
      ],
    },
  };
}

/** Shares of principals (users and roles alike) in the broad-IAM shape. */
export const BROAD_IAM = {
  /**
   * AdministratorAccess attached directly. Others add up to admin by their grants (a PowerUser-style NotAction
   * Allow beside `iam:*`), so about 20 % are admin-equivalent by the engine's verdict.
   */
  admin: 0.14,
  /** Of the others: one broad IAM write policy, weighted below. */
  iamWrite: 0.4,
  iamWriteWeights: [
    ['DeveloperIamFullAccess', 2],
    ['IamUserAndRoleManagement', 3],
    ['ServiceRoleManagement', 4],
  ] as const satisfies readonly (readonly [BroadPolicyName, number])[],
  /** Of all: broad sts:AssumeRole (`*` or every role of the account). */
  assume: 0.45,
  /** Of all: PassRole on `*` with Lambda deployment. */
  passRole: 0.12,
  /** Of the roles: a trust policy naming the account root. */
  rootTrust: 1 / 3,
  /** Of the cross-account roles, when other accounts' roles are known: trust one of those roles. */
  peerRoleTrust: 0.5,
} as const;
