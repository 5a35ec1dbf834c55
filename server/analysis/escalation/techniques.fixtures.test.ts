/**
 * A fixture per technique, generated from the rule data (the permissions and targets each rule names): one
 * principal, `attacker`, that can escalate (positive), and variants that cannot (negative). Each variant changes
 * one thing of the positive fixture, so a negative passes only because of that change:
 *
 * - deny: an explicit Deny of one needed action in another policy;
 * - boundary: a permissions boundary that allows S3 only (access_policies_boundaries);
 * - scp: an SCP denying one needed action at the account (orgs_manage_policies_scps);
 * - passrole-scope: `iam:PassRole` only on other roles (PassRole techniques);
 * - untrusted: the role trusts another service (PassRole and existing-resource techniques);
 * - impossible: the grant's condition names another account (`aws:PrincipalAccount`, known for every request);
 * and positives that must still find it: the needed actions split over two policies, a NotAction grant, a grant
 * scoped to the exact target ARN (per-target evaluation instead of the fan-out), and an MFA condition (the edge
 * is conditional with that residual).
 *
 * The hand-written cases that do not go through this generator are in build.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_ID,
  aGroup,
  aPolicy,
  aRole,
  aSnapshot,
  aUser,
  allowDocument,
  trustService,
} from '../../../test/support/builders.ts';
import type { AccountSnapshot, IamRole, IamUser, Organization } from '../../../schema/snapshot.ts';
import {
  ADMIN,
  ADMIN_PROBE_ACTIONS,
  buildEscalationGraphWith,
  type EscalationGraph,
  type TechniqueRule,
} from './index.ts';
import { loadTechniques } from './techniques/load.ts';

const iam = (rest: string) => `arn:aws:iam::${ACCOUNT_ID}:${rest}`;
const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

type Variant =
  | 'positive'
  | 'split'
  | 'notaction'
  | 'scoped'
  | 'mfa'
  | 'deny'
  | 'boundary'
  | 'scp'
  | 'passrole-scope'
  | 'untrusted'
  | 'impossible';

const ADMIN_ACCESS = aPolicy({ name: 'AdministratorAccess', awsManaged: true, document: allowDocument('*') });
const S3_ONLY = aPolicy({ name: 'S3Only', document: allowDocument('s3:*') });

/** Where the technique leads in the fixture. */
function expectedTarget(rule: TechniqueRule): string {
  if (rule.outcome === 'admin') return ADMIN;
  if (rule.outcome === 'principal')
    return rule.grantsTarget
      ? ADMIN
      : rule.targetKind === 'user'
        ? iam('user/victim')
        : iam('role/victim-role');
  return iam('role/service-role');
}

/** The exact ARN each requirement is granted on in the `scoped` variant. */
function scopedResource(rule: TechniqueRule, on: string, attacker: string): string {
  switch (on) {
    case 'self':
      return attacker;
    case 'target':
      return rule.targetKind === 'user' ? iam('user/victim') : iam('role/victim-role');
    case 'self-policy':
      return iam('policy/AttackerPolicy');
    case 'target-policy':
      return iam('policy/VictimPolicy');
    case 'self-group':
      return iam('group/attackers');
    case 'group':
      return iam('group/admins');
    case 'passed-role':
    case 'target-trust':
      return rule.outcome === 'principal' ? iam('role/victim-role') : iam('role/service-role');
    default:
      return '*';
  }
}

function fixture(rule: TechniqueRule, variant: Variant): AccountSnapshot {
  const actions = rule.requires.map((r) => r.action);
  const attackerKind = rule.sourceKind ?? 'user';
  const attacker = attackerKind === 'user' ? iam('user/attacker') : iam('role/attacker');
  const needed = actions.filter(
    (a, i) => rule.requires[i]!.on !== 'target-trust' || rule.outcome !== 'principal',
  );
  const grant = (() => {
    // NotAction S3 and one IAM write the technique does not need: otherwise the attacker is admin-equivalent
    // (every permission-granting IAM action on *), and admins get no technique edges.
    if (variant === 'notaction')
      return doc({
        Effect: 'Allow',
        NotAction: ['s3:*', ADMIN_PROBE_ACTIONS.find((a) => !actions.includes(a))!],
        Resource: '*',
      });
    if (variant === 'scoped')
      return doc(
        ...rule.requires.map((r) => ({
          Effect: 'Allow',
          Action: r.action,
          Resource: scopedResource(rule, r.on, attacker),
        })),
      );
    if (variant === 'passrole-scope')
      return doc(
        { Effect: 'Allow', Action: needed.filter((a) => a !== 'iam:PassRole'), Resource: '*' },
        { Effect: 'Allow', Action: 'iam:PassRole', Resource: iam('role/other-*') },
      );
    const statement: Record<string, unknown> = { Effect: 'Allow', Action: needed, Resource: '*' };
    if (variant === 'mfa') statement.Condition = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
    if (variant === 'impossible')
      statement.Condition = { StringEquals: { 'aws:PrincipalAccount': '999999999999' } };
    return doc(statement);
  })();
  const split = variant === 'split' && needed.length > 1;
  const attackerPolicy = aPolicy({
    name: 'AttackerPolicy',
    // The stored non-default v1 is admin: what iam:SetDefaultPolicyVersion switches back on.
    defaultVersionId: 'v2',
    versions: [
      { versionId: 'v2', isDefault: true, document: split ? allowDocument(needed[0]!) : grant },
      { versionId: 'v1', isDefault: false, document: allowDocument('*') },
    ],
  });
  const secondPolicy = aPolicy({ name: 'AttackerPolicy2', document: allowDocument(needed.slice(1)) });
  const inline = [];
  if (variant === 'deny')
    inline.push({ name: 'deny', document: doc({ Effect: 'Deny', Action: needed[0]!, Resource: '*' }) });
  const attached = [attackerPolicy.arn, ...(split ? [secondPolicy.arn] : [])];
  const boundary = variant === 'boundary' ? { permissionsBoundary: S3_ONLY.arn } : {};
  const groups = [
    aGroup({ name: 'attackers' }),
    aGroup({ name: 'admins', attachedPolicies: [ADMIN_ACCESS.arn] }),
  ];
  const users: IamUser[] = [
    aUser({
      name: 'victim',
      credentials: {
        passwordEnabled: rule.loginProfile === 'present',
        mfaActive: false,
        accessKeys: [],
        certificates: [],
      },
    }),
  ];
  const roles: IamRole[] = [
    aRole({
      name: 'victim-role',
      attachedPolicies: [iam('policy/VictimPolicy')],
      trustPolicy: doc({ Effect: 'Allow', Principal: { AWS: attacker }, Action: 'sts:AssumeRole' }),
    }),
    aRole({
      name: 'service-role',
      trustPolicy: trustService(
        variant === 'untrusted' ? 'states.amazonaws.com' : (rule.service ?? 'lambda.amazonaws.com'),
      ),
      instanceProfiles: [{ arn: iam('instance-profile/service-role'), name: 'service-role' }],
    }),
  ];
  if (attackerKind === 'user')
    users.push(
      aUser({
        name: 'attacker',
        groups: [iam('group/attackers')],
        attachedPolicies: attached,
        inlinePolicies: inline,
        ...boundary,
      }),
    );
  else
    roles.push(aRole({ name: 'attacker', attachedPolicies: attached, inlinePolicies: inline, ...boundary }));
  const organization: Organization | undefined =
    variant === 'scp'
      ? {
          id: 'o-example',
          managementAccountId: '999999999999',
          nodes: [
            { id: 'r-root', kind: 'root', name: 'Root' },
            { id: ACCOUNT_ID, kind: 'account', name: 'member', parentId: 'r-root' },
          ],
          policies: [
            {
              id: 'p-full',
              arn: 'p-full',
              name: 'FullAWSAccess',
              type: 'SERVICE_CONTROL_POLICY',
              awsManaged: true,
              document: allowDocument('*'),
              targets: ['r-root', ACCOUNT_ID],
            },
            {
              id: 'p-deny',
              arn: 'p-deny',
              name: 'DenyIt',
              type: 'SERVICE_CONTROL_POLICY',
              awsManaged: false,
              document: doc({ Effect: 'Deny', Action: needed[0]!, Resource: '*' }),
              targets: [ACCOUNT_ID],
            },
          ],
        }
      : undefined;
  return aSnapshot({
    users,
    groups,
    roles,
    policies: [ADMIN_ACCESS, S3_ONLY, attackerPolicy, secondPolicy, aPolicy({ name: 'VictimPolicy' })],
    ...(organization ? { organization } : {}),
  });
}

/** The edge (or fan-out entry) by which `from` reaches `to` with `technique`, if any. */
function reach(graph: EscalationGraph, from: string, technique: string, to: string) {
  const edge = graph.edges.find((e) => e.from === from && e.technique === technique && e.to === to);
  if (edge) return edge;
  return graph.fanOut?.find((e) => e.from === from && e.technique === technique && e.targets.includes(to));
}

const rules = (await loadTechniques()).filter((r) => r.outcome !== 'assume');
const attackerOf = (r: TechniqueRule) =>
  r.sourceKind === 'role' ? iam('role/attacker') : iam('user/attacker');

describe.each(rules.map((r) => [r.id, r] as const))('technique %s', (_id, rule) => {
  const build = (variant: Variant) => buildEscalationGraphWith(fixture(rule, variant), [rule]);
  const from = attackerOf(rule);
  const to = expectedTarget(rule);
  // Existing-resource techniques always carry the assumption that such a resource exists.
  const assumes = rule.outcome === 'existing' || rule.assumption !== undefined;

  it.each(['positive', 'split', 'notaction', 'scoped'] as const)(
    '%s: attacker reaches the target',
    (variant) => {
      const e = reach(build(variant), from, rule.id, to);
      expect(e, `${rule.id} ${variant}`).toBeDefined();
      expect(e!.conditional).toBe(assumes);
      // Evidence: the Allow statements of the attacker's policies (and no Deny).
      expect(e!.evidence.some((x) => x.layer === 'identity' && x.effect === 'Allow')).toBe(true);
      expect(e!.evidence.every((x) => x.effect === 'Allow')).toBe(true);
    },
  );

  it('mfa: the edge holds only with MFA, and says so', () => {
    const e = reach(build('mfa'), from, rule.id, to);
    expect(e).toBeDefined();
    expect(e!.conditional).toBe(true);
    expect(e!.conditions).toContain('aws:MultiFactorAuthPresent = true');
  });

  const negatives: Variant[] = ['deny', 'boundary', 'scp', 'impossible'];
  if (rule.outcome === 'passrole') negatives.push('passrole-scope');
  if (rule.outcome === 'passrole' || rule.outcome === 'existing') negatives.push('untrusted');
  it.each(negatives)('%s: no edge', (variant) => {
    const graph = build(variant);
    expect(reach(graph, from, rule.id, to)).toBeUndefined();
    expect(graph.edges.filter((e) => e.technique === rule.id && e.from === from)).toEqual([]);
  });
});
