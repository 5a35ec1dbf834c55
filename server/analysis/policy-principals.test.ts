/**
 * Who a resource or trust policy's Principal names (reference_policies_elements_principal,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html): an account id or
 * its `:root` ARN delegates to the account's identity policies; a role session ARN names sessions of that role;
 * `"*"` (and `{"AWS": "*"}`) is everyone; NotPrincipal in an Allow grants everyone it does not list.
 */
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../engine/index.ts';
import { policyNames, principalsNamed } from './policy-principals.ts';

const statement = (st: object) =>
  parsePolicy(
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', ...st }] },
    {
      kind: 'resource',
    },
  ).policy!.statements[0]!;

describe('principalsNamed', () => {
  it('sorts named values into users and roles, role sessions and accounts', () => {
    expect(
      principalsNamed(
        statement({
          Principal: {
            AWS: [
              'arn:aws:iam::111122223333:user/alice',
              'arn:aws:iam::111122223333:role/path/Deploy',
              'arn:aws:sts::111122223333:assumed-role/Deploy/ci',
              '444455556666',
              'arn:aws:iam::777788889999:root',
            ],
          },
        }),
      ),
    ).toEqual({
      arns: ['arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::111122223333:role/path/Deploy'],
      sessions: [{ account: '111122223333', role: 'Deploy' }],
      accounts: ['444455556666', '777788889999'],
    });
  });

  it.each([
    ['"*"', { Principal: '*' }],
    ['{"AWS": "*"}', { Principal: { AWS: '*' } }],
    ['NotPrincipal', { NotPrincipal: { AWS: 'arn:aws:iam::111122223333:user/alice' } }],
    ['a pattern', { Principal: { AWS: 'arn:aws:iam::111122223333:user/*' } }],
    ['a unique id', { Principal: { AWS: 'AIDAJQABLZS4A3QDU576Q' } }],
  ])('%s could be anyone', (_name, st) => {
    expect(principalsNamed(statement(st))).toBe('all');
  });

  it('a Deny names nobody to grant, and a policy is the union of its statements', () => {
    expect(principalsNamed(statement({ Effect: 'Deny', Principal: '*' }))).toEqual({
      arns: [],
      sessions: [],
      accounts: [],
    });
    const policy = parsePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 's3:*', Principal: { AWS: 'arn:aws:iam::111122223333:user/bob' } },
          { Effect: 'Allow', Action: 's3:*', Principal: { AWS: '111122223333' } },
        ],
      },
      { kind: 'resource' },
    ).policy!;
    expect(policyNames(policy)).toEqual({
      arns: ['arn:aws:iam::111122223333:user/bob'],
      sessions: [],
      accounts: ['111122223333'],
    });
  });
});
